#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "reports/findings.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"
#include "reports/render_common.hpp"
#include "reports/rules.hpp"

namespace vnetdiag {
namespace {

/// Text as XML character data or an attribute value. Control characters other than tab and newline
/// are not allowed in XML 1.0 at all: they become '?'.
std::string xml(std::string_view raw) {
  const std::string text = valid_utf8(raw);
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      default: out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
    }
  }
  return out;
}

struct Case {
  std::string classname, name;
  double ms = 0;
  /// error: cut short by the run's deadline, which says nothing of the target itself.
  enum class State { passed, failed, error, skipped } state = State::passed;
  std::string type, message, text;
  std::string system_out;  ///< findings that do not fail the case (Warnings, Information), and what follows from them
};

struct Suite {
  std::vector<Case> cases;
  double ms = 0;           ///< its targets ran side by side: the longest one's time
  std::string system_out;  ///< what the suite's cases cannot say: the environment's notes and unreadable settings
};

std::string body_of(const Finding& f) {
  return fmt::format("{}: {}\nEvidence: {}\nFix: {}\nDocs: {}", f.code, f.title, f.evidence, f.fix, f.doc_url);
}

/// Whether a finding fails its test case: an Error always, a Warning with --fail-on warnings.
bool fails(const Finding& f, const JunitOptions& options) {
  return f.level == Level::error || (f.level == Level::warning && options.warnings_fail);
}

/// A finding that does not fail its case, as the case's output.
void note(Case& k, const std::string& text) { k.system_out += (k.system_out.empty() ? "" : "\n\n") + text; }

/// Which phase a finding belongs to: its own check when that phase failed, or is DNS (a wrong answer is a
/// DNS failure even though DNS answered), or nothing failed; else the first phase that failed (the
/// blocked-host rules name "tcp" but may see a TLS reset).
std::size_t phase_for(const Finding& f, const std::vector<PhaseOutcome>& phases) {
  const std::string_view want = f.check == "tcp" || f.check == "proxy" ? "connect" : std::string_view(f.check);
  auto own = std::ranges::find(phases, want, &PhaseOutcome::name);
  auto first_failed = std::ranges::find_if(phases, [](const PhaseOutcome& p) { return !p.passed && !p.deadline; });
  if (own != phases.end() && (!own->passed || want == "dns" || first_failed == phases.end())) return own - phases.begin();
  if (first_failed != phases.end()) return first_failed - phases.begin();
  return own != phases.end() ? own - phases.begin() : phases.size() - 1;
}

}  // namespace

