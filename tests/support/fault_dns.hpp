// An in-process DNS responder for faults no real server produces on demand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace vnetdiag::testing {

/// Misbehaviours no real DNS server produces on demand.
enum class DnsFault {
  servfail,  ///< RCODE 2, no answers
  refused,   ///< RCODE 5, no answers
  silent,    ///< never answers (UDP dropped; TCP connection held open without a reply)
  truncate,  ///< UDP: TC bit and no answers; TCP: the full answer (TTL 60)
  garbage,   ///< a reply with the right id whose body is malformed
};

/// An in-process DNS responder on 127.0.0.1 (UDP and TCP, same free port) with its own thread
/// and io_context. Answers A/AAAA/CNAME from its tables, follows CNAME chains inside them the way
/// a recursive resolver would (the answer carries the chain; an unknown end gives NXDOMAIN *with*
/// the CNAMEs, which is what Azure DNS returns for a private-link name without a record), and
/// applies per-name faults. Unknown names get NXDOMAIN. Configure before sending queries.
class FaultDnsServer {
 public:
  /// Binds UDP and TCP on 127.0.0.1:<free port> and starts serving.
  FaultDnsServer();
  /// Stops the thread and closes every socket.
  ~FaultDnsServer();
  FaultDnsServer(const FaultDnsServer&) = delete;
  FaultDnsServer& operator=(const FaultDnsServer&) = delete;

  /// Makes queries for `name` (case-insensitive; also when reached through a CNAME) misbehave.
  void set(std::string name, DnsFault fault);
  /// Adds an address record (A for IPv4, AAAA for IPv6, TTL 60) for `name`; call again to add more.
  void set_address(std::string name, std::string ip);
  /// Adds `alias` CNAME `target` (TTL 60).
  void set_cname(std::string alias, std::string target);
  /// Delays every reply for `name` by `delay` (the fault still applies afterwards).
  void set_delay(std::string name, std::chrono::milliseconds delay);

  /// "127.0.0.1:PORT", the form ares_set_servers_ports_csv and dnsmasq --server take apart.
  std::string address() const;
  /// Always "127.0.0.1".
  std::string ip() const;
  /// The UDP and TCP port.
  std::uint16_t port() const;
  /// How many queries arrived (UDP and TCP), whether or not they were answered.
  int queries_seen() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnetdiag::testing
