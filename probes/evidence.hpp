// What the probes saw, as plain data. Standard library only: reports/ reads these types without
// pulling in Asio, OpenSSL or c-ares, and a report can be rebuilt from its own JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vnetdiag {

/// Where an address sits, as far as routing and private endpoints are concerned.
enum class AddressClass : std::uint8_t {
  loopback,     ///< 127.0.0.0/8, ::1
  private_ip,   ///< RFC 1918 (10/8, 172.16/12, 192.168/16) and IPv6 ULA fc00::/7
  shared,       ///< RFC 6598 shared address space 100.64.0.0/10
  link_local,   ///< 169.254.0.0/16, fe80::/10
  public_ip,    ///< globally routable
  other,        ///< unspecified, multicast, reserved, documentation ranges
};

/// One address from a DNS answer (or the hosts file), classified.
struct ResolvedAddress {
  std::string ip;
  std::uint32_t ttl = 0;
  AddressClass cls = AddressClass::other;
  bool in_vnet = false;  ///< inside one of the VNet CIDRs the caller passed in
};

/// One CNAME record of a chain.
struct CnameHop {
  std::string owner;
  std::string target;
  std::uint32_t ttl = 0;
};

enum class DnsStatus : std::uint8_t {
  ok,                  ///< at least one A/AAAA address
  nxdomain,            ///< the name (or the end of its CNAME chain) does not exist
  no_data,             ///< the name exists but has no A/AAAA record
  servfail,
  refused,
  timeout,             ///< no answer within the DNS budget
  server_unreachable,  ///< ICMP port unreachable / TCP refused by the resolver
  bad_reply,           ///< an answer that could not be parsed
  error,               ///< anything else, named in `detail`
  deadline,            ///< the run's global deadline came first
};

/// One resolver's view of one name.
struct DnsAnswer {
  std::string resolver;  ///< "127.0.0.1:5353", "[::1]:53"
  std::string source;    ///< why this resolver was asked: "resolv.conf", "--dns-server", "azure-dns"
  DnsStatus status = DnsStatus::error;
  std::string detail;
  std::string rcode_a, rcode_aaaa;      ///< per query type: "NOERROR", "NXDOMAIN", "timeout", ...
  std::vector<CnameHop> cnames;         ///< in chain order, from the question name onwards
  std::vector<std::string> chain;       ///< question name, then each alias; kept for NXDOMAIN/NODATA too
  std::vector<ResolvedAddress> addresses;
  bool truncated = false;               ///< the UDP answer had TC set
  bool retried_tcp = false;             ///< ...and the query was repeated over TCP
  double ms = 0;
};

/// The name was answered locally by a hosts file, before any resolver.
struct HostsOverride {
  std::string file;
  std::vector<ResolvedAddress> addresses;
};

enum class TcpStatus : std::uint8_t {
  connected,
  refused,              ///< RST: reachable host, nothing listening (or a firewall resetting)
  timeout,              ///< no answer at all: dropped by an NSG, firewall or route
  host_unreachable,
  network_unreachable,
  error,                ///< anything else, errno named in `detail`
  deadline,
};

/// One connect() to one address.
struct TcpAttempt {
  std::string address;
  std::uint16_t port = 0;
  TcpStatus status = TcpStatus::error;
  std::string detail;
  double ms = 0;
};

enum class ProxyStatus : std::uint8_t {
  tunnel,          ///< CONNECT answered 2xx
  denied,          ///< 403
  auth_required,   ///< 407
  bad_gateway,     ///< 502: the proxy could not reach the origin
  gateway_timeout, ///< 504
  other_status,    ///< any other status, in `http_status`
  connect_failed,  ///< could not open TCP to the proxy itself (see `tcp`)
  timeout,         ///< no CONNECT answer within the proxy budget
  bad_response,    ///< not HTTP
  deadline,
};

/// The CONNECT phase through an HTTP proxy: the proxy's own answer, apart from the origin's.
struct ProxyEvidence {
  std::string proxy;      ///< the proxy URL with any password masked
  TcpAttempt tcp;         ///< the connection to the proxy itself
  ProxyStatus status = ProxyStatus::connect_failed;
  int http_status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Proxy-Authenticate, Via, Server, ...
  std::string detail;
  double ms = 0;
};

/// One certificate as the peer presented it.
struct CertInfo {
  std::string subject, issuer;  ///< RFC 2253
  std::vector<std::string> dns_names, ip_addresses;
  std::string not_before, not_after;  ///< ISO 8601 UTC
  std::string serial;
  std::string sha256;  ///< hex, colon-free
};

