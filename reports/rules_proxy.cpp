// Proxy rules: the CONNECT answer, the proxy variables, and private endpoints sent through a proxy (facts F08, F09).
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include "reports/doc_links.hpp"
#include "reports/rules_common.hpp"
#include "probes/proxy/proxy_config.hpp"

namespace vnetdiag {
namespace {

using namespace rule_facts;

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

std::optional<Match> proxy_variable_unusable(const RunView& v) {
  if (v.env.proxy.errors.empty()) return std::nullopt;
  return Match{"", {{"variables", fmt::format("{}", fmt::join(v.env.proxy.errors, "; "))}},
               fmt::format("{}", fmt::join(v.env.proxy.errors, "; "))};
}

/// The proxy the variables give every other tool on this machine, and their NO_PROXY list. vnetdiag's own
/// proxy (config, --proxy) may differ; these rules are about the tools that follow the variables.
struct VariablesProxy {
  std::string proxy;                  ///< masked; empty: the variables name none
  std::vector<std::string> no_proxy;
};

VariablesProxy variables_proxy(const ProxyFacts& p) {
  VariablesProxy out;
  for (const auto& v : p.variables) {
    if (!v.used) continue;
    if (lower(v.name) == "no_proxy") out.no_proxy = parse_no_proxy(v.value);
    else if (out.proxy.empty() && !v.value.empty()) out.proxy = v.value;
  }
  return out;
}

std::optional<Match> metadata_not_exempt(const RunView& v) {
  const auto p = variables_proxy(v.env.proxy);
  if (p.proxy.empty() || v.env.imds.status == "not_asked" || bypasses_proxy("169.254.169.254", p.no_proxy))
    return std::nullopt;
  return Match{"", {}, fmt::format("proxy {}; NO_PROXY: {}", p.proxy,
                                   p.no_proxy.empty() ? std::string("(empty)") : fmt::format("{}", fmt::join(p.no_proxy, ",")))};
}

// curl (and vnetdiag) refuse the uppercase HTTP_PROXY because a CGI request header can set it ("httpoxy");
// Python's urllib (pip, requests, the Azure ML SDK) reads it outside CGI. Set alone, the two disagree.
std::optional<Match> uppercase_http_proxy(const RunView& v) {
  const auto& vars = v.env.proxy.variables;
  const auto upper = std::ranges::find(vars, "HTTP_PROXY", &ProxyVariableFact::name);
  if (upper == vars.end() || upper->value.empty()) return std::nullopt;
  const auto lower_twin = std::ranges::find(vars, "http_proxy", &ProxyVariableFact::name);
  if (lower_twin != vars.end() && lower_twin->value == upper->value) return std::nullopt;
  return Match{"", {}, fmt::format("HTTP_PROXY={}, http_proxy={}", upper->value,
                                   lower_twin == vars.end() ? std::string("(unset)") : lower_twin->value)};
}

using enum Level;

constexpr Rule kRows[] = {

    // F08. Evaluated before everything else and never hides another cause: a 407 or a DNS fault on the
    // same host is a second, separate cause.
    {.code = "VND-PXY-005", .level = error, .category = "proxy", .check = "proxy",
     .title = "Private endpoint hosts are sent through the proxy {proxy}", .on_target = private_host_via_proxy,
     .evidence = "hosts behind private endpoints go to the proxy, which reaches them over the internet ({count}): {details}",
     .fix = "Add these hosts (or their domains: {domains}) to NO_PROXY / no_proxy and to the proxy's PAC bypass list, "
            "or have the proxy resolve names through Azure DNS so that it reaches the private endpoints.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F08", .also = true},

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

    {.code = "VND-PXY-008", .level = information, .category = "proxy", .check = "environment",
     .title = "HTTP_PROXY is set without a matching http_proxy", .on_run = uppercase_http_proxy,
     .evidence = "{details}",
     .fix = "Set http_proxy to the same value: curl and vnetdiag ignore the uppercase HTTP_PROXY, while Python "
            "tools (pip, the Azure ML SDK) use it for plain-HTTP URLs, so the two take different paths.",
     .doc_url = kDocFirewall, .failure_modes = "F08"},
};

}  // namespace

std::span<const Rule> proxy_rules() { return kRows; }

}  // namespace vnetdiag
