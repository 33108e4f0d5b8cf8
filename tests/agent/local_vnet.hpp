// A small VNet of real servers for end-to-end runs of `vnetdiag check`: Knot as the machine's resolver
// and as "Azure DNS", nginx with minted certificates as the private endpoints and public services, a
// metadata service, optionally a proxy, and faults planted on request. Every address is loopback or
// inside a namespace the test created (the "public" storage address is routed into one).
#pragma once

#include <catch2/catch.hpp>
#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/agent/run_vnetdiag.hpp"
#include "tests/support/knot.hpp"
#include "tests/support/loopback_drop.hpp"
#include "tests/support/netns.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tinyproxy.hpp"

namespace vnetdiag::testing {

using nlohmann::json;

/// An address of this test process's own VNet range, 127.A.B.n with A.B from the process id, so that
/// test processes running side by side never share an address (or port 53).
inline std::string vnet_ip(int n) {
  static const std::string prefix = [] {
    const auto pid = static_cast<long>(::getpid());
    return "127." + std::to_string(100 + (pid / 256) % 120) + "." + std::to_string(pid % 256) + ".";
  }();
  return prefix + std::to_string(n);
}

inline constexpr const char* kWorkspaceId = "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
/// A public address for the storage account's public answer, routed into the test's namespace (per process,
/// so that test processes side by side do not add the same route).
inline std::string public_blob_ip() {
  const auto pid = static_cast<long>(::getpid());
  return "20.60." + std::to_string((pid / 256) % 256) + "." + std::to_string(pid % 250 + 1);
}

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

inline const std::set<std::string> kServed{"storage.blob", "storage.dfs",  "storage.file",   "storage.queue", "storage.table",
                                    "storage.file.smb", "keyvault", "acr.login",      "acr.data",      "mcr",
                                    "pypi",         "workspace.api", "workspace.cert", "discovery",     "azure.dns"};

inline std::vector<KnotZone> zones(const Faults& f) {
  const std::string ws = kWorkspaceId;
  std::vector<KnotZone> z{
      {"core.windows.net", {}},
      {"azureml.ms",
       {ws + ".workspace.eastus.api CNAME " + ws + ".workspace.eastus.privatelink.api",
        ws + ".workspace.eastus.privatelink.api A " + vnet_ip(6), ws + ".workspace.eastus.cert.api A " + vnet_ip(6),
        "eastus.api A " + vnet_ip(6)}},
      {"azure.net", {"vndtestkv.vault CNAME vndtestkv.privatelink.vaultcore"}},
      {"azurecr.io",
       {"vndtestacr CNAME vndtestacr.privatelink", "vndtestacr.privatelink A " + vnet_ip(8),
        "vndtestacr.eastus.data CNAME vndtestacr.eastus.data.privatelink", "vndtestacr.eastus.data.privatelink A " + vnet_ip(8)}},
      {"microsoft.com", {"mcr A " + vnet_ip(9)}},
      {"pypi.org", {"@ A " + vnet_ip(10)}},
  };
  if (!f.key_vault_record_missing) z[2].records.push_back("vndtestkv.privatelink.vaultcore A " + vnet_ip(7));
  for (const char* service : {"blob", "file", "dfs", "queue", "table"}) {
    z[0].records.push_back(std::string("vndtest01.") + service + " CNAME vndtest01.privatelink." + service);
    if (service == std::string("blob") && f.storage_resolves_publicly) {
      z[0].records.push_back("vndtest01.privatelink.blob CNAME blob.bn9prdstr08a.store");
      z[0].records.push_back("blob.bn9prdstr08a.store A " + public_blob_ip());
    } else {
      z[0].records.push_back(std::string("vndtest01.privatelink.") + service + " A " + vnet_ip(5));
    }
  }
  return z;
}

inline constexpr const char* kImdsPublicIp = "52.170.1.2";
inline constexpr const char* kImdsSubscription = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
/// The metadata document of this VM, inside the test's VNet range.
inline std::string imds_document() {
  return json{{"compute",
               {{"azEnvironment", "AzurePublicCloud"}, {"location", "eastus"}, {"name", "jumpbox"},
                {"vmId", "11111111-2222-3333-4444-555555555555"}, {"subscriptionId", kImdsSubscription},
                {"resourceGroupName", "rg-ml"}}},
              {"network",
               {{"interface",
                 {{{"ipv4", {{"ipAddress", {{{"privateIpAddress", vnet_ip(20)}, {"publicIpAddress", kImdsPublicIp}}}},
                             {"subnet", {{{"address", vnet_ip(0)}, {"prefix", "24"}}}}}},
                   {"ipv6", {{"ipAddress", json::array()}}},
                   {"macAddress", "000D3A000001"}}}}}}}
      .dump();
}

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

