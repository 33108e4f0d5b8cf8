#include "reports/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>

#include "probes/net/address.hpp"
#include "probes/proxy/proxy_config.hpp"
#include "reports/doc_links.hpp"

namespace vnetdiag {
namespace {

// Names whose certificates Microsoft issues (chains to DigiCert / Microsoft roots, facts §5): an issuer
// from neither on these hosts means something on the path re-signs the traffic.
constexpr std::string_view kAzureSuffixes[] = {
    "windows.net",      "azure.net",         "azure.com",          "azurecr.io",      "azureml.ms",
    "azureml.net",      "microsoft.com",     "microsoftonline.com", "visualstudio.com", "aznbcontent.net",
    "usgovcloudapi.net", "azure.us",         "azureml.us",         "microsoftonline.us", "chinacloudapi.cn",
    "azure.cn",         "azurecr.cn",        "azurecr.us",          "ml.azure.cn"};

// Hosts served by Azure Front Door (facts §1.2, §1.7, F20).
constexpr std::string_view kFrontDoorSuffixes[] = {"ml.azure.com", "azureedge.net", "azurefd.net"};

// ---------------------------------------------------------------------------------------------
// Small facts about evidence.

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool has_suffix(std::string_view host, std::string_view suffix) {
  const std::string h = lower(host);
  return h == suffix || (h.size() > suffix.size() && h.ends_with(suffix) && h[h.size() - suffix.size() - 1] == '.');
}

bool icontains(std::string_view text, std::string_view needle) {
  return lower(text).find(lower(needle)) != std::string::npos;
}

bool is_private(const ResolvedAddress& a) {
  using enum AddressClass;
  return a.in_vnet || a.cls == private_ip || a.cls == shared || a.cls == loopback || a.cls == link_local;
}

bool all_private(const std::vector<ResolvedAddress>& addresses) {
  return !addresses.empty() && std::ranges::all_of(addresses, is_private);
}

bool ok(const DnsAnswer* a) { return a && a->status == DnsStatus::ok && !a->addresses.empty(); }
bool missing(const DnsAnswer* a) { return a && (a->status == DnsStatus::nxdomain || a->status == DnsStatus::no_data); }

std::string ips(const std::vector<ResolvedAddress>& addresses) {
  std::string out;
  for (const auto& a : addresses) out += (out.empty() ? "" : " ") + a.ip;
  return out;
}

std::string ips_with_class(const std::vector<ResolvedAddress>& addresses) {
  if (addresses.empty()) return "no address";
  return fmt::format("{} ({})", ips(addresses), all_private(addresses) ? "private" : to_string(addresses.front().cls));
}

/// "NXDOMAIN", "20.60.1.4 (public)": what one resolver said, in a few words.
std::string said(const DnsAnswer& a) {
  if (a.status == DnsStatus::ok) return ips_with_class(a.addresses);
  if (a.status == DnsStatus::nxdomain) return "NXDOMAIN";
  if (a.status == DnsStatus::no_data) return "no address record";
  return std::string(to_string(a.status));
}

std::string resolver_label(const DnsAnswer& a) {
  return a.source.empty() ? a.resolver : fmt::format("{} ({})", a.resolver, a.source);
}

bool has_privatelink_label(std::string_view name) {
  const std::string n = lower(name);
  return n.starts_with("privatelink.") || n.find(".privatelink.") != std::string::npos;
}

/// The names an answer went through: the question, every alias, and the CNAME targets.
std::vector<std::string> names_of(const DnsAnswer& a) {
  std::vector<std::string> out(a.chain.begin(), a.chain.end());
  for (const auto& hop : a.cnames) out.push_back(hop.target);
  return out;
}

/// The privatelink zone the target's name goes through: the plan's, else the first one its chain enters.
std::string privatelink_zone(const DnsAnswer* a, const TargetContext& c) {
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
bool through_privatelink(const DnsAnswer& a, const TargetContext& c) {
  const std::string zone = lower(c.privatelink_zone);
  return std::ranges::any_of(names_of(a), [&](const std::string& name) {
    return zone.empty() ? has_privatelink_label(name) : has_suffix(name, zone);
  });
}

/// Conditional forwarders name the public zone, not the privatelink one (facts §2.1).
std::string public_zone(std::string_view zone) {
  std::string z = lower(zone);
  return z.starts_with("privatelink.") ? z.substr(12) : z;
}

std::string endpoint(const TargetResult& r) { return fmt::format("{}:{}", r.host, r.port); }

bool http_acceptable(const TargetView& v) {
  const auto& h = v.result.http;
  if (!h || h->status != HttpStatus::response || v.context.reachable_statuses.empty()) return true;
  return std::ranges::find(v.context.reachable_statuses, h->code) != v.context.reachable_statuses.end();
}

/// The target did what the plan expects of it at every phase that ran.
bool works(const TargetView& v) { return healthy(v.result) && http_acceptable(v); }

bool is_metadata_target(const TargetResult& r, const TargetContext& c) { return c.id == "imds" || r.host == "169.254.169.254"; }

bool is_azure_dns_target(const TargetResult& r, const TargetContext& c, const EnvironmentFacts& env) {
  return c.id == "azure.dns" || r.host == env.azure_dns || fmt::format("{}:{}", r.host, r.port) == env.azure_dns;
}

/// The failure of a direct connection, when no address connected.
std::optional<TcpStatus> tcp_failure(const TargetResult& r) {
  if (r.route == Route::proxy || r.tcp.empty()) return std::nullopt;
  if (std::ranges::any_of(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::connected; }))
    return std::nullopt;
  for (const auto& t : r.tcp)
    if (t.status != TcpStatus::deadline) return t.status;
  return std::nullopt;
}

bool dropped(TcpStatus s) {
  return s == TcpStatus::timeout || s == TcpStatus::host_unreachable || s == TcpStatus::network_unreachable;
}

/// Cut off on the path: no TCP answer, a TLS session cut or stalled, or no HTTP answer. Not an answer
/// that says why (a proxy status, an untrusted certificate): those have rules of their own.
std::optional<std::string> blocked(const TargetResult& r) {
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

std::string header(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [n, value] : headers)
    if (lower(n) == lower(name)) return value;
  return {};
}

/// The CN of an RFC 2253 name, or the whole name.
std::string common_name(std::string_view dn) {
  for (std::size_t at = 0; (at = dn.find("CN=", at)) != std::string_view::npos; ++at) {
    if (at != 0 && dn[at - 1] != ',' && dn[at - 1] != ' ') continue;
    auto end = dn.find(',', at);
    return std::string(dn.substr(at + 3, end == std::string_view::npos ? std::string_view::npos : end - at - 3));
  }
  return std::string(dn);
}

/// The issuer at the top of the presented chain: the CA that signed it (for interception, the inspecting CA).
std::string top_issuer(const TlsEvidence& t) { return t.chain.empty() ? std::string("an unknown issuer") : t.chain.back().issuer; }

bool is_azure_host(std::string_view host) {
  return std::ranges::any_of(kAzureSuffixes, [&](std::string_view s) { return has_suffix(host, s); });
}

bool issued_as_expected(const TlsEvidence& t, const EnvironmentFacts& env) {
  return std::ranges::any_of(t.chain, [&](const CertInfo& c) {
    return std::ranges::any_of(env.expected_issuers, [&](const std::string& marker) {
      return icontains(c.issuer, marker) || icontains(c.subject, marker);
    });
  });
}

/// What TLS interception breaks for this kind of host (facts F10).
std::string interception_consequence(const TargetView& v) {
  if (v.context.category == "packageRepositories") return "pip and conda installs fail (CERTIFICATE_VERIFY_FAILED)";
  if (is_azure_host(v.result.host))
    return "the az CLI and the Azure ML SDK fail (SSL: CERTIFICATE_VERIFY_FAILED) and dataset access fails "
           "(tls handshake eof)";
  return "tools that verify certificates fail";
}

bool expected_private(const TargetView& v) { return v.context.expect == TargetContext::Expect::private_endpoint; }

std::string proxy_of(const TargetResult& r) { return r.proxy ? r.proxy->proxy : std::string("the proxy"); }

bool clock_skewed(const EnvironmentFacts& env) {
  return env.clock_skew_seconds && std::abs(*env.clock_skew_seconds) >= env.clock_skew_threshold_seconds;
}

std::string parent_domain(std::string_view host) {
  auto dot = host.find('.');
  return dot == std::string_view::npos ? std::string(host) : std::string(host.substr(dot));
}

// ---------------------------------------------------------------------------------------------
// Target matchers, in table order.

std::optional<Match> internal_error(const TargetView& v) {
  if (v.result.internal_error.empty()) return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}", endpoint(v.result), v.result.internal_error)};
}

std::optional<Match> private_host_via_proxy(const TargetView& v) {
  if (v.result.route != Route::proxy) return std::nullopt;
  // A public service (MCR, the package repositories) that some resolver maps to a private address is
  // not a private endpoint: only a private expectation, or an open one with private answers, counts.
  const bool open = v.context.expect == TargetContext::Expect::either;
  if (!expected_private(v) && !(open && ok(v.client) && all_private(v.client->addresses))) return std::nullopt;
  return Match{proxy_of(v.result),
               {{"proxy", proxy_of(v.result)}, {"domains", parent_domain(v.result.host)}},
               fmt::format("{} (private endpoint{})", v.result.host,
                           ok(v.client) ? " " + ips(v.client->addresses) : std::string())};
}

std::optional<Match> hosts_pin_wrong(const TargetView& v) {
  const auto& pin = v.result.hosts;
  if (!pin || pin->addresses.empty()) return std::nullopt;
  const auto pinned = [&](const std::string& ip) {
    return std::ranges::any_of(pin->addresses, [&](const ResolvedAddress& a) { return a.ip == ip; });
  };
  std::string why;
  if (expected_private(v) && !all_private(pin->addresses)) {
    why = "a private endpoint is expected";
  } else if (!v.context.expected_ips.empty() && std::ranges::none_of(v.context.expected_ips, pinned)) {
    why = "the private endpoint is " + fmt::format("{}", fmt::join(v.context.expected_ips, " "));
  } else {
    // A pin that disagrees with DNS goes stale when the endpoint moves (facts §2.4, F05).
    const DnsAnswer* reference = ok(v.azure) ? v.azure : ok(v.client) ? v.client : nullptr;
    if (reference && all_private(reference->addresses) &&
        std::ranges::none_of(reference->addresses, [&](const ResolvedAddress& a) { return pinned(a.ip); }))
      why = fmt::format("DNS ({}) answers {}", reference->source.empty() ? reference->resolver : reference->source,
                        ips(reference->addresses));
  }
  if (why.empty() && works(v)) return std::nullopt;
  if (why.empty()) why = "the target fails at that address";
  return Match{pin->file,
               {{"file", pin->file}},
               fmt::format("{} pinned to {}; {}", v.result.host, ips(pin->addresses), why)};
}

std::optional<Match> custom_dns_not_forwarding(const TargetView& v) {
  if (!v.client || !ok(v.azure) || v.client == v.azure || !all_private(v.azure->addresses)) return std::nullopt;
  if (!missing(v.client) && !(ok(v.client) && !all_private(v.client->addresses))) return std::nullopt;
  const std::string zone = public_zone(privatelink_zone(v.azure, v.context));
  return Match{v.client->resolver,
               {{"resolver", resolver_label(*v.client)}, {"zones", zone.empty() ? v.result.host : zone}},
               fmt::format("{} → {}, Azure DNS → {}", v.result.host, said(*v.client), ips(v.azure->addresses))};
}

std::optional<Match> custom_dns_stale_copy(const TargetView& v) {
  if (!ok(v.client) || !ok(v.azure) || v.client == v.azure) return std::nullopt;
  if (!all_private(v.client->addresses) || !all_private(v.azure->addresses)) return std::nullopt;
  const bool shared_ip = std::ranges::any_of(v.client->addresses, [&](const ResolvedAddress& a) {
    return std::ranges::any_of(v.azure->addresses, [&](const ResolvedAddress& b) { return a.ip == b.ip; });
  });
  if (shared_ip) return std::nullopt;
  return Match{v.client->resolver,
               {{"resolver", resolver_label(*v.client)}},
               fmt::format("{} → {}, Azure DNS → {}", v.result.host, ips(v.client->addresses), ips(v.azure->addresses))};
}

std::optional<Match> client_resolvers_disagree(const TargetView& v) {
  auto kind = [](const DnsAnswer* a) -> std::string_view {
    if (ok(a)) return all_private(a->addresses) ? "private" : "public";
    if (missing(a)) return "missing";
    return "";
  };
  const DnsAnswer* first = nullptr;
  for (const DnsAnswer* a : v.clients) {
    if (kind(a).empty()) continue;
    if (!first) {
      first = a;
    } else if (kind(a) != kind(first)) {
      return Match{first->resolver + " " + a->resolver,
                   {{"resolvers", fmt::format("{} and {}", first->resolver, a->resolver)}},
                   fmt::format("{}: {} → {}, {} → {}", v.result.host, first->resolver, said(*first), a->resolver, said(*a))};
    }
  }
  return std::nullopt;
}

std::optional<Match> public_behind_privatelink(const TargetView& v) {
  if (!expected_private(v) || !ok(v.client) || all_private(v.client->addresses)) return std::nullopt;
  if (!through_privatelink(*v.client, v.context)) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  return Match{zone,
               {{"zone", zone}, {"public_zone", public_zone(zone)}},
               fmt::format("{} → {}", v.result.host, ips_with_class(v.client->addresses))};
}

std::optional<Match> public_without_privatelink(const TargetView& v) {
  if (!expected_private(v) || !ok(v.client) || all_private(v.client->addresses)) return std::nullopt;
  return Match{"",
               {{"services", v.context.service.empty() ? v.result.host : v.context.service}},
               fmt::format("{} → {}", v.result.host, ips_with_class(v.client->addresses))};
}

std::optional<Match> privatelink_record_missing(const TargetView& v) {
  if (!expected_private(v) || !missing(v.client) || !through_privatelink(*v.client, v.context)) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  const std::string last = v.client->chain.empty() ? v.result.host : v.client->chain.back();
  return Match{zone, {{"zone", zone}, {"names", last}}, fmt::format("{} → {} ({})", v.result.host, last, said(*v.client))};
}

std::optional<Match> linked_zone_hides_resource(const TargetView& v) {
  if (expected_private(v) || !missing(v.client) || !through_privatelink(*v.client, v.context)) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  const std::string last = v.client->chain.empty() ? v.result.host : v.client->chain.back();
  return Match{zone, {{"zone", zone}, {"names", last}}, fmt::format("{} → {} ({})", v.result.host, last, said(*v.client))};
}

std::optional<Match> wrong_private_ip(const TargetView& v) {
  if (v.context.expected_ips.empty() || !ok(v.client) || v.result.hosts) return std::nullopt;
  const bool expected = std::ranges::any_of(v.client->addresses, [&](const ResolvedAddress& a) {
    return std::ranges::find(v.context.expected_ips, a.ip) != v.context.expected_ips.end();
  });
  if (expected) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  return Match{zone,
               {{"zone", zone.empty() ? std::string("its DNS zone") : zone}},
               fmt::format("{} → {}, expected {}", v.result.host, ips(v.client->addresses),
                           fmt::join(v.context.expected_ips, " "))};
}

std::optional<Match> outside_vnet(const TargetView& v) {
  if (!expected_private(v) || !v.context.expected_ips.empty() || v.env.vnet_cidrs.empty() || v.result.hosts)
    return std::nullopt;
  if (!ok(v.client) || !all_private(v.client->addresses)) return std::nullopt;
  if (std::ranges::any_of(v.client->addresses, [](const ResolvedAddress& a) { return a.in_vnet; })) return std::nullopt;
  return Match{"",
               {{"vnet", fmt::format("{}", fmt::join(v.env.vnet_cidrs, " "))}},
               fmt::format("{} → {}", v.result.host, ips(v.client->addresses))};
}

std::optional<Match> resolver_fails(const TargetView& v) {
  // Through a proxy the client does not resolve the name; without a client resolver there is nothing to blame.
  if (v.result.route != Route::direct || v.result.hosts || v.client || v.clients.empty()) return std::nullopt;
  std::string resolvers, detail;
  for (const DnsAnswer* a : v.clients) {
    if (a->status == DnsStatus::deadline) return std::nullopt;
    resolvers += (resolvers.empty() ? "" : " ") + a->resolver;
    detail += fmt::format("{}{} {}", detail.empty() ? "" : ", ", a->resolver, to_string(a->status));
  }
  return Match{resolvers, {{"resolver", resolvers}}, fmt::format("{}: {}", v.result.host, detail)};
}

std::optional<Match> name_missing(const TargetView& v) {
  if (v.result.route != Route::direct || v.result.hosts || !missing(v.client)) return std::nullopt;
  return Match{"", {{"resolver", resolver_label(*v.client)}}, fmt::format("{} → {}", v.result.host, said(*v.client))};
}

std::optional<Match> proxy_status(const TargetView& v, std::initializer_list<ProxyStatus> statuses) {
  const auto& p = v.result.proxy;
  if (!p || std::ranges::find(statuses, p->status) == statuses.end()) return std::nullopt;
  std::string answer = p->http_status != 0 ? fmt::format("{} {}", p->http_status, p->reason) : std::string(to_string(p->status));
  if (!p->detail.empty() && p->http_status == 0) answer += ": " + p->detail;
  return Match{p->proxy, {{"proxy", p->proxy}}, fmt::format("CONNECT {} → {}", endpoint(v.result), answer)};
}

std::optional<Match> proxy_auth_required(const TargetView& v) { return proxy_status(v, {ProxyStatus::auth_required}); }
std::optional<Match> proxy_denied(const TargetView& v) { return proxy_status(v, {ProxyStatus::denied}); }
std::optional<Match> proxy_upstream_failed(const TargetView& v) {
  return proxy_status(v, {ProxyStatus::bad_gateway, ProxyStatus::gateway_timeout, ProxyStatus::other_status});
}
std::optional<Match> proxy_unreachable(const TargetView& v) {
  return proxy_status(v, {ProxyStatus::connect_failed, ProxyStatus::timeout, ProxyStatus::bad_response});
}

std::optional<Match> azure_dns_unreachable(const TargetView& v) {
  if (!is_azure_dns_target(v.result, v.context, v.env)) return std::nullopt;
  auto how = blocked(v.result);
  if (!how) return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}", endpoint(v.result), *how)};
}

