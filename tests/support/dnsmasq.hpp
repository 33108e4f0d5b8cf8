// A real dnsmasq serving private-link-style DNS data on loopback.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

/// What a Dnsmasq serves. dnsmasq never forwards to the machine's resolvers (--no-resolv,
/// --no-hosts, --conf-file=/dev/null); a name outside every zone below gets REFUSED.
struct DnsmasqConfig {
  std::string listen_ip = "127.0.0.1";  ///< any 127.x address or ::1
  std::uint16_t port = 0;               ///< 0 = pick a port free for UDP and TCP
  /// {alias, target} (--cname). The target must be served here too: with a missing target dnsmasq
  /// answers NOERROR with only the CNAME (NODATA), never NXDOMAIN — see forward_zones for that.
  std::vector<std::pair<std::string, std::string>> cnames;
  std::vector<std::pair<std::string, std::string>> addresses;  ///< {name, IPv4 or IPv6} (--host-record)
  std::vector<std::string> local_zones;   ///< unknown names under these get NXDOMAIN (--local=/zone/)
  std::vector<std::string> silent_zones;  ///< names under these are never answered
  /// {zone, "ip:port" or "[v6]:port"}: names under zone are forwarded there (--server=/zone/ip#port),
  /// e.g. to a FaultDnsServer, which is how a CNAME-then-NXDOMAIN chain reaches a client through a
  /// real forwarder (the custom-DNS-in-front-of-Azure-DNS topology).
  std::vector<std::pair<std::string, std::string>> forward_zones;
  /// "ip:port": every name not served above is forwarded there (--server=ip#port), as a custom DNS
  /// server forwards to Azure DNS.
  std::string forward_all;
};

/// A real dnsmasq process serving DnsmasqConfig, ready (answering UDP) when the constructor returns.
class Dnsmasq {
 public:
  /// Starts dnsmasq with its config and log under `dir`; throws with the log tail on failure.
  explicit Dnsmasq(DnsmasqConfig config, const TempDir& dir);
  /// Stops and reaps dnsmasq.
  ~Dnsmasq();
  Dnsmasq(const Dnsmasq&) = delete;
  Dnsmasq& operator=(const Dnsmasq&) = delete;

  /// "127.0.0.1:5353" or "[::1]:5353".
  std::string address() const;
  /// The listen address.
  std::string ip() const;
  /// The UDP and TCP port.
  std::uint16_t port() const;
  /// dnsmasq's process id.
  pid_t pid() const;
  /// The end of dnsmasq's log (every query is logged).
  std::string log_tail() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnetdiag::testing
