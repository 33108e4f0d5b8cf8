#include "builders.hpp"

#include <algorithm>

#include "probes/net/address.hpp"
#include "reports/rules.hpp"

namespace vnetdiag::test {
namespace {

const std::vector<Cidr>& test_vnet() {
  static const std::vector<Cidr> vnet{*Cidr::parse("10.0.0.0/16")};
  return vnet;
}

}  // namespace

TargetBuilder::TargetBuilder(std::string host, std::uint16_t port) {
  result.host = std::move(host);
  result.port = port;
  context.id = result.host;
}

TargetBuilder& TargetBuilder::id(std::string value) { return context.id = std::move(value), *this; }
TargetBuilder& TargetBuilder::service(std::string value) { return context.service = std::move(value), *this; }
TargetBuilder& TargetBuilder::category(std::string value) { return context.category = std::move(value), *this; }
TargetBuilder& TargetBuilder::situational() { return context.required = false, *this; }

TargetBuilder& TargetBuilder::expect_private(std::string zone) {
  context.expect = TargetContext::Expect::private_endpoint;
  context.privatelink_zone = std::move(zone);
  return *this;
}

TargetBuilder& TargetBuilder::expect_public() { return context.expect = TargetContext::Expect::public_endpoint, *this; }
TargetBuilder& TargetBuilder::expected_ips(std::vector<std::string> ips) { return context.expected_ips = std::move(ips), *this; }
TargetBuilder& TargetBuilder::reachable(std::vector<int> statuses) { return context.reachable_statuses = std::move(statuses), *this; }

TargetBuilder& TargetBuilder::dns_via(std::string resolver, std::string source) {
  DnsAnswer a;
  a.resolver = std::move(resolver);
  a.source = std::move(source);
  a.status = DnsStatus::ok;
  a.rcode_a = "NOERROR";
  a.chain = {result.host};
  a.ms = 2;
  result.dns.push_back(std::move(a));
  return *this;
}

DnsAnswer& TargetBuilder::answer() {
  if (result.dns.empty()) custom_dns();
  return result.dns.back();
}

TargetBuilder& TargetBuilder::cname(std::string target) {
  auto& a = answer();
  a.cnames.push_back({a.chain.back(), target, 60});
  a.chain.push_back(std::move(target));
  return *this;
}

TargetBuilder& TargetBuilder::address(std::string ip) {
  auto& a = answer();
  a.status = DnsStatus::ok;
  a.addresses.push_back(classify(std::move(ip), 60, test_vnet()));
  return *this;
}

TargetBuilder& TargetBuilder::nxdomain() {
  auto& a = answer();
  a.status = DnsStatus::nxdomain;
  a.rcode_a = a.rcode_aaaa = "NXDOMAIN";
  return *this;
}

TargetBuilder& TargetBuilder::no_data() {
  answer().status = DnsStatus::no_data;
  return *this;
}

TargetBuilder& TargetBuilder::dns_status(DnsStatus status) {
  auto& a = answer();
  a.status = status;
  a.rcode_a = std::string(to_string(status));
  return *this;
}

TargetBuilder& TargetBuilder::hosts_file(std::string ip, std::string file) {
  result.hosts = HostsOverride{std::move(file), {classify(std::move(ip), 0, test_vnet())}};
  return *this;
}

std::string TargetBuilder::first_address() const {
  if (result.hosts && !result.hosts->addresses.empty()) return result.hosts->addresses.front().ip;
  for (const auto& a : result.dns)
    if (a.source != "azure-dns" && !a.addresses.empty()) return a.addresses.front().ip;
  return "192.0.2.1";
}

TargetBuilder& TargetBuilder::tcp(TcpStatus status, std::string address) {
  TcpAttempt t;
  t.address = address.empty() ? first_address() : std::move(address);
  t.port = result.port;
  t.status = status;
  t.ms = status == TcpStatus::timeout ? 3000 : 1.5;
  result.tcp.push_back(t);
  if (status == TcpStatus::connected) result.used_address = result.tcp.back().address;
  return *this;
}

TargetBuilder& TargetBuilder::via_proxy(ProxyStatus status, int http_status, std::string proxy) {
  result.route = Route::proxy;
  ProxyEvidence p;
  p.proxy = std::move(proxy);
  p.tcp = {"10.0.0.9", 3128, TcpStatus::connected, "", 1};
  p.status = status;
  p.http_status = http_status;
  p.reason = http_status == 407 ? "Proxy Authentication Required" : http_status == 403 ? "Forbidden"
             : http_status == 502 ? "Bad Gateway" : http_status == 200 ? "Connection established" : "";
  p.ms = 4;
  result.proxy = std::move(p);
  return *this;
}

TargetBuilder& TargetBuilder::tls(TlsStatus status, std::string issuer) {
  TlsEvidence t;
  t.status = status;
  t.sni = result.host;
  t.protocol = "TLSv1.3";
  CertInfo leaf;
  leaf.subject = "CN=" + result.host;
  leaf.issuer = std::move(issuer);
  leaf.dns_names = {result.host};
  leaf.not_before = "2026-01-01T00:00:00Z";
  leaf.not_after = "2027-01-01T00:00:00Z";
  t.chain.push_back(std::move(leaf));
  if (status != TlsStatus::ok) t.detail = std::string(to_string(status));
  t.ms = 12;
  result.tls = std::move(t);
  return *this;
}

TargetBuilder& TargetBuilder::http(int code, std::vector<std::pair<std::string, std::string>> headers, std::string body) {
  HttpEvidence h;
  h.status = HttpStatus::response;
  h.method = "GET";
  h.target = "/";
  h.code = code;
  h.headers = std::move(headers);
  h.body_prefix = std::move(body);
  h.body_complete = true;
  h.ms = 20;
  result.http = std::move(h);
  return *this;
}

TargetBuilder& TargetBuilder::http_failed(HttpStatus status) {
  HttpEvidence h;
  h.status = status;
  h.method = "GET";
  h.target = "/";
  h.ms = 5000;
  result.http = std::move(h);
  return *this;
}

TargetBuilder& TargetBuilder::internal_error(std::string what) { return result.internal_error = std::move(what), *this; }

TargetBuilder& TargetBuilder::works() {
  if (result.route == Route::direct) connected();
  tls(TlsStatus::ok);
  if (!context.reachable_statuses.empty()) http(context.reachable_statuses.front());
  return *this;
}

TargetBuilder healthy_storage(std::string account) {
  const std::string host = account + ".blob.core.windows.net";
  const std::string alias = account + ".privatelink.blob.core.windows.net";
  return std::move(target(host)
                       .id("storage.blob")
                       .category("storageAccount")
                       .expect_private("privatelink.blob.core.windows.net")
                       .reachable({401})
                       .custom_dns().cname(alias).address("10.0.1.5")
                       .azure_dns().cname(alias).address("10.0.1.5")
                       .works());
}

TargetBuilder healthy_pypi() {
  return std::move(target("pypi.org").id("pypi").category("packageRepositories").situational()
                       .custom_dns().address("151.101.0.223")
                       .azure_dns().address("151.101.0.223")
                       .works());
}

Scenario& Scenario::add(TargetBuilder t) {
  targets.push_back(std::move(t));
  return *this;
}

RunResult Scenario::run() const {
  RunResult run;
  for (const auto& t : targets) {
    run.targets.push_back(t.result);
    run.ms += t.result.ms;
  }
  run.deadline_hit = deadline_hit;
  run.concurrency = 8;
  return run;
}

std::vector<TargetContext> Scenario::contexts() const {
  std::vector<TargetContext> out;
  for (const auto& t : targets) out.push_back(t.context);
  return out;
}

std::vector<Finding> Scenario::findings() const {
  return find_findings(report_targets(run(), contexts()), env, workspace);
}

std::vector<std::string> Scenario::names(const Finding& finding) const {
  const auto all = report_targets(run(), contexts());
  std::vector<std::string> out;
  for (const std::size_t i : finding.targets) out.push_back(all.at(i).context.id);
  return out;
}

Report Scenario::report() const {
  ReportMetadata metadata;
  metadata.tool.version = "0.1.0";
  metadata.tool.commit = "abcdef123456";
  metadata.run.started_at = "2026-11-29T05:00:00Z";
  metadata.run.duration_ms = 3210;
  metadata.run.command = "check";
  metadata.workspace = workspace;
  return build_report(metadata, env, run(), contexts(), unchecked);
}

std::vector<Finding> findings_of(const TargetBuilder& t, const EnvironmentFacts& env) {
  Scenario s;
  s.env = env;
  s.add(t);
  return s.findings();
}

std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.code);
  return out;
}

const Finding* with_code(const std::vector<Finding>& findings, std::string_view code) {
  auto it = std::ranges::find(findings, code, &Finding::code);
  return it == findings.end() ? nullptr : &*it;
}

bool fully_expanded(const Finding& f) {
  for (const auto* text : {&f.title, &f.evidence, &f.fix})
    for (const auto& name : placeholders_in(*text))
      if (!name.empty() && std::ranges::all_of(name, [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; }))
        return false;
  return true;
}

}  // namespace vnetdiag::test