std::optional<Match> no_internet_egress(const TargetView& v) {
  if (!v.summary.no_internet_egress || !ok(v.client) || all_private(v.client->addresses)) return std::nullopt;
  auto failure = tcp_failure(v.result);
  if (!failure || !dropped(*failure)) return std::nullopt;
  return Match{"", {}, fmt::format("{} ({}) {}", endpoint(v.result), ips(v.client->addresses), to_string(*failure))};
}

std::optional<Match> blocked_where(const TargetView& v, bool (*applies)(const TargetView&)) {
  if (!applies(v)) return std::nullopt;
  auto how = blocked(v.result);
  if (!how) return std::nullopt;
  return Match{"", {{"services", v.context.service.empty() ? v.result.host : v.context.service}},
               fmt::format("{}: {}", endpoint(v.result), *how)};
}

bool is_mcr(const TargetView& v) {
  return v.context.id == "mcr" || v.context.id.starts_with("mcr.") || has_suffix(v.result.host, "mcr.microsoft.com");
}
bool is_front_door(const TargetView& v) {
  return std::ranges::any_of(kFrontDoorSuffixes, [&](std::string_view s) { return has_suffix(v.result.host, s); });
}
bool is_package_repository(const TargetView& v) { return v.context.category == "packageRepositories"; }

