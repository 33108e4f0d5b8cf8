// From evidence to findings, and the report that carries both. Pure functions: no I/O, no clock.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "probes/evidence.hpp"
#include "reports/report_model.hpp"

namespace vnetdiag {

/// Every finding the rules draw from the targets, one per cause, errors first; each names its targets by
/// their index in `targets`. A target that meets its expectations gives no finding; a symptom of an earlier
/// phase's failure gives none either.
std::vector<Finding> find_findings(std::span<const ReportTarget> targets, const EnvironmentFacts& env,
                                   const WorkspaceMetadata& workspace = {});

/// The engine's results beside the plan's contexts, as one record per target. `contexts[i]` is what the
/// plan expected of `run.targets[i]` (the engine keeps the order it was given); a target without one is
/// required with no expectation, and a target without an id is named host:port.
std::vector<ReportTarget> report_targets(RunResult&& run, std::vector<TargetContext>&& contexts);

/// The report of a run: its findings, whether it is incomplete (deadline or interrupt), and no credential or
/// SAS signature anywhere in it (see remove_secrets).
/// `unchecked` are the planned targets no probe ran for: they are counted and named, never judged.
Report build_report(ReportMetadata metadata, EnvironmentFacts env, RunResult run, std::vector<TargetContext> contexts,
                    std::vector<UncheckedTarget> unchecked = {});

/// The findings that name target `i` of the report.
std::vector<const Finding*> findings_for(const Report& report, std::size_t i);

/// Number of findings at `level`.
std::size_t count_findings(const Report& report, Level level);

}  // namespace vnetdiag
