// Workspace inputs: documents of each shape, flags and a compute instance's environment.
#include <catch2/catch.hpp>

#include "agent/plan/workspace.hpp"
#include "tests/plan/support.hpp"

namespace vnetdiag {
using test::error_of;
using test::fixture;
using test::value_of;

TEST_CASE("an ARM workspace body gives names, not resource IDs", "[plan][workspace]") {
  const auto ws = value_of(parse_workspace_json(fixture("fixtures/arm-public-eastus.json"), "ws.json"));
  CHECK(ws.source == "ws.json");
  CHECK(ws.name == "contoso-ml");
  CHECK(ws.workspace_id == "0b6e1f2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b");
  CHECK(ws.region == "eastus");
  CHECK(ws.subscription_id == "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  CHECK(ws.resource_group == "rg-contoso-ml");
  CHECK(ws.storage_account == "contosoml4821");
  CHECK(ws.key_vault == "kv-contoso-ml-4821");
  CHECK(ws.acr == "crcontosoml4821");
  CHECK(ws.app_insights == "appi-contoso-ml");
  CHECK(ws.notebook_host == "ml-contoso-ml-eastus-0b6e1f2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b.eastus.notebooks.azure.net");
  CHECK(ws.discovery_url == "https://eastus.api.azureml.ms/discovery");
  CHECK(ws.cloud == Cloud::public_cloud);
  CHECK(ws.public_network_access == PublicAccess::enabled);
  CHECK(ws.private_endpoint == false);  // privateLinkCount 0, no connections listed
  CHECK(ws.hbi == false);
  CHECK(ws.image_build_compute.empty());
  CHECK(ws.tenant_id == "72f988bf-86f1-41af-91ab-2d7cd011db47");
}

TEST_CASE("an approved private endpoint connection marks the workspace private", "[plan][workspace]") {
  const auto ws = value_of(parse_workspace_json(fixture("fixtures/arm-private-westeurope.json"), "ws.json"));
  CHECK(ws.private_endpoint == true);
  CHECK(ws.public_network_access == PublicAccess::disabled);
  CHECK(ws.hbi == true);
  CHECK(ws.image_build_compute == "cpu-build");
  CHECK(ws.storage_account == "stfabrikamsecure01");
}

TEST_CASE("a pending private endpoint connection does not count as a private endpoint", "[plan][workspace]") {
  auto doc = nlohmann::json::parse(fixture("fixtures/arm-private-westeurope.json"));
  doc["properties"]["privateEndpointConnections"][0]["properties"]["privateLinkServiceConnectionState"]["status"] =
      "Pending";
  const auto ws = value_of(parse_workspace_json(doc.dump(), "ws.json"));
  CHECK(ws.private_endpoint == false);
}

TEST_CASE("az ml v1 output (camelCase, workspaceid) is read in China", "[plan][workspace]") {
  const auto ws = value_of(parse_workspace_json(fixture("fixtures/azml-v1-private-chinaeast2.json"), "v1.json"));
  CHECK(ws.name == "wuxi-ml");
  CHECK(ws.workspace_id == "d4c3b2a1-0f9e-4d8c-a7b6-5e4d3c2b1a09");
  CHECK(ws.region == "chinaeast2");
  CHECK(ws.cloud == Cloud::china);
  CHECK(ws.storage_account == "wuximlstorage");
  CHECK(ws.key_vault == "kvwuximl");
  CHECK(ws.acr == "wuximlacr");
  CHECK(ws.private_endpoint == true);
  CHECK(ws.public_network_access == PublicAccess::unknown);
  CHECK(ws.tenant_id == "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
  CHECK(ws.notebook_host == "ml-wuxi-ml-chinaeast2-d4c3b2a1-0f9e-4d8c-a7b6-5e4d3c2b1a09.chinaeast2.notebooks.chinacloudapi.cn");
}

TEST_CASE("az ml v2 output (snake_case) is read in US Gov, without the GUID it does not carry", "[plan][workspace]") {
  const auto ws = value_of(parse_workspace_json(fixture("fixtures/azml-v2-usgovvirginia.json"), "v2.json"));
  CHECK(ws.name == "tailwind-gov");
  CHECK(ws.workspace_id.empty());
  CHECK(ws.region == "usgovvirginia");
  CHECK(ws.cloud == Cloud::usgov);
  CHECK(ws.resource_group == "rg-ml-gov");
  CHECK(ws.storage_account == "tailwindgovstore");
  CHECK(ws.key_vault == "tailwind-gov-kv");
  CHECK(ws.acr == "tailwindgovacr");
  CHECK(ws.app_insights == "tailwind-appi");
  CHECK(ws.public_network_access == PublicAccess::enabled);
  CHECK_FALSE(ws.private_endpoint.has_value());
  CHECK(ws.notebook_host.empty());
  CHECK(ws.tenant_id == "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e");
}

TEST_CASE("a workspace without a container registry yet parses with none", "[plan][workspace]") {
  const auto ws = value_of(parse_workspace_json(fixture("fixtures/azml-v2-private-eastus2.json"), "v2.json"));
  CHECK(ws.acr.empty());
  CHECK(ws.public_network_access == PublicAccess::disabled);
}

TEST_CASE("flags give a workspace, and resource IDs are accepted in flags too", "[plan][workspace]") {
  WorkspaceFlags flags;
  flags.workspace_id = "0B6E1F2A-3C4D-4E5F-8A9B-1C2D3E4F5A6B";
  flags.region = "eastus";
  flags.storage_account =
      "/subscriptions/6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg/providers/Microsoft.Storage/"
      "storageAccounts/contosoml4821";
  flags.key_vault = "kv-contoso-ml-4821";
  flags.compute_instances = {"Alice-CI", "alice-ci", "bob-ci"};
  const auto ws = value_of(workspace_from_flags(flags));
  REQUIRE(ws);
  CHECK(ws->source == "flags");
  CHECK(ws->workspace_id == "0b6e1f2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b");
  CHECK(ws->storage_account == "contosoml4821");
  CHECK(ws->compute_instances == std::vector<std::string>{"alice-ci", "bob-ci"});
  CHECK(ws->cloud == Cloud::public_cloud);
}

TEST_CASE("no workspace flags, or --cloud alone, give no workspace", "[plan][workspace]") {
  WorkspaceFlags flags;
  CHECK_FALSE(value_of(workspace_from_flags(flags)).has_value());
  flags.cloud = "china";
  CHECK_FALSE(value_of(workspace_from_flags(flags)).has_value());
}

TEST_CASE("a flag that contradicts another about the cloud is named", "[plan][workspace]") {
  WorkspaceFlags flags;
  flags.cloud = "china";
  flags.region = "eastus";
  const auto e = error_of(workspace_from_flags(flags));
  CHECK(e.source == "--region");
  CHECK(e.message.find("public") != std::string::npos);
  CHECK(e.message.find("--cloud") != std::string::npos);
}

TEST_CASE("a bad flag value names the flag and the rule", "[plan][workspace][hostile]") {
  WorkspaceFlags flags;
  flags.storage_account = "Contoso_ML";
  auto e = error_of(workspace_from_flags(flags));
  CHECK(e.source == "--storage-account");
  CHECK(e.message.find("'_'") != std::string::npos);
  CHECK(e.to_string().starts_with("--storage-account: "));

  flags = {};
  flags.region = "eastus";
  flags.cloud = "mars";
  e = error_of(workspace_from_flags(flags));
  CHECK(e.source == "--cloud");

  flags = {};
  flags.compute_instances = {"ci;reboot"};
  e = error_of(workspace_from_flags(flags));
  CHECK(e.source == "--compute-instance");
}

TEST_CASE("an MLflow tracking URI names the region, subscription, group and workspace", "[plan][workspace]") {
  const auto uri = value_of(parse_mlflow_tracking_uri(
      "azureml://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/3d2c1b0a-9f8e-4d7c-b6a5-4f3e2d1c0b9a/"
      "resourceGroups/rg-fabrikam-secure/providers/Microsoft.MachineLearningServices/workspaces/fabrikam-secure-ws"));
  CHECK(uri.region == "westeurope");
  CHECK(uri.cloud == Cloud::public_cloud);
  CHECK(uri.subscription_id == "3d2c1b0a-9f8e-4d7c-b6a5-4f3e2d1c0b9a");
  CHECK(uri.resource_group == "rg-fabrikam-secure");
  CHECK(uri.workspace == "fabrikam-secure-ws");
  CHECK(std::holds_alternative<InputError>(parse_mlflow_tracking_uri("http://localhost:5000")));
  CHECK(std::holds_alternative<InputError>(parse_mlflow_tracking_uri("azureml://eastus.example.com/mlflow/v1.0/x")));
}

TEST_CASE("a compute instance's environment names its workspace", "[plan][workspace]") {
  test::g_fake_env = {
      {"CI_WORKSPACE", "fabrikam-secure-ws"},
      {"CI_RESOURCE_GROUP", "rg-fabrikam-secure"},
      {"CI_NAME", "alice-ci"},
      {"MLFLOW_TRACKING_URI",
       "azureml://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/3d2c1b0a-9f8e-4d7c-b6a5-4f3e2d1c0b9a/"
       "resourceGroups/rg-fabrikam-secure/providers/Microsoft.MachineLearningServices/workspaces/fabrikam-secure-ws"},
  };
  const auto ws = value_of(workspace_from_environment(&test::fake_env));
  REQUIRE(ws);
  CHECK(ws->source == "environment");
  CHECK(ws->name == "fabrikam-secure-ws");
  CHECK(ws->region == "westeurope");
  CHECK(ws->resource_group == "rg-fabrikam-secure");
  CHECK(ws->subscription_id == "3d2c1b0a-9f8e-4d7c-b6a5-4f3e2d1c0b9a");
  CHECK(ws->compute_instances == std::vector<std::string>{"alice-ci"});
  CHECK(ws->cloud == Cloud::public_cloud);
}

TEST_CASE("outside a compute instance the environment names no workspace", "[plan][workspace]") {
  test::g_fake_env = {{"MLFLOW_TRACKING_URI", "http://localhost:5000"}, {"HOME", "/root"}};
  CHECK_FALSE(value_of(workspace_from_environment(&test::fake_env)).has_value());
}

TEST_CASE("an environment whose variables disagree names the variable", "[plan][workspace][hostile]") {
  test::g_fake_env = {
      {"CI_WORKSPACE", "other-ws"},
      {"MLFLOW_TRACKING_URI",
       "azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/"
       "resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/contoso-ml"},
  };
  auto e = error_of(workspace_from_environment(&test::fake_env));
  CHECK(e.source == "environment");
  CHECK(e.field == "CI_WORKSPACE");

  test::g_fake_env = {{"CI_WORKSPACE", "ws\x07" "bell"}};
  e = error_of(workspace_from_environment(&test::fake_env));
  CHECK(e.field == "CI_WORKSPACE");
  CHECK(e.message.find("control character") != std::string::npos);

  test::g_fake_env = {{"MLFLOW_TRACKING_URI", "azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/$(id)"}};
  e = error_of(workspace_from_environment(&test::fake_env));
  CHECK(e.field == "MLFLOW_TRACKING_URI");
}

TEST_CASE("merging inputs fills gaps and refuses contradictions", "[plan][workspace]") {
  WorkspaceInfo env;
  env.source = "environment";
  env.name = "contoso-ml";
  env.region = "eastus";
  env.compute_instances = {"alice-ci"};
  WorkspaceInfo flags;
  flags.source = "flags";
  flags.storage_account = "contosoml4821";
  flags.compute_instances = {"bob-ci"};
  const auto merged = value_of(merge_workspace(env, flags));
  CHECK(merged.source == "environment + flags");
  CHECK(merged.name == "contoso-ml");
  CHECK(merged.storage_account == "contosoml4821");
  CHECK(merged.compute_instances == std::vector<std::string>{"alice-ci", "bob-ci"});

  flags.region = "westus";
  const auto e = error_of(merge_workspace(env, flags));
  CHECK(e.source == "flags");
  CHECK(e.field == "region");
  CHECK(e.message == "is \"westus\" but environment says \"eastus\"");
}

TEST_CASE("a --cloud flag that contradicts the workspace document is an error", "[plan][workspace]") {
  const auto ws = value_of(parse_workspace_json(fixture("fixtures/azml-v1-private-chinaeast2.json"), "v1.json"));
  CHECK(value_of(choose_cloud(std::nullopt, ws)) == Cloud::china);
  CHECK(value_of(choose_cloud(Cloud::china, ws)) == Cloud::china);
  CHECK(value_of(choose_cloud(std::nullopt, std::nullopt)) == Cloud::public_cloud);
  CHECK(value_of(choose_cloud(Cloud::usgov, std::nullopt)) == Cloud::usgov);
  const auto e = error_of(choose_cloud(Cloud::public_cloud, ws));
  CHECK(e.source == "--cloud");
  CHECK(e.message.find("china") != std::string::npos);
}

}  // namespace vnetdiag