std::optional<Match> mcr_blocked(const TargetView& v) { return blocked_where(v, is_mcr); }
std::optional<Match> front_door_blocked(const TargetView& v) { return blocked_where(v, is_front_door); }
std::optional<Match> packages_blocked(const TargetView& v) { return blocked_where(v, is_package_repository); }

std::optional<Match> tcp_with(const TargetView& v, bool (*applies)(std::uint16_t port, TcpStatus status)) {
  auto failure = tcp_failure(v.result);
  if (!failure || !applies(v.result.port, *failure)) return std::nullopt;
  return Match{std::to_string(v.result.port),
               {{"port", std::to_string(v.result.port)}},
               fmt::format("{} ({}) {}", endpoint(v.result), v.result.tcp.front().address, to_string(*failure))};
}

std::optional<Match> smb_blocked(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t port, TcpStatus) { return port == 445; });
}
std::optional<Match> intellisense_blocked(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t port, TcpStatus) { return port == 18881; });
}
std::optional<Match> no_route(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t, TcpStatus s) {
    return s == TcpStatus::host_unreachable || s == TcpStatus::network_unreachable;
  });
}
std::optional<Match> tcp_dropped(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t, TcpStatus s) { return s == TcpStatus::timeout; });
}
std::optional<Match> tcp_refused(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t, TcpStatus s) { return s == TcpStatus::refused || s == TcpStatus::error; });
}

