// The whole environment: discovered from fixture files, a fake environment and a metadata stand-in on
// loopback, then carried into the report: its JSON, its text block, and the findings its facts give.

#include <catch2/catch.hpp>

#include <algorithm>

#include "agent/discovery/environment.hpp"
#include "reports/render.hpp"
#include "tests/discovery/support.hpp"

using namespace vnetdiag;
using namespace std::chrono_literals;
using vnetdiag::test::contains;
using vnetdiag::test::FakeEnvironment;

namespace {

/// The realistic metadata document, moved to another region.
std::string document_in(const std::string& location) {
  auto doc = nlohmann::json::parse(test::fixture_text("imds-eastus.json"));
  doc["compute"]["location"] = location;
  return doc.dump();
}

DiscoverySettings fixture_settings(const std::string& imds_url) {
  DiscoverySettings s;
  s.paths.resolv_conf = test::fixture_path("resolv-stub.conf");
  s.paths.resolved_conf = test::fixture_path("resolved-custom.conf");
  s.paths.hosts_file = test::fixture_path("hosts-pinned");
  s.imds_base_url = imds_url;
  s.imds_timeout = 1500ms;
  return s;
}

std::string notes_text(const Environment& e) {
  std::string out;
  for (const auto& n : e.notes) out += "[" + n.topic + "] " + n.text + "\n";
  for (const auto& u : e.unusable) out += "[unusable] " + u.source + ": " + u.problem + "\n";
  return out;
}

std::vector<std::string> codes(const Report& report) {
  std::vector<std::string> out;
  for (const auto& f : report.findings) out.push_back(f.code);
  return out;
}

bool has_code(const Report& report, const std::string& code) { return std::ranges::count(codes(report), code) == 1; }

bool has_note(const Environment& e, const std::string& topic, const std::string& needle) {
  return std::ranges::any_of(e.notes, [&](const EnvironmentNote& n) { return n.topic == topic && contains(n.text, needle); });
}

}  // namespace

TEST_CASE("discovery gathers resolvers, hosts pins, proxy, interfaces, Docker ranges and instance metadata",
          "[environment]") {
  const FakeEnvironment env({{"https_proxy", "http://alice:S3cr3t@proxy.corp.contoso.com:3128"},
                             {"no_proxy", "169.254.169.254,.corp.contoso.com"}});
  test::ImdsStandIn imds(document_in("westeurope"));
  const auto plan = test::contoso_plan();
  const auto e = discover_environment(fixture_settings(imds.url()), plan, test::fake_env);
  INFO(notes_text(e));

  REQUIRE(e.dns.resolvers.size() == 5);
  CHECK(e.dns.resolvers.front().endpoint.to_string() == "10.20.0.4:53");
  CHECK(e.dns.resolvers.back().source == "azure-dns");
  CHECK(e.dns.notes.empty());  // moved into e.notes
  CHECK(has_note(e, "dns", "systemd-resolved's stub 127.0.0.53"));

  CHECK(e.hosts_overrides.size() == 3);
  CHECK(e.unusable.empty());

  CHECK(e.proxy.https_proxy == "http://***@proxy.corp.contoso.com:3128");

  REQUIRE(e.imds.status == ImdsStatus::ok);
  CHECK(e.imds.info->location == "westeurope");
  std::vector<std::string> vnet;
  for (const auto& r : e.vnet) vnet.push_back(r.range.to_string() + " " + r.source);
  // The metadata service knows this NIC's subnets, not the VNet: they stay "this machine's subnets".
  CHECK(vnet == std::vector<std::string>{"10.0.0.0/16 config"});
  CHECK(vnet_cidrs(e).size() == 1);
  CHECK(e.imds.info->subnets.size() == 3);

  CHECK(e.interfaces.error.empty());
  CHECK_FALSE(e.interfaces.interfaces.empty());
  CHECK_FALSE(e.docker.bridges.empty());
  CHECK_FALSE(e.clock_skew);
}

TEST_CASE("the report's JSON carries every part of the environment, and its judgements as findings", "[environment]") {
  const FakeEnvironment env({});
  test::ImdsStandIn imds(document_in("westeurope"));
  const auto plan = test::contoso_plan();
  auto settings = fixture_settings(imds.url());
  settings.paths.resolved_conf = test::fixture_path("resolved-broken.conf");  // line 2 is not an address
  const auto report = test::report_of(discover_environment(settings, plan, test::fake_env), plan);
  const auto json = nlohmann::json::parse(render_json(report))["environment"];
  INFO(json.dump(2));
  for (const char* key : {"resolvers", "dnsStub", "dnsSearch", "dnsOptions", "hostsFile", "hostsOverrides", "proxy",
                          "interfaces", "dockerBridges", "dockerOverlaps", "instanceMetadata", "vnetRanges",
                          "unusableSettings", "notes"})
    CHECK(json.contains(key));
  CHECK(json["dnsStub"] == "127.0.0.53");
  CHECK(json["instanceMetadata"]["region"] == "westeurope");
  CHECK(json["instanceMetadata"]["vmSize"] == "Standard_D4s_v3");
  CHECK(json["instanceMetadata"]["azEnvironment"] == "AzurePublicCloud");
  CHECK(json["instanceMetadata"]["cloud"] == "public");
  CHECK(json["unusableSettings"][0]["problem"] == "line 2: nameserver is not an IP address");
  CHECK(std::ranges::any_of(json["notes"], [](const nlohmann::json& n) { return n["topic"] == "dns"; }));
  // Each judgement is a finding: the region (ENV-004), the unreadable line (ENV-007), the pinned vault
  // (DNS-008 needs probes, so not here); none is a note.
  CHECK(has_code(report, "VND-ENV-004"));
  CHECK(has_code(report, "VND-ENV-007"));
  CHECK_FALSE(has_code(report, "VND-ENV-008"));  // a public cloud VM and a public cloud plan
}