  /// `proxy_credentials` ("user:password") go into the config's proxy URL when the proxy is planted.
  explicit LocalVnet(Faults f, std::string proxy_credentials = {})
      : faults(f), resolver(zones(f), dir, vnet_ip(53), 53), azure_dns(zones(f), dir, vnet_ip(54), 53) {
    if (f.storage_resolves_publicly) {
      hole = std::make_unique<BlackholeNetns>();
      hole->route_here(public_blob_ip());
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
            {.listen_ip = vnet_ip(5), .port = 443, .tls = true, .cert = pki.leaf({.dns_names = storage}),
             .locations = status(401, {{"x-ms-error-code", "NoAuthenticationInformation"}})},
            {.listen_ip = vnet_ip(5), .port = 445},
            {.listen_ip = vnet_ip(6), .port = 443, .tls = true,
             .cert = pki.leaf({.dns_names = {ws + ".workspace.eastus.api.azureml.ms",
                                             ws + ".workspace.eastus.cert.api.azureml.ms", "eastus.api.azureml.ms"},
                               .common_name = "workspace.eastus.api.azureml.ms"})},
            {.listen_ip = vnet_ip(7), .port = 443, .tls = true, .cert = pki.leaf({.dns_names = {"vndtestkv.vault.azure.net"}}),
             .locations = status(401)},
            {.listen_ip = vnet_ip(8), .port = 443, .tls = true,
             .cert = pki.leaf({.dns_names = {"vndtestacr.azurecr.io", "vndtestacr.eastus.data.azurecr.io"}}),
             .locations = status(401)},
            {.listen_ip = vnet_ip(9), .port = 443, .tls = true, .cert = pki.leaf({.dns_names = {"mcr.microsoft.com"}}),
             .locations = status(200)},
            {.listen_ip = vnet_ip(10), .port = 443, .tls = true,
             .cert = (f.intercepted_package_repository ? firewall : pki).leaf({.dns_names = {"pypi.org"}})},
            {.listen_ip = vnet_ip(11), .port = 80,
             .locations = {{.path = "/metadata/instance", .status = 200,
                            .headers = {{"Content-Type", "application/json"}}, .body = imds_document()}}},
        },
        dir);
    // After nginx is up (it waits for every port to accept): from here SYNs to 445 vanish.
    if (f.smb_black_holed) smb_drop = std::make_unique<LoopbackDrop>(vnet_ip(5), 445);
    json proxy_setting = nullptr;
    if (f.proxy_wants_credentials) {
      proxy = std::make_unique<Tinyproxy>(
          TinyproxyConfig{.basic_auth = std::pair<std::string, std::string>{"svc-ml", "n0t-given"}}, dir);
      // Everything private goes direct; the public registry goes through the proxy, as a firewall policy would want.
      auto url = proxy->url();
      if (!proxy_credentials.empty()) url.insert(std::string("http://").size(), proxy_credentials + "@");
      proxy_setting = {{"url", url},
                       {"no_proxy", ".core.windows.net,.azureml.ms,.azure.net,.azurecr.io,pypi.org,"
                                    "169.254.169.254,168.63.129.16," + vnet_ip(11)}};
    }
    write_config(proxy_setting, {});
    // Skip what this small VNet does not serve: ARM, Entra ID, the other package repositories, ...
    auto plan = run_vnetdiag(with_workspace({"targets", "--json"}));
    REQUIRE(plan.exit_code == 0);
    std::vector<std::string> skip;
    const auto planned = json::parse(json_part(plan.output));
    for (const auto& t : planned["targets"]) {
      if (!kServed.contains(t["id"]) && t["id"] != "imds") skip.push_back(t["id"]);
      if (t.contains("merged_untested"))  // shown as one entry, each its own target
        for (const auto& id : t["merged_untested"]) skip.push_back(id);
    }
    write_config(proxy_setting, skip);
  }

  void write_config(const json& proxy_setting, const std::vector<std::string>& skip) {
    json c{{"vnet", {vnet_ip(0) + "/24"}},
           {"expect_private_endpoints", true},
           {"resolv_conf", dir.write("resolv.conf", "nameserver " + vnet_ip(53) + "\n").string()},
           {"hosts_file", dir.write("hosts", "127.0.0.1 localhost\n").string()},
           {"ca_file", pki.ca_file().string()},
           {"tls_issuers", {"vnetdiag Test Root CA"}},
           {"azure_dns", vnet_ip(54)},
           {"metadata_url", "http://" + vnet_ip(11)},
           {"skip", skip},
           {"budgets_ms", {{"dns", 1000}, {"connect", 1000}, {"tls", 2000}, {"http", 2000}, {"deadline", 15000}}}};
    if (!proxy_setting.is_null()) c["proxy"] = proxy_setting;
    config = dir.write("vnetdiag.json", c.dump(2));
  }

  /// This machine's name, which --redact must hide.
  static std::string hostname() {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return name;
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

}  // namespace vnetdiag::testing