std::optional<Match> tls_untrusted(const TargetView& v) {
  if (!v.result.tls || v.result.tls->status != TlsStatus::untrusted_issuer) return std::nullopt;
  const std::string issuer = top_issuer(*v.result.tls);
  return Match{issuer,
               {{"issuer", common_name(issuer)}, {"consequences", interception_consequence(v)}},
               fmt::format("{} issued by {}", v.result.host, issuer)};
}

std::optional<Match> tls_inspected_but_trusted(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || t->status != TlsStatus::ok || t->chain.empty() || !is_azure_host(v.result.host)) return std::nullopt;
  if (issued_as_expected(*t, v.env)) return std::nullopt;
  const std::string issuer = top_issuer(*t);
  return Match{issuer, {{"issuer", common_name(issuer)}}, fmt::format("{} issued by {}", v.result.host, issuer)};
}

std::optional<Match> tls_validity(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || (t->status != TlsStatus::expired && t->status != TlsStatus::not_yet_valid)) return std::nullopt;
  if (clock_skewed(v.env)) return std::nullopt;  // the clock explains it: see the clock finding
  std::string when;
  if (!t->chain.empty()) when = fmt::format(", valid {} to {}", t->chain.front().not_before, t->chain.front().not_after);
  return Match{"", {}, fmt::format("{}: {}{}", v.result.host, to_string(t->status), when)};
}

std::optional<Match> tls_name_mismatch(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || t->status != TlsStatus::hostname_mismatch) return std::nullopt;
  std::string names = t->chain.empty() ? std::string("no certificate") : fmt::format("{}", fmt::join(t->chain.front().dns_names, " "));
  return Match{"", {}, fmt::format("{} at {}: certificate for {}", v.result.host,
                                   v.result.used_address.empty() ? std::string("the proxy's peer") : v.result.used_address, names)};
}

std::optional<Match> tls_cut(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t) return std::nullopt;
  using enum TlsStatus;
  if (t->status != reset && t->status != handshake_failed && t->status != handshake_timeout && t->status != not_tls)
    return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}{}", endpoint(v.result), to_string(t->status), t->detail.empty() ? "" : " (" + t->detail + ")")};
}

bool forbidden(const TargetView& v) {
  return v.result.http && v.result.http->status == HttpStatus::response && v.result.http->code == 403;
}

std::string egress_note(const HttpEvidence& h) {
  const std::string ip = reported_egress_ip(h);
  return ip.empty() ? std::string() : "; the service saw this machine as " + ip;
}

std::optional<Match> storage_firewall(const TargetView& v) {
  if (!forbidden(v)) return std::nullopt;
  const auto& h = *v.result.http;
  const std::string code = header(h.headers, "x-ms-error-code");
  if (lower(code) != "authorizationfailure" && !icontains(h.body_prefix, "AuthorizationFailure")) return std::nullopt;
  return Match{"", {}, fmt::format("{}: 403 AuthorizationFailure", endpoint(v.result))};
}

std::optional<Match> key_vault_firewall(const TargetView& v) {
  if (!forbidden(v)) return std::nullopt;
  const auto& h = *v.result.http;
  const bool firewall = icontains(h.body_prefix, "ForbiddenByFirewall");
  const bool connection = icontains(h.body_prefix, "ForbiddenByConnection");
  if (!firewall && !connection) return std::nullopt;
  return Match{"", {}, fmt::format("{}: 403 {}{}", endpoint(v.result), firewall ? "ForbiddenByFirewall" : "ForbiddenByConnection",
                                   egress_note(h))};
}

std::optional<Match> registry_firewall(const TargetView& v) {
  if (!forbidden(v)) return std::nullopt;
  const auto& h = *v.result.http;
  if (!icontains(h.body_prefix, "DENIED") && !icontains(h.body_prefix, "not allowed access")) return std::nullopt;
  return Match{"", {}, fmt::format("{}: 403 DENIED{}", endpoint(v.result), egress_note(h))};
}

std::optional<Match> key_vault_public_path(const TargetView& v) {
  const auto& h = v.result.http;
  if (!expected_private(v) || !h || h->status != HttpStatus::response) return std::nullopt;
  const std::string info = header(h->headers, "x-ms-keyvault-network-info");
  const std::string ip = reported_egress_ip(*h);
  if (info.empty() || ip.empty()) return std::nullopt;
  const auto parsed = IpAddress::parse(ip);
  if (!parsed || classify(*parsed) != AddressClass::public_ip) return std::nullopt;
  return Match{"", {{"egress_ip", ip}}, fmt::format("{}: x-ms-keyvault-network-info addr={}", v.result.host, ip)};
}

std::optional<Match> unexpected_status(const TargetView& v) {
  if (http_acceptable(v)) return std::nullopt;
  const auto& h = *v.result.http;
  return Match{"", {}, fmt::format("{}: HTTP {} {}, expected {}", endpoint(v.result), h.code, h.reason,
                                   fmt::join(v.context.reachable_statuses, " or "))};
}

std::optional<Match> no_http_answer(const TargetView& v) {
  const auto& h = v.result.http;
  using enum HttpStatus;
  if (!h || (h->status != timeout && h->status != closed && h->status != bad_response && h->status != error))
    return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}{}", endpoint(v.result), to_string(h->status), h->detail.empty() ? "" : " (" + h->detail + ")")};
}

// ---------------------------------------------------------------------------------------------
// Run matchers.

std::optional<Match> docker_overlap(const RunView& v) {
  if (v.env.docker_overlaps.empty()) return std::nullopt;
  Match m;
  for (const auto& o : v.env.docker_overlaps) {
    m.detail += fmt::format("{}{} {} covers {}", m.detail.empty() ? "" : "; ", o.bridge.empty() ? "Docker default" : o.bridge,
                            o.range, o.overlaps);
    m.values.push_back({"range", o.range});
  }
  return m;
}

std::optional<Match> clock_skew(const RunView& v) {
  if (!clock_skewed(v.env)) return std::nullopt;
  const double s = *v.env.clock_skew_seconds;
  const long whole = std::lround(std::abs(s));
  Match m;
  m.values = {{"skew", whole >= 120 ? fmt::format("{} min {} s", whole / 60, whole % 60) : fmt::format("{} s", whole)},
              {"direction", s > 0 ? "behind" : "ahead of"}};
  m.detail = fmt::format("the servers' Date headers are {} s {} this machine's clock", whole, s > 0 ? "ahead of" : "behind");
  // Certificates judged against a wrong clock fail for that reason alone: name them here, not twice.
  for (std::size_t i = 0; i < v.run.targets.size(); ++i) {
    const auto& t = v.run.targets[i].tls;
    if (!t || (t->status != TlsStatus::expired && t->status != TlsStatus::not_yet_valid)) continue;
    const std::string name = i < v.contexts.size() ? target_name(v.run.targets[i], v.contexts[i])
                                                   : target_name(v.run.targets[i], TargetContext{});
    m.targets.push_back(name);
  }
  if (!m.targets.empty())
    m.detail += fmt::format("; certificates judged out of date because of it: {}", fmt::join(m.targets, ", "));
  return m;
}

