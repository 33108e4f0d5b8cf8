// The verdict on the default path: the layout customers build (a jump box subnet, a private endpoint
// subnet of its own, a custom DNS server forwarding to Azure DNS, a metadata service that knows only the
// jump box's subnet), checked with no VNet range, no expectation and no skip list. Healthy is exit 0
// with no Warning or Error; each fault planted alone gives exactly one finding, with the fix for it.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/agent/customer_vnet.hpp"
#include "tests/support/tinyproxy.hpp"

using namespace vnetdiag::testing;
using nlohmann::json;

namespace {

struct Verdict {
  int exit_code = -1;
  json report;
  std::string output;
};

Verdict check(const CustomerVnet& vnet) {
  auto r = run_vnetdiag(vnet.args({"--format", "json"}), std::chrono::seconds(90));
  Verdict v{r.exit_code, json::parse(json_part(r.output), nullptr, false), r.output};
  return v;
}

/// The findings at Warning or Error.
std::vector<json> problems(const json& report) {
  std::vector<json> out;
  for (const auto& f : report["findings"])
    if (f["level"] != "Information") out.push_back(f);
  return out;
}

std::string summary(const json& report) {
  std::string out;
  for (const auto& f : report["findings"])
    out += f["code"].get<std::string>() + " " + f["level"].get<std::string>() + ": " + f["title"].get<std::string>() +
           " | " + f["evidence"].get<std::string>() + "\n";
  return out;
}

/// The one finding of a run with one fault.
json only_finding(const Verdict& v) {
  INFO(summary(v.report));
  const auto found = problems(v.report);
  REQUIRE(found.size() == 1);
  return found.front();
}

bool contains(const json& value, const std::string& needle) {
  return value.get<std::string>().find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a healthy workspace behind private endpoints in another subnet passes with no config", "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::none);
  const auto v = check(vnet);
  INFO(summary(v.report) << v.output.substr(0, 3000));
  REQUIRE(v.report.is_object());
  CHECK(problems(v.report).empty());
  CHECK(v.exit_code == 0);
  SECTION("the metadata subnet is this machine's subnet, not the VNet: the ranges are unknown, and said so") {
    const auto& env = v.report["environment"];
    CHECK(env["vnetCidrs"].empty());
    CHECK(env["instanceMetadata"]["subnets"] == json::array({CustomerVnet::jumpbox_subnet()}));
    CHECK(contains(env["vnetRangesNote"], CustomerVnet::jumpbox_subnet()));
  }
}

TEST_CASE("SMB dropped to the storage account is an Error with the 445 fix, not a DNS warning", "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::smb_dropped);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-NET-003");
  CHECK(f["level"] == "Error");
  CHECK(f["targets"] == json::array({"storage.file.smb"}));
  CHECK(contains(f["fix"], "445"));
  CHECK(v.exit_code == 1);
}

TEST_CASE("the storage firewall's 403 is an Error naming the storage firewall", "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::storage_firewall);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-STO-001");
  CHECK(f["level"] == "Error");
  CHECK(f["targets"] == json::array({"storage.blob"}));
  CHECK(contains(f["evidence"], "AuthorizationFailure"));
  CHECK(v.exit_code == 1);
}

TEST_CASE("a stale private record for notebooks that does not answer is an Error (exit 1)", "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::stale_notebooks_record);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-NET-007");
  CHECK(f["level"] == "Error");
  CHECK(f["targets"] == json::array({"notebooks"}));
  CHECK(contains(f["evidence"], CustomerVnet::stale_ip()));
  CHECK(contains(f["evidence"], "ranges are unknown"));
  CHECK(contains(f["fix"], "stale record"));
  CHECK(v.exit_code == 1);
}

TEST_CASE("a custom DNS server without the forwarder is one Error for every name it breaks", "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::missing_forwarder);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-DNS-001");
  CHECK(f["level"] == "Error");
  CHECK(contains(f["title"], CustomerVnet::custom_dns_ip()));
  CHECK(contains(f["fix"], "conditional forwarders to 168.63.129.16"));
  // Required and situational hosts alike: one cause, one finding.
  std::set<std::string> targets(f["targets"].begin(), f["targets"].end());
  CHECK(targets.contains("storage.blob"));
  CHECK(targets.contains("keyvault"));
  CHECK(targets.contains("notebooks"));
  CHECK(v.exit_code == 1);
}

