#include "reports/report_model.hpp"

#include <algorithm>
#include <array>

namespace vnetdiag {
namespace {

constexpr std::array kExpectNames{"private", "public", "either"};
static_assert(kExpectNames.size() == static_cast<std::size_t>(TargetContext::Expect::either) + 1);

constexpr std::array kLevelNames{"Error", "Warning", "Information"};
static_assert(kLevelNames.size() == static_cast<std::size_t>(Level::information) + 1);

}  // namespace

std::string_view to_string(TargetContext::Expect expect) { return kExpectNames.at(static_cast<std::size_t>(expect)); }

std::vector<std::string> vnet_cidrs(const EnvironmentFacts& env) {
  std::vector<std::string> out;
  for (const auto& r : env.vnet_ranges) out.push_back(r.range);
  return out;
}

std::string_view to_string(Level level) { return kLevelNames.at(static_cast<std::size_t>(level)); }

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::healthy: return "healthy";
    case Verdict::errors: return "errors";
    case Verdict::warnings: return "warnings";
    case Verdict::incomplete: return "incomplete";
    case Verdict::unchecked: return "unchecked";
  }
  return "incomplete";
}

Verdict verdict(const Report& report) {
  // An incomplete run says nothing about the targets it did not finish, so "healthy" or "warnings
  // only" would be a claim it cannot back: the incomplete status wins over everything.
  if (report.incomplete || report.run.deadline_hit || report.run.interrupted) return Verdict::incomplete;
  auto has = [&](Level level) {
    return std::ranges::any_of(report.findings, [&](const Finding& f) { return f.level == level; });
  };
  if (has(Level::error)) return Verdict::errors;
  // OK is a promise that every required target was really checked; Warnings do not outweigh the gap.
  if (count_unchecked(report).required > 0) return Verdict::unchecked;
  if (has(Level::warning)) return Verdict::warnings;
  return Verdict::healthy;
}

int exit_code(const Report& report) { return static_cast<int>(verdict(report)); }

UncheckedCounts count_unchecked(const Report& report) {
  UncheckedCounts out;
  for (const auto& u : report.unchecked) {
    if (u.manual) ++out.manual;
    else if (u.context.required) ++out.required;
    else ++out.situational;
  }
  return out;
}

std::vector<std::string> target_names(const Report& report, const Finding& finding) {
  std::vector<std::string> out;
  for (const std::size_t i : finding.targets)
    if (i < report.targets.size()) out.push_back(report.targets[i].context.id);
  return out;
}

}  // namespace vnetdiag