std::optional<Match> metadata_unreachable(const RunView& v) {
  Match m;
  m.claims = true;  // a failed metadata target is this finding, not a dropped port 80 as well
  const auto& s = v.env.imds.status;
  if (s == "unreachable" || s == "no_response" || s == "rejected")
    m.detail = fmt::format("instance metadata {}{}", s, v.env.imds.detail.empty() ? "" : ": " + v.env.imds.detail);
  for (std::size_t i = 0; i < v.run.targets.size(); ++i) {
    const auto& r = v.run.targets[i];
    const TargetContext c = i < v.contexts.size() ? v.contexts[i] : TargetContext{};
    if (!is_metadata_target(r, c) || r.deadline) continue;
    if (healthy(r) && (!r.http || c.reachable_statuses.empty() ||
                       std::ranges::find(c.reachable_statuses, r.http->code) != c.reachable_statuses.end()))
      continue;
    std::string how = blocked(r).value_or(r.http && r.http->status == HttpStatus::response
                                              ? fmt::format("HTTP {} {}", r.http->code, r.http->reason)
                                              : std::string("failed"));
    m.detail += fmt::format("{}{}: {}", m.detail.empty() ? "" : "; ", endpoint(r), how);
    m.targets.push_back(target_name(r, c));
  }
  if (m.detail.empty()) return std::nullopt;
  return m;
}

std::optional<Match> region_mismatch(const RunView& v) {
  const std::string vm = lower(v.env.imds.region), ws = lower(v.workspace.region);
  if (vm.empty() || ws.empty() || vm == ws) return std::nullopt;
  return Match{"", {{"vm_region", vm}, {"workspace_region", ws}},
               fmt::format("instance metadata location {}, workspace location {}", vm, ws)};
}

std::optional<Match> proxy_variable_unusable(const RunView& v) {
  if (v.env.proxy.errors.empty()) return std::nullopt;
  return Match{"", {{"variables", fmt::format("{}", fmt::join(v.env.proxy.errors, "; "))}},
               fmt::format("{}", fmt::join(v.env.proxy.errors, "; "))};
}

std::optional<Match> metadata_not_exempt(const RunView& v) {
  const auto& p = v.env.proxy;
  if (p.https_proxy.empty() && p.http_proxy.empty()) return std::nullopt;
  if (v.env.imds.status == "not_asked" || bypasses_proxy("169.254.169.254", p.no_proxy)) return std::nullopt;
  return Match{"", {}, fmt::format("proxy {}; NO_PROXY: {}", p.https_proxy.empty() ? p.http_proxy : p.https_proxy,
                                   p.no_proxy.empty() ? std::string("(empty)") : fmt::format("{}", fmt::join(p.no_proxy, ",")))};
}

// ---------------------------------------------------------------------------------------------
// The table. Order matters (see rules()): machine-wide problems, then DNS, proxy, path, TLS, HTTP.

using enum Level;