/// One complaint from certificate verification.
struct VerifyIssue {
  int depth = 0;
  int code = 0;  ///< X509_V_ERR_*
  std::string text;
};

enum class TlsStatus : std::uint8_t {
  ok,
  untrusted_issuer,   ///< the chain leads to an issuer outside the trust store: often TLS interception
  hostname_mismatch,
  expired,
  not_yet_valid,
  handshake_timeout,
  not_tls,            ///< the peer answered with something that is not TLS (e.g. plain HTTP)
  reset,              ///< the peer closed or reset the connection during the handshake
  handshake_failed,   ///< an alert or other protocol failure, named in `detail`
  chain_too_long,     ///< more intermediates than the verify depth allows: the root was never reached
  weak_signature,     ///< a certificate signed with a digest or key too weak to accept (SHA-1, small RSA)
  protocol_version,   ///< no TLS version both sides accept: the server offers only TLS 1.1 or older
  client_cert_required,  ///< the server asked for a client certificate and refused the connection without one
  certificate_invalid,   ///< verification failed for another reason, named in `detail` (not the issuer)
  deadline,
};

struct TlsEvidence {
  TlsStatus status = TlsStatus::handshake_failed;
  std::string detail;
  std::string sni;  ///< empty when the target is an IP literal (RFC 6066 forbids IP SNI)
  std::string protocol, cipher, alpn;
  std::vector<CertInfo> chain;       ///< leaf first, as presented, also when verification failed
  std::vector<VerifyIssue> issues;   ///< in the order OpenSSL raised them
  double ms = 0;
};

enum class HttpStatus : std::uint8_t {
  response,      ///< a status line and headers arrived (any status code)
  timeout,       ///< no complete header within the HTTP budget
  closed,        ///< connection closed or reset before a response
  bad_response,  ///< not HTTP, or headers over the size limit
  error,
  deadline,
};

struct HttpEvidence {
  HttpStatus status = HttpStatus::error;
  std::string detail;
  std::string method, target;
  int code = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  ///< the diagnostic subset, in arrival order
  std::string body_prefix;   ///< at most the body cap, bytes as received
  bool body_complete = false;  ///< false when capped, or still arriving when the budget ended
  double ms = 0;              ///< request sent to headers received
};

/// How a target was reached: straight, or through a proxy tunnel.
enum class Route : std::uint8_t { direct, proxy };

/// Everything one target produced. An absent phase was not attempted: an earlier one failed. (A server that
/// demands a client certificate refuses on the first read under TLS 1.3; that is TLS's outcome, and the
/// exchange it cut is not kept as HTTP evidence.)
struct TargetResult {
  std::string host;
  std::uint16_t port = 0;
  Route route = Route::direct;
  std::optional<HostsOverride> hosts;
  std::vector<DnsAnswer> dns;
  std::vector<TcpAttempt> tcp;        ///< one per address of the answer the client would use
  std::optional<ProxyEvidence> proxy;
  std::optional<TlsEvidence> tls;
  std::optional<HttpEvidence> http;
  std::string used_address;           ///< the address TLS/HTTP ran over ("" through a proxy)
  bool deadline = false;              ///< some phase was cut short by the global deadline
  std::string internal_error;         ///< a bug in vnetdiag stopped this target's probe (never a network fault)
  double ms = 0;
  /// Set for a host no target named: the index of the target whose answer redirected here (follow_redirect).
  std::optional<std::size_t> redirected_from;
};

/// All targets' results, in the order the targets were given, then the hosts they redirected to.
struct RunResult {
  std::vector<TargetResult> targets;
  bool deadline_hit = false;  ///< some work was cut short by the global deadline
  bool interrupted = false;   ///< `stop()` was called (Ctrl-C, SIGTERM)
  std::size_t concurrency = 0;  ///< targets in flight at once, after fitting the open-file limit
  double ms = 0;
};

std::string_view to_string(AddressClass);
std::string_view to_string(DnsStatus);
std::string_view to_string(TcpStatus);
std::string_view to_string(ProxyStatus);
std::string_view to_string(TlsStatus);
std::string_view to_string(HttpStatus);
std::string_view to_string(Route);

/// True when no phase that ran failed: DNS answered, a TCP connect succeeded and TLS/HTTP (if run) were ok.
bool healthy(const TargetResult& result);

}  // namespace vnetdiag
