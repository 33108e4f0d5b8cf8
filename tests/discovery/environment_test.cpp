// The whole environment: discovered from fixture files, a fake environment and a metadata stand-in on
// loopback, then written as JSON and as the short text block.

#include <catch2/catch.hpp>

#include <algorithm>

#include "agent/discovery/environment.hpp"
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
  for (const auto& n : e.notes) out += "[" + n.topic + "] " + std::string(to_string(n.level)) + ": " + n.text + "\n";
  return out;
}

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
  CHECK(has_note(e, "hosts", "contosokv.vault.azure.net is pinned to 52.239.1.1"));

  CHECK(e.proxy.https_proxy == "http://***@proxy.corp.contoso.com:3128");

  REQUIRE(e.imds.status == ImdsStatus::ok);
  CHECK(has_note(e, "metadata", "this VM is in westeurope and the workspace in eastus"));
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

TEST_CASE("the environment's JSON carries every part and names its sensitive fields", "[environment]") {
  const FakeEnvironment env({});
  test::ImdsStandIn imds(document_in("eastus"));
  auto e = discover_environment(fixture_settings(imds.url()), test::contoso_plan(), test::fake_env);
  const auto json = environment_to_json(e);
  INFO(json.dump(2));
  for (const char* key : {"resolvers", "dns", "hosts_file", "hosts_overrides", "proxy", "interfaces", "interfaces_error",
                          "docker", "vnet", "imds", "clock_skew", "notes", "sensitive"})
    CHECK(json.contains(key));
  CHECK(json["resolvers"][0] == nlohmann::json{{"address", "10.20.0.4:53"}, {"source", "systemd-resolved upstream"},
                                               {"used_by_clients", true}});
  CHECK(json["dns"]["stub"] == "127.0.0.53");
  CHECK(json["imds"]["status"] == "ok");
  CHECK(json["imds"]["info"]["location"] == "eastus");
  CHECK(json["imds"]["info"]["subnets"][0] == "10.144.133.128/26");
  // Every pointer under "sensitive" exists, and the public IP sits under one of them.
  for (const auto& pointer : json["sensitive"]) CHECK(json.contains(nlohmann::json::json_pointer(pointer.get<std::string>())));
  CHECK(json.at(nlohmann::json::json_pointer("/imds/info/public_ips")) == nlohmann::json{"20.121.7.33"});
  CHECK(json["clock_skew"].is_null());
  CHECK(std::ranges::any_of(json["notes"], [](const nlohmann::json& n) { return n["topic"] == "hosts" && n["level"] == "warning"; }));
}

TEST_CASE("the environment text is a short block without public IPs or credentials", "[environment]") {
  const FakeEnvironment env({{"https_proxy", "http://alice:S3cr3t@proxy.corp.contoso.com:3128"},
                             {"no_proxy", "169.254.169.254"}});
  test::ImdsStandIn imds(document_in("eastus"));
  auto e = discover_environment(fixture_settings(imds.url()), test::contoso_plan(), test::fake_env);

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
  CHECK(has_note(e, "clock", "this machine's clock is 11 min 59 s behind the servers'"));

  const auto text = render_environment(e);
  INFO(text);
  CHECK(text.starts_with("Environment\n"));
  CHECK(contains(text, "  dns         stub 127.0.0.53 -> 10.20.0.4:53, 10.20.0.5:53, [fd00:20::53]:53, 10.20.0.6:53"));
  CHECK(contains(text, "168.63.129.16:53 asked beside them for comparison (azure-dns)"));
  CHECK(contains(text, "  hosts       contosokv.vault.azure.net -> 52.239.1.1 [keyvault"));
  CHECK(contains(text, "(unexpected)"));
  CHECK(contains(text, "  proxy       https: http://***@proxy.corp.contoso.com:3128 (https_proxy)  http: direct"));
  CHECK(contains(text, "  interfaces  lo 127.0.0.1/8"));
  CHECK(contains(text, "  metadata    ok: eastus, Standard_D4s_v3, AzurePublicCloud ("));
  CHECK(contains(text, "  clock       11 min 59 s behind the servers (median of 1)"));
  CHECK(contains(text, "  ! contosokv.vault.azure.net is pinned to 52.239.1.1"));
  CHECK(contains(text, "more notes in the JSON output)"));
  CHECK_FALSE(contains(text, "option edns0"));  // informative notes stay in the JSON
  CHECK_FALSE(contains(text, "20.121.7.33"));
  CHECK_FALSE(contains(text, "alice"));
  CHECK_FALSE(contains(text, "S3cr3t"));
  CHECK_FALSE(contains(environment_to_json(e).dump(), "S3cr3t"));
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
