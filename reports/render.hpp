// Renderers: one report, every audience. All pure: a string from a report, nothing written anywhere.
// Each first removes secrets (remove_secrets), so no caller can leak one by building a Report by hand.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/report_model.hpp"

namespace vnetdiag {

/// How the terminal form looks. The caller decides colour (--color, a terminal, NO_COLOR) and the width.
struct TerminalOptions {
  bool colour = false;    ///< ANSI colours for levels and the verdict
  bool quiet = false;     ///< only the verdict line and the errors, one line each, never wrapped (for scripts)
  std::size_t width = 0;  ///< lines fit this many columns (prose wrapped, tables fitted); 0: no limit
};

/// The verdict line: "FAILED: 2 errors, 1 warning in 14 targets (3.2 s)".
std::string verdict_line(const Report& report);

/// Verdict first, then per category the findings with their fixes, then the per-target table and the
/// environment block.
std::string render_terminal(const Report& report, const TerminalOptions& options = {});

/// The report as JSON, as reports/schema/report.schema.json describes it (schemaVersion "1.1").
nlohmann::json report_to_json(const Report& report);

/// `report_to_json`, serialised with 2-space indentation and a final newline.
std::string render_json(const Report& report);

/// Only the `diagnose`-shaped block: {"value": {"dnsResolutionResults": [{code, level, message}], ...}}, the
/// shape of Azure ML workspace diagnostics, with vnetdiag's own categories beside the service's nine.
nlohmann::json diagnose_json(const Report& report);

/// A Markdown ticket body: verdict, findings with fixes, per-target table, environment.
std::string render_markdown(const Report& report);

/// What JUnit counts as a failure.
struct JunitOptions {
  bool warnings_fail = false;  ///< --fail-on warnings: a Warning fails its case too (else it passes, the Warning its output)
};

/// JUnit XML: one test suite per category, one test case per target and check (dns, connect, tls, http)
/// and per machine-wide check; failures carry the Error that explains them, a phase cut by the run's deadline is
/// an error. The run's time is its wall time, a suite's its longest target's.
std::string render_junit(const Report& report, const JunitOptions& options = {});

/// Prometheus text format (for node-exporter's textfile collector): per target and phase success and
/// duration, per finding code a count, and whether the run was incomplete.
std::string render_prometheus(const Report& report);

}  // namespace vnetdiag
