// From what the user gave (workspace document, flags, config file, compute-instance environment) to a plan.
#pragma once

#include <string>

#include "agent/plan/config.hpp"
#include "agent/plan/plan.hpp"
#include "agent/plan/workspace.hpp"

namespace vnetdiag {

/// The workspace inputs of `check` and `targets`.
struct PlanInputs {
  std::string workspace_json;  ///< --workspace-json FILE, or "-" for standard input
  WorkspaceFlags flags;
  std::string config_file;     ///< --config FILE
};

/// Reads the inputs and builds the plan. The document and the flags are merged (flags fill gaps; a
/// contradiction is an error); when neither names a workspace, a compute instance's environment is used.
/// Errors name the file and line/column or the flag: exit 3, nothing probed. `fetched` (the workspace as
/// Resource Manager describes it) fills what the inputs lack, such as the GUID a CLI v2 document omits.
Parsed<Plan> plan_from_inputs(const PlanInputs& inputs, EnvLookup env, const std::optional<WorkspaceInfo>& fetched = std::nullopt);

}  // namespace vnetdiag
