// The workspace under test, from whichever input names it: a workspace document (az ml v1/v2 or the
// ARM body), command-line flags, or a compute instance's environment. All give the same WorkspaceInfo.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/plan/cloud.hpp"
#include "agent/plan/input_error.hpp"
#include "probes/proxy/proxy_config.hpp"

namespace vnetdiag {

/// The workspace's `publicNetworkAccess` setting.
enum class PublicAccess { enabled, disabled, unknown };

/// "enabled", "disabled", "unknown".
std::string_view to_string(PublicAccess access);

/// What vnetdiag knows about one Azure ML workspace. Every name is validated against Azure's naming
/// rules; names that end up in host names are lowercase. Empty strings and nullopt mean "not known".
struct WorkspaceInfo {
  std::string source;             ///< where it came from: "ws.json", "flags", "environment", "a + b"
  std::string name;               ///< workspace name
  std::string workspace_id;       ///< the workspace GUID (ARM properties.workspaceId), lowercase
  std::string region;             ///< ARM location name: "eastus"
  std::string subscription_id, resource_group;
  std::string storage_account;    ///< account name, not its resource ID
  std::string key_vault;          ///< vault name
  std::string acr;                ///< container registry name (a workspace gets one at its first image build)
  std::string app_insights;       ///< Application Insights component name
  std::vector<std::string> compute_instances;  ///< compute instance names, lowercase
  std::string notebook_host;      ///< the notebooks FQDN (ARM properties.notebookInfo.fqdn)
  std::string discovery_url;      ///< "https://eastus.api.azureml.ms/discovery"
  std::optional<Cloud> cloud;     ///< as stated or inferred from the region, discovery URL or notebook host
  PublicAccess public_network_access = PublicAccess::unknown;
  std::optional<bool> private_endpoint;  ///< an approved private endpoint connection exists
  std::optional<bool> hbi;               ///< hbiWorkspace
  std::string image_build_compute;
  std::string tenant_id;
};

/// Reads the output of `az ml workspace show` (CLI v1 camelCase or v2 snake_case) or the ARM GET body
/// of Microsoft.MachineLearningServices/workspaces. Resource IDs become names; an ID of the wrong
/// resource type, a malformed name or a wrong JSON type is an error naming the JSON pointer.
Parsed<WorkspaceInfo> parse_workspace_json(std::string_view text, std::string_view source_name);

/// The workspace flags as the command line gives them; empty means "not given".
struct WorkspaceFlags {
  std::string workspace_id;      ///< --workspace-id
  std::string region;            ///< --region
  std::string storage_account;   ///< --storage-account (a name or a resource ID)
  std::string key_vault;         ///< --key-vault (a name or a resource ID)
  std::string acr;               ///< --acr (a name or a resource ID)
  std::string app_insights;      ///< --app-insights (a name or a resource ID)
  std::string notebook_host;     ///< --notebook-host (the notebooks FQDN; only documents carry it otherwise)
  std::vector<std::string> compute_instances;  ///< --compute-instance, repeatable
  std::string cloud;             ///< --cloud public|china|usgov
};

/// The workspace the flags describe, or nullopt when no workspace flag was given (--cloud alone names
/// no workspace). Errors name the flag.
Parsed<std::optional<WorkspaceInfo>> workspace_from_flags(const WorkspaceFlags& flags);

/// The parts of an `azureml://` MLflow tracking URI:
/// azureml://<region>.api.azureml.ms/mlflow/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/
/// Microsoft.MachineLearningServices/workspaces/<ws>.
struct MlflowTrackingUri {
  std::string region, subscription_id, resource_group, workspace;
  Cloud cloud = Cloud::public_cloud;
};

/// Parses an MLflow tracking URI of an Azure ML workspace; the error message says what was expected.
Parsed<MlflowTrackingUri> parse_mlflow_tracking_uri(std::string_view uri);

/// What a compute instance's environment says about its workspace (CI_WORKSPACE, CI_RESOURCE_GROUP,
/// MLFLOW_TRACKING_URI and, when present, CI_NAME), or nullopt when none of these is set.
/// A MLFLOW_TRACKING_URI that is not `azureml://` belongs to some other MLflow server and is ignored.
Parsed<std::optional<WorkspaceInfo>> workspace_from_environment(EnvLookup env);

/// Fills what `base` does not know from `more` (compute instances are merged). A field both know
/// with different values is an error naming `more.source`, the field and both values.
Parsed<WorkspaceInfo> merge_workspace(WorkspaceInfo base, const WorkspaceInfo& more);

/// The cloud to plan for: `requested` (--cloud) or the workspace's, public when neither says.
/// Both saying different clouds is an error.
Parsed<Cloud> choose_cloud(std::optional<Cloud> requested, const std::optional<WorkspaceInfo>& workspace);

/// The workspace's Resource Manager ID ("/subscriptions/S/resourceGroups/G/providers/
/// Microsoft.MachineLearningServices/workspaces/N"), or "" when the subscription, group or name is unknown.
std::string workspace_resource_id(const WorkspaceInfo& workspace);

/// The workspace as plain JSON, for plans and reports.
nlohmann::json workspace_to_json(const WorkspaceInfo& workspace);

}  // namespace vnetdiag
