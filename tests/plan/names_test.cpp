// Azure naming rules, resource IDs and cloud names.
#include <catch2/catch.hpp>

#include "agent/plan/azure_names.hpp"
#include "agent/plan/cloud.hpp"

namespace vnetdiag {

TEST_CASE("cloud names parse from the short and the Azure CLI spellings", "[plan][names]") {
  CHECK(parse_cloud("public") == Cloud::public_cloud);
  CHECK(parse_cloud("AzureCloud") == Cloud::public_cloud);
  CHECK(parse_cloud("china") == Cloud::china);
  CHECK(parse_cloud("azurechinacloud") == Cloud::china);
  CHECK(parse_cloud("usgov") == Cloud::usgov);
  CHECK(parse_cloud("AzureUSGovernment") == Cloud::usgov);
  CHECK_FALSE(parse_cloud("germany"));
  CHECK_FALSE(parse_cloud(""));
  CHECK(to_string(Cloud::usgov) == "usgov");
}

TEST_CASE("a region, an API host or a notebooks host names its cloud", "[plan][names]") {
  CHECK(cloud_of_region("eastus") == Cloud::public_cloud);
  CHECK(cloud_of_region("chinaeast2") == Cloud::china);
  CHECK(cloud_of_region("usgovvirginia") == Cloud::usgov);
  CHECK(cloud_of_region("usdodeast") == Cloud::usgov);
  CHECK(cloud_of_api_host("westeurope.api.azureml.ms") == Cloud::public_cloud);
  CHECK(cloud_of_api_host("chinaeast2.api.ml.azure.cn") == Cloud::china);
  CHECK(cloud_of_api_host("usgovvirginia.api.ml.azure.us") == Cloud::usgov);
  CHECK_FALSE(cloud_of_api_host("api.azureml.ms"));
  CHECK_FALSE(cloud_of_api_host("evilapi.azureml.ms.example.com"));
  CHECK(cloud_of_notebook_host("ml-a-eastus-x.eastus.notebooks.azure.net") == Cloud::public_cloud);
  CHECK(cloud_of_notebook_host("ml-a.chinaeast2.notebooks.chinacloudapi.cn") == Cloud::china);
}

TEST_CASE("the metadata's azEnvironment names its cloud, and each cloud has its own Resource Manager", "[plan][names]") {
  CHECK(cloud_of_az_environment("AzurePublicCloud") == Cloud::public_cloud);
  CHECK(cloud_of_az_environment("azurechinacloud") == Cloud::china);
  CHECK(cloud_of_az_environment("AzureUSGovernmentCloud") == Cloud::usgov);
  CHECK_FALSE(cloud_of_az_environment("AzureGermanCloud"));
  CHECK_FALSE(cloud_of_az_environment(""));
  CHECK(resource_manager_url(Cloud::public_cloud) == "https://management.azure.com/");
  CHECK(resource_manager_url(Cloud::china) == "https://management.chinacloudapi.cn/");
  CHECK(resource_manager_url(Cloud::usgov) == "https://management.usgovcloudapi.net/");
}

TEST_CASE("storage, key vault and registry names follow Azure's naming rules", "[plan][names]") {
  CHECK(name_problem(NameKind::storage_account, "contosoml4821").empty());
  CHECK_FALSE(name_problem(NameKind::storage_account, "ab").empty());
  CHECK_FALSE(name_problem(NameKind::storage_account, "contoso-ml").empty());
  CHECK_FALSE(name_problem(NameKind::storage_account, "a234567890123456789012345").empty());
  CHECK(name_problem(NameKind::key_vault, "kv-contoso-ml-4821").empty());
  CHECK_FALSE(name_problem(NameKind::key_vault, "kv--double").empty());
  CHECK_FALSE(name_problem(NameKind::key_vault, "1kv").empty());
  CHECK_FALSE(name_problem(NameKind::key_vault, "kv-").empty());
  CHECK(name_problem(NameKind::container_registry, "crcontosoml4821").empty());
  CHECK_FALSE(name_problem(NameKind::container_registry, "acr").empty());
  CHECK_FALSE(name_problem(NameKind::container_registry, "cr-contoso").empty());
  CHECK(name_problem(NameKind::guid, "0b6e1f2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b").empty());
  CHECK_FALSE(name_problem(NameKind::guid, "0b6e1f2a3c4d4e5f8a9b1c2d3e4f5a6b").empty());
  CHECK(name_problem(NameKind::region, "eastus2euap").empty());
  CHECK_FALSE(name_problem(NameKind::region, "East US").empty());
  CHECK(name_problem(NameKind::compute, "alice-ci-01").empty());
  CHECK_FALSE(name_problem(NameKind::compute, "-ci").empty());
}

TEST_CASE("names with shell or control characters are refused with the character named", "[plan][names][hostile]") {
  CHECK(name_problem(NameKind::storage_account, "abc;rm").find("';'") != std::string::npos);
  CHECK(name_problem(NameKind::key_vault, "kv$(id)").find("'$'") != std::string::npos);
  CHECK(name_problem(NameKind::container_registry, "acr\x1b[31m").find("control character") != std::string::npos);
  CHECK(name_problem(NameKind::workspace_name, "ws`x`").find("'`'") != std::string::npos);
  CHECK(name_problem(NameKind::region, "east\nus").find("control character") != std::string::npos);
  CHECK(name_problem(NameKind::resource_group, "rg name").find("a space") != std::string::npos);
  CHECK(name_problem(NameKind::compute, "ci\xc3\xa9").find("non-ASCII") != std::string::npos);
}

TEST_CASE("resource IDs split into their parts, ignoring the case of keywords and types", "[plan][names]") {
  const auto id = parse_resource_id(
      "/subscriptions/6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourcegroups/rg/providers/microsoft.storage/"
      "storageaccounts/contosoml4821");
  REQUIRE(id);
  CHECK(id->subscription == "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  CHECK(id->resource_group == "rg");
  CHECK(id->name == "contosoml4821");
  CHECK(has_type(*id, "Microsoft.Storage/storageAccounts"));
  CHECK_FALSE(has_type(*id, "Microsoft.KeyVault/vaults"));
  CHECK_FALSE(parse_resource_id("contosoml4821"));
  CHECK_FALSE(parse_resource_id("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/"));
  CHECK_FALSE(parse_resource_id("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/b/c"));
}

TEST_CASE("host names are DNS names and nothing else", "[plan][names]") {
  CHECK(is_host_name("contosoml4821.blob.core.windows.net"));
  CHECK_FALSE(is_host_name("*.blob.core.windows.net"));
  CHECK_FALSE(is_host_name("a..b"));
  CHECK_FALSE(is_host_name("-a.b"));
  CHECK_FALSE(is_host_name("a b"));
  CHECK_FALSE(is_host_name(std::string(300, 'a')));
  CHECK(url_host("https://eastus.api.azureml.ms/discovery") == "eastus.api.azureml.ms");
  CHECK(url_host("http://169.254.169.254:80") == "169.254.169.254");
  CHECK(url_host("no-scheme").empty());
}

}  // namespace vnetdiag
