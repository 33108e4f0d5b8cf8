#include "reports/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace vnetdiag {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

/// Closes and removes the temporary file unless it was renamed into place.
struct TempFile {
  std::string path;
  int fd = -1;
  bool kept = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!kept && !path.empty()) ::unlink(path.c_str());
  }
};

mode_t mode_for(const std::filesystem::path& path) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) return existing.st_mode & 07777;
  // umask can only be read by setting it; vnetdiag writes reports from one thread, after the probes.
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

std::error_code write_all(int fd, std::string_view content) {
  for (std::size_t written = 0; written < content.size();) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    written += static_cast<std::size_t>(n);
  }
  return {};
}

std::error_code write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  // Same directory, so that rename() is atomic (one file system) and never copies.
  TempFile temp{(directory / ("." + path.filename().string() + ".tmp.XXXXXX")).string()};
  temp.fd = ::mkstemp(temp.path.data());
  if (temp.fd < 0) {
    temp.path.clear();
    return last_error();
  }
  if (::fchmod(temp.fd, mode_for(path)) != 0) return last_error();
  if (auto ec = write_all(temp.fd, content)) return ec;
  if (::fsync(temp.fd) != 0) return last_error();
  const int fd = temp.fd;
  temp.fd = -1;
  if (::close(fd) != 0) return last_error();
  if (::rename(temp.path.c_str(), path.c_str()) != 0) return last_error();
  temp.kept = true;
  // The rename itself is durable only once the directory is synced; a failure here loses nothing written.
  if (int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

}  // namespace vnetdiag
