// Small facts about evidence that several rule files read: address classes, DNS answers, the CNAME
// chain's privatelink zone, how a path was cut. Pure functions; inline because each is a line or two.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/rules.hpp"

namespace vnetdiag {

/// Each check's rows, in the order they are evaluated within it (rules.cpp puts the checks in order).
std::span<const Rule> environment_rules();
std::span<const Rule> proxy_rules();
std::span<const Rule> dns_rules();
std::span<const Rule> path_rules();
std::span<const Rule> tls_rules();
std::span<const Rule> http_rules();

namespace rule_facts {

// Names whose certificates Microsoft issues (chains to DigiCert / Microsoft roots, facts §5): an issuer
// from neither on these hosts means something on the path re-signs the traffic.
inline constexpr std::string_view kAzureSuffixes[] = {
    "windows.net",      "azure.net",         "azure.com",          "azurecr.io",      "azureml.ms",
    "azureml.net",      "microsoft.com",     "microsoftonline.com", "visualstudio.com", "aznbcontent.net",
    "usgovcloudapi.net", "azure.us",         "azureml.us",         "microsoftonline.us", "chinacloudapi.cn",
    "azure.cn",         "azurecr.cn",        "azurecr.us",          "ml.azure.cn"};

// Hosts served by Azure Front Door (facts §1.2, §1.7, F20).
inline constexpr std::string_view kFrontDoorSuffixes[] = {"ml.azure.com", "azureedge.net", "azurefd.net"};

// ---------------------------------------------------------------------------------------------
// Small facts about evidence.

inline std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

inline bool has_suffix(std::string_view host, std::string_view suffix) {
  const std::string h = lower(host);
  return h == suffix || (h.size() > suffix.size() && h.ends_with(suffix) && h[h.size() - suffix.size() - 1] == '.');
}

inline bool icontains(std::string_view text, std::string_view needle) {
  return lower(text).find(lower(needle)) != std::string::npos;
}

inline bool is_private(const ResolvedAddress& a) {
  using enum AddressClass;
  return a.in_vnet || a.cls == private_ip || a.cls == shared || a.cls == loopback || a.cls == link_local;
}

inline bool all_private(const std::vector<ResolvedAddress>& addresses) {
  return !addresses.empty() && std::ranges::all_of(addresses, is_private);
}

/// "10.0.0.4" and "10.0.0.4:53" name the same DNS server.
inline std::string with_port(std::string_view address) {
  std::string a(address);
  const bool bracketed = a.starts_with('[');
  if (bracketed ? a.find("]:") == std::string::npos : a.find(':') == std::string::npos) a += ":53";
  return a;
}

inline bool same_server(std::string_view a, std::string_view b) { return !a.empty() && with_port(a) == with_port(b); }

/// Azure DNS's answer: asked as Azure DNS, or from its address.
inline bool is_azure_dns(const DnsAnswer& a, const EnvironmentFacts& env) {
  return a.source == "azure-dns" || same_server(a.resolver, env.azure_dns);
}

inline bool ok(const DnsAnswer* a) { return a && a->status == DnsStatus::ok && !a->addresses.empty(); }
inline bool missing(const DnsAnswer* a) { return a && (a->status == DnsStatus::nxdomain || a->status == DnsStatus::no_data); }

inline std::string ips(const std::vector<ResolvedAddress>& addresses) {
  std::string out;
  for (const auto& a : addresses) out += (out.empty() ? "" : " ") + a.ip;
  return out;
}

inline std::string ips_with_class(const std::vector<ResolvedAddress>& addresses) {
  if (addresses.empty()) return "no address";
  return fmt::format("{} ({})", ips(addresses), all_private(addresses) ? "private" : to_string(addresses.front().cls));
}

/// "NXDOMAIN", "20.60.1.4 (public)": what one resolver said, in a few words.
inline std::string said(const DnsAnswer& a) {
  if (a.status == DnsStatus::ok) return ips_with_class(a.addresses);
  if (a.status == DnsStatus::nxdomain) return "NXDOMAIN";
  if (a.status == DnsStatus::no_data) return "no address record";
  return std::string(to_string(a.status));
}

inline std::string resolver_label(const DnsAnswer& a) {
  return a.source.empty() ? a.resolver : fmt::format("{} ({})", a.resolver, a.source);
}

inline bool has_privatelink_label(std::string_view name) {
  const std::string n = lower(name);
  return n.starts_with("privatelink.") || n.find(".privatelink.") != std::string::npos;
}

/// The names an answer went through: the question, every alias, and the CNAME targets.
inline std::vector<std::string> names_of(const DnsAnswer& a) {
  std::vector<std::string> out(a.chain.begin(), a.chain.end());
  for (const auto& hop : a.cnames) out.push_back(hop.target);
  return out;
}

/// The privatelink zone the target's name goes through: the plan's, else the first one its chain enters.
inline std::string privatelink_zone(const DnsAnswer* a, const TargetContext& c) {
  if (!c.privatelink_zone.empty()) return lower(c.privatelink_zone);
  if (!a) return {};
  for (const auto& name : names_of(*a)) {
    const std::string n = lower(name);
    if (n.starts_with("privatelink.")) return n;
    if (auto at = n.find(".privatelink."); at != std::string::npos) return n.substr(at + 1);
  }
  return {};
}

/// True when the CNAME chain enters the expected privatelink zone (any privatelink zone if none is asserted).
inline bool through_privatelink(const DnsAnswer& a, const TargetContext& c) {
  const std::string zone = lower(c.privatelink_zone);
  return std::ranges::any_of(names_of(a), [&](const std::string& name) {
    return zone.empty() ? has_privatelink_label(name) : has_suffix(name, zone);
  });
}

/// Conditional forwarders name the public zone, not the privatelink one (facts §2.1).
inline std::string public_zone(std::string_view zone) {
  std::string z = lower(zone);
  return z.starts_with("privatelink.") ? z.substr(12) : z;
}

inline std::string endpoint(const TargetResult& r) { return fmt::format("{}:{}", r.host, r.port); }

inline bool http_acceptable(const TargetView& v) {
  const auto& h = v.result.http;
  if (!h || h->status != HttpStatus::response || v.context.reachable_statuses.empty()) return true;
  return std::ranges::find(v.context.reachable_statuses, h->code) != v.context.reachable_statuses.end();
}

/// The target did what the plan expects of it at every phase that ran.
inline bool works(const TargetView& v) { return healthy(v.result) && http_acceptable(v); }

inline bool is_metadata_target(const TargetResult& r, const TargetContext& c) { return c.id == "imds" || r.host == "169.254.169.254"; }

inline bool is_azure_dns_target(const TargetResult& r, const TargetContext& c, const EnvironmentFacts& env) {
  return c.id == "azure.dns" || r.host == env.azure_dns || fmt::format("{}:{}", r.host, r.port) == env.azure_dns;
}

/// The failure of a direct connection, when no address connected.
inline std::optional<TcpStatus> tcp_failure(const TargetResult& r) {
  if (r.route == Route::proxy || r.tcp.empty()) return std::nullopt;
  if (std::ranges::any_of(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::connected; }))
    return std::nullopt;
  for (const auto& t : r.tcp)
    if (t.status != TcpStatus::deadline) return t.status;
  return std::nullopt;
}

inline bool dropped(TcpStatus s) {
  return s == TcpStatus::timeout || s == TcpStatus::host_unreachable || s == TcpStatus::network_unreachable;
}

/// Cut off on the path: no TCP answer, a TLS session cut or stalled, or no HTTP answer. Not an answer
/// that says why (a proxy status, an untrusted certificate): those have rules of their own.
inline std::optional<std::string> blocked(const TargetResult& r) {
  if (auto failure = tcp_failure(r)) return fmt::format("TCP {} {}", r.port, to_string(*failure));
  if (r.tls) {
    using enum TlsStatus;
    const auto s = r.tls->status;
    if (s == reset || s == handshake_failed || s == handshake_timeout || s == not_tls)
      return fmt::format("TLS {}", to_string(s));
  }
  if (r.http) {
    using enum HttpStatus;
    const auto s = r.http->status;
    if (s == timeout || s == closed || s == bad_response) return fmt::format("HTTP {}", to_string(s));
  }
  return std::nullopt;
}

inline std::string header(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [n, value] : headers)
    if (lower(n) == lower(name)) return value;
  return {};
}

