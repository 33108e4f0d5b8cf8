// RAII for a POSIX file descriptor.
#pragma once

#include <unistd.h>

#include <utility>

namespace vnetdiag::testing {

/// Owns one POSIX file descriptor and closes it on destruction.
class UniqueFd {
 public:
  /// An empty holder (get() == -1).
  UniqueFd() = default;
  /// Takes ownership of `fd` (may be -1).
  explicit UniqueFd(int fd) : fd_(fd) {}
  /// Closes the descriptor.
  ~UniqueFd() { reset(); }
  /// Takes the descriptor; `other` is left empty.
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  /// Closes ours, then takes `other`'s.
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset(std::exchange(other.fd_, -1));
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  /// The descriptor, or -1.
  int get() const { return fd_; }
  /// True when a descriptor is held.
  explicit operator bool() const { return fd_ >= 0; }
  /// Closes the held descriptor (if any) and takes `fd` instead.
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace vnetdiag::testing