constexpr Rule kRules[] = {
    // A bug in vnetdiag explains nothing about the network, and nothing else about that target can be judged.
    {.code = "VND-ENV-005", .level = warning, .category = "environment", .check = "environment",
     .title = "vnetdiag could not probe {count} target{s}", .on_target = internal_error,
     .evidence = "{details}",
     .fix = "This is a fault in vnetdiag, not in the network: run again with --verbose and report the message.",
     .doc_url = "", .failure_modes = "-"},

    // F08. Evaluated before everything else and never hides another cause: a 407 or a DNS fault on the
    // same host is a second, separate cause.
    {.code = "VND-PXY-005", .level = error, .category = "proxy", .check = "proxy",
     .title = "Private endpoint hosts are sent through the proxy {proxy}", .on_target = private_host_via_proxy,
     .evidence = "hosts behind private endpoints go to the proxy, which reaches them over the internet ({count}): {details}",
     .fix = "Add these hosts (or their domains: {domains}) to NO_PROXY / no_proxy and to the proxy's PAC bypass list, "
            "or have the proxy resolve names through Azure DNS so that it reaches the private endpoints.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F08", .also = true},

    // §2.4, F05: a hosts-file line answers before DNS ever does.
    {.code = "VND-DNS-008", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "The hosts file {file} overrides DNS for {count} host{s}", .on_target = hosts_pin_wrong,
     .evidence = "{details}",
     .fix = "Remove or correct these lines in {file}: names behind private endpoints must come from DNS so that "
            "they follow the endpoint's address.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F05 (§2.4)"},

    // F01, F03, F15, F19, F42, §2.1: the client resolver is a custom server that answers publicly where
    // Azure DNS, asked beside it, answers privately.
    {.code = "VND-DNS-001", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "DNS server {resolver} does not forward private link zones to Azure DNS", .on_target = custom_dns_not_forwarding,
     .evidence = "names resolving publicly (or not at all) through {resolver} but privately through Azure DNS ({count}): {details}",
     .fix = "On {resolver}, add conditional forwarders to 168.63.129.16 for {zones} (forward the public zone names, "
            "not the privatelink ones), or use Azure DNS or an Azure DNS Private Resolver for this VNet.",
     .doc_url = kDocCustomDns, .failure_modes = "F01 F03 F15 F19 F42"},

    // §2.4 stale record: the custom server hosts its own copy of a privatelink zone.
    {.code = "VND-DNS-012", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "DNS server {resolver} answers different private addresses than Azure DNS", .on_target = custom_dns_stale_copy,
     .evidence = "{details}",
     .fix = "{resolver} holds its own copy of the private link records; replace that zone with a conditional "
            "forwarder to 168.63.129.16 so that it follows the private endpoints.",
     .doc_url = kDocCustomDns, .failure_modes = "F05 (§2.4)"},

    // peer-tools (c) 1(d): split brain between the resolvers clients rotate through.
    {.code = "VND-DNS-011", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "This machine's DNS servers disagree: {resolvers}", .on_target = client_resolvers_disagree,
     .evidence = "{details}",
     .fix = "Configure every DNS server this machine uses the same way (the same conditional forwarders to "
            "168.63.129.16): clients move to the next server when one is slow, so names resolve differently from "
            "one lookup to the next.",
     .doc_url = kDocCustomDns, .failure_modes = "F42 (§2.4)"},

    // F01, F15, F19, §2.4: the chain reaches the privatelink zone, but nothing private answers for it.
    {.code = "VND-DNS-002", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Private link zone {zone} is not answered here: names resolve to public addresses",
     .on_target = public_behind_privatelink,
     .evidence = "names going through {zone} end in a public address ({count}): {details}",
     .fix = "Link the private DNS zone {zone} to this VNet and check that each private endpoint has a DNS zone "
            "group with its record; with a custom DNS server, forward {public_zone} to 168.63.129.16.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F01 F15 F19 (§2.4)"},

    // §2.4 row 2: a plain public answer with no privatelink alias.
    {.code = "VND-DNS-003", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Public addresses where a private endpoint is expected: {count} host{s}",
     .on_target = public_without_privatelink,
     .evidence = "no privatelink alias in the answer: {details}",
     .fix = "Create a private endpoint for {services} in this VNet (or a peered one) with private DNS zone "
            "integration; if one exists, a DNS server or hosts entry here answers for the public name itself. If the "
            "resource is meant to be public, say so in the config file.",
     .doc_url = kDocPeDns, .failure_modes = "F01 F19 (§2.4)"},

    // F02, F04: the zone is linked and answers, but has no record for this resource.
    {.code = "VND-DNS-004", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Private link zone {zone} has no record for {count} name{s}", .on_target = privatelink_record_missing,
     .evidence = "{details}",
     .fix = "Add the A records for {names} to {zone}: recreate the private endpoint with private DNS zone "
            "integration so that its DNS zone group keeps them, and check the zone's virtual network link to this VNet.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F02 F04"},

    // F06: a zone linked for one resource hides every other resource of that type that has no record.
    {.code = "VND-DNS-005", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Linked private link zone {zone} hides {count} resource{s} without a private endpoint here",
     .on_target = linked_zone_hides_resource,
     .evidence = "{details}",
     .fix = "Enable fallback to internet (resolutionPolicy NxDomainRedirect) on the virtual network link of {zone}, "
            "or add records for {names}.",
     .doc_url = kDocFallback, .failure_modes = "F06"},

    // F05: two endpoints sharing one zone overwrite each other's record, or the endpoint moved.
    {.code = "VND-DNS-006", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Private addresses that are not the private endpoint's: {count} host{s}",
     .on_target = wrong_private_ip,
     .evidence = "{details}",
     .fix = "Correct the A records in {zone}: a private endpoint was recreated, or two endpoints of like services "
            "share one zone and overwrite each other's record (give each set its own zone).",
     .doc_url = kDocPeDns, .failure_modes = "F05"},

    // §2.4 stale/wrong private IP, when only the VNet ranges are known.
    {.code = "VND-DNS-007", .level = warning, .category = "dnsResolution", .check = "dns",
     .title = "Private addresses outside this VNet ({vnet}): {count} host{s}", .on_target = outside_vnet,
     .evidence = "{details}",
     .fix = "If the private endpoints are in a peered VNet or on premises this is expected (name the ranges in the "
            "config file); otherwise the records are stale: correct them in the private DNS zone.",
     .doc_url = kDocPeDns, .failure_modes = "F05 (§2.4)"},

    {.code = "VND-DNS-009", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "DNS server {resolver} does not answer", .on_target = resolver_fails,
     .evidence = "{count} name{s} got no usable answer: {details}",
     .fix = "Allow UDP and TCP 53 from this subnet to {resolver}; check that the DNS server runs and reaches its "
            "forwarders (168.63.129.16 for private link zones).",
     .doc_url = kDocAzureDns, .failure_modes = "F40 (§2.1)"},

    {.code = "VND-DNS-010", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "{count} name{s} not found in DNS", .on_target = name_missing,
     .evidence = "through {resolver}: {details}",
     .fix = "Check the names (the workspace inputs) and that the DNS server resolves internet names: it must forward "
            "public zones to 168.63.129.16 or to an internet resolver.",
     .doc_url = kDocCustomDns, .failure_modes = "F19 F41"},

    // F09.
    {.code = "VND-PXY-001", .level = error, .category = "proxy", .check = "proxy",
     .title = "Proxy {proxy} requires authentication (407)", .on_target = proxy_auth_required,
     .evidence = "{details}",
     .fix = "Give the tools the proxy's credentials (the user name and password in the HTTPS_PROXY URL of the "
            "compute's environment, and in the pip and conda proxy settings), or exempt the Azure ML hosts from proxy "
            "authentication.",
     .doc_url = kDocFirewall, .failure_modes = "F09"},

    {.code = "VND-PXY-002", .level = error, .category = "proxy", .check = "proxy",
     .title = "Proxy {proxy} refuses {count} host{s} (403)", .on_target = proxy_denied,
     .evidence = "{details}",
     .fix = "Allow CONNECT to {endpoints} in the proxy's policy.",
     .doc_url = kDocFirewall, .failure_modes = "F08 F21"},

    {.code = "VND-PXY-003", .level = error, .category = "proxy", .check = "proxy",
     .title = "Proxy {proxy} cannot reach {count} host{s}", .on_target = proxy_upstream_failed,
     .evidence = "{details}",
     .fix = "The proxy has no path to these hosts: allow them on the proxy's own firewall, and check that the proxy "
            "resolves them.",
     .doc_url = kDocFirewall, .failure_modes = "F08 F26"},

    {.code = "VND-PXY-004", .level = error, .category = "proxy", .check = "proxy",
     .title = "Proxy {proxy} cannot be used", .on_target = proxy_unreachable,
     .evidence = "{details}",
     .fix = "Check that HTTPS_PROXY names a running HTTP proxy and that this subnet may reach its port (NSG, "
            "firewall).",
     .doc_url = kDocFirewall, .failure_modes = "F26"},

    // §2.1, F42: the comparison with Azure DNS needs Azure DNS; outside a VNet it is never reachable.
    {.code = "VND-ENV-006", .level = warning, .category = "environment", .check = "tcp",
     .title = "Azure DNS cannot be reached from this machine", .on_target = azure_dns_unreachable,
     .evidence = "{details}",
     .fix = "Inside an Azure VNet, allow UDP and TCP 53 to 168.63.129.16 (the default NSG rules do; a firewall or a "
            "route through an appliance may not). Outside Azure (on premises, over VPN) it can never be reached: "
            "resolve private endpoint names through a DNS forwarder or an Azure DNS Private Resolver in the VNet.",
     .doc_url = kDocAzureDns, .failure_modes = "F42 (§2.1)"},

    // F26: everything public is dropped: no NAT gateway or firewall route. One cause, not one per port.
    {.code = "VND-NET-006", .level = error, .category = "userDefinedRoute", .check = "tcp",
     .title = "This machine has no outbound path to the internet", .on_target = no_internet_egress,
     .evidence = "every connection to a public address got no answer ({count}): {details}",
     .fix = "Give the subnet an egress path: a NAT gateway, or a route 0.0.0.0/0 to a firewall that allows the "
            "Azure ML hosts. Default outbound access is not meant for this.",
     .doc_url = kDocTraining, .failure_modes = "F24 F26"},

    // F20.
    {.code = "VND-MCR-001", .level = error, .category = "containerRegistry", .check = "tcp",
     .title = "Microsoft Container Registry is blocked", .on_target = mcr_blocked,
     .evidence = "{details}",
     .fix = "Allow mcr.microsoft.com and *.data.mcr.microsoft.com (or the service tags MicrosoftContainerRegistry "
            "and AzureFrontDoor.FirstParty): environment base images come from there.",
     .doc_url = kDocFirewall, .failure_modes = "F20"},

    {.code = "VND-AFD-001", .level = error, .category = "others", .check = "tcp",
     .title = "Azure Front Door hosts are blocked: {hosts}", .on_target = front_door_blocked,
     .evidence = "{details}",
     .fix = "Allow these hosts, or the service tags AzureFrontDoor.Frontend and AzureFrontDoor.FirstParty, through "
            "the firewall.",
     .doc_url = kDocFirewall, .failure_modes = "F20"},

    // F21, F30.
    {.code = "VND-PKG-001", .level = warning, .category = "packageRepositories", .check = "tcp",
     .title = "Package repositories are blocked: {hosts}", .on_target = packages_blocked,
     .evidence = "{details}",
     .fix = "Allow these hosts through the firewall (HTTPS application rules), use a private package feed, or "
            "use images with the packages preinstalled: environment builds and pip or conda on the compute need them.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F21 F30"},

    // F12, F28.
    {.code = "VND-NET-003", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "SMB (TCP 445) to the storage account is blocked", .on_target = smb_blocked,
     .evidence = "{details}",
     .fix = "Allow outbound TCP 445 (and 443) to the Storage service tag or the storage private endpoint in the NSG "
            "and the firewall (the NSG rule \"Outbound Storage 445\"): compute mounts the file share over SMB.",
     .doc_url = kDocTraining, .failure_modes = "F12 F28"},

    // F23.
    {.code = "VND-NET-004", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "Compute instance port 18881 (notebook IntelliSense) is blocked", .on_target = intellisense_blocked,
     .evidence = "{details}",
     .fix = "Allow TCP 18881 to the AzureMachineLearning service tag (a network rule on the firewall, an outbound "
            "NSG rule).",
     .doc_url = kDocFirewall, .failure_modes = "F23"},

    {.code = "VND-NET-005", .level = error, .category = "userDefinedRoute", .check = "tcp",
     .title = "No route to {count} host{s}", .on_target = no_route,
     .evidence = "{details}",
     .fix = "Check the effective routes of this machine's NIC: a user-defined route sends {endpoints} to a next hop "
            "that cannot deliver it (a stopped appliance, a missing peering).",
     .doc_url = kDocTraining, .failure_modes = "F25 F26"},

    {.code = "VND-NET-001", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "TCP port {port} is dropped on the way to {count} host{s}", .on_target = tcp_dropped,
     .evidence = "no answer to the connection: {details}",
     .fix = "An NSG rule, a firewall or a route to nowhere drops the packets: check the effective security rules "
            "and effective routes of this machine's NIC, and allow outbound TCP {port} to {hosts}.",
     .doc_url = kDocFirewall, .failure_modes = "F12 F20 F24 F26"},

    {.code = "VND-NET-002", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "TCP port {port} is refused by {count} host{s}", .on_target = tcp_refused,
     .evidence = "the connection was reset: {details}",
     .fix = "A firewall rejects the connection, or nothing listens at that address: check the firewall rules for "
            "TCP {port}, and for a private endpoint that it is approved and its address current.",
     .doc_url = kDocFirewall, .failure_modes = "F05 F28"},

    // F10: an untrusted chain, almost always TLS inspection.
    {.code = "VND-TLS-001", .level = error, .category = "tls", .check = "tls",
     .title = "TLS is intercepted by {issuer} for {count} host{s}", .on_target = tls_untrusted,
     .evidence = "the chain ends at an issuer this machine does not trust: {details}. Consequences: {consequences}.",
     .fix = "Exempt these hosts from TLS inspection on the firewall or proxy (\"bypass HTTPS inspection\"), or trust "
            "the inspecting CA everywhere: the system store (update-ca-certificates), pip (PIP_CERT or "
            "REQUESTS_CA_BUNDLE), conda (conda config --set ssl_verify <bundle>), the az CLI and the Azure ML SDK "
            "(REQUESTS_CA_BUNDLE).",
     .doc_url = kDocFirewall, .failure_modes = "F10"},

    // F10, the quiet form: this machine trusts the inspecting CA, the tools with their own bundles do not.
    {.code = "VND-TLS-002", .level = warning, .category = "tls", .check = "tls",
     .title = "TLS to Azure hosts is inspected by {issuer}", .on_target = tls_inspected_but_trusted,
     .evidence = "not a Microsoft or DigiCert certificate, though this machine trusts it: {details}",
     .fix = "Tools with their own CA bundles fail here: pip and the Azure ML SDK (certifi), conda, the az CLI, and "
            "dataset access (rslex ignores custom bundles). Exempt Azure hosts from inspection, or point "
            "REQUESTS_CA_BUNDLE, PIP_CERT and conda's ssl_verify at a bundle holding this CA.",
     .doc_url = kDocFirewall, .failure_modes = "F10", .also = true},

    {.code = "VND-TLS-003", .level = error, .category = "tls", .check = "tls",
     .title = "Expired or not yet valid certificates on {count} host{s}", .on_target = tls_validity,
     .evidence = "{details}",
     .fix = "A device on the path (an inspecting firewall or proxy) presents an out-of-date certificate, or the "
            "server's own certificate lapsed: renew it, or exempt these hosts from inspection.",
     .doc_url = kDocFirewall, .failure_modes = "F10"},

    {.code = "VND-TLS-004", .level = error, .category = "tls", .check = "tls",
     .title = "Certificates that do not cover the host name: {count} host{s}", .on_target = tls_name_mismatch,
     .evidence = "{details}",
     .fix = "The address reached is not the service named: check that the DNS answer or hosts line points at this "
            "service's private endpoint and not another resource's, and that no proxy or firewall answers in its place.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F05 F10"},

    {.code = "VND-TLS-005", .level = error, .category = "tls", .check = "tls",
     .title = "TLS handshake with {count} host{s} fails after TCP connects", .on_target = tls_cut,
     .evidence = "{details}",
     .fix = "TCP is allowed but the TLS session is cut: a firewall filtering by server name (add an application "
            "rule for these FQDNs), a device answering in the service's place, or a path MTU problem (the handshake "
            "stalls after the ClientHello).",
     .doc_url = kDocFirewall, .failure_modes = "F10 F20 F24"},

    // F11.
    {.code = "VND-STO-001", .level = error, .category = "storageAccount", .check = "http",
     .title = "The storage account's firewall denies this machine", .on_target = storage_firewall,
     .evidence = "{details}",
     .fix = "Reach the storage account through its private endpoint (its name must resolve privately here), or "
            "allow this subnet in the storage firewall; also allow the workspace as a resource instance or trusted "
            "service.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F11"},

    // F14, F15.
    {.code = "VND-KV-001", .level = error, .category = "keyVault", .check = "http",
     .title = "The key vault's firewall denies this machine", .on_target = key_vault_firewall,
     .evidence = "{details}",
     .fix = "Reach the vault through its private endpoint (link privatelink.vaultcore.azure.net to this VNet, or "
            "forward vault.azure.net to 168.63.129.16), or allow this subnet in the vault's firewall; keep trusted "
            "services allowed.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F14 F15"},

    // F16.
    {.code = "VND-ACR-001", .level = error, .category = "containerRegistry", .check = "http",
     .title = "The container registry's firewall denies this machine", .on_target = registry_firewall,
     .evidence = "{details}",
     .fix = "Give the registry a private endpoint in this VNet and resolve its name privately (privatelink.azurecr.io), "
            "or allow this egress address in the registry firewall.",
     .doc_url = kDocAcrPrivate, .failure_modes = "F16"},

    // F14 (INFERENCE in facts §5): the vault answers, but sees a public source address.
    {.code = "VND-KV-002", .level = warning, .category = "keyVault", .check = "http",
     .title = "The key vault sees this machine at public address {egress_ip}", .on_target = key_vault_public_path,
     .evidence = "a private endpoint is expected, but the request arrived over a public path: {details}",
     .fix = "Traffic to the vault leaves through a public address (a proxy, or a route through a firewall with SNAT "
            "to the internet): send it to the vault's private endpoint instead.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F14"},

    {.code = "VND-HTTP-001", .level = warning, .category = "", .check = "http",
     .title = "{count} host{s} answered with an unexpected HTTP status", .on_target = unexpected_status,
     .evidence = "{details}",
     .fix = "The path works up to a server, but not the one expected or not as expected: a proxy, firewall or "
            "captive portal may answer in the service's place, or the service denies this client. The JSON report "
            "has the response headers and body.",
     .doc_url = "", .failure_modes = "F01 F13"},

    {.code = "VND-HTTP-002", .level = warning, .category = "", .check = "http",
     .title = "No HTTP answer from {count} host{s} after the TLS handshake", .on_target = no_http_answer,
     .evidence = "{details}",
     .fix = "Something on the path accepts the TLS session, then stalls or drops the request: an inspecting "
            "firewall or proxy. Check its logs for these hosts.",
     .doc_url = kDocFirewall, .failure_modes = "F10 F30"},

    // Machine-wide.
    {.code = "VND-ENV-001", .level = warning, .category = "environment", .check = "environment",
     .title = "The Docker bridge network overlaps addresses the workspace needs", .on_run = docker_overlap,
     .evidence = "{details}",
     .fix = "Do not use {range} for the VNet or private endpoints, or move Docker's bridge elsewhere (\"bip\" in "
            "/etc/docker/daemon.json): packets for these addresses go to the bridge instead of the VNet.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F29"},

    {.code = "VND-ENV-002", .level = error, .category = "environment", .check = "environment",
     .title = "This machine's clock is {skew} {direction} the servers'", .on_run = clock_skew,
     .evidence = "{details}",
     .fix = "Synchronise the clock (chrony or systemd-timesyncd; on Azure, the host clock through PTP): Microsoft "
            "Entra ID tokens and certificate checks fail with a skew of minutes.",
     .doc_url = kDocTimeSync, .failure_modes = "(peer-tools c15)"},

    {.code = "VND-ENV-003", .level = warning, .category = "environment", .check = "environment",
     .title = "The instance metadata service cannot be reached", .on_run = metadata_unreachable,
     .evidence = "{details}",
     .fix = "Requests to 169.254.169.254 must bypass any proxy, carry no X-Forwarded-For header and leave through "
            "the primary NIC (a route for 169.254.169.254/32 must exist); without it the VM's region and subnet are "
            "not known.",
     .doc_url = kDocImds, .failure_modes = "F39"},

    {.code = "VND-ENV-004", .level = warning, .category = "environment", .check = "environment",
     .title = "This machine is in {vm_region}, the workspace in {workspace_region}", .on_run = region_mismatch,
     .evidence = "{details}",
     .fix = "With a private endpoint, compute must be in the workspace's region, and each VNet must reach the "
            "storage, key vault and registry private endpoints.",
     .doc_url = kDocPrivateLinkV1, .failure_modes = "F34"},

    {.code = "VND-PXY-006", .level = warning, .category = "proxy", .check = "environment",
     .title = "A proxy variable cannot be used", .on_run = proxy_variable_unusable,
     .evidence = "{details}",
     .fix = "Correct or unset it: tools either ignore an unusable proxy URL or fail every request.",
     .doc_url = kDocFirewall, .failure_modes = "F08 F09"},

    {.code = "VND-PXY-007", .level = warning, .category = "proxy", .check = "environment",
     .title = "The instance metadata service is not exempt from the proxy", .on_run = metadata_not_exempt,
     .evidence = "{details}",
     .fix = "Add 169.254.169.254 and 168.63.129.16 to NO_PROXY / no_proxy: the metadata service refuses proxied "
            "requests, and managed identity tokens come from it.",
     .doc_url = kDocImds, .failure_modes = "F39"},
};

}  // namespace

