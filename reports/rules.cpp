#include "reports/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "probes/net/address.hpp"
#include "reports/rules_common.hpp"

namespace vnetdiag {
namespace {

using namespace rule_facts;

// The evaluation order of every row, in one place (the rows live beside their matchers, one file per
// check). Per target the first matching row that is not `also` explains it, so machine-wide causes come
// first, then DNS, proxy, path, TLS and HTTP: a cause in an earlier phase hides its symptoms in later ones.
constexpr std::string_view kEvaluationOrder[] = {
    "VND-ENV-005", "VND-PXY-005", "VND-DNS-008", "VND-DNS-001", "VND-DNS-012", "VND-DNS-011",
    "VND-DNS-013", "VND-DNS-002", "VND-DNS-003", "VND-DNS-004", "VND-DNS-005", "VND-DNS-006", "VND-DNS-007",
    "VND-DNS-009", "VND-DNS-010", "VND-PXY-001", "VND-PXY-002", "VND-PXY-003", "VND-PXY-004",
    "VND-ENV-006", "VND-NET-006", "VND-MCR-001", "VND-AFD-001", "VND-PKG-001", "VND-NET-003",
    "VND-NET-004", "VND-NET-007", "VND-NET-005", "VND-NET-001", "VND-NET-002", "VND-TLS-001", "VND-TLS-002",
    "VND-TLS-003", "VND-TLS-004", "VND-TLS-005", "VND-TLS-006", "VND-TLS-007", "VND-TLS-008", "VND-TLS-009",
    "VND-TLS-010", "VND-STO-001", "VND-KV-001", "VND-ACR-001",
    "VND-KV-002", "VND-HTTP-001", "VND-HTTP-002", "VND-ENV-001", "VND-ENV-002", "VND-ENV-003",
    "VND-ENV-004", "VND-ENV-007", "VND-ENV-008", "VND-PXY-006", "VND-PXY-007", "VND-PXY-008", "VND-DNS-014",
    "VND-DNS-015",
};

std::vector<Rule> in_evaluation_order() {
  std::vector<Rule> all;
  for (auto rows : {environment_rules(), proxy_rules(), dns_rules(), path_rules(), tls_rules(), http_rules()})
    all.insert(all.end(), rows.begin(), rows.end());
  std::vector<Rule> ordered;
  for (std::string_view code : kEvaluationOrder) {
    auto it = std::ranges::find(all, code, &Rule::code);
    if (it == all.end()) throw std::logic_error(fmt::format("rule {} is ordered but has no row", code));
    ordered.push_back(*it);
  }
  if (ordered.size() != all.size()) throw std::logic_error("a rule row is missing from kEvaluationOrder");
  return ordered;
}

}  // namespace

std::span<const Rule> rules() {
  static const std::vector<Rule> all = in_evaluation_order();
  return all;
}

RunSummary summarize(std::span<const ReportTarget> targets, std::span<const DnsAnswer* const> client_answers) {
  // Two public destinations dropped and none reached is a missing egress path, not two NSG rules.
  // Counted by host: one host black-holed on two ports is a rule for that host, not a missing egress path.
  std::size_t reached = 0;
  std::vector<std::string> dropped_hosts;
  for (std::size_t i = 0; i < targets.size() && i < client_answers.size(); ++i) {
    const auto& r = targets[i].result;
    if (r.route != Route::direct || !ok(client_answers[i]) || all_private(client_answers[i]->addresses)) continue;
    if (std::ranges::any_of(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::connected; })) {
      ++reached;
    } else if (auto failure = tcp_failure(r); failure && dropped(*failure)) {
      if (std::ranges::find(dropped_hosts, r.host) == dropped_hosts.end()) dropped_hosts.push_back(r.host);
    }
  }
  return {.no_internet_egress = reached == 0 && dropped_hosts.size() >= 2};
}

const Rule* find_rule(std::string_view code) {
  for (const auto& rule : rules())
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
