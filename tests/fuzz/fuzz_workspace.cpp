// The workspace document (`az ml workspace show`, the ARM GET body, or any file given with --workspace-file)
// through parse_workspace_json(), and on to the plan built from it; an MLflow tracking URI (a compute
// instance's MLFLOW_TRACKING_URI) through parse_mlflow_tracking_uri().
#include <cstddef>
#include <cstdint>

#include "agent/plan/config.hpp"
#include "agent/plan/plan.hpp"
#include "agent/plan/workspace.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;

namespace {
constexpr auto kReplace = nlohmann::json::error_handler_t::replace;  // as the program prints JSON
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = as_text(data, size);
  if (size < 1024) {
    const auto uri = parse_mlflow_tracking_uri(text);
    if (const auto* error = std::get_if<InputError>(&uri)) FUZZ_CHECK(!error->to_string().empty());
  }

  const auto parsed = parse_workspace_json(text, "ws.json");
  if (const auto* error = std::get_if<InputError>(&parsed)) {
    FUZZ_CHECK(error->to_string().starts_with("ws.json"));
    return 0;
  }
  const auto& workspace = std::get<WorkspaceInfo>(parsed);
  (void)workspace_to_json(workspace).dump(-1, ' ', false, kReplace);
  (void)workspace_resource_id(workspace);
  // A document agrees with itself.
  FUZZ_CHECK(std::holds_alternative<WorkspaceInfo>(merge_workspace(workspace, workspace)));
  const auto cloud = choose_cloud(std::nullopt, workspace);
  FUZZ_CHECK(std::holds_alternative<Cloud>(cloud));
  const auto plan = build_plan(workspace, Config{}, std::get<Cloud>(cloud));
  (void)plan_to_json(plan).dump(-1, ' ', false, kReplace);
  (void)render_plan_table(plan);
  return 0;
}
