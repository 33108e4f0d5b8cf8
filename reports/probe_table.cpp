#include "reports/probe_table.hpp"

#include <fmt/format.h>

namespace vnetdiag {
namespace {

std::string join_addresses(const std::vector<ResolvedAddress>& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({}{})", a.ip, to_string(a.cls), a.in_vnet ? ", in VNet" : "");
  }
  return out;
}

std::string chain_text(const DnsAnswer& a) {
  std::string out;
  for (const auto& name : a.chain) {
    if (!out.empty()) out += " > ";
    out += name;
  }
  if (!a.addresses.empty()) out += " > " + join_addresses(a.addresses);
  return out;
}

const char* tls_word(const TlsEvidence& t) { return t.status == TlsStatus::ok ? "ok" : "FAIL"; }

void add_target(std::string& out, const TargetResult& r) {
  const char* verdict = r.deadline ? "deadline" : healthy(r) ? "ok" : "FAIL";
  out += fmt::format("{}:{}  {}  {:.1f} ms{}\n", r.host, r.port, verdict, r.ms,
                     r.route == Route::proxy ? "  (through proxy)" : "");
  if (!r.internal_error.empty()) out += fmt::format("  error  internal error: {}\n", r.internal_error);
  if (r.hosts) out += fmt::format("  hosts  {}: {}\n", r.hosts->file, join_addresses(r.hosts->addresses));
  for (const auto& a : r.dns) {
    out += fmt::format("  dns    {} ({})  {}  {}{}  {:.1f} ms\n", a.resolver, a.source, to_string(a.status),
                       chain_text(a), a.detail.empty() ? "" : "  [" + a.detail + "]", a.ms);
    if (a.retried_tcp) out += "         truncated over UDP, answered again over TCP\n";
  }
  for (const auto& t : r.tcp)
    out += fmt::format("  tcp    {}:{}  {}{}  {:.1f} ms\n", t.address, t.port, to_string(t.status),
                       t.detail.empty() ? "" : " (" + t.detail + ")", t.ms);
  if (r.proxy) {
    const auto& p = *r.proxy;
    out += fmt::format("  proxy  {}  CONNECT {}:{}  {}", p.proxy, r.host, r.port, to_string(p.status));
    if (p.http_status != 0) out += fmt::format(" ({} {})", p.http_status, p.reason);
    if (!p.detail.empty()) out += "  [" + p.detail + "]";
    out += fmt::format("  {:.1f} ms\n", p.ms);
  }
  if (r.tls) {
    const auto& t = *r.tls;
    out += fmt::format("  tls    {}  {}", tls_word(t), to_string(t.status));
    if (!t.protocol.empty()) out += fmt::format("  {} {}", t.protocol, t.cipher);
    if (!t.detail.empty()) out += "  [" + t.detail + "]";
    out += fmt::format("  {:.1f} ms\n", t.ms);
    if (!t.chain.empty())
      out += fmt::format("         certificate: {}  issued by: {}  valid until {}\n", t.chain.front().subject,
                         t.chain.front().issuer, t.chain.front().not_after);
  }
  if (r.http) {
    const auto& h = *r.http;
    out += fmt::format("  http   {} {}  ", h.method, h.target);
    if (h.status == HttpStatus::response) {
      out += fmt::format("{} {}", h.code, h.reason);
    } else {
      out += std::string(to_string(h.status));
    }
    if (!h.detail.empty()) out += "  [" + h.detail + "]";
    out += fmt::format("  {:.1f} ms\n", h.ms);
    for (const auto& [name, value] : h.headers) out += fmt::format("         {}: {}\n", name, value);
  }
}

}  // namespace

std::string render_probe_table(const RunResult& run) {
  std::string out;
  std::size_t ok = 0;
  for (const auto& r : run.targets) {
    add_target(out, r);
    out += "\n";
    if (healthy(r)) ++ok;
  }
  out += fmt::format("{} of {} targets healthy in {:.1f} ms{}{}\n", ok, run.targets.size(), run.ms,
                     run.deadline_hit ? "; the run deadline cut some probes short" : "",
                     run.interrupted ? "; interrupted" : "");
  return out;
}

}  // namespace vnetdiag
