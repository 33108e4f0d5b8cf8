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
  enum class State { passed, failed, skipped } state = State::passed;
  std::string type, message, text;
};

struct Suite {
  std::vector<Case> cases;
  std::string system_out;  ///< what the suite's cases cannot say: the environment's notes and unreadable settings
};

std::string body_of(const Finding& f) {
  return fmt::format("{}: {}\nEvidence: {}\nFix: {}\nDocs: {}", f.code, f.title, f.evidence, f.fix, f.doc_url);
}

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

std::string render_junit(const Report& input) {
  Report report = input;
  remove_secrets(report);
  std::map<std::string, Suite> suites;  // by category name; std::map keeps the output order stable

  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    const auto& c = report.targets[i].context;
    const auto phases = phases_of(report, i);
    std::vector<Case> cases;
    for (const auto& p : phases) {
      Case k{.classname = fmt::format("vnetdiag.{}.{}", c.category, c.id), .name = std::string(p.name), .ms = p.ms};
      if (p.deadline) {
        k.state = Case::State::skipped;
        k.message = "cut short by the run's deadline";
      } else if (!p.passed) {
        k.state = Case::State::failed;
        k.type = "unexplained";
        k.message = fmt::format("{} failed: {}", p.name, p.detail);
        k.text = k.message;
      }
      cases.push_back(std::move(k));
    }
    if (cases.empty()) {
      // Nothing ran for it (the deadline came first): still one case, so the target is never silently missing.
      cases.push_back({.classname = fmt::format("vnetdiag.{}.{}", c.category, c.id), .name = "dns",
                       .state = Case::State::skipped, .message = "not probed before the deadline"});
    }
    // Failures carry the finding that explains them; a symptom of an earlier phase names that finding.
    std::vector<std::vector<const Finding*>> attached(cases.size());
    for (const Finding* f : findings_for(report, i)) attached[phases.empty() ? 0 : phase_for(*f, phases)].push_back(f);
    const Finding* cause = nullptr;
    for (std::size_t p = 0; p < cases.size(); ++p) {
      if (!attached[p].empty()) {
        auto& k = cases[p];
        k.state = Case::State::failed;
        k.type = attached[p].front()->code;
        k.message = fmt::format("{}: {}", attached[p].front()->code, attached[p].front()->title);
        k.text.clear();
        for (const Finding* f : attached[p]) k.text += (k.text.empty() ? "" : "\n\n") + body_of(*f);
        if (!cause) cause = attached[p].front();
      } else if (cases[p].state == Case::State::failed && cause) {
        cases[p].type = cause->code;
        cases[p].message = fmt::format("follows from {}: {}", cause->code, cases[p].message);
        cases[p].text = body_of(*cause);
      }
    }
    auto& suite = suites[c.category];
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
    if (f != report.findings.end()) {
      k.state = Case::State::failed;
      k.type = f->code;
      k.message = fmt::format("{}: {}", f->code, f->title);
      k.text = body_of(*f);
    }
    environment.cases.push_back(std::move(k));
  }
  for (const auto& u : report.env.unusable) environment.system_out += fmt::format("could not read {}: {}\n", u.source, u.problem);
  for (const auto& n : report.env.notes) environment.system_out += fmt::format("note ({}): {}\n", n.topic, n.text);

  std::size_t tests = 0, failures = 0, skipped = 0;
  double total_ms = 0;
  std::string body;
  for (const auto& [name, suite] : suites) {
    std::size_t f = 0, s = 0;
    double ms = 0;
    for (const auto& k : suite.cases) {
      f += k.state == Case::State::failed;
      s += k.state == Case::State::skipped;
      ms += k.ms;
    }
    body += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">\n",
                        xml(name), suite.cases.size(), f, s, seconds(ms));
    for (const auto& k : suite.cases) {
      body += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", xml(k.classname), xml(k.name), seconds(k.ms));
      if (k.state == Case::State::passed) {
        body += "/>\n";
        continue;
      }
      body += ">\n";
      if (k.state == Case::State::skipped) {
        body += fmt::format("      <skipped message=\"{}\"/>\n", xml(k.message));
      } else {
        body += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", xml(k.type), xml(k.message), xml(k.text));
      }
      body += "    </testcase>\n";
    }
    if (!suite.system_out.empty()) body += fmt::format("    <system-out>{}</system-out>\n", xml(suite.system_out));
    body += "  </testsuite>\n";
    tests += suite.cases.size();
    failures += f;
    skipped += s;
    total_ms += ms;
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"vnetdiag\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">\n"
                     "{}</testsuites>\n",
                     tests, failures, skipped, seconds(total_ms), body);
}

}  // namespace vnetdiag
