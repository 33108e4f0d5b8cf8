// The Azure clouds vnetdiag knows, and the names that identify each one.
#pragma once

#include <optional>
#include <string_view>

namespace vnetdiag {

/// A sovereign Azure cloud: each has its own host names, privatelink zones and control plane.
enum class Cloud { public_cloud, china, usgov };

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