std::string render_junit(const Report& input, const JunitOptions& options) {
  Report report = input;
  remove_secrets(report);
  std::map<std::string, Suite> suites;  // by category name; std::map keeps the output order stable

  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    const auto& c = report.targets[i].context;
    const auto phases = phases_of(report, i);
    std::vector<Case> cases;
    double target_ms = 0;
    for (const auto& p : phases) {
      Case k{.classname = fmt::format("vnetdiag.{}.{}", c.category, c.id), .name = std::string(p.name), .ms = p.ms};
      if (p.deadline) {
        k.state = Case::State::error;
        k.type = "deadline";
        k.message = fmt::format("{} cut short by the run's deadline", p.name);
      } else if (!p.passed) {
        k.state = Case::State::failed;
        k.type = "unexplained";
        k.message = fmt::format("{} failed: {}", p.name, p.detail);
        k.text = k.message;
      }
      target_ms += p.ms;
      cases.push_back(std::move(k));
    }
    if (cases.empty()) {
      // Nothing ran for it (the deadline came first): still one case, so the target is never silently missing.
      cases.push_back({.classname = fmt::format("vnetdiag.{}.{}", c.category, c.id), .name = "dns",
                       .state = Case::State::error, .type = "deadline", .message = "not probed before the run's deadline"});
    }
    // Failures carry the finding that explains them; a symptom of an earlier phase names that finding. A finding
    // that does not fail (a Warning without --fail-on warnings) leaves its case passed, with the finding as output.
    std::vector<std::vector<const Finding*>> attached(cases.size());
    for (const Finding* f : findings_for(report, i)) attached[phases.empty() ? 0 : phase_for(*f, phases)].push_back(f);
    const Finding* cause = nullptr;
    for (std::size_t p = 0; p < cases.size(); ++p) {
      auto& k = cases[p];
      if (!attached[p].empty()) {
        std::vector<const Finding*> failing;
        for (const Finding* f : attached[p]) {
          if (fails(*f, options)) failing.push_back(f);
          else note(k, body_of(*f));
        }
        if (!cause) cause = attached[p].front();
        if (!failing.empty()) {
          k.state = k.state == Case::State::error ? k.state : Case::State::failed;
          k.type = failing.front()->code;
          k.message = fmt::format("{}: {}", failing.front()->code, failing.front()->title);
          k.text.clear();
          for (const Finding* f : failing) k.text += (k.text.empty() ? "" : "\n\n") + body_of(*f);
        } else if (k.state == Case::State::failed) {
          k.state = Case::State::passed;
        }
      } else if (k.state == Case::State::failed && cause) {
        const auto follows = fmt::format("follows from {}: {}", cause->code, k.message);
        if (fails(*cause, options)) {
          k.type = cause->code;
          k.message = follows;
          k.text = body_of(*cause);
        } else {
          k.state = Case::State::passed;
          note(k, follows + "\n" + body_of(*cause));
        }
      }
    }
    auto& suite = suites[c.category];
    suite.ms = std::max(suite.ms, target_ms);
    for (auto& k : cases) suite.cases.push_back(std::move(k));
  }

  // Planned targets no probe ran for: skipped, with the reason, so no target is silently missing.
  for (const auto& u : report.unchecked)
    suites[u.context.category].cases.push_back({.classname = fmt::format("vnetdiag.{}.{}", u.context.category, u.context.id),
                                                .name = "not checked",
                                                .state = Case::State::skipped,
                                                .message = fmt::format("{}{}", u.manual ? "check by hand: " : "", u.reason)});

  // Machine-wide checks: one case per run-level rule, failed when its finding is present.
  auto& environment = suites["environment"];
  for (const auto& rule : rules()) {
    if (!rule.on_run) continue;
    Case k{.classname = "vnetdiag.environment", .name = std::string(rule.code)};
    auto f = std::ranges::find(report.findings, rule.code, &Finding::code);
    if (f != report.findings.end() && fails(*f, options)) {
      k.state = Case::State::failed;
      k.type = f->code;
      k.message = fmt::format("{}: {}", f->code, f->title);
      k.text = body_of(*f);
    } else if (f != report.findings.end()) {
      note(k, body_of(*f));
    }
    environment.cases.push_back(std::move(k));
  }
  for (const auto& u : report.env.unusable) environment.system_out += fmt::format("could not read {}: {}\n", u.source, u.problem);
  for (const auto& n : report.env.notes) environment.system_out += fmt::format("note ({}): {}\n", n.topic, n.text);

  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  std::string body;
  for (const auto& [name, suite] : suites) {
    std::size_t f = 0, e = 0, s = 0;
    for (const auto& k : suite.cases) {
      f += k.state == Case::State::failed;
      e += k.state == Case::State::error;
      s += k.state == Case::State::skipped;
    }
    body += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n",
                        xml(name), suite.cases.size(), f, e, s, seconds(suite.ms));
    for (const auto& k : suite.cases) {
      body += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", xml(k.classname), xml(k.name), seconds(k.ms));
      if (k.state == Case::State::passed && k.system_out.empty()) {
        body += "/>\n";
        continue;
      }
      body += ">\n";
      switch (k.state) {
        case Case::State::passed: break;
        case Case::State::skipped: body += fmt::format("      <skipped message=\"{}\"/>\n", xml(k.message)); break;
        case Case::State::error:
          body += fmt::format("      <error type=\"{}\" message=\"{}\"/>\n", xml(k.type), xml(k.message));
          break;
        case Case::State::failed:
          body += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", xml(k.type), xml(k.message), xml(k.text));
          break;
      }
      if (!k.system_out.empty()) body += fmt::format("      <system-out>{}</system-out>\n", xml(k.system_out));
      body += "    </testcase>\n";
    }
    if (!suite.system_out.empty()) body += fmt::format("    <system-out>{}</system-out>\n", xml(suite.system_out));
    body += "  </testsuite>\n";
    tests += suite.cases.size();
    failures += f;
    errors += e;
    skipped += s;
  }
  // The targets ran side by side: the run took its wall time, not the sum of theirs.
  const double wall_ms = report.metadata.run.duration_ms > 0 ? report.metadata.run.duration_ms : report.run.ms;
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"vnetdiag\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n"
                     "{}</testsuites>\n",
                     tests, failures, errors, skipped, seconds(wall_ms), body);
}

}  // namespace vnetdiag
