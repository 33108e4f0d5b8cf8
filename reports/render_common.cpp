#include "reports/render_common.hpp"

#include "reports/findings.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "reports/check_table.hpp"
#include "reports/rules.hpp"

namespace vnetdiag {
namespace {

constexpr CategoryInfo kCategories[] = {
    {"dnsResolution", "dnsResolutionResults", "DNS resolution"},
    {"userDefinedRoute", "userDefinedRouteResults", "Routes"},
    {"networkSecurityRule", "networkSecurityRuleResults", "Network security rules and firewalls"},
    {"resourceLock", "resourceLockResults", "Resource locks"},
    {"storageAccount", "storageAccountResults", "Storage account"},
    {"keyVault", "keyVaultResults", "Key Vault"},
    {"containerRegistry", "containerRegistryResults", "Container registry"},
    {"applicationInsights", "applicationInsightsResults", "Application Insights"},
    {"others", "otherResults", "Other Azure services"},
    {"proxy", "proxyResults", "Proxy"},
    {"tls", "tlsResults", "TLS"},
    {"packageRepositories", "packageRepositoriesResults", "Package repositories"},
    {"environment", "environmentResults", "This machine"},
};

bool reachable(const HttpEvidence& h, const TargetContext& c) {
  if (h.status != HttpStatus::response) return false;
  return c.reachable_statuses.empty() || std::ranges::find(c.reachable_statuses, h.code) != c.reachable_statuses.end();
}

}  // namespace

std::span<const CategoryInfo> categories() { return kCategories; }

const CategoryInfo& category_info(std::string_view name) {
  for (const auto& c : kCategories)
    if (c.name == name) return c;
  return kCategories[8];
}

std::vector<PhaseOutcome> phases_of(const Report& report, std::size_t i) {
  std::vector<PhaseOutcome> out;
  if (i >= report.targets.size()) return out;
  const auto& [context, r] = report.targets[i];

  if (r.hosts || !r.dns.empty()) {
    const DnsAnswer* answer = client_answer(r, report.env);
    PhaseOutcome p{.name = "dns", .detail = dns_cell(r)};
    // Through a proxy the client never resolves the name: the proxy does.
    p.passed = r.hosts || r.route == Route::proxy || (answer && answer->status == DnsStatus::ok);
    p.deadline = !p.passed && std::ranges::any_of(r.dns, [](const DnsAnswer& a) { return a.status == DnsStatus::deadline; });
    p.ms = answer ? answer->ms : r.dns.empty() ? 0 : std::ranges::max(r.dns, {}, &DnsAnswer::ms).ms;
    out.push_back(p);
  }
  if (r.proxy) {
    out.push_back({.name = "connect", .passed = r.proxy->status == ProxyStatus::tunnel,
                   .deadline = r.proxy->status == ProxyStatus::deadline, .ms = r.proxy->ms, .detail = tcp_cell(r)});
  } else if (!r.tcp.empty()) {
    auto connected = std::ranges::find(r.tcp, TcpStatus::connected, &TcpAttempt::status);
    PhaseOutcome p{.name = "connect", .passed = connected != r.tcp.end(), .detail = tcp_cell(r)};
    p.deadline = !p.passed && std::ranges::all_of(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::deadline; });
    p.ms = p.passed ? connected->ms : std::ranges::max(r.tcp, {}, &TcpAttempt::ms).ms;
    out.push_back(p);
  }
  if (r.tls)
    out.push_back({.name = "tls", .passed = r.tls->status == TlsStatus::ok, .deadline = r.tls->status == TlsStatus::deadline,
                   .ms = r.tls->ms, .detail = tls_cell(r)});
  if (r.http)
    out.push_back({.name = "http", .passed = reachable(*r.http, context), .deadline = r.http->status == HttpStatus::deadline,
                   .ms = r.http->ms, .detail = http_cell(r)});
  return out;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool good = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; good && k < length; ++k) good = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (good && length > 1) {
      // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
      const auto second = static_cast<unsigned char>(text[i + 1]);
      if (length == 2) good = c >= 0xC2;
      if (length == 3) good = !(c == 0xE0 && second < 0xA0) && !(c == 0xED && second >= 0xA0);
      if (length == 4) good = c <= 0xF4 && !(c == 0xF0 && second < 0x90) && !(c == 0xF4 && second >= 0x90);
    }
    if (good) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

std::string seconds(double ms) { return fmt::format("{:.3f}", ms / 1000.0); }

std::string target_table(const Report& report, std::size_t width) {
  std::vector<CheckRow> rows;
  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    const auto& [c, r] = report.targets[i];
    // A target can pass every phase and still be wrong (a public answer where a private endpoint is
    // expected): the findings, not the phases, decide what the row says then.
    std::string verdict;
    for (const Finding* f : findings_for(report, i)) {
      if (verdict.empty()) verdict = std::string(f->level == Level::error ? "ERROR" : f->level == Level::warning ? "WARNING" : "INFO");
      verdict += " " + f->code;
    }
    rows.push_back({c.id, &r, c.required, verdict});
  }
  return render_check_table(rows, width);
}

std::string vnet_ranges_text(const EnvironmentFacts& env) {
  if (env.vnet_ranges.empty())
    return "unknown" + (env.vnet_ranges_note.empty() ? std::string() : " (" + env.vnet_ranges_note + ")");
  std::string out;
  for (const auto& r : env.vnet_ranges) out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", r.range, r.source);
  return out;
}

}  // namespace vnetdiag
