#include "reports/findings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <tuple>

#include "reports/redact.hpp"
#include "reports/rules.hpp"
#include "reports/rules_common.hpp"

namespace vnetdiag {
namespace {

using rule_facts::is_azure_dns;
using rule_facts::same_server;

// Longer lists stay in Finding::targets; the one-line evidence names the first few.
constexpr std::size_t kDetailsShown = 6;

bool used_by_clients(const DnsAnswer& a, const EnvironmentFacts& env) {
  for (const auto& r : env.resolvers)
    if (same_server(r.address, a.resolver)) return r.used_by_clients;
  // Without discovery's list, the engine's own convention: Azure DNS is asked beside, for comparison.
  return a.source != "azure-dns";
}

struct Answers {
  const DnsAnswer* client = nullptr;
  const DnsAnswer* azure = nullptr;
  std::vector<const DnsAnswer*> clients;
};

Answers answers_of(const TargetResult& r, const EnvironmentFacts& env) {
  Answers out;
  for (const auto& a : r.dns) {
    if (!out.azure && is_azure_dns(a, env)) out.azure = &a;
    if (!used_by_clients(a, env)) continue;
    out.clients.push_back(&a);
    // glibc moves to the next server after a timeout or SERVFAIL, not after NXDOMAIN (as the engine does).
    const bool definitive = a.status == DnsStatus::ok || a.status == DnsStatus::nxdomain || a.status == DnsStatus::no_data;
    if (!out.client && definitive) out.client = &a;
  }
  return out;
}

/// The matches of one rule that share a cause.
struct Group {
  std::size_t rule = 0;
  Level level = Level::error;
  std::string category;
  std::string key;
  std::vector<std::size_t> targets;  ///< indices into the report's targets
  std::vector<std::string> names, hosts, endpoints;
  std::vector<Match> matches;
  std::string doc_url;
};

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::ranges::find(list, value) == list.end()) list.push_back(value);
}

void add_unique(std::vector<std::size_t>& list, std::size_t value) {
  if (std::ranges::find(list, value) == list.end()) list.push_back(value);
}

/// One cause, one finding: the group of a rule's matches with this key, at the level of its worst target
/// (a missing forwarder that breaks required and situational hosts alike is one Error, not an Error and a
/// Warning).
Group& group_for(std::vector<Group>& groups, std::size_t rule, Level level, const std::string& category,
                 const std::string& key) {
  for (auto& g : groups)
    if (g.rule == rule && g.category == category && g.key == key) {
      g.level = std::min(g.level, level);  // Level orders error < warning < information
      return g;
    }
  groups.push_back({.rule = rule, .level = level, .category = category, .key = key});
  return groups.back();
}

/// The order in which a target's phases run: a rule of a later phase judges evidence an earlier one
/// let through.
int phase_rank(std::string_view check) {
  constexpr std::string_view kPhases[] = {"environment", "dns", "proxy", "tcp", "tls", "http"};
  const auto* it = std::ranges::find(kPhases, check);
  return static_cast<int>(it - std::begin(kPhases));
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  return fmt::format("{}", fmt::join(items, separator));
}

/// One cause, one finding, also across a rule's keys: the same hosts dropped on 443 and on 80 are one
/// black-holed destination, not two port rules.
void merge_same_hosts(std::vector<Group>& groups) {
  for (std::size_t a = 0; a < groups.size(); ++a)
    for (std::size_t b = a + 1; b < groups.size();) {
      auto& into = groups[a];
      auto& from = groups[b];
      if (into.hosts.empty() || into.rule != from.rule || into.category != from.category || into.hosts != from.hosts) {
        ++b;
        continue;
      }
      into.level = std::min(into.level, from.level);
      for (const auto t : from.targets) add_unique(into.targets, t);
      for (const auto& n : from.names) add_unique(into.names, n);
      for (const auto& e : from.endpoints) add_unique(into.endpoints, e);
      std::ranges::move(from.matches, std::back_inserter(into.matches));
      groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(b));
    }
}

Finding finding_of(const Group& g) {
  const Rule& rule = rules()[g.rule];
  // Values that differ across the group are listed once each: "{zones}" of twelve names is three zones.
  std::vector<std::pair<std::string, std::vector<std::string>>> merged;
  for (const auto& m : g.matches)
    for (const auto& [name, value] : m.values) {
      auto it = std::ranges::find_if(merged, [&](const auto& p) { return p.first == name; });
      if (it == merged.end()) it = merged.insert(merged.end(), {name, {}});
      add_unique(it->second, value);
    }
  std::vector<Placeholder> values;
  for (const auto& [name, list] : merged) values.emplace_back(name, join(list, ", "));

  std::vector<std::string> details;
  for (const auto& m : g.matches) add_unique(details, m.detail);
  std::string detail_text;
  for (std::size_t i = 0; i < details.size() && i < kDetailsShown; ++i) detail_text += (i ? "; " : "") + details[i];
  if (details.size() > kDetailsShown) detail_text += fmt::format("; and {} more", details.size() - kDetailsShown);

  // Hosts, not targets: one name checked on two ports is one host.
  const std::size_t count = !g.hosts.empty()    ? g.hosts.size()
                            : g.targets.empty() ? std::max<std::size_t>(1, details.size())
                                                : g.targets.size();
  values.emplace_back("count", std::to_string(count));
  values.emplace_back("s", count == 1 ? "" : "s");
  values.emplace_back("targets", join(g.names, ", "));
  values.emplace_back("details", detail_text);
  values.emplace_back("hosts", join(g.hosts, ", "));
  values.emplace_back("endpoints", join(g.endpoints, ", "));

  return {.code = std::string(rule.code),
          .level = g.level,
          .category = g.category,
          .check = std::string(rule.check),
          .title = expand(rule.title, values),
          .targets = g.targets,
          .evidence = expand(rule.evidence, values),
          .fix = expand(rule.fix, values),
          .doc_url = rule.doc_url.empty() ? g.doc_url : std::string(rule.doc_url)};
}

}  // namespace

