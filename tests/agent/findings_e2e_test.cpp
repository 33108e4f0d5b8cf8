// The findings a user gets from `vnetdiag check` over a local VNet of real servers, with several faults
// planted at once, and the same VNet without faults. Every address is loopback or inside a namespace
// the test created (the "public" storage address is routed into one).
#include <csignal>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/agent/run_vnetdiag.hpp"
#include "tests/support/knot.hpp"
#include "tests/support/loopback_drop.hpp"
#include "tests/support/netns.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tinyproxy.hpp"

using namespace vnetdiag::testing;
using nlohmann::json;
using Strings = std::set<std::string>;

namespace {

constexpr const char* kWorkspaceId = "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
constexpr const char* kPublicBlobIp = "20.60.1.4";  // a public address, routed into the test's namespace

/// Which faults to plant.
struct Faults {
  bool storage_resolves_publicly = false;  // the blob name's privatelink alias ends in a public A record
  bool key_vault_record_missing = false;   // the vault's name is missing from its privatelink zone
  bool smb_black_holed = false;            // port 445 of the storage account is dropped
  bool intercepted_package_repository = false;  // pypi.org presents a certificate from a firewall's CA
  bool proxy_wants_credentials = false;   // the proxy answers 407
  bool any() const {
    return storage_resolves_publicly || key_vault_record_missing || smb_black_holed || intercepted_package_repository ||
           proxy_wants_credentials;
  }
};

const std::set<std::string> kServed{"storage.blob", "storage.dfs",  "storage.file",   "storage.queue", "storage.table",
                                    "storage.file.smb", "keyvault", "acr.login",      "acr.data",      "mcr",
                                    "pypi",         "workspace.api", "workspace.cert", "discovery",     "azure.dns"};

std::vector<KnotZone> zones(const Faults& f) {
  const std::string ws = kWorkspaceId;
  std::vector<KnotZone> z{
      {"core.windows.net", {}},
      {"azureml.ms",
       {ws + ".workspace.eastus.api CNAME " + ws + ".workspace.eastus.privatelink.api",
        ws + ".workspace.eastus.privatelink.api A 127.23.0.6", ws + ".workspace.eastus.cert.api A 127.23.0.6",
        "eastus.api A 127.23.0.6"}},
      {"azure.net", {"vndtestkv.vault CNAME vndtestkv.privatelink.vaultcore"}},
      {"azurecr.io",
       {"vndtestacr CNAME vndtestacr.privatelink", "vndtestacr.privatelink A 127.23.0.8",
        "vndtestacr.eastus.data CNAME vndtestacr.eastus.data.privatelink", "vndtestacr.eastus.data.privatelink A 127.23.0.8"}},
      {"microsoft.com", {"mcr A 127.23.0.9"}},
      {"pypi.org", {"@ A 127.23.0.10"}},
  };
  if (!f.key_vault_record_missing) z[2].records.push_back("vndtestkv.privatelink.vaultcore A 127.23.0.7");
  for (const char* service : {"blob", "file", "dfs", "queue", "table"}) {
    z[0].records.push_back(std::string("vndtest01.") + service + " CNAME vndtest01.privatelink." + service);
    if (service == std::string("blob") && f.storage_resolves_publicly) {
      z[0].records.push_back("vndtest01.privatelink.blob CNAME blob.bn9prdstr08a.store");
      z[0].records.push_back(std::string("blob.bn9prdstr08a.store A ") + kPublicBlobIp);
    } else {
      z[0].records.push_back(std::string("vndtest01.privatelink.") + service + " A 127.23.0.5");
    }
  }
  return z;
}

constexpr const char* kImdsDocument = R"({"compute":{"azEnvironment":"AzurePublicCloud","location":"eastus","name":"jumpbox","vmId":"11111111-2222-3333-4444-555555555555","subscriptionId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","resourceGroupName":"rg-ml"},"network":{"interface":[{"ipv4":{"ipAddress":[{"privateIpAddress":"127.23.0.20","publicIpAddress":""}],"subnet":[{"address":"127.23.0.0","prefix":"16"}]},"ipv6":{"ipAddress":[]},"macAddress":"000D3A000001"}]}})";

/// A VNet with the workspace's private endpoints, its DNS, a metadata service and (optionally) a proxy.
struct LocalVnet {
  Faults faults;
  TempDir dir;
  Pki pki{dir, "vnetdiag Test Root CA"};
  Pki firewall{dir, "Contoso Firewall Inspection CA"};
  Knot resolver;
  Knot azure_dns;
  std::unique_ptr<BlackholeNetns> hole;
  std::unique_ptr<LoopbackDrop> smb_drop;
  std::unique_ptr<Tinyproxy> proxy;
  std::unique_ptr<Nginx> nginx;
  std::filesystem::path config;

