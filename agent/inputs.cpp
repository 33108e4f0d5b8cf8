#include "agent/inputs.hpp"

#include "agent/plan/cloud.hpp"
#include "agent/plan/input_error.hpp"

namespace vnetdiag {

Parsed<Plan> plan_from_inputs(const PlanInputs& inputs, EnvLookup env, const std::optional<WorkspaceInfo>& fetched) {
  Config config;
  if (!inputs.config_file.empty()) {
    auto text = read_input_file(inputs.config_file);
    if (auto* error = std::get_if<InputError>(&text)) return *error;
    auto parsed = parse_config(std::get<std::string>(text), inputs.config_file == "-" ? "<stdin>" : inputs.config_file);
    if (auto* error = std::get_if<InputError>(&parsed)) return *error;
    config = std::get<Config>(std::move(parsed));
  }

  std::optional<WorkspaceInfo> workspace;
  if (!inputs.workspace_json.empty()) {
    auto text = read_input_file(inputs.workspace_json);
    if (auto* error = std::get_if<InputError>(&text)) return *error;
    auto parsed = parse_workspace_json(std::get<std::string>(text),
                                       inputs.workspace_json == "-" ? "<stdin>" : inputs.workspace_json);
    if (auto* error = std::get_if<InputError>(&parsed)) return *error;
    workspace = std::get<WorkspaceInfo>(std::move(parsed));
  }
  auto from_flags = workspace_from_flags(inputs.flags);
  if (auto* error = std::get_if<InputError>(&from_flags)) return *error;
  if (auto& flagged = std::get<std::optional<WorkspaceInfo>>(from_flags)) {
    if (workspace) {
      auto merged = merge_workspace(*workspace, *flagged);
      if (auto* error = std::get_if<InputError>(&merged)) return *error;
      workspace = std::get<WorkspaceInfo>(std::move(merged));
    } else {
      workspace = std::move(flagged);
    }
  }
  // On a compute instance the environment already names the workspace; it is used only when the
  // user named none, so a jump box with stray variables is never misread.
  if (!workspace) {
    auto from_env = workspace_from_environment(env);
    if (auto* error = std::get_if<InputError>(&from_env)) return *error;
    workspace = std::get<std::optional<WorkspaceInfo>>(std::move(from_env));
  }

  if (workspace && fetched) {
    auto merged = merge_workspace(*workspace, *fetched);
    if (auto* error = std::get_if<InputError>(&merged)) return *error;
    workspace = std::get<WorkspaceInfo>(std::move(merged));
  }

  std::optional<Cloud> requested;
  if (!inputs.flags.cloud.empty()) {
    requested = parse_cloud(inputs.flags.cloud);
    if (!requested)
      return InputError{"--cloud", 0, 0, "", "expected public, china or usgov, got " + quote_value(inputs.flags.cloud)};
  }
  auto cloud = choose_cloud(requested, workspace);
  if (auto* error = std::get_if<InputError>(&cloud)) return *error;
  return build_plan(workspace, config, std::get<Cloud>(cloud));
}

}  // namespace vnetdiag
