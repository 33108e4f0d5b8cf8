// A real tinyproxy as an HTTP CONNECT proxy on loopback.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

/// What a Tinyproxy allows.
struct TinyproxyConfig {
  std::string listen_ip = "127.0.0.1";  ///< any 127.x address or ::1
  std::uint16_t port = 0;               ///< 0 = a free port
  std::vector<std::uint16_t> connect_ports;  ///< CONNECT allowed only to these (403 otherwise); empty = any port
  std::optional<std::pair<std::string, std::string>> basic_auth;  ///< {user, password}; 407 without it
};

/// A real tinyproxy (HTTP CONNECT and plain forward proxy), ready when constructed.
///
/// tinyproxy resolves CONNECT host names with the system resolver, so a name could send a DNS
/// query off the machine. A host filter therefore allows only loopback destinations ("localhost",
/// 127.x, ::1) and the BlackholeNetns range 10.231.x.x; anything else is refused with 403 before
/// any lookup.
class Tinyproxy {
 public:
  /// Starts tinyproxy with its config under `dir`; throws with the log tail on failure.
  Tinyproxy(TinyproxyConfig config, const TempDir& dir);
  /// Stops and reaps tinyproxy.
  ~Tinyproxy();
  Tinyproxy(const Tinyproxy&) = delete;
  Tinyproxy& operator=(const Tinyproxy&) = delete;

  /// The proxy port.
  std::uint16_t port() const;
  /// "http://127.0.0.1:PORT" (or "http://[::1]:PORT"), without credentials.
  std::string url() const;
  /// tinyproxy's process id.
  pid_t pid() const;
  /// The end of tinyproxy's log (connections and refusals, Info level).
  std::string log_tail() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnetdiag::testing
