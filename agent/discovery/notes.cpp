#include "agent/discovery/notes.hpp"

namespace vnetdiag {

std::string_view to_string(NoteLevel level) { return level == NoteLevel::warning ? "warning" : "info"; }

}  // namespace vnetdiag