TEST_CASE("a private zone not linked to the VNet (both resolvers public) names the link, not a forwarder",
          "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::zone_not_linked);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-DNS-013");
  CHECK(f["level"] == "Error");
  CHECK(contains(f["title"], "privatelink.blob.core.windows.net"));
  CHECK(contains(f["fix"], "virtual network link"));
  CHECK(f["targets"] == json::array({"storage.blob"}));
  CHECK(v.exit_code == 1);
}

TEST_CASE("a missing record in a linked privatelink zone is an Error naming the record", "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::missing_keyvault_record);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-DNS-004");
  CHECK(f["level"] == "Error");
  CHECK(contains(f["title"], "privatelink.vaultcore.azure.net"));
  CHECK(f["targets"] == json::array({"keyvault"}));
  CHECK(v.exit_code == 1);
}

TEST_CASE("a resolv.conf server that does not answer is one finding naming it, not one per host",
          "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::silent_resolver);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-DNS-014");
  CHECK(f["level"] == "Error");
  CHECK(contains(f["title"], CustomerVnet::silent_dns_ip()));
  CHECK(contains(f["evidence"], "Azure DNS answered"));
  CHECK(v.exit_code == 1);
}

TEST_CASE("Entra ID black-holed is an Error for the sign-in host", "[e2e][default-path][netns]") {
  CustomerVnet vnet(CustomerFault::entra_black_holed);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-NET-001");
  CHECK(f["level"] == "Error");
  std::set<std::string> targets(f["targets"].begin(), f["targets"].end());
  CHECK(targets.contains("entra"));
  CHECK(v.exit_code == 1);
}

TEST_CASE("MCR's data host black-holed while its front end answers is an Error naming the data host",
          "[e2e][default-path][mcr][netns]") {
  CustomerVnet vnet(CustomerFault::mcr_data_black_holed);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-MCR-001");
  CHECK(f["level"] == "Error");
  CHECK(contains(f["evidence"], CustomerVnet::kRedirectedDataHost));
  CHECK(v.exit_code == 1);
  // The front end answered, and the host it sent the client to is a record of its own, beside the regional one.
  std::set<std::string> data_hosts;
  for (const auto& t : v.report["targets"])
    if (t.dump().find("\"mcr.data\"") != std::string::npos) data_hosts.insert(t.dump());
  INFO(v.output.substr(0, 3000));
  CHECK(data_hosts.size() == 2);
}

TEST_CASE("with a managed identity, the VNet's address space and its peering's range come from Resource Manager",
          "[e2e][default-path][arm][netns]") {
  CustomerVnet vnet(CustomerFault::none, ArmAccess::reader);
  const auto v = check(vnet);
  INFO(summary(v.report) << v.output.substr(0, 3000));
  const auto& env = v.report["environment"];
  CHECK(env["vnetCidrs"] == json::array({CustomerVnet::vnet_space(), CustomerVnet::hub_space()}));
  CHECK(env["vnetRanges"][0]["source"] == "Azure Resource Manager: VNet vnet-fabrikam");
  CHECK(env["vnetRanges"][1]["source"] == "Azure Resource Manager: peering with vnet-hub");
  CHECK(problems(v.report).empty());
  CHECK(v.exit_code == 0);
  // The token is a credential: it reaches no output.
  CHECK(v.output.find(CustomerVnet::kToken) == std::string::npos);
}

TEST_CASE("with the VNet's ranges from Resource Manager, a stale record is placed against them",
          "[e2e][default-path][arm][netns]") {
  CustomerVnet vnet(CustomerFault::stale_notebooks_record, ArmAccess::reader);
  const auto v = check(vnet);
  const auto f = only_finding(v);
  CHECK(f["code"] == "VND-NET-007");
  CHECK(contains(f["evidence"], "inside the VNet's ranges"));
  CHECK(v.exit_code == 1);
}

TEST_CASE("with --proxy, Resource Manager is read through that proxy, as the probes are", "[e2e][default-path][arm][proxy][netns]") {
  CustomerVnet vnet(CustomerFault::none, ArmAccess::reader);
  Tinyproxy proxy(TinyproxyConfig{}, vnet.dir);
  // The probes' hosts bypass it, so its log holds what else went through it.
  std::string bypass;
  for (const auto& h : vnet.hosts) bypass += (bypass.empty() ? "" : ",") + h.host;
  auto r = run_vnetdiag(vnet.args({"--format", "json", "--proxy", proxy.url(), "--no-proxy", bypass}),
                        std::chrono::seconds(90));
  const auto report = json::parse(json_part(r.output));
  INFO(proxy.log_tail());
  CHECK(report["environment"]["vnetCidrs"] == json::array({CustomerVnet::vnet_space(), CustomerVnet::hub_space()}));
  CHECK(report["environment"]["proxy"]["origin"] == "--proxy");
  CHECK(proxy.log_tail().find("CONNECT " + CustomerVnet::arm_ip()) != std::string::npos);
}

