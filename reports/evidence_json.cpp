#include "reports/evidence_json.hpp"

#include <cmath>

namespace vnetdiag {
namespace {

using nlohmann::json;

/// Timings are kept to 0.1 ms: finer digits are noise, and they make reports hard to diff.
double round_ms(double ms) { return std::round(ms * 10.0) / 10.0; }

json headers_json(const std::vector<std::pair<std::string, std::string>>& headers) {
  json out = json::array();
  for (const auto& [name, value] : headers) out.push_back({{"name", name}, {"value", value}});
  return out;
}

json address_json(const ResolvedAddress& a) {
  return {{"ip", a.ip}, {"ttl", a.ttl}, {"class", to_string(a.cls)}, {"inVnet", a.in_vnet}};
}

json addresses_json(const std::vector<ResolvedAddress>& list) {
  json out = json::array();
  for (const auto& a : list) out.push_back(address_json(a));
  return out;
}

json tcp_json(const TcpAttempt& t) {
  json out = {{"address", t.address}, {"port", t.port}, {"status", to_string(t.status)}, {"ms", round_ms(t.ms)}};
  if (!t.detail.empty()) out["detail"] = t.detail;
  return out;
}

json dns_json(const DnsAnswer& a) {
  json cnames = json::array();
  for (const auto& hop : a.cnames) cnames.push_back({{"owner", hop.owner}, {"target", hop.target}, {"ttl", hop.ttl}});
  json out = {{"resolver", a.resolver},         {"source", a.source},     {"status", to_string(a.status)},
              {"rcodeA", a.rcode_a},            {"rcodeAAAA", a.rcode_aaaa}, {"chain", a.chain},
              {"cnames", cnames},               {"addresses", addresses_json(a.addresses)},
              {"truncated", a.truncated},       {"retriedTcp", a.retried_tcp}, {"ms", round_ms(a.ms)}};
  if (!a.detail.empty()) out["detail"] = a.detail;
  return out;
}

json cert_json(const CertInfo& c) {
  return {{"subject", c.subject},       {"issuer", c.issuer},         {"dnsNames", c.dns_names},
          {"ipAddresses", c.ip_addresses}, {"notBefore", c.not_before}, {"notAfter", c.not_after},
          {"serial", c.serial},         {"sha256", c.sha256}};
}

json tls_json(const TlsEvidence& t) {
  json chain = json::array();
  for (const auto& c : t.chain) chain.push_back(cert_json(c));
  json issues = json::array();
  for (const auto& i : t.issues) issues.push_back({{"depth", i.depth}, {"code", i.code}, {"text", i.text}});
  json out = {{"status", to_string(t.status)}, {"sni", t.sni},   {"protocol", t.protocol}, {"cipher", t.cipher},
              {"alpn", t.alpn},                {"chain", chain}, {"issues", issues},       {"ms", round_ms(t.ms)}};
  if (!t.detail.empty()) out["detail"] = t.detail;
  return out;
}

json http_json(const HttpEvidence& h) {
  json out = {{"status", to_string(h.status)},       {"method", h.method},
              {"target", h.target},                  {"code", h.code},
              {"reason", h.reason},                  {"headers", headers_json(h.headers)},
              {"bodyPrefix", h.body_prefix},         {"bodyComplete", h.body_complete},
              {"ms", round_ms(h.ms)}};
  if (!h.detail.empty()) out["detail"] = h.detail;
  return out;
}

json proxy_json(const ProxyEvidence& p) {
  json out = {{"proxy", p.proxy},     {"tcp", tcp_json(p.tcp)},           {"status", to_string(p.status)},
              {"code", p.http_status}, {"reason", p.reason},              {"headers", headers_json(p.headers)},
              {"ms", round_ms(p.ms)}};
  if (!p.detail.empty()) out["detail"] = p.detail;
  return out;
}

}  // namespace

json to_json(const TargetResult& r) {
  json dns = json::array();
  for (const auto& a : r.dns) dns.push_back(dns_json(a));
  json tcp = json::array();
  for (const auto& t : r.tcp) tcp.push_back(tcp_json(t));
  json out = {{"host", r.host},   {"port", r.port}, {"route", to_string(r.route)}, {"healthy", healthy(r)},
              {"dns", dns},       {"tcp", tcp},     {"deadline", r.deadline},      {"ms", round_ms(r.ms)}};
  if (r.hosts) out["hostsFile"] = {{"file", r.hosts->file}, {"addresses", addresses_json(r.hosts->addresses)}};
  if (!r.used_address.empty()) out["usedAddress"] = r.used_address;
  if (r.proxy) out["proxy"] = proxy_json(*r.proxy);
  if (r.tls) out["tls"] = tls_json(*r.tls);
  if (r.http) out["http"] = http_json(*r.http);
  if (!r.internal_error.empty()) out["internalError"] = r.internal_error;
  return out;
}

json to_json(const RunResult& run) {
  json targets = json::array();
  for (const auto& t : run.targets) targets.push_back(to_json(t));
  return {{"targets", targets},
          {"deadlineHit", run.deadline_hit},
          {"interrupted", run.interrupted},
          {"concurrency", run.concurrency},
          {"ms", round_ms(run.ms)}};
}

}  // namespace vnetdiag
