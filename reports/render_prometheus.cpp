#include <fmt/format.h>

#include <map>
#include <tuple>

#include "reports/findings.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"

#include <ctime>
#include <iomanip>
#include <optional>
#include <sstream>
#include "reports/render_common.hpp"

namespace vnetdiag {
namespace {

/// Unix seconds of an ISO 8601 UTC time ("2026-11-29T05:00:00Z"), or nullopt when it is not one.
std::optional<long long> epoch_seconds(const std::string& iso) {
  std::tm tm{};
  std::istringstream in(iso);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  if (in.fail()) return std::nullopt;
  return static_cast<long long>(::timegm(&tm));
}


/// A label value as the text format wants it: backslash, double quote and line feed escaped.
std::string label(std::string_view raw) {
  const std::string text = valid_utf8(raw);
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

/// Every sample of one metric family must follow its HELP and TYPE lines, all together.
void family(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            const std::vector<std::string>& samples) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  for (const auto& s : samples) out += s;
}

}  // namespace

std::string render_prometheus(const Report& input) {
  Report report = input;
  remove_secrets(report);
  // Every series of the run says which workspace it checked, so that one dashboard serves many: its name (else its
  // GUID) and region, empty when the run named none.
  const auto& ws = report.metadata.workspace;
  const std::string run = fmt::format("workspace=\"{}\",region=\"{}\"", label(!ws.name.empty() ? ws.name : ws.workspace_id),
                                      label(ws.region));
  std::vector<std::string> success, duration;
  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    const auto& [c, r] = report.targets[i];
    for (const auto& p : phases_of(report, i)) {
      const std::string labels = fmt::format("{},target=\"{}\",host=\"{}\",port=\"{}\",phase=\"{}\",category=\"{}\"", run,
                                             label(c.id), label(r.host), r.port, p.name, label(c.category));
      success.push_back(fmt::format("vnetdiag_probe_success{{{}}} {}\n", labels, p.passed ? 1 : 0));
      duration.push_back(fmt::format("vnetdiag_probe_duration_seconds{{{}}} {}\n", labels, seconds(p.ms)));
    }
  }
  // One series per code: a rule may give several findings (one per port, per zone), counted together.
  std::map<std::tuple<std::string, std::string, std::string>, int> counts;
  for (const auto& f : report.findings) ++counts[{f.code, std::string(to_string(f.level)), f.category}];
  std::vector<std::string> findings;
  for (const auto& [key, n] : counts) {
    const auto& [code, level, category] = key;
    findings.push_back(fmt::format("vnetdiag_findings{{{},code=\"{}\",level=\"{}\",category=\"{}\"}} {}\n", run, label(code),
                                   level, label(category), n));
  }
  const double ms = report.metadata.run.duration_ms > 0 ? report.metadata.run.duration_ms : report.run.ms;

  std::string out;
  family(out, "vnetdiag_probe_success", "gauge", "Whether a phase of a target's probe succeeded (1) or failed (0).", success);
  family(out, "vnetdiag_probe_duration_seconds", "gauge", "How long a phase of a target's probe took.", duration);
  family(out, "vnetdiag_findings", "gauge", "Findings of the last run, per finding code.", findings);
  family(out, "vnetdiag_run_incomplete", "gauge", "1 when the last run hit its deadline or was interrupted.",
         {fmt::format("vnetdiag_run_incomplete{{{}}} {}\n", run, verdict(report) == Verdict::incomplete ? 1 : 0)});
  family(out, "vnetdiag_run_exit_code", "gauge",
         "The exit code of the last run: 0 healthy, 1 errors, 2 warnings, 4 incomplete, 5 required targets not checked.",
         {fmt::format("vnetdiag_run_exit_code{{{}}} {}\n", run, exit_code(report))});
  if (const auto started = epoch_seconds(report.metadata.run.started_at)) {
    family(out, "vnetdiag_last_run_timestamp_seconds", "gauge", "When the last run started, in Unix time.",
           {fmt::format("vnetdiag_last_run_timestamp_seconds{{{}}} {}\n", run, *started)});
  }
  family(out, "vnetdiag_run_duration_seconds", "gauge", "How long the last run took.",
         {fmt::format("vnetdiag_run_duration_seconds{{{}}} {}\n", run, seconds(ms))});
  family(out, "vnetdiag_run_targets", "gauge", "Targets probed in the last run.",
         {fmt::format("vnetdiag_run_targets{{{}}} {}\n", run, report.targets.size())});
  const auto unchecked = count_unchecked(report);
  family(out, "vnetdiag_targets", "gauge",
         "Planned targets of the last run by state: probed, untested (for want of an input) or manual (no probe can "
         "check them).",
         {fmt::format("vnetdiag_targets{{{},state=\"probed\",required=\"any\"}} {}\n", run, report.targets.size()),
          fmt::format("vnetdiag_targets{{{},state=\"untested\",required=\"true\"}} {}\n", run, unchecked.required),
          fmt::format("vnetdiag_targets{{{},state=\"untested\",required=\"false\"}} {}\n", run, unchecked.situational),
          fmt::format("vnetdiag_targets{{{},state=\"manual\",required=\"any\"}} {}\n", run, unchecked.manual)});
  std::vector<std::string> untested;
  for (const auto& u : report.unchecked)
    untested.push_back(fmt::format("vnetdiag_target_untested{{{},target=\"{}\",host=\"{}\",port=\"{}\",category=\"{}\",required=\"{}\",state=\"{}\"}} 1\n",
                                   run, label(u.context.id), label(u.host), u.port, label(u.context.category),
                                   u.context.required ? "true" : "false", u.manual ? "manual" : "untested"));
  family(out, "vnetdiag_target_untested", "gauge", "A planned target the last run did not probe, and why not (state).",
         untested);
  family(out, "vnetdiag_build_info", "gauge", "The vnetdiag that wrote these metrics: its version and commit (always 1).",
         {fmt::format("vnetdiag_build_info{{version=\"{}\",commit=\"{}\"}} 1\n", label(report.metadata.tool.version),
                      label(report.metadata.tool.commit))});
  return out;
}

}  // namespace vnetdiag