TEST_CASE("Resource Manager denying the VNet read leaves the ranges unknown, said in one line, with no finding",
          "[e2e][default-path][arm][netns]") {
  CustomerVnet vnet(CustomerFault::none, ArmAccess::denied);
  const auto v = check(vnet);
  INFO(summary(v.report));
  const auto& env = v.report["environment"];
  CHECK(env["vnetCidrs"].empty());
  CHECK(contains(env["vnetRangesNote"], "403"));
  CHECK(problems(v.report).empty());
  CHECK(v.exit_code == 0);
}

TEST_CASE("without a managed identity the ranges are unknown and the text says so once", "[e2e][default-path][arm][netns]") {
  CustomerVnet vnet(CustomerFault::none);
  auto r = run_vnetdiag(vnet.args(), std::chrono::seconds(90));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  const auto at = r.output.find("vnet");
  REQUIRE(at != std::string::npos);
  CHECK(r.output.find("no_identity", at) != std::string::npos);
}

TEST_CASE("with --proxy, the report's proxy is the one the engine used, not the config file's", "[e2e][proxy]") {
  CustomerVnet vnet(CustomerFault::none);
  // The config names one proxy, the command line another (nothing listens on either: only the facts count).
  auto settings = json::parse(std::ifstream(vnet.settings));
  settings["proxy"] = {{"url", "http://cfg-user:cfg-secret@" + vnet_ip(230) + ":3128"}, {"no_proxy", "example.org"}};
  const auto config = vnet.dir.write("with-proxy.json", settings.dump());
  auto args = vnet.args({"--format", "json", "--proxy", "http://cli-user:cli-secret@" + vnet_ip(231) + ":8080",
                         "--no-proxy", ".azure.net", "--vnet-cidr", "10.99.0.0/16"});
  args[4] = config.string();  // --config FILE
  auto r = run_vnetdiag(args, std::chrono::seconds(90));
  const auto report = json::parse(json_part(r.output));
  const auto& proxy = report["environment"]["proxy"];
  CHECK(proxy["httpsProxy"] == "http://***@" + vnet_ip(231) + ":8080");
  CHECK(proxy["noProxy"] == json::array({".azure.net"}));
  CHECK(r.output.find("cli-secret") == std::string::npos);
  // The targets went through that proxy too: their proxy evidence names it.
  bool through_cli_proxy = false;
  for (const auto& t : report["targets"])
    if (t.contains("proxy") && t["proxy"].is_object() && t["proxy"]["proxy"] == proxy["httpsProxy"]) through_cli_proxy = true;
  CHECK(through_cli_proxy);
  // And the VNet range the command line named is the one the report gives, with its source.
  CHECK(report["environment"]["vnetRanges"] == json::parse(R"([{"range":"10.99.0.0/16","source":"--vnet-cidr"}])"));
}

TEST_CASE("a hosts file that cannot be read is one Warning in the JSON, Markdown and JUnit, and the text's notes are the JSON's",
          "[e2e][default-path][environment][netns]") {
  CustomerVnet vnet(CustomerFault::none);
  const auto json_file = vnet.dir.path() / "report.json";
  const auto markdown_file = vnet.dir.path() / "report.md";
  const auto junit_file = vnet.dir.path() / "report.xml";
  auto args = vnet.args({"--json", json_file.string(), "--markdown", markdown_file.string(), "--junit", junit_file.string()});
  args[8] = (vnet.dir.path() / "no-such-hosts").string();  // --hosts-file FILE
  auto r = run_vnetdiag(args, std::chrono::seconds(90));
  INFO(r.output);
  CHECK(r.exit_code == 2);
  const auto report = json::parse(std::ifstream(json_file));
  const auto found = problems(report);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["code"] == "VND-ENV-007");
  CHECK(contains(found[0]["evidence"], "no-such-hosts: cannot be read"));
  const auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(slurp(markdown_file).find("VND-ENV-007") != std::string::npos);
  // A Warning: its JUnit case passes, with the finding as the case's output.
  CHECK(slurp(junit_file).find("<system-out>VND-ENV-007: ") != std::string::npos);
  CHECK(r.output.find("VND-ENV-007") != std::string::npos);
  // The text block counts the notes the JSON carries, and prints no judgement of its own.
  const auto notes = report["environment"]["notes"].size();
  REQUIRE(notes > 0);  // at least: the custom DNS server is compared with Azure DNS
  CHECK(r.output.find("(" + std::to_string(notes) + " note") != std::string::npos);
  CHECK(r.output.find("\n  ! ") == std::string::npos);
  CHECK(r.output.find("no-such-hosts could not be read") != std::string::npos);  // never "nothing pinned"
}

