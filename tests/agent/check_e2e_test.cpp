// `vnetdiag check` over a small VNet of real local servers: Knot serving the workspace's private
// zones as the machine's resolver (and another as "Azure DNS"), nginx with minted certificates
// playing the private endpoints, everything pointed at loopback by the config file.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/agent/run_vnetdiag.hpp"
#include "tests/support/knot.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/temp_dir.hpp"

using namespace vnetdiag::testing;
using nlohmann::json;

namespace {

constexpr const char* kWorkspaceId = "5b3e5c4a-1d2e-4f60-9a7b-0c1d2e3f4a5b";

/// The zones a VNet with the workspace's private endpoints would see.
std::vector<KnotZone> vnet_zones() {
  const std::string ws = kWorkspaceId;
  std::vector<KnotZone> zones{
      {"core.windows.net", {}},
      {"azureml.ms",
       {ws + ".workspace.eastus.api CNAME " + ws + ".workspace.eastus.privatelink.api",
        ws + ".workspace.eastus.privatelink.api A 127.22.0.6", ws + ".workspace.eastus.cert.api A 127.22.0.6",
        "eastus.api A 127.22.0.6"}},
      {"azure.net", {"vndtestkv.vault CNAME vndtestkv.privatelink.vaultcore", "vndtestkv.privatelink.vaultcore A 127.22.0.7"}},
      {"azurecr.io",
       {"vndtestacr CNAME vndtestacr.privatelink", "vndtestacr.privatelink A 127.22.0.8",
        "vndtestacr.eastus.data CNAME vndtestacr.eastus.data.privatelink", "vndtestacr.eastus.data.privatelink A 127.22.0.8"}},
      {"microsoft.com", {"mcr A 127.22.0.9"}},
  };
  for (const char* service : {"blob", "file", "dfs", "queue", "table"}) {
    zones[0].records.push_back(std::string("vndtest01.") + service + " CNAME vndtest01.privatelink." + service);
    zones[0].records.push_back(std::string("vndtest01.privatelink.") + service + " A 127.22.0.5");
  }
  return zones;
}

struct LocalVnet {
  TempDir dir;
  Pki pki{dir, "vnetdiag Test Root CA"};
  Knot resolver{vnet_zones(), dir, "127.53.22.1", 53};
  Knot azure_dns{vnet_zones(), dir, "127.53.22.2", 53};
  std::unique_ptr<Nginx> nginx;
  std::filesystem::path config;

  LocalVnet() {
    std::vector<std::string> storage_names;
    for (const char* service : {"blob", "file", "dfs", "queue", "table"})
      storage_names.push_back(std::string("vndtest01.") + service + ".core.windows.net");
    const std::string ws = kWorkspaceId;
    auto unauthorized = [](std::vector<std::pair<std::string, std::string>> headers) {
      return std::vector<NginxLocation>{{.status = 401, .headers = std::move(headers)}};
    };
    nginx = std::make_unique<Nginx>(
        std::vector<NginxSite>{
            {.listen_ip = "127.22.0.5", .port = 443, .tls = true, .cert = pki.leaf({.dns_names = storage_names}),
             .locations = unauthorized({{"x-ms-error-code", "NoAuthenticationInformation"}})},
            {.listen_ip = "127.22.0.5", .port = 445},
            {.listen_ip = "127.22.0.6", .port = 443, .tls = true,
             .cert = pki.leaf({.dns_names = {ws + ".workspace.eastus.api.azureml.ms", ws + ".workspace.eastus.cert.api.azureml.ms",
                                             "eastus.api.azureml.ms"},
                               .common_name = "workspace.eastus.api.azureml.ms"})},
            {.listen_ip = "127.22.0.7", .port = 443, .tls = true, .cert = pki.leaf({.dns_names = {"vndtestkv.vault.azure.net"}}),
             .locations = unauthorized({{"WWW-Authenticate", "Bearer authorization=\"https://login.windows.net/t\""}})},
            {.listen_ip = "127.22.0.8", .port = 443, .tls = true,
             .cert = pki.leaf({.dns_names = {"vndtestacr.azurecr.io", "vndtestacr.eastus.data.azurecr.io"}}),
             .locations = unauthorized({{"Docker-Distribution-Api-Version", "registry/2.0"}})},
            {.listen_ip = "127.22.0.9", .port = 443, .tls = true, .cert = pki.leaf({.dns_names = {"mcr.microsoft.com"}}),
             .locations = {{.status = 200, .body = "{}"}}},
        },
        dir);
    const auto resolv_conf = dir.write("resolv.conf", "nameserver 127.53.22.1\n");
    const auto hosts = dir.write("hosts", "127.0.0.1 localhost\n");
    config = dir.write("vnetdiag.json", json{{"vnet", {"127.22.0.0/16"}},
                                             {"expect_private_endpoints", true},
                                             {"resolv_conf", resolv_conf.string()},
                                             {"hosts_file", hosts.string()},
                                             {"ca_file", pki.ca_file().string()},
                                             {"azure_dns", "127.53.22.2"},
                                             {"metadata_url", "http://127.0.0.1:9"},
                                             {"budgets_ms", {{"dns", 1000}, {"connect", 1000}, {"deadline", 20000}}}}
                                            .dump());
  }

  std::vector<std::string> workspace_args() const {
    return {"--workspace-id", kWorkspaceId, "--region", "eastus", "--storage-account", "vndtest01",
            "--key-vault", "vndtestkv", "--acr", "vndtestacr", "--config", config.string()};
  }
};

const json* find_target(const json& run, const std::string& id) {
  for (const auto& t : run["targets"])
    if (t["context"]["id"] == id) return &t;
  return nullptr;
}

}  // namespace

