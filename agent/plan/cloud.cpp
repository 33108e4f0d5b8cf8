#include "agent/plan/cloud.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace vnetdiag {
namespace {

// One row per cloud. Sources, azureml-network-facts.md: §1.1 [S3] (API, notebooks, instances,
// inference), §1.2 [S4] (studio, Graph, model management), §1.3 [S4] (Graph for compute, tundra),
// §1.4 [S5] (storage), §1.5 [S4][S5] (vault), §1.6 [S5][S24][S27][S28] (registries), §1.8 [S4] (Entra ID,
// ARM, portal), §1.9 [S5] (Batch), §1.10 [S5][S32] (Azure Monitor). The ARM location prefixes are Azure's
// region list (not in the facts); the instance metadata's azEnvironment names are [S11]. That the
// regional discovery host uses the API domain is an inference from the public discoveryUrl (§1.14 [S40]).
constexpr std::array<CloudFacts, 3> kClouds{{
    {.cloud = Cloud::public_cloud, .name = "public", .cli_name = "AzureCloud", .az_environment = "AzurePublicCloud",
     .region_prefixes = {"", ""}, .resource_manager = "https://management.azure.com/",
     .api = "api.azureml.ms", .notebooks = "notebooks.azure.net", .instances = "instances.azureml.ms",
     .inference = "inference.ml.azure.com", .modelmanagement = "<region>.modelmanagement.azureml.net",
     .studio = "ml.azure.com", .graph = "graph.microsoft.com", .graph_legacy = "graph.windows.net",
     .tundra = "tundra.azureml.ms", .storage = "core.windows.net", .vault = "vault.azure.net",
     .vaultcore = "vaultcore.azure.net", .acr = "azurecr.io", .acr_data_zone = "privatelink.azurecr.io",
     .login = "login.microsoftonline.com", .arm = "management.azure.com", .portal = "",
     .batch = "batch.azure.com", .monitor_zone = "privatelink.monitor.azure.com",
     .acr_sources = "[S5][S19][S59]", .acr_data_note = "§1.6 [S5][S19][S27][S29]", .analogy_note = "",
     .batch_sources = "§1.3, §1.9 [S2][S5][S13]"},
    {.cloud = Cloud::china, .name = "china", .cli_name = "AzureChinaCloud", .az_environment = "AzureChinaCloud",
     .region_prefixes = {"china", ""}, .resource_manager = "https://management.chinacloudapi.cn/",
     .api = "api.ml.azure.cn", .notebooks = "notebooks.chinacloudapi.cn", .instances = "instances.azureml.cn",
     .inference = "inference.ml.azure.cn", .modelmanagement = "*.modelmanagement.ml.azure.cn",
     .studio = "studio.ml.azure.cn", .graph = "graph.chinacloudapi.cn", .graph_legacy = "",
     .tundra = "tundra.azureml.cn", .storage = "core.chinacloudapi.cn", .vault = "vault.azure.cn",
     .vaultcore = "vaultcore.azure.cn", .acr = "azurecr.cn", .acr_data_zone = "",
     .login = "login.chinacloudapi.cn", .arm = "management.chinacloudapi.cn", .portal = "management.azure.cn",
     .batch = "batch.chinacloudapi.cn", .monitor_zone = "",
     .acr_sources = "[S24][S28][S59]", .acr_data_note = "§1.6 [S27]; privatelink zone UNCONFIRMED (§6.3), none asserted",
     .analogy_note = "; ports on the China instance host, and the China discovery host, by analogy with the public cloud (§6.2)",
     .batch_sources = "§1.9 [S5], §1.12 [S2]; the firewall article lists no China Batch hosts, these follow the China Batch zones"},
    {.cloud = Cloud::usgov, .name = "usgov", .cli_name = "AzureUSGovernment", .az_environment = "AzureUSGovernmentCloud",
     .region_prefixes = {"usgov", "usdod"}, .resource_manager = "https://management.usgovcloudapi.net/",
     .api = "api.ml.azure.us", .notebooks = "notebooks.usgovcloudapi.net", .instances = "instances.azureml.us",
     .inference = "inference.ml.azure.us", .modelmanagement = "*.modelmanagement.azureml.us",
     .studio = "ml.azure.us", .graph = "graph.microsoft.us", .graph_legacy = "graph.windows.net",
     .tundra = "tundra.azureml.us", .storage = "core.usgovcloudapi.net", .vault = "vault.usgovcloudapi.net",
     .vaultcore = "vaultcore.usgovcloudapi.net", .acr = "azurecr.us", .acr_data_zone = "privatelink.azurecr.us",
     .login = "login.microsoftonline.us", .arm = "management.usgovcloudapi.net", .portal = "management.azure.us",
     .batch = "batch.usgovcloudapi.net", .monitor_zone = "privatelink.monitor.azure.us",
     .acr_sources = "[S5][S59]",
     .acr_data_note = "§1.6 [S5][S27]; US Gov data endpoint host by analogy with the public cloud (UNCONFIRMED)",
     .analogy_note = "; ports on the US Gov instance host, and the US Gov discovery host, by analogy with the public cloud (§6.2)",
     .batch_sources = "§1.9 [S5], §1.12 [S2]; the firewall article lists no US Gov Batch hosts, these follow the US Gov Batch zones"},
}};

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// True when `host` is `domain` or a name below it, compared without case.
bool under_domain(std::string_view host, std::string_view domain) {
  if (host.size() <= domain.size()) return false;
  return host[host.size() - domain.size() - 1] == '.' && iequals(host.substr(host.size() - domain.size()), domain);
}

}  // namespace

const CloudFacts& facts_of(Cloud cloud) { return *std::ranges::find(kClouds, cloud, &CloudFacts::cloud); }

std::optional<Cloud> parse_cloud(std::string_view text) {
  for (const auto& c : kClouds) {
    if (iequals(text, c.name) || iequals(text, c.cli_name)) return c.cloud;
  }
  return std::nullopt;
}

std::string_view to_string(Cloud cloud) { return facts_of(cloud).name; }

std::string_view api_domain(Cloud cloud) { return facts_of(cloud).api; }

std::string_view resource_manager_url(Cloud cloud) { return facts_of(cloud).resource_manager; }

std::optional<Cloud> cloud_of_az_environment(std::string_view az_environment) {
  for (const auto& c : kClouds) {
    if (iequals(az_environment, c.az_environment)) return c.cloud;
  }
  return std::nullopt;
}

std::optional<Cloud> cloud_of_region(std::string_view region) {
  if (region.empty()) return std::nullopt;
  for (const auto& c : kClouds) {
    for (auto prefix : c.region_prefixes) {
      if (!prefix.empty() && region.size() > prefix.size() && iequals(region.substr(0, prefix.size()), prefix)) {
        return c.cloud;
      }
    }
  }
  return Cloud::public_cloud;
}

std::optional<Cloud> cloud_of_api_host(std::string_view host) {
  for (const auto& c : kClouds) {
    if (under_domain(host, c.api)) return c.cloud;
  }
  return std::nullopt;
}

std::optional<Cloud> cloud_of_notebook_host(std::string_view host) {
  for (const auto& c : kClouds) {
    if (under_domain(host, c.notebooks)) return c.cloud;
  }
  return std::nullopt;
}

}  // namespace vnetdiag
