#include <fmt/format.h>

#include "reports/findings.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"
#include "reports/render_common.hpp"

namespace vnetdiag {
namespace {

/// Text as Markdown shows it literally: punctuation that would start emphasis, code, links, HTML
/// ("<storage-1>" would vanish as a tag) or a table cell is backslash-escaped; line breaks become spaces.
std::string md(std::string_view raw) {
  const std::string text = valid_utf8(raw);
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string row(std::initializer_list<std::string> cells) {
  std::string out = "|";
  for (const auto& c : cells) out += " " + c + " |";
  return out + "\n";
}

std::string link(std::string_view url) { return url.empty() ? std::string("-") : fmt::format("<{}>", url); }

}  // namespace

std::string render_markdown(const Report& input) {
  Report report = input;
  remove_secrets(report);
  const auto& m = report.metadata;
  const auto& w = m.workspace;
  std::string out = "# vnetdiag report\n\n";
  out += fmt::format("**{}**\n\n", md(verdict_line(report)));

  out += row({"Item", "Value"});
  out += row({"---", "---"});
  if (!w.name.empty() || !w.workspace_id.empty())
    out += row({"Workspace", md(fmt::format("{} {}", w.name, w.workspace_id))});
  if (!w.region.empty()) out += row({"Region", md(w.region)});
  if (!w.cloud.empty()) out += row({"Cloud", md(w.cloud)});
  out += row({"Tool", md(fmt::format("{} {} ({})", m.tool.name, m.tool.version, m.tool.commit))});
  if (!m.run.started_at.empty()) out += row({"Started", md(m.run.started_at)});
  if (!m.run.hostname.empty()) out += row({"Machine", md(m.run.hostname)});
  out += row({"Exit code", std::to_string(exit_code(report))});
  if (report.redacted) out += row({"Redacted", "yes: identifying values are placeholders"});
  out += "\n## Findings\n\n";

  if (report.findings.empty()) out += "No problems found.\n";
  for (const auto& category : categories()) {
    bool heading = false;
    for (const auto& f : report.findings) {
      if (&category_info(f.category) != &category) continue;
      if (!heading) {
        out += fmt::format("### {}\n\n", md(category.heading));
        heading = true;
      }
      out += fmt::format("#### {} {}: {}\n\n", to_string(f.level), f.code, md(f.title));
      if (!f.targets.empty())
        out += fmt::format("- **Targets:** {}\n", md(fmt::format("{}", fmt::join(target_names(report, f), ", "))));
      out += fmt::format("- **Evidence:** {}\n", md(f.evidence));
      out += fmt::format("- **Fix:** {}\n", md(f.fix));
      out += fmt::format("- **Docs:** {}\n\n", link(f.doc_url));
    }
  }

  if (!report.unchecked.empty()) {
    out += "\n## Not checked\n\n";
    out += row({"Target", "Host:port", "Required", "Why"});
    out += row({"---", "---", "---", "---"});
    for (const auto& u : report.unchecked)
      out += row({md(u.context.id), md(fmt::format("{}:{}", u.host, u.port)),
                  u.manual ? "check by hand" : u.context.required ? "yes" : "no", md(u.reason)});
  }

  out += "\n## Targets\n\n";
  out += row({"Target", "Host:port", "Expect", "DNS", "Connect", "TLS", "HTTP", "Findings"});
  out += row({"---", "---", "---", "---", "---", "---", "---", "---"});
  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    const auto& [c, r] = report.targets[i];
    std::string cells[4] = {"-", "-", "-", "-"};
    for (const auto& p : phases_of(report, i)) {
      const auto slot = p.name == "dns" ? 0 : p.name == "connect" ? 1 : p.name == "tls" ? 2 : 3;
      cells[slot] = md(p.detail);
    }
    std::string codes;
    for (const Finding* f : findings_for(report, i)) codes += (codes.empty() ? "" : ", ") + f->code;
    out += row({md(c.id), md(fmt::format("{}:{}", r.host, r.port)), std::string(to_string(c.expect)), cells[0], cells[1],
                cells[2], cells[3], codes.empty() ? "none" : codes});
  }

  const auto& e = report.env;
  out += "\n## Environment\n\n";
  std::string resolvers;
  for (const auto& r : e.resolvers)
    resolvers += fmt::format("{}{} ({}{})", resolvers.empty() ? "" : ", ", r.address, r.source,
                             r.used_by_clients ? "" : ", comparison only");
  out += fmt::format("- **DNS servers:** {}\n", resolvers.empty() ? "not recorded" : md(resolvers));
  if (!e.dns_stub.empty()) out += fmt::format("- **DNS stub:** {}\n", md(e.dns_stub));
  if (!e.dns_search.empty() || !e.dns_options.empty())
    out += fmt::format("- **resolv.conf:** search {}; options {}\n", md(fmt::format("{}", fmt::join(e.dns_search, " "))),
                       md(fmt::format("{}", fmt::join(e.dns_options, " "))));
  for (const auto& h : e.hosts_overrides)
    out += fmt::format("- **Hosts pin:** {}\n", md(fmt::format("{} -> {} ({})", h.host, fmt::join(h.addresses, ", "), h.file)));
  out += fmt::format("- **Proxy:** {}\n", e.proxy.https_proxy.empty() && e.proxy.http_proxy.empty()
                                              ? std::string("none")
                                              : md(fmt::format("https {}, http {} (from {})",
                                                               e.proxy.https_proxy.empty() ? "direct" : e.proxy.https_proxy,
                                                               e.proxy.http_proxy.empty() ? "direct" : e.proxy.http_proxy,
                                                               e.proxy.origin)));
  if (!e.proxy.no_proxy.empty()) out += fmt::format("- **NO_PROXY:** {}\n", md(fmt::format("{}", fmt::join(e.proxy.no_proxy, ","))));
  out += fmt::format("- **VNet ranges:** {}\n", md(vnet_ranges_text(e)));
  out += fmt::format("- **Instance metadata:** {}\n", md(e.imds.status + (e.imds.region.empty() ? "" : ", " + e.imds.region) +
                                                          (e.imds.az_environment.empty() ? "" : ", " + e.imds.az_environment)));
  for (const auto& u : e.unusable) out += fmt::format("- **Could not read:** {}\n", md(u.source + ": " + u.problem));
  for (const auto& n : e.notes) out += fmt::format("- **Note ({}):** {}\n", md(n.topic), md(n.text));
  return out;
}

}  // namespace vnetdiag
