// What the report needs from the agent's plan and discovery, copied into the report's own plain types
// (reports/ cannot see agent/ types: data flows one way).
#pragma once

#include <string>
#include <vector>

#include "agent/discovery/environment.hpp"
#include "agent/plan/plan.hpp"
#include "reports/report_model.hpp"

namespace vnetdiag {

/// The report's view of a planned target.
TargetContext context_of(const PlannedTarget& target);

/// The report's view of the environment: resolvers, hosts overrides, proxy, Docker, metadata, clock, VNet.
EnvironmentFacts facts_of(const Environment& environment, const Plan& plan);

/// The report header: tool and build, the run (start, duration, host, user), the workspace.
ReportMetadata metadata_of(const Plan& plan, const RunResult& run, std::string started_at);

/// "2026-11-29T05:00:00Z" for now.
std::string utc_now_iso8601();

}  // namespace vnetdiag
