#include "probes/evidence.hpp"

#include <algorithm>
#include <array>

namespace vnetdiag {
namespace {

// One table per enum, indexed by the enumerator; the static_asserts keep them in step.
constexpr std::array kAddressClassNames{"loopback", "private", "shared", "link-local", "public", "other"};
static_assert(kAddressClassNames.size() == static_cast<std::size_t>(AddressClass::other) + 1);

constexpr std::array kDnsStatusNames{"ok",      "nxdomain",           "no-data",    "servfail", "refused",
                                     "timeout", "server-unreachable", "bad-reply", "error",    "deadline"};
static_assert(kDnsStatusNames.size() == static_cast<std::size_t>(DnsStatus::deadline) + 1);

constexpr std::array kTcpStatusNames{"connected",           "refused", "timeout", "host-unreachable",
                                     "network-unreachable", "error",   "deadline"};
static_assert(kTcpStatusNames.size() == static_cast<std::size_t>(TcpStatus::deadline) + 1);

constexpr std::array kProxyStatusNames{"tunnel",         "denied",  "auth-required", "bad-gateway",
                                       "gateway-timeout", "other-status", "connect-failed", "timeout",
                                       "bad-response",   "deadline"};
static_assert(kProxyStatusNames.size() == static_cast<std::size_t>(ProxyStatus::deadline) + 1);

constexpr std::array kTlsStatusNames{"ok",      "untrusted-issuer", "hostname-mismatch", "expired",
                                     "not-yet-valid", "handshake-timeout", "not-tls", "reset",
                                     "handshake-failed", "chain-too-long", "weak-signature", "protocol-version",
                                     "client-cert-required", "certificate-invalid", "deadline"};
static_assert(kTlsStatusNames.size() == static_cast<std::size_t>(TlsStatus::deadline) + 1);

constexpr std::array kHttpStatusNames{"response", "timeout", "closed", "bad-response", "error", "deadline"};
static_assert(kHttpStatusNames.size() == static_cast<std::size_t>(HttpStatus::deadline) + 1);

constexpr std::array kRouteNames{"direct", "proxy"};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<const char*, N>& names, Enum value) {
  return names.at(static_cast<std::size_t>(value));
}

}  // namespace

std::string_view to_string(AddressClass v) { return name_of(kAddressClassNames, v); }
std::string_view to_string(DnsStatus v) { return name_of(kDnsStatusNames, v); }
std::string_view to_string(TcpStatus v) { return name_of(kTcpStatusNames, v); }
std::string_view to_string(ProxyStatus v) { return name_of(kProxyStatusNames, v); }
std::string_view to_string(TlsStatus v) { return name_of(kTlsStatusNames, v); }
std::string_view to_string(HttpStatus v) { return name_of(kHttpStatusNames, v); }
std::string_view to_string(Route v) { return name_of(kRouteNames, v); }

bool healthy(const TargetResult& r) {
  if (r.deadline) return false;
  // Through a proxy the client never resolves the name itself: the proxy does.
  const bool resolved = r.hosts || r.route == Route::proxy || (r.dns.empty() && !r.tcp.empty()) ||
                        std::ranges::any_of(r.dns, [](const DnsAnswer& a) { return a.status == DnsStatus::ok; });
  if (!resolved) return false;
  if (r.proxy) {
    if (r.proxy->status != ProxyStatus::tunnel) return false;
  } else if (std::ranges::none_of(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::connected; })) {
    return false;
  }
  if (r.tls && r.tls->status != TlsStatus::ok) return false;
  if (r.http && r.http->status != HttpStatus::response) return false;
  return true;
}

}  // namespace vnetdiag