namespace {

/// The same workspace as `az ml workspace show` (CLI v2) prints it: snake_case, and no workspace GUID or
/// notebooks host.
std::filesystem::path v2_document(const CustomerVnet& vnet) {
  const auto arm = json::parse(std::ifstream(kWorkspaceFixture));
  const auto& p = arm["properties"];
  json v2{{"id", arm["id"]},
          {"name", arm["name"]},
          {"location", arm["location"]},
          {"resource_group", "rg-fabrikam-secure"},
          {"storage_account", p["storageAccount"]},
          {"key_vault", p["keyVault"]},
          {"application_insights", p["applicationInsights"]},
          {"container_registry", p["containerRegistry"]},
          {"discovery_url", p["discoveryUrl"]},
          {"mlflow_tracking_uri", p["mlFlowTrackingUri"]},
          {"public_network_access", p["publicNetworkAccess"]},
          {"hbi_workspace", p["hbiWorkspace"]}};
  return vnet.dir.write("ws-v2.json", v2.dump(2));
}

std::vector<std::string> ids_of(const json& list) {
  std::vector<std::string> out;
  for (const auto& t : list) out.push_back(t.contains("context") ? t["context"]["id"] : t["id"]);
  return out;
}

bool has(const std::vector<std::string>& ids, const std::string& id) { return std::ranges::find(ids, id) != ids.end(); }

}  // namespace

TEST_CASE("a CLI v2 document without the workspace GUID: Resource Manager gives it, and the workspace's own names are checked",
          "[e2e][default-path][arm][workspace][netns]") {
  CustomerVnet vnet(CustomerFault::none, ArmAccess::reader);
  auto args = vnet.args({"--format", "json"});
  args[2] = v2_document(vnet).string();  // --workspace-json FILE
  auto r = run_vnetdiag(args, std::chrono::seconds(90));
  const auto report = json::parse(json_part(r.output));
  INFO(summary(report));
  const auto checked = ids_of(report["targets"]);
  for (const char* id : {"workspace.api", "workspace.cert", "notebooks"}) {
    INFO(id);
    CHECK(has(checked, id));
  }
  CHECK_FALSE(has(ids_of(report["notChecked"]), "workspace.api"));
  CHECK(problems(report).empty());
  CHECK(r.exit_code == 0);
  CHECK(r.output.find(CustomerVnet::kToken) == std::string::npos);
}

TEST_CASE("a CLI v2 document without the GUID and no token: the verdict names the workspace targets it could not check",
          "[e2e][default-path][arm][workspace][netns]") {
  CustomerVnet vnet(CustomerFault::none, ArmAccess::no_identity);
  auto args = vnet.args();
  args[2] = v2_document(vnet).string();
  auto text = run_vnetdiag(args, std::chrono::seconds(90));
  INFO(text.output);
  CHECK(text.exit_code == 5);
  CHECK(text.output.starts_with("NOT ALL CHECKED: 3 required targets not checked; no problems"));
  CHECK(text.output.find("REQUIRED workspace.api") != std::string::npos);
  CHECK(text.output.find("az resource show --ids") != std::string::npos);

  args.insert(args.end(), {"--format", "json"});
  const auto report = json::parse(json_part(run_vnetdiag(args, std::chrono::seconds(90)).output));
  const auto unchecked = ids_of(report["notChecked"]);
  for (const char* id : {"workspace.api", "workspace.cert", "notebooks"}) {
    INFO(id);
    CHECK(has(unchecked, id));
  }
  CHECK(report["verdict"]["notChecked"]["required"] == 3);
  CHECK(report["verdict"]["exitCode"] == 5);
}