const DnsAnswer* client_answer(const TargetResult& result, const EnvironmentFacts& env) {
  return answers_of(result, env).client;
}

std::vector<Finding> find_findings(std::span<const ReportTarget> targets, const EnvironmentFacts& env,
                                   const WorkspaceMetadata& workspace) {
  const auto table = rules();
  std::vector<Answers> answers(targets.size());
  std::vector<const DnsAnswer*> client_answers(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    answers[i] = answers_of(targets[i].result, env);
    client_answers[i] = answers[i].client;
  }
  const RunSummary summary = summarize(targets, client_answers);

  std::vector<Group> groups;
  auto name_target = [&](Group& g, std::size_t i) {
    add_unique(g.targets, i);
    add_unique(g.names, targets[i].context.id);
  };
  // Machine-wide causes first: the targets they explain are not looked at again (one cause, one finding).
  std::vector<bool> claimed(targets.size(), false);
  const RunView run_view{targets, env, workspace, client_answers};
  for (std::size_t k = 0; k < table.size(); ++k) {
    const Rule& rule = table[k];
    if (!rule.on_run) continue;
    auto match = rule.on_run(run_view);
    if (!match) continue;
    auto& g = group_for(groups, k, match->level.value_or(rule.level), std::string(rule.category), match->key);
    for (const auto i : match->targets) {
      if (i >= targets.size()) throw std::logic_error(fmt::format("rule {} names target {} of {}", rule.code, i, targets.size()));
      name_target(g, i);
      if (match->claims) claimed[i] = true;
    }
    g.matches.push_back(std::move(*match));
  }

  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (claimed[i]) continue;
    const auto& [context, r] = targets[i];
    const TargetView view{r, context, env, summary, answers[i].client, answers[i].azure, answers[i].clients};
    // Set once a row below Error explains the target: from then on only an Error of a later phase is still
    // looked for, so a Warning about the DNS answer never hides the dropped port or the firewall's 403.
    std::optional<int> explained_in;
    for (std::size_t k = 0; k < table.size(); ++k) {
      const Rule& rule = table[k];
      if (!rule.on_target) continue;
      // A situational target's failure breaks one feature, not the workspace.
      const Level level = rule.level == Level::error && !context.required ? Level::warning : rule.level;
      if (explained_in && (level != Level::error || phase_rank(rule.check) <= *explained_in)) continue;
      auto match = rule.on_target(view);
      if (!match) continue;
      auto& g = group_for(groups, k, level, rule.category.empty() ? context.category : std::string(rule.category),
                          match->key);
      name_target(g, i);
      add_unique(g.hosts, r.host);
      add_unique(g.endpoints, fmt::format("{}:{}", r.host, r.port));
      if (g.doc_url.empty()) g.doc_url = context.doc_url;
      g.matches.push_back(std::move(*match));
      if (rule.also) continue;
      if (level == Level::error) break;  // one cause per target: what it explains is not a finding of its own
      explained_in = phase_rank(rule.check);
    }
  }

  merge_same_hosts(groups);
  std::ranges::stable_sort(groups, {}, [](const Group& g) { return std::tuple(g.level, g.rule); });
  std::vector<Finding> findings;
  findings.reserve(groups.size());
  for (const auto& g : groups) findings.push_back(finding_of(g));
  return findings;
}

std::vector<ReportTarget> report_targets(RunResult&& run, std::vector<TargetContext>&& contexts) {
  // The engine answers in the order it was asked: the one place plan and evidence are put side by side.
  if (contexts.size() > run.targets.size())
    throw std::logic_error(fmt::format("{} contexts for {} probed targets", contexts.size(), run.targets.size()));
  std::vector<ReportTarget> out;
  out.reserve(run.targets.size());
  for (std::size_t i = 0; i < run.targets.size(); ++i) {
    ReportTarget t{i < contexts.size() ? std::move(contexts[i]) : TargetContext{}, std::move(run.targets[i])};
    if (t.context.id.empty()) t.context.id = fmt::format("{}:{}", t.result.host, t.result.port);
    out.push_back(std::move(t));
  }
  return out;
}

Report build_report(ReportMetadata metadata, EnvironmentFacts env, RunResult run, std::vector<TargetContext> contexts,
                    std::vector<UncheckedTarget> unchecked) {
  Report report;
  report.unchecked = std::move(unchecked);
  report.metadata = std::move(metadata);
  report.env = std::move(env);
  report.run = {.deadline_hit = run.deadline_hit, .interrupted = run.interrupted, .concurrency = run.concurrency, .ms = run.ms};
  report.targets = report_targets(std::move(run), std::move(contexts));
  report.findings = find_findings(report.targets, report.env, report.metadata.workspace);
  report.incomplete = report.run.deadline_hit || report.run.interrupted;
  remove_secrets(report);
  return report;
}

std::vector<const Finding*> findings_for(const Report& report, std::size_t i) {
  std::vector<const Finding*> out;
  for (const auto& f : report.findings)
    if (std::ranges::find(f.targets, i) != f.targets.end()) out.push_back(&f);
  return out;
}

std::size_t count_findings(const Report& report, Level level) {
  return static_cast<std::size_t>(std::ranges::count(report.findings, level, &Finding::level));
}

}  // namespace vnetdiag