  explicit LocalVnet(Faults f)
      : faults(f), resolver(zones(f), dir, "127.53.23.1", 53), azure_dns(zones(f), dir, "127.53.23.2", 53) {
    if (f.storage_resolves_publicly) {
      hole = std::make_unique<BlackholeNetns>();
      hole->route_here(kPublicBlobIp);
    }
    const std::string ws = kWorkspaceId;
    std::vector<std::string> storage;
    for (const char* service : {"blob", "file", "dfs", "queue", "table"})
      storage.push_back(std::string("vndtest01.") + service + ".core.windows.net");
    auto status = [](int code, std::vector<std::pair<std::string, std::string>> headers = {}) {
      return std::vector<NginxLocation>{{.status = code, .headers = std::move(headers), .body = "{}"}};
    };
    nginx = std::make_unique<Nginx>(
        std::vector<NginxSite>{
            {.listen_ip = "127.23.0.5", .port = 443, .tls = true, .cert = pki.leaf({.dns_names = storage}),
             .locations = status(401, {{"x-ms-error-code", "NoAuthenticationInformation"}})},
            {.listen_ip = "127.23.0.5", .port = 445},
            {.listen_ip = "127.23.0.6", .port = 443, .tls = true,
             .cert = pki.leaf({.dns_names = {ws + ".workspace.eastus.api.azureml.ms",
                                             ws + ".workspace.eastus.cert.api.azureml.ms", "eastus.api.azureml.ms"},
                               .common_name = "workspace.eastus.api.azureml.ms"})},
            {.listen_ip = "127.23.0.7", .port = 443, .tls = true, .cert = pki.leaf({.dns_names = {"vndtestkv.vault.azure.net"}}),
             .locations = status(401)},
            {.listen_ip = "127.23.0.8", .port = 443, .tls = true,
             .cert = pki.leaf({.dns_names = {"vndtestacr.azurecr.io", "vndtestacr.eastus.data.azurecr.io"}}),
             .locations = status(401)},
            {.listen_ip = "127.23.0.9", .port = 443, .tls = true, .cert = pki.leaf({.dns_names = {"mcr.microsoft.com"}}),
             .locations = status(200)},
            {.listen_ip = "127.23.0.10", .port = 443, .tls = true,
             .cert = (f.intercepted_package_repository ? firewall : pki).leaf({.dns_names = {"pypi.org"}})},
            {.listen_ip = "127.23.0.11", .port = 80,
             .locations = {{.path = "/metadata/instance", .status = 200,
                            .headers = {{"Content-Type", "application/json"}}, .body = kImdsDocument}}},
        },
        dir);
    // After nginx is up (it waits for every port to accept): from here SYNs to 445 vanish.
    if (f.smb_black_holed) smb_drop = std::make_unique<LoopbackDrop>("127.23.0.5", 445);
    json proxy_setting = nullptr;
    if (f.proxy_wants_credentials) {
      proxy = std::make_unique<Tinyproxy>(
          TinyproxyConfig{.basic_auth = std::pair<std::string, std::string>{"svc-ml", "n0t-given"}}, dir);
      // Everything private goes direct; the public registry goes through the proxy, as a firewall policy would want.
      proxy_setting = {{"url", proxy->url()},
                       {"no_proxy", ".core.windows.net,.azureml.ms,.azure.net,.azurecr.io,pypi.org,"
                                    "169.254.169.254,168.63.129.16,127.23.0.11"}};
    }
    write_config(proxy_setting, {});
    // Skip what this small VNet does not serve: ARM, Entra ID, the other package repositories, ...
    auto plan = run_vnetdiag(with_workspace({"targets", "--json"}));
    REQUIRE(plan.exit_code == 0);
    std::vector<std::string> skip;
    const auto planned = json::parse(json_part(plan.output));
    for (const auto& t : planned["targets"])
      if (!kServed.contains(t["id"]) && t["id"] != "imds") skip.push_back(t["id"]);
    write_config(proxy_setting, skip);
  }

