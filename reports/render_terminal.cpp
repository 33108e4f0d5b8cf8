#include <fmt/format.h>

#include "reports/findings.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"
#include "reports/render_common.hpp"
#include "reports/text_layout.hpp"

namespace vnetdiag {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";

std::string_view colour_of(Level level) {
  switch (level) {
    case Level::error: return "\033[1;31m";
    case Level::warning: return "\033[1;33m";
    case Level::information: return "\033[36m";
  }
  return "";
}

std::string_view colour_of(Verdict v) {
  switch (v) {
    case Verdict::healthy: return "\033[1;32m";
    case Verdict::errors: return "\033[1;31m";
    case Verdict::warnings: return "\033[1;33m";
    case Verdict::incomplete: return "\033[1;35m";
    case Verdict::unchecked: return "\033[1;33m";
  }
  return "";
}

std::string paint(std::string_view text, std::string_view colour, bool on) {
  return on ? fmt::format("{}{}{}", colour, text, kReset) : std::string(text);
}

std::string level_word(Level level) {
  switch (level) {
    case Level::error: return "ERROR";
    case Level::warning: return "WARNING";
    case Level::information: return "INFO";
  }
  return "";
}

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

/// `wrap`, each line painted on its own: a colour never spans a line break.
std::string painted_lines(const std::string& wrapped, std::string_view colour, bool on) {
  if (!on) return wrapped;
  std::string out;
  for (std::size_t at = 0, end; (end = wrapped.find('\n', at)) != std::string::npos; at = end + 1)
    out += paint(std::string_view(wrapped).substr(at, end - at), colour, on) + "\n";
  return out;
}

/// Where the value of a finding's "targets:", "evidence:", "fix:" and "docs:" lines starts.
constexpr std::size_t kValueColumn = 21;

std::string labelled(std::string_view label, const std::string& text, std::size_t width) {
  return wrap(text, width, fmt::format("{:11}{:<10}", "", label), kValueColumn);
}

}  // namespace

std::string verdict_line(const Report& report) {
  const auto errors = count_findings(report, Level::error);
  const auto warnings = count_findings(report, Level::warning);
  const auto targets = plural(report.targets.size(), "target");
  const double ms = report.metadata.run.duration_ms > 0 ? report.metadata.run.duration_ms : report.run.ms;
  const std::string took = fmt::format("{:.1f} s", ms / 1000.0);
  std::string found = errors ? plural(errors, "error") : "";
  if (warnings) found += (found.empty() ? "" : ", ") + plural(warnings, "warning");
  // What was not checked is said on the verdict line itself: a script that reads one line reads it too.
  const auto unchecked = count_unchecked(report);
  const std::string gap = unchecked.required ? "; " + plural(unchecked.required, "required target") + " not checked" : "";
  const std::string manual = unchecked.manual ? "; " + plural(unchecked.manual, "check") + " left to you" : "";
  switch (verdict(report)) {
    case Verdict::incomplete:
      return fmt::format("INCOMPLETE: {} after {}; {} among the {} finished{}",
                         report.run.interrupted ? "interrupted" : "the deadline was reached", took,
                         found.empty() ? "no problem so far" : found, targets, gap);
    case Verdict::errors: return fmt::format("FAILED: {} in {} ({}){}{}", found, targets, took, gap, manual);
    case Verdict::unchecked:
      return fmt::format("NOT ALL CHECKED: {} not checked; {} in the {} checked ({}){}",
                         plural(unchecked.required, "required target"), found.empty() ? "no problems" : found, targets,
                         took, manual);
    case Verdict::warnings: return fmt::format("WARNING: {} in {} ({}){}", found, targets, took, manual);
    case Verdict::healthy: break;
  }
  return fmt::format("OK: {} checked, no problems found ({}){}", targets, took, manual);
}

namespace {

/// The planned targets no probe ran for: the required ones and the checks left to the user by name, the
/// situational ones counted (they are all in the JSON report).
std::string unchecked_section(const Report& report, bool c, std::size_t width) {
  if (report.unchecked.empty()) return "";
  std::string out = "\n" + paint("Not checked", kBold, c) + "\n";
  std::size_t situational = 0;
  for (const auto& u : report.unchecked) {
    if (!u.manual && !u.context.required) {
      ++situational;
      continue;
    }
    out += wrap(fmt::format("{}  {}:{}: {}", u.context.id, u.host, u.port, u.reason), width,
                fmt::format("  {:<9}", u.manual ? "BY HAND" : "REQUIRED"), 11);
  }
  if (situational > 0)
    out += wrap(fmt::format("({} not checked, listed in the JSON report)", plural(situational, "situational target")), width,
                "  ", 3);
  return out;
}

}  // namespace

std::string render_terminal(const Report& input, const TerminalOptions& options) {
  Report report = input;
  remove_secrets(report);
  const bool c = options.colour;
  const std::size_t width = options.quiet ? 0 : options.width;
  std::string out = painted_lines(wrap(verdict_line(report), width, "", 2), colour_of(verdict(report)), c);

  if (options.quiet) {
    for (const auto& f : report.findings)
      if (f.level == Level::error)
        out += fmt::format("{} {} {} [{}]\n", paint("ERROR", colour_of(f.level), c), f.code, f.title,
                           fmt::join(target_names(report, f), ", "));
    return out;
  }

  const auto& w = report.metadata.workspace;
  const std::string scope = !w.name.empty() ? "workspace " + w.name : !w.workspace_id.empty() ? "workspace " + w.workspace_id
                                                                                             : "required endpoints";
  out += wrap(fmt::format("{} {}: {}{}{}", report.metadata.tool.name, report.metadata.tool.version, scope,
                          w.region.empty() ? "" : " in " + w.region, w.cloud.empty() ? "" : ", " + w.cloud + " cloud"),
              width, "", 2);

  // Findings grouped by category, in the diagnose API's order; within one, errors first (as sorted).
  for (const auto& category : categories()) {
    bool heading = false;
    for (const auto& f : report.findings) {
      if (&category_info(f.category) != &category) continue;
      if (!heading) {
        out += "\n" + paint(category.heading, kBold, c) + "\n";
        heading = true;
      }
      const auto first = fmt::format("  {}  {}  ", paint(fmt::format("{:<7}", level_word(f.level)), colour_of(f.level), c), f.code);
      out += wrap(f.title, width, first, display_width(first));
      if (!f.targets.empty()) out += labelled("targets:", fmt::format("{}", fmt::join(target_names(report, f), ", ")), width);
      out += labelled("evidence:", f.evidence, width);
      out += labelled("fix:", f.fix, width);
      if (!f.doc_url.empty()) out += labelled("docs:", f.doc_url, width);
    }
  }
  out += unchecked_section(report, c, width);
  if (!report.targets.empty()) out += "\n" + target_table(report, width);
  out += "\n" + environment_block(report.env, width);
  if (report.redacted) out += "\n" + wrap("(redacted: identifying values are replaced by placeholders)", width, "", 1);
  return out;
}

}  // namespace vnetdiag