/// The CN of an RFC 2253 name, or the whole name.
inline std::string common_name(std::string_view dn) {
  for (std::size_t at = 0; (at = dn.find("CN=", at)) != std::string_view::npos; ++at) {
    if (at != 0 && dn[at - 1] != ',' && dn[at - 1] != ' ') continue;
    auto end = dn.find(',', at);
    return std::string(dn.substr(at + 3, end == std::string_view::npos ? std::string_view::npos : end - at - 3));
  }
  return std::string(dn);
}

/// The issuer at the top of the presented chain: the CA that signed it (for interception, the inspecting CA).
inline std::string top_issuer(const TlsEvidence& t) { return t.chain.empty() ? std::string("an unknown issuer") : t.chain.back().issuer; }

inline bool is_azure_host(std::string_view host) {
  return std::ranges::any_of(kAzureSuffixes, [&](std::string_view s) { return has_suffix(host, s); });
}

inline bool issued_as_expected(const TlsEvidence& t, const EnvironmentFacts& env) {
  return std::ranges::any_of(t.chain, [&](const CertInfo& c) {
    return std::ranges::any_of(env.expected_issuers, [&](const std::string& marker) {
      return icontains(c.issuer, marker) || icontains(c.subject, marker);
    });
  });
}

/// What TLS interception breaks for this kind of host (facts F10).
inline std::string interception_consequence(const TargetView& v) {
  if (v.context.category == "packageRepositories") return "pip and conda installs fail (CERTIFICATE_VERIFY_FAILED)";
  if (is_azure_host(v.result.host))
    return "the az CLI and the Azure ML SDK fail (SSL: CERTIFICATE_VERIFY_FAILED) and dataset access fails "
           "(tls handshake eof)";
  return "tools that verify certificates fail";
}

inline bool expected_private(const TargetView& v) { return v.context.expect == TargetContext::Expect::private_endpoint; }

inline std::string proxy_of(const TargetResult& r) { return r.proxy ? r.proxy->proxy : std::string("the proxy"); }

inline bool clock_skewed(const EnvironmentFacts& env) {
  return env.clock_skew_seconds && std::abs(*env.clock_skew_seconds) >= env.clock_skew_threshold_seconds;
}

inline std::string parent_domain(std::string_view host) {
  auto dot = host.find('.');
  return dot == std::string_view::npos ? std::string(host) : std::string(host.substr(dot));
}
}  // namespace rule_facts
}  // namespace vnetdiag