TEST_CASE("check probes every testable target of the plan through the config's local VNet", "[check][e2e]") {
  LocalVnet vnet;
  auto args = vnet.workspace_args();
  auto plan_args = args;
  plan_args.insert(plan_args.begin(), "targets");
  plan_args.push_back("--json");
  auto planned = run_vnetdiag(plan_args);
  REQUIRE(planned.exit_code == 0);
  auto plan = json::parse(json_part(planned.output));

  args.insert(args.begin(), "check");
  args.push_back("--format=json");
  auto r = run_vnetdiag(args);
  INFO(r.output.substr(0, 4000));
  REQUIRE_FALSE(json_part(r.output).empty());
  auto doc = json::parse(json_part(r.output));
  const auto& run = doc;

  std::set<std::string> expected, probed;
  for (const auto& t : plan["targets"])
    if (t.value("not_testable", std::string{}).empty()) expected.insert(t["id"].get<std::string>());
  for (const auto& t : run["targets"]) probed.insert(t["context"]["id"].get<std::string>());
  // The metadata service is asked once, by discovery, not again as a target.
  CHECK(expected.erase("imds") == 1);
  CHECK(doc["environment"]["instanceMetadata"]["status"] == "unreachable");
  CHECK(probed == expected);
  CHECK(expected.size() > 20);

  SECTION("the storage account is reached through its private endpoint in the VNet") {
    const auto* blob = find_target(run, "storage.blob");
    REQUIRE(blob);
    CHECK((*blob)["healthy"] == true);
    CHECK((*blob)["dns"][0]["source"] == "resolv.conf");
    CHECK((*blob)["dns"][0]["chain"][1] == "vndtest01.privatelink.blob.core.windows.net");
    CHECK((*blob)["dns"][0]["addresses"][0]["inVnet"] == true);
    CHECK((*blob)["http"]["code"] == 401);
    const auto* smb = find_target(run, "storage.file.smb");
    REQUIRE(smb);
    CHECK((*smb)["tcp"][0]["status"] == "connected");
  }
  SECTION("Azure DNS is asked beside the machine's resolver, for comparison") {
    const auto* kv = find_target(run, "keyvault");
    REQUIRE(kv);
    REQUIRE((*kv)["dns"].size() == 2);
    CHECK((*kv)["dns"][1]["source"] == "azure-dns");
    CHECK((*kv)["dns"][1]["resolver"] == "127.53.22.2:53");
    CHECK((*kv)["dns"][1]["addresses"][0]["ip"] == "127.22.0.7");
    CHECK((*kv)["http"]["code"] == 401);
  }
  SECTION("the registry, its data endpoint and MCR answer as their services do") {
    CHECK((*find_target(run, "acr.login"))["http"]["code"] == 401);
    CHECK((*find_target(run, "acr.data"))["tls"]["status"] == "ok");
    CHECK((*find_target(run, "mcr"))["http"]["code"] == 200);
  }
  SECTION("a host the VNet's DNS does not serve fails at DNS, and nothing is connected to") {
    const auto* pypi = find_target(run, "pypi");
    REQUIRE(pypi);
    CHECK((*pypi)["healthy"] == false);
    CHECK((*pypi)["dns"][0]["status"] == "refused");
    CHECK((*pypi)["tcp"].empty());
  }
  CHECK(r.exit_code == 1);  // required public endpoints (ARM, Entra ID) are not served by this VNet
}

TEST_CASE("the workspace given as flags plans its own storage, key vault and registry hosts", "[check]") {
  auto by_flags = run_vnetdiag({"targets", "--workspace-id", kWorkspaceId, "--region", "eastus", "--storage-account",
                                "vndtest01", "--key-vault", "vndtestkv", "--acr", "vndtestacr"});
  CHECK(by_flags.exit_code == 0);
  CHECK(by_flags.output.find("vndtest01.blob.core.windows.net:443") != std::string::npos);
  CHECK(by_flags.output.find("vndtestkv.vault.azure.net:443") != std::string::npos);
  CHECK(by_flags.output.find("vndtestacr.azurecr.io:443") != std::string::npos);
}

TEST_CASE("a malformed workspace document stops the check with the file, line and column, exit 3", "[check]") {
  TempDir dir;
  const auto bad = dir.write("ws.json", "{\n  \"location\": \"eastus\",\n  \"storageAccount\": \n");
  auto r = run_vnetdiag({"check", "--workspace-json", bad.string()});
  CHECK(r.exit_code == 3);
  CHECK(r.output.find(bad.string() + ":4:") != std::string::npos);
}

TEST_CASE("hostile workspace inputs stop the check with a clear error and exit 3, never a crash", "[check]") {
  TempDir dir;
  struct Case {
    const char* what;
    std::string content;
    const char* says;
  };
  const Case cases[] = {
      {"truncated", R"({"id": "/subscriptions/x", "properties": {"storageAccount": )", "ws.json:1:"},
      {"wrong type", R"({"location": "eastus", "properties": {"workspaceId": 42}})", "workspaceId"},
      {"wrong resource type",
       R"({"location": "eastus", "properties": {"keyVault": "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1"}})",
       "keyVault"},
      {"control characters", "{\"location\": \"eastus\", \"storage_account\": \"sa\\u001b[31m\"}", "storage"},
      {"50 MB", std::string(50u << 20, ' ') + "{}", "ws.json"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto file = dir.write("ws.json", c.content);
    auto r = run_vnetdiag({"check", "--workspace-json", file.string()});
    CHECK(r.exit_code == 3);
    CHECK(r.output.starts_with("vnetdiag: "));
    CHECK(r.output.find(c.says) != std::string::npos);
    CHECK(r.output.find('\033') == std::string::npos);  // nothing from the input reaches the terminal raw
  }
}