TEST_CASE("a token file from 'az account get-access-token' reads the workspace when the machine has no identity",
          "[e2e][default-path][arm][workspace][netns]") {
  CustomerVnet vnet(CustomerFault::none, ArmAccess::no_identity);
  const auto token = vnet.dir.write("token.json", json{{"accessToken", CustomerVnet::kToken},
                                                       {"expiresOn", "2026-12-08 10:00:00.000000"},
                                                       {"subscription", "3d2c1b0a-9f8e-4d7c-b6a5-4f3e2d1c0b9a"},
                                                       {"tokenType", "Bearer"}}.dump());
  auto args = vnet.args({"--format", "json", "--arm-token-file", token.string()});
  args[2] = v2_document(vnet).string();
  auto r = run_vnetdiag(args, std::chrono::seconds(90));
  const auto report = json::parse(json_part(r.output));
  INFO(summary(report));
  CHECK(has(ids_of(report["targets"]), "workspace.api"));
  CHECK(r.exit_code == 0);
  CHECK(r.output.find(CustomerVnet::kToken) == std::string::npos);
}

namespace {

/// The last segment of a resource ID: the resource's name.
std::string resource_name(const json& id) {
  const std::string text = id;
  return text.substr(text.rfind('/') + 1);
}

}  // namespace

TEST_CASE("a redacted run shows none of the workspace's names, in any form a host spells them, in any format",
          "[e2e][default-path][redact][netns]") {
  // Resource Manager readable, and a fault whose finding names the notebooks host: as many names in the report
  // as a run can put there.
  CustomerVnet vnet(CustomerFault::stale_notebooks_record, ArmAccess::reader);
  const auto out = vnet.dir.path();
  auto r = run_vnetdiag(vnet.args({"--redact", "--json", (out / "r.json").string(), "--markdown", (out / "r.md").string(),
                                   "--junit", (out / "r.xml").string(), "--prometheus", (out / "r.prom").string()}),
                        std::chrono::seconds(90));
  CHECK(r.exit_code == 1);
  const auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::pair<std::string, std::string> outputs[] = {{"text", r.output},
                                                         {"JSON", slurp(out / "r.json")},
                                                         {"Markdown", slurp(out / "r.md")},
                                                         {"JUnit", slurp(out / "r.xml")},
                                                         {"Prometheus", slurp(out / "r.prom")}};

  // Every name the workspace document plants, and the machine's own.
  const auto ws = json::parse(std::ifstream(kWorkspaceFixture));
  const auto& p = ws["properties"];
  const std::string notebooks = p["notebookInfo"]["fqdn"];
  std::vector<std::string> names{ws["name"], resource_name(p["storageAccount"]), resource_name(p["keyVault"]),
                                 resource_name(p["applicationInsights"]), resource_name(p["containerRegistry"]),
                                 "rg-fabrikam-secure", notebooks.substr(0, notebooks.find('.')), CustomerVnet::kComputeInstance,
                                 "rg-fabrikam-network", "vnet-fabrikam", "jumpbox"};
  // Each GUID whole and by its first 8 characters (what a reader recognises), the name parts no public host
  // uses ("fabrikam"; not "ws", "ml" or the region).
  std::vector<std::string> fragments{"fabrikam"};
  for (const std::string& guid : {p["workspaceId"].get<std::string>(), p["tenantId"].get<std::string>(),
                                 std::string(kImdsSubscription), ws["identity"]["principalId"].get<std::string>(),
                                 ws["id"].get<std::string>().substr(std::string("/subscriptions/").size(), 36)}) {
    names.push_back(guid);
    fragments.push_back(guid.substr(0, 8));
  }
  names.insert(names.end(), fragments.begin(), fragments.end());
  for (const auto& [format, text] : outputs) {
    INFO(format);
    REQUIRE_FALSE(text.empty());
    for (const auto& name : names) {
      INFO(name);
      const auto at = text.find(name);
      INFO((at == std::string::npos ? std::string() : text.substr(at < 120 ? 0 : at - 120, 240)));
      CHECK(at == std::string::npos);
    }
  }
  // Still useful: the finding on the notebooks host, its zone and the region stay.
  const auto report = json::parse(outputs[1].second);
  CHECK(report["run"]["redacted"] == true);
  CHECK(outputs[1].second.find("privatelink.notebooks.azure.net") != std::string::npos);
  CHECK(outputs[1].second.find("westeurope") != std::string::npos);
  CHECK(outputs[1].second.find("<notebooks-1>.westeurope.notebooks.azure.net") != std::string::npos);
}
