// A TCP port that accepts in the kernel but never speaks.
#pragma once

#include <cstdint>
#include <string>

#include "tests/support/unique_fd.hpp"

namespace vnetdiag::testing {

/// A TCP port whose connections complete in the kernel (listen backlog) but are never accepted,
/// read or answered: connect() succeeds, then a TLS or HTTP client waits until its own timeout.
class SilentListener {
 public:
  /// Listens on ip:<free port>.
  explicit SilentListener(std::string ip = "127.0.0.1");
  /// Closes the socket; queued connections are reset by the kernel.
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  /// The listening port.
  std::uint16_t port() const;
  /// The listening address.
  const std::string& ip() const;

 private:
  std::string ip_;
  UniqueFd fd_;
  std::uint16_t port_ = 0;
};

}  // namespace vnetdiag::testing
