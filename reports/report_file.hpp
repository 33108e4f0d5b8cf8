// Where a report goes. A report path may name a regular file, a link to one, a device, a FIFO, standard
// output ("-", /dev/stdout) or nothing yet. Each is written the way it expects: a file (or a link's target) is
// replaced whole, a device, FIFO or open descriptor is written as a stream, and never replaced by a file
// (renaming over /dev/null as root would break the machine for every other program).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

namespace vnetdiag {

/// A report path, checked before any probe runs.
struct ReportDestination {
  enum class Kind : std::uint8_t {
    file,        ///< a regular file, existing or not: replaced atomically (links followed to it)
    stream,      ///< a character device or FIFO: opened and written, never replaced
    descriptor,  ///< "-", /dev/stdout, /dev/fd/N: written to the process's own descriptor
  };
  Kind kind = Kind::file;
  std::string given;             ///< as the user wrote it
  std::filesystem::path path;    ///< file: the file itself, links resolved; stream: as given
  int fd = -1;                   ///< descriptor: its number
  dev_t device = 0;              ///< identity, to catch two reports sent to one place
  ino_t inode = 0;               ///< 0 when the file does not exist yet (then `path` is the identity)
};

/// Resolves and checks `given`: the directory of a file exists and is writable, a device or FIFO is
/// writable, a descriptor is open for writing. Otherwise the reason, for a usage error.
std::variant<ReportDestination, std::string> resolve_report_path(std::string_view given);

/// True when both destinations are the same place (the same file, device or descriptor).
bool same_destination(const ReportDestination& a, const ReportDestination& b);

/// True when the destination is this process's standard output.
bool is_standard_output(const ReportDestination& d);

/// Writes `content` whole to `d` (see ReportDestination::Kind). A FIFO's open waits for its reader.
std::error_code write_report(const ReportDestination& d, std::string_view content);

}  // namespace vnetdiag
