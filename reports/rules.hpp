// The finding rules as data: one row per failure mode (azureml-network-facts.md §4), each with a stable
// code, a matcher over one target's evidence (or the whole run), text templates and a doc link.
// Correlation (findings.cpp) groups the matches of a row by their key: one cause, one finding.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/evidence.hpp"
#include "reports/report_model.hpp"

namespace vnetdiag {

/// What holds for the run as a whole, worked out once before the per-target rules run.
struct RunSummary {
  /// Every direct connection to a public address failed without an answer: the subnet has no egress.
  bool no_internet_egress = false;
};

/// What a rule sees of one target: its evidence, what the plan expected, the machine, and the DNS
/// answers that matter.
struct TargetView {
  const TargetResult& result;
  const TargetContext& context;
  const EnvironmentFacts& env;
  const RunSummary& summary;
  /// The answer a client acted on: the first client resolver with a definitive answer (as the engine does).
  const DnsAnswer* client = nullptr;
  /// Azure DNS's answer when it was asked beside the client resolvers; nullptr otherwise.
  const DnsAnswer* azure = nullptr;
  /// Every client resolver's answer, in the order clients ask them.
  std::vector<const DnsAnswer*> clients;
};

/// What a run-level rule sees.
struct RunView {
  std::span<const ReportTarget> targets;
  const EnvironmentFacts& env;
  const WorkspaceMetadata& workspace;
  /// Parallel to `targets`: the answer each client acted on (see client_answer), worked out once.
  std::span<const DnsAnswer* const> client_answers;
};

/// A placeholder and its value: {"resolver", "10.0.0.4:53 (resolv.conf)"}.
using Placeholder = std::pair<std::string, std::string>;

/// A rule's verdict on one target (or on the run).
struct Match {
  std::string key;                   ///< matches of one rule with equal keys share one finding
  std::vector<Placeholder> values;   ///< fill the templates; values that differ within a group are listed
  std::string detail;                ///< this target's part of {details}
  std::vector<std::size_t> targets;  ///< run-level rules: the targets the finding names (indices into RunView::targets)
  bool claims = false;               ///< run-level rules: those targets are explained; no per-target rule looks at them
  /// Run-level rules: the level when it depends on the evidence (a silent second DNS server only slows
  /// lookups; a silent first one fails them); unset: the row's level.
  std::optional<Level> level;
};

using TargetMatcher = std::optional<Match> (*)(const TargetView&);
using RunMatcher = std::optional<Match> (*)(const RunView&);

/// One row of the rule table. Templates may use the matcher's placeholders and the built-ins
/// {count} {s} {targets} {details} {hosts} {endpoints}.
struct Rule {
  std::string_view code;           ///< stable, never reused: "VND-DNS-001"
  Level level = Level::error;      ///< for a required target; an Error on a situational target is a Warning
  std::string_view category;       ///< "" = the target's own category
  std::string_view check;          ///< "dns", "proxy", "tcp", "tls", "http", "environment"
  std::string_view title;
  TargetMatcher on_target = nullptr;  ///< exactly one of on_target and on_run is set
  RunMatcher on_run = nullptr;
  std::string_view evidence;
  std::string_view fix;
  std::string_view doc_url;        ///< "" = the first target's own doc link
  std::string_view failure_modes;  ///< where in facts §4 it comes from: "F01 F15"
  bool also = false;               ///< does not explain the target: later rules still look at it
};

/// The answer a client acts on for this target: the first resolver clients use (per `env.resolvers`, else
/// every source but "azure-dns") with a definitive answer; nullptr when none answered.
const DnsAnswer* client_answer(const TargetResult& result, const EnvironmentFacts& env);

/// The run-wide facts some rules need. `client_answers` is parallel to `targets` (nullptr: none).
RunSummary summarize(std::span<const ReportTarget> targets, std::span<const DnsAnswer* const> client_answers);

/// Every rule, in evaluation order: per target, the first matching row (that is not `also`) explains it,
/// so causes in earlier phases hide their symptoms in later ones.
std::span<const Rule> rules();

/// The row with this code, or nullptr.
const Rule* find_rule(std::string_view code);

/// Replaces each {name} with its value; unknown names stay as written.
std::string expand(std::string_view text, const std::vector<Placeholder>& values);

/// The names of the {placeholders} in a template, in order.
std::vector<std::string> placeholders_in(std::string_view text);

/// The egress IP a service says it saw, from a 403 body or Key Vault's network-info header; "" when none.
std::string reported_egress_ip(const HttpEvidence& http);

}  // namespace vnetdiag