TEST_CASE("a VM in another cloud than the plan's is a finding that names both", "[environment]") {
  const FakeEnvironment env({});
  auto doc = nlohmann::json::parse(test::fixture_text("imds-eastus.json"));
  doc["compute"]["azEnvironment"] = "AzureUSGovernmentCloud";
  test::ImdsStandIn imds(doc.dump());
  const auto plan = test::contoso_plan();
  const auto report = test::report_of(discover_environment(fixture_settings(imds.url()), plan, test::fake_env), plan);
  const auto it = std::ranges::find(report.findings, "VND-ENV-008", &Finding::code);
  REQUIRE(it != report.findings.end());
  CHECK(it->title == "This VM runs in AzureUSGovernmentCloud, the checks are for the public cloud");
  CHECK(it->level == Level::warning);
}

TEST_CASE("the environment text is a short block from the report's facts, without public IPs or credentials",
          "[environment]") {
  const FakeEnvironment env({{"https_proxy", "http://alice:S3cr3t@proxy.corp.contoso.com:3128"},
                             {"no_proxy", "169.254.169.254"}});
  test::ImdsStandIn imds(document_in("eastus"));
  const auto plan = test::contoso_plan();
  auto e = discover_environment(fixture_settings(imds.url()), plan, test::fake_env);

  RunResult run;
  run.ms = 1000;
  TargetResult answered;
  answered.host = "contosokv.vault.azure.net";
  answered.http = HttpEvidence{};
  answered.http->status = HttpStatus::response;
  answered.http->headers = {{"Date", "Tue, 05 Mar 2024 14:12:00 GMT"}};
  run.targets.push_back(answered);
  add_clock_skew(e, run, std::chrono::sys_days{std::chrono::year{2024} / 3 / 5} + 14h);
  REQUIRE(e.clock_skew);

  const auto report = test::report_of(e, plan, proxy_settings_from_env(test::fake_env, nullptr));
  const auto text = render_terminal(report);
  const auto json = nlohmann::json::parse(render_json(report));
  INFO(text);
  CHECK(contains(text, "\nEnvironment\n"));
  CHECK(contains(text, "  dns         stub 127.0.0.53 -> 10.20.0.4:53, 10.20.0.5:53, [fd00:20::53]:53, 10.20.0.6:53"));
  CHECK(contains(text, "168.63.129.16:53 (azure-dns) asked beside them for comparison"));
  CHECK(contains(text, "  hosts       contosokv.vault.azure.net -> 52.239.1.1 ("));
  CHECK(contains(text, "  proxy       https: http://***@proxy.corp.contoso.com:3128  http: direct  (from https_proxy)"));
  CHECK(contains(text, "  interfaces  lo 127.0.0.1/8"));
  CHECK(contains(text, "  metadata    ok: eastus, Standard_D4s_v3, AzurePublicCloud ("));
  CHECK(contains(text, "  clock       11 min 59 s behind the servers"));
  CHECK(has_code(report, "VND-ENV-002"));  // the skew is judged once, as a finding
  // The count the text gives is the JSON's.
  CHECK(contains(text, "(" + std::to_string(json["environment"]["notes"].size()) + " note"));
  CHECK_FALSE(contains(text, "20.121.7.33"));
  CHECK_FALSE(contains(text, "alice"));
  CHECK_FALSE(contains(text, "S3cr3t"));
  CHECK_FALSE(contains(json.dump(), "S3cr3t"));
}

TEST_CASE("a plan's files and addresses become the discovery settings", "[environment]") {
  auto plan = test::contoso_plan();
  plan.resolv_conf = "/tmp/resolv.conf";
  plan.hosts_file = "";
  plan.azure_dns = *Endpoint::parse("127.0.0.1:5353", 53);
  plan.metadata_url = "http://127.0.0.1:8080";
  const auto s = discovery_settings(plan);
  CHECK(s.paths.resolv_conf == "/tmp/resolv.conf");
  CHECK(s.paths.resolved_conf == "/run/systemd/resolve/resolv.conf");
  CHECK(s.paths.hosts_file.empty());
  CHECK(s.azure_dns == "127.0.0.1:5353");
  CHECK(s.imds_base_url == "http://127.0.0.1:8080");
  CHECK(s.imds_timeout == 1500ms);
}
