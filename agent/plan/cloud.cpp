#include "agent/plan/cloud.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace vnetdiag {
namespace {

struct CloudNames {
  Cloud cloud;
  std::string_view name;
  std::string_view cli_name;
  // Workspace API and notebook domains: azureml-network-facts.md §1.1 [S3]. The facts name the
  // workspace hosts; that the regional discovery host uses the same domain is an inference from
  // the public `discoveryUrl` (https://<region>.api.azureml.ms/discovery, §1.2/§1.14 [S40]).
  std::string_view api_domain;
  std::string_view notebook_domain;
  // ARM location names of each sovereign cloud (Azure's region list; not in the facts doc).
  std::array<std::string_view, 2> region_prefixes;
  // The instance metadata's compute.azEnvironment, and Azure Resource Manager's URL, which is also the
  // audience of its tokens (the trailing '/' belongs to the audience as Entra ID issues it).
  std::string_view az_environment;
  std::string_view resource_manager;
};

constexpr std::array<CloudNames, 3> kClouds{{
    {Cloud::public_cloud, "public", "AzureCloud", "api.azureml.ms", "notebooks.azure.net", {"", ""},
     "AzurePublicCloud", "https://management.azure.com/"},
    {Cloud::china, "china", "AzureChinaCloud", "api.ml.azure.cn", "notebooks.chinacloudapi.cn", {"china", ""},
     "AzureChinaCloud", "https://management.chinacloudapi.cn/"},
    {Cloud::usgov, "usgov", "AzureUSGovernment", "api.ml.azure.us", "notebooks.usgovcloudapi.net", {"usgov", "usdod"},
     "AzureUSGovernmentCloud", "https://management.usgovcloudapi.net/"},
}};

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// True when `host` is `domain` or a name below it, compared without case.
bool under_domain(std::string_view host, std::string_view domain) {
  if (host.size() <= domain.size()) return false;
  return host[host.size() - domain.size() - 1] == '.' && iequals(host.substr(host.size() - domain.size()), domain);
}

const CloudNames& names(Cloud cloud) {
  return *std::ranges::find(kClouds, cloud, &CloudNames::cloud);
}

}  // namespace

std::optional<Cloud> parse_cloud(std::string_view text) {
  for (const auto& c : kClouds) {
    if (iequals(text, c.name) || iequals(text, c.cli_name)) return c.cloud;
  }
  return std::nullopt;
}

std::string_view to_string(Cloud cloud) { return names(cloud).name; }

std::string_view api_domain(Cloud cloud) { return names(cloud).api_domain; }

std::string_view resource_manager_url(Cloud cloud) { return names(cloud).resource_manager; }

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
    if (under_domain(host, c.api_domain)) return c.cloud;
  }
  return std::nullopt;
}

std::optional<Cloud> cloud_of_notebook_host(std::string_view host) {
  for (const auto& c : kClouds) {
    if (under_domain(host, c.notebook_domain)) return c.cloud;
  }
  return std::nullopt;
}

}  // namespace vnetdiag
