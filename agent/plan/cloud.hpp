// The Azure clouds vnetdiag knows, and every name that differs between them: one table (cloud.cpp), read
// by the catalog, the plan and the workspace parser.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace vnetdiag {

/// A sovereign Azure cloud: each has its own host names, privatelink zones and control plane.
enum class Cloud { public_cloud, china, usgov };

/// Per-cloud facts (azureml-network-facts.md §1): the domains a catalog row's `{name}` tokens stand for,
/// and the names that identify the cloud. Empty: the cloud has no such host, or the facts do not name it.
struct CloudFacts {
  Cloud cloud;
  std::string_view name;            ///< "public", "china", "usgov"
  std::string_view cli_name;        ///< the Azure CLI's: "AzureCloud", "AzureChinaCloud", "AzureUSGovernment"
  std::string_view az_environment;  ///< the instance metadata's compute.azEnvironment
  std::array<std::string_view, 2> region_prefixes;  ///< ARM location names of the cloud start so (public: none)
  std::string_view resource_manager;  ///< ARM's URL, also its token audience (trailing '/' included)
  // Host suffixes, in the order of the facts' sections.
  std::string_view api;              ///< {api}: Azure ML API (§1.1)
  std::string_view notebooks;        ///< {notebooks}: integrated notebooks (§1.1)
  std::string_view instances;        ///< {instances}: compute instances (§1.1)
  std::string_view inference;        ///< {inference}: managed online endpoints (§1.1)
  std::string_view modelmanagement;  ///< {modelmanagement}: the model management host pattern (§1.2)
  std::string_view studio;           ///< {studio} (§1.2)
  std::string_view graph;            ///< {graph}: Microsoft Graph (§1.2)
  std::string_view graph_legacy;     ///< {graph_legacy}: Azure AD Graph for compute (§1.3); "" when {graph} serves it
  std::string_view tundra;           ///< {tundra}: compute instance management, UDP (§1.3)
  std::string_view storage;          ///< {storage}: "core.windows.net" (§1.4)
  std::string_view vault;            ///< {vault}: key vault hosts (§1.5)
  std::string_view vaultcore;        ///< {vaultcore}: the key vault's privatelink zone is privatelink.{vaultcore} (§1.5)
  std::string_view acr;              ///< {acr}: container registries (§1.6)
  std::string_view acr_data_zone;    ///< {acr_data_zone}: the data endpoint's zone; "" when unconfirmed (§1.6)
  std::string_view login;            ///< {login}: Entra ID (§1.8)
  std::string_view arm;              ///< {arm}: Resource Manager's host (§1.8)
  std::string_view portal;           ///< {portal}: the portal's management host when it is not {arm} (§1.8)
  std::string_view batch;            ///< {batch}: Batch (§1.9)
  std::string_view monitor_zone;     ///< {monitor_zone}: Azure Monitor's privatelink zone; "" when unconfirmed (§1.10)
  // Where the per-cloud names above come from, for the rows' `facts` column.
  std::string_view acr_sources;      ///< {acr_sources}
  std::string_view acr_data_note;    ///< {acr_data_note}
  std::string_view analogy_note;     ///< {analogy_note}: which names follow the public cloud's by analogy
  std::string_view batch_sources;    ///< {batch_sources}
};

/// The facts of `cloud`.
const CloudFacts& facts_of(Cloud cloud);

/// Parses "public", "china", "usgov" or the Azure CLI names "AzureCloud", "AzureChinaCloud",
/// "AzureUSGovernment" (case-insensitive). nullopt for anything else.
std::optional<Cloud> parse_cloud(std::string_view text);

/// The short name used in flags, config and reports: "public", "china", "usgov".
std::string_view to_string(Cloud cloud);

/// The cloud a region belongs to ("chinaeast2" → china, "usgovvirginia" → usgov, others → public).
/// nullopt for an empty region.
std::optional<Cloud> cloud_of_region(std::string_view region);

/// The cloud whose Azure ML API domain ends `host` ("eastus.api.azureml.ms" → public). nullopt if none.
std::optional<Cloud> cloud_of_api_host(std::string_view host);

/// The cloud whose notebooks domain ends `host` (".notebooks.azure.net" → public). nullopt if none.
std::optional<Cloud> cloud_of_notebook_host(std::string_view host);

/// The Azure ML API domain of `cloud`: "api.azureml.ms", "api.ml.azure.cn", "api.ml.azure.us".
std::string_view api_domain(Cloud cloud);

/// Azure Resource Manager of `cloud`, which is also its token audience: "https://management.azure.com/",
/// "https://management.chinacloudapi.cn/", "https://management.usgovcloudapi.net/".
std::string_view resource_manager_url(Cloud cloud);

/// The cloud the instance metadata's `compute.azEnvironment` names ("AzurePublicCloud", "AzureChinaCloud",
/// "AzureUSGovernmentCloud", compared without case). nullopt for anything else.
std::optional<Cloud> cloud_of_az_environment(std::string_view az_environment);

}  // namespace vnetdiag