RunSummary summarize(const RunResult& run, std::span<const DnsAnswer* const> client_answers) {
  // Two public destinations dropped and none reached is a missing egress path, not two NSG rules.
  std::size_t reached = 0, dropped_count = 0;
  for (std::size_t i = 0; i < run.targets.size() && i < client_answers.size(); ++i) {
    const auto& r = run.targets[i];
    if (r.route != Route::direct || !ok(client_answers[i]) || all_private(client_answers[i]->addresses)) continue;
    if (std::ranges::any_of(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::connected; })) {
      ++reached;
    } else if (auto failure = tcp_failure(r); failure && dropped(*failure)) {
      ++dropped_count;
    }
  }
  return {.no_internet_egress = reached == 0 && dropped_count >= 2};
}

std::span<const Rule> rules() { return kRules; }

const Rule* find_rule(std::string_view code) {
  for (const auto& rule : kRules)
    if (rule.code == code) return &rule;
  return nullptr;
}

std::string expand(std::string_view text, const std::vector<Placeholder>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close != std::string_view::npos) {
        const auto name = text.substr(i + 1, close - i - 1);
        auto it = std::ranges::find_if(values, [&](const Placeholder& p) { return p.first == name; });
        if (it != values.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::vector<std::string> placeholders_in(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    const auto close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.emplace_back(text.substr(open + 1, close - open - 1));
  }
  return out;
}

std::string reported_egress_ip(const HttpEvidence& http) {
  // Key Vault: "conn_type=Ipv4;addr=20.1.2.3;act_addr_fam=InterNetwork;" (facts §5).
  const std::string info = header(http.headers, "x-ms-keyvault-network-info");
  if (auto at = info.find("addr="); at != std::string::npos) {
    auto end = info.find(';', at);
    return info.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
  }
  // ACR: "client with IP '20.1.2.3' is not allowed access"; Key Vault: "Client address: 20.1.2.3".
  const std::string& body = http.body_prefix;
  if (auto at = body.find("client with IP '"); at != std::string::npos) {
    auto start = at + 16;
    auto end = body.find('\'', start);
    if (end != std::string::npos) return body.substr(start, end - start);
  }
  if (auto at = body.find("Client address: "); at != std::string::npos) {
    auto start = at + 16;
    auto end = body.find_first_not_of("0123456789abcdefABCDEF.:", start);
    return body.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return {};
}

}  // namespace vnetdiag
