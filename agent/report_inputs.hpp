// What the report needs from the agent's plan and discovery, copied into the report's own plain types
// (reports/ cannot see agent/ types: data flows one way).
#pragma once

#include <string>
#include <vector>

#include "agent/check_command.hpp"
#include "agent/discovery/environment.hpp"
#include "agent/plan/plan.hpp"
#include "reports/report_model.hpp"

namespace vnetdiag {

/// The report's view of a planned target.
TargetContext context_of(const PlannedTarget& target);

/// The report's view of the environment: what discovery found (resolvers, hosts overrides, Docker, metadata,
/// clock), with the proxy and VNet ranges the run really used.
EnvironmentFacts facts_of(const Environment& environment, const Plan& plan, const CheckSettings& used);

/// The report header: tool and build, the run (start, duration, host, user), the workspace.
ReportMetadata metadata_of(const Plan& plan, const RunResult& run, std::string started_at);

/// "2026-11-29T05:00:00Z" for now.
std::string utc_now_iso8601();

}  // namespace vnetdiag
