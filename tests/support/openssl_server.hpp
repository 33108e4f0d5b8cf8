// A real `openssl s_server` on loopback, for TLS behaviours nginx does not have.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/pki.hpp"
#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

/// `openssl s_server -www` (a fixed status page for every GET) serving `cert` on 127.0.0.1, one
/// connection at a time, with `options` added to its command line: e.g. {"-Verify", "1"} demands a
/// client certificate and refuses a client without one with an alert, as nginx never does.
/// Ready when constructed; stopped and reaped on destruction.
class OpensslServer {
 public:
  /// Starts the server with its log under `dir`; throws with the log tail on failure.
  OpensslServer(const CertFiles& cert, std::vector<std::string> options, const TempDir& dir);
  ~OpensslServer();
  OpensslServer(const OpensslServer&) = delete;
  OpensslServer& operator=(const OpensslServer&) = delete;

  /// The port it listens on.
  std::uint16_t port() const;
  /// The end of its output (handshake errors are printed there).
  std::string log_tail() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnetdiag::testing
