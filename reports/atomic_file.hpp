// Reports are written whole or not at all: a ticket never gets half a report, and a textfile collector
// never reads a file mid-write.
#pragma once

#include <filesystem>
#include <string_view>
#include <system_error>

namespace vnetdiag {

/// Writes `content` to a temporary file in `path`'s directory, flushes it to disk, then renames it over
/// `path`. An existing file keeps its permissions; a new one gets 0666 less the umask. On failure `path` is
/// untouched, the temporary file is removed, and the error names the step's errno.
std::error_code write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Writes all of `content` to `fd`, resuming after short writes and signals.
std::error_code write_all(int fd, std::string_view content);

}  // namespace vnetdiag
