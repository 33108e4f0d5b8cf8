#include "reports/report_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "reports/atomic_file.hpp"

namespace vnetdiag {
namespace {

namespace fs = std::filesystem;

std::error_code last_error() { return {errno, std::generic_category()}; }

std::string reason(int error) { return std::strerror(error); }

/// N when `p` names one of this process's open descriptors: /dev/fd/N, /proc/self/fd/N, /proc/<pid>/fd/N.
/// Following such a link further would name the file behind the descriptor (or "pipe:[1234]"), and replacing
/// that file would leave the descriptor writing into a deleted one.
std::optional<int> descriptor_of(const fs::path& p) {
  const std::string text = fs::absolute(p).lexically_normal().string();
  // By name too: where /dev/stdout is not the usual link, it is still what the user means.
  if (text == "/dev/stdout") return STDOUT_FILENO;
  if (text == "/dev/stderr") return STDERR_FILENO;
  for (const std::string& prefix : {std::string("/dev/fd/"), std::string("/proc/self/fd/"),
                                   "/proc/" + std::to_string(::getpid()) + "/fd/"}) {
    if (!text.starts_with(prefix)) continue;
    int fd = -1;
    const char* first = text.data() + prefix.size();
    const char* last = text.data() + text.size();
    if (auto [end, ec] = std::from_chars(first, last, fd); ec == std::errc{} && end == last && first != last) return fd;
  }
  return std::nullopt;
}

/// `p` with its symbolic links followed, stopping at a descriptor link; a dangling link gives its target.
struct Followed {
  fs::path path;
  std::optional<int> fd;
  int error = 0;
};

Followed follow_links(fs::path p) {
  for (int hop = 0; hop < 40; ++hop) {  // the kernel's own limit on links in one lookup
    if (auto fd = descriptor_of(p)) return {p, fd};
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return {p, std::nullopt, errno == ENOENT ? 0 : errno};
    if (!S_ISLNK(st.st_mode)) return {p};
    std::error_code ec;
    auto target = fs::read_symlink(p, ec);
    if (ec) return {p, std::nullopt, ec.value()};
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return {p, std::nullopt, ELOOP};
}

std::variant<ReportDestination, std::string> descriptor_destination(ReportDestination d, int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return "descriptor " + std::to_string(fd) + " is not open";
  if ((flags & O_ACCMODE) == O_RDONLY) return "descriptor " + std::to_string(fd) + " is not open for writing";
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    d.device = st.st_dev;
    d.inode = st.st_ino;
  }
  d.kind = ReportDestination::Kind::descriptor;
  d.fd = fd;
  return d;
}

}  // namespace

std::variant<ReportDestination, std::string> resolve_report_path(std::string_view given) {
  ReportDestination d;
  d.given = std::string(given);
  if (given.empty()) return std::string("an empty path");
  if (given == "-") return descriptor_destination(std::move(d), STDOUT_FILENO);

  const auto followed = follow_links(fs::path(d.given));
  if (followed.error != 0) return reason(followed.error);
  if (followed.fd) return descriptor_destination(std::move(d), *followed.fd);
  d.path = followed.path;

  struct stat st {};
  if (::stat(d.path.c_str(), &st) == 0) {
    d.device = st.st_dev;
    d.inode = st.st_ino;
    if (S_ISDIR(st.st_mode)) return std::string("is a directory");
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      d.kind = ReportDestination::Kind::stream;
      if (::access(d.path.c_str(), W_OK) != 0) return reason(errno);
      return d;
    }
    // A block device or a socket: writing a report there destroys data or cannot work.
    if (!S_ISREG(st.st_mode)) return std::string("is not a regular file, a character device or a FIFO");
  } else if (errno != ENOENT) {
    return reason(errno);
  }
  // A new or replaced file: the rename that puts it in place needs its directory, existing and writable.
  const fs::path directory = d.path.has_parent_path() ? d.path.parent_path() : fs::path(".");
  struct stat dir {};
  if (::stat(directory.c_str(), &dir) != 0)
    return errno == ENOENT ? "there is no directory " + directory.string() : directory.string() + ": " + reason(errno);
  if (!S_ISDIR(dir.st_mode)) return directory.string() + " is not a directory";
  if (::access(directory.c_str(), W_OK | X_OK) != 0) return "cannot write in " + directory.string() + ": " + reason(errno);
  if (d.inode == 0) {
    std::error_code ec;
    d.path = fs::weakly_canonical(fs::absolute(d.path), ec);
    if (ec) d.path = fs::absolute(followed.path).lexically_normal();
  }
  d.kind = ReportDestination::Kind::file;
  return d;
}

bool same_destination(const ReportDestination& a, const ReportDestination& b) {
  using enum ReportDestination::Kind;
  if (a.kind == descriptor && b.kind == descriptor) return a.fd == b.fd;
  if (a.inode != 0 && b.inode != 0) return a.device == b.device && a.inode == b.inode;
  return a.kind == file && b.kind == file && a.inode == 0 && b.inode == 0 && a.path == b.path;
}

bool is_standard_output(const ReportDestination& d) {
  return d.kind == ReportDestination::Kind::descriptor && d.fd == STDOUT_FILENO;
}

std::error_code write_report(const ReportDestination& d, std::string_view content) {
  switch (d.kind) {
    case ReportDestination::Kind::file:
      return write_file_atomically(d.path, content);
    case ReportDestination::Kind::descriptor:
      return write_all(d.fd, content);
    case ReportDestination::Kind::stream: {
      // No O_TRUNC: a device or FIFO has nothing to truncate. O_NOCTTY: a terminal never becomes ours.
      const int fd = ::open(d.path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (fd < 0) return last_error();
      auto ec = write_all(fd, content);
      if (::close(fd) != 0 && !ec) ec = last_error();
      return ec;
    }
  }
  return std::make_error_code(std::errc::invalid_argument);
}

}  // namespace vnetdiag
