// Notes that discovery leaves for the user: facts worth knowing about this machine, and warnings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vnetdiag {

/// How much a note matters: a fact that explains results, or something that may break them.
enum class NoteLevel : std::uint8_t {
  info,     ///< context: search domains, which stub forwards where
  warning,  ///< likely to change results or hide a problem: an unreadable file, an ignored nameserver
};

/// One observation about the environment, in words a user can act on.
struct EnvironmentNote {
  NoteLevel level = NoteLevel::info;  ///< info or warning
  std::string topic;  ///< "dns", "hosts", "proxy", "interfaces", "docker", "metadata", "clock"
  std::string text;
  friend bool operator==(const EnvironmentNote&, const EnvironmentNote&) = default;
};

/// "info", "warning".
std::string_view to_string(NoteLevel level);

}  // namespace vnetdiag