  void write_config(const json& proxy_setting, const std::vector<std::string>& skip) {
    json c{{"vnet", {"127.23.0.0/16"}},
           {"expect_private_endpoints", true},
           {"resolv_conf", dir.write("resolv.conf", "nameserver 127.53.23.1\n").string()},
           {"hosts_file", dir.write("hosts", "127.0.0.1 localhost\n").string()},
           {"ca_file", pki.ca_file().string()},
           {"tls_issuers", {"vnetdiag Test Root CA"}},
           {"azure_dns", "127.53.23.2"},
           {"metadata_url", "http://127.23.0.11"},
           {"skip", skip},
           {"budgets_ms", {{"dns", 1000}, {"connect", 1000}, {"tls", 2000}, {"http", 2000}, {"deadline", 15000}}}};
    if (!proxy_setting.is_null()) c["proxy"] = proxy_setting;
    config = dir.write("vnetdiag.json", c.dump(2));
  }

  std::vector<std::string> with_workspace(std::vector<std::string> args) const {
    for (const char* a : {"--workspace-id", kWorkspaceId, "--region", "eastus", "--storage-account", "vndtest01",
                          "--key-vault", "vndtestkv", "--acr", "vndtestacr"})
      args.push_back(a);
    args.push_back("--config");
    args.push_back(config.string());
    return args;
  }
};

std::map<std::string, Strings> codes_and_targets(const json& report) {
  std::map<std::string, Strings> out;
  for (const auto& f : report["findings"])
    for (const auto& t : f["targets"]) out[f["code"]].insert(t.get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("five faults planted at once give exactly their five findings, with fixes, and none for healthy targets",
          "[findings][e2e][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  LocalVnet vnet({.storage_resolves_publicly = true,
                  .key_vault_record_missing = true,
                  .smb_black_holed = true,
                  .intercepted_package_repository = true,
                  .proxy_wants_credentials = true});
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--format", "json"}));
  INFO(r.output.substr(0, 6000));
  CHECK(r.exit_code == 1);
  auto report = json::parse(json_part(r.output));
  const auto found = codes_and_targets(report);
  CHECK(found == std::map<std::string, Strings>{{"VND-DNS-002", {"storage.blob"}},
                                                {"VND-DNS-004", {"keyvault"}},
                                                {"VND-NET-003", {"storage.file.smb"}},
                                                {"VND-TLS-001", {"pypi"}},
                                                {"VND-PXY-001", {"mcr"}}});
  for (const auto& f : report["findings"]) {
    INFO(f["code"]);
    CHECK_FALSE(f["fix"].get<std::string>().empty());
    CHECK(f["docUrl"].get<std::string>().starts_with("https://"));
    CHECK_FALSE(f["evidence"].get<std::string>().empty());
  }
}

TEST_CASE("the same VNet without faults is healthy: exit 0 and no findings", "[findings][e2e]") {
  LocalVnet vnet({});
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--format", "json"}));
  INFO(r.output.substr(0, 6000));
  auto report = json::parse(json_part(r.output));
  CHECK(report["findings"].empty());
  CHECK(r.exit_code == 0);
  std::size_t probed = 0;
  for (const auto& t : report["targets"]) {
    INFO(t["context"]["id"]);
    CHECK(t["healthy"] == true);
    ++probed;
  }
  CHECK(probed == kServed.size());
}
