// A real nginx with fixed responses, several sites, plain HTTP or TLS with SNI.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/pki.hpp"
#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

/// One fixed response. `path` is an nginx prefix location ("/" matches everything not matched by a
/// longer prefix). Headers are sent on every status (`add_header ... always`); a Content-Type
/// header replaces the default text/plain. For 301/302/303/307/308 nginx puts the `Location`
/// header (or else `body`) into the Location field, as `return` does.
struct NginxLocation {
  std::string path = "/";
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// >0: instead of `body`, serve a large (>= 1 MiB, about a minute's worth) body at this many
  /// bytes per second (limit_rate) with status 200, so the response never finishes quickly.
  std::size_t trickle_bytes_per_second = 0;
  /// With trickling: bytes (headers included) sent at full speed before the trickle starts;
  /// 0 trickles the status line and headers too.
  std::size_t trickle_after_bytes = 0;
  /// Set: a request whose header `first` is not exactly `second` (or is missing) gets `rejected_status`
  /// and `rejected_body` instead, e.g. {"Authorization", "Bearer xyz"} for a service that wants a token.
  std::optional<std::pair<std::string, std::string>> required_header;
  int rejected_status = 401;
  std::string rejected_body;
};

/// One nginx server block.
struct NginxSite {
  std::string listen_ip = "127.0.0.1";  ///< any 127.x address or ::1
  std::uint16_t port = 0;               ///< 0 = a free port (or the port of same_port_as)
  bool tls = false;
  std::optional<CertFiles> cert;        ///< required when tls; the chain file is served
  std::string server_name = "_";        ///< SNI / Host selection among sites sharing a port
  std::vector<NginxLocation> locations; ///< empty = one location "/" answering 200 "ok\n"
  /// Index of an earlier site whose ip:port this site shares (for SNI-selected certificates).
  /// Sites with the same explicit listen_ip and port share it too. The first site on a port is
  /// the default_server; sites sharing a port must agree on `tls`.
  std::optional<std::size_t> same_port_as;
  /// TLS settings beyond nginx's defaults, as nginx spells them: "TLSv1" for a server that speaks only
  /// TLS 1.0; "DEFAULT@SECLEVEL=0" lets such a server (or one with a SHA-1 certificate) start at all.
  std::string ssl_protocols, ssl_ciphers;
  /// Set: clients must present a certificate from this CA (ssl_verify_client on). nginx completes the
  /// handshake without one and answers the request with 400 "No required SSL certificate was sent".
  std::optional<std::filesystem::path> client_ca;
};

/// A real nginx (single process: master_process off) serving several sites, sandboxed in a
/// TempDir (-p prefix, -e error log, pid and temp paths inside it). Ready when constructed.
class Nginx {
 public:
  /// Writes the config under `dir`, starts nginx and waits until every port accepts.
  Nginx(std::vector<NginxSite> sites, const TempDir& dir);
  /// Stops and reaps nginx.
  ~Nginx();
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

  /// The port of sites[site_index].
  std::uint16_t port(std::size_t site_index) const;
  /// nginx's process id.
  pid_t pid() const;
  /// The end of nginx's error log (info level; includes start-up errors).
  std::string log_tail() const;
  /// The generated nginx.conf, for failure messages.
  const std::string& config_text() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Every nginx access log under `dir`, concatenated: what the stand-ins under a test's TempDir were asked.
std::string access_logs(const TempDir& dir);

}  // namespace vnetdiag::testing
