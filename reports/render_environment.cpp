// The terminal's environment block: what this machine's settings are, from the report's facts alone, so
// that the text says nothing the JSON lacks. Judgements of these facts are findings, shown above it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "probes/net/address.hpp"
#include "reports/render_common.hpp"
#include "reports/text_layout.hpp"

namespace vnetdiag {
namespace {

template <class Items, class Fn>
std::string join(const Items& items, std::string_view separator, Fn&& fn) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + fn(item);
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  return join(items, separator, [](const std::string& s) { return s; });
}

/// Entries grouped by a key, in first-seen order: {"eth0", {"10.0.1.4/24", "fd00::4/64"}}.
using Groups = std::vector<std::pair<std::string, std::vector<std::string>>>;

void add_to_group(Groups& groups, const std::string& key, std::string value) {
  auto it = std::ranges::find(groups, key, &Groups::value_type::first);
  if (it == groups.end()) it = groups.insert(groups.end(), {key, {}});
  it->second.push_back(std::move(value));
}

std::string dns_line(const EnvironmentFacts& e) {
  std::vector<const ResolverFact*> clients;
  for (const auto& r : e.resolvers)
    if (r.used_by_clients) clients.push_back(&r);
  std::string out = clients.empty() ? "none"
                                    : join(clients, ", ", [](const ResolverFact* r) { return r->address; }) + " (" +
                                          clients.front()->source + ")";
  return e.dns_stub.empty() ? out : "stub " + e.dns_stub + " -> " + out;
}

std::string proxy_line(const ProxyFacts& p) {
  if (p.https_proxy.empty() && p.http_proxy.empty()) return "none (direct)";
  const auto how = [&](const std::string& url) { return url.empty() ? std::string("direct") : url; };
  return fmt::format("https: {}  http: {}  (from {})", how(p.https_proxy), how(p.http_proxy), p.origin);
}

std::string interfaces_line(const EnvironmentFacts& e) {
  // IPv6 link-local addresses say nothing about the VNet.
  Groups by_name;
  for (const auto& i : e.interfaces) {
    const auto ip = IpAddress::parse(i.address);
    if (!ip || (ip->v6 && classify(*ip) == AddressClass::link_local)) continue;
    add_to_group(by_name, i.name, fmt::format("{}/{}{}", i.address, i.prefix, i.up ? "" : " (down)"));
  }
  if (by_name.empty()) return "not listed";
  return join(by_name, ", ", [](const Groups::value_type& g) { return g.first + " " + join(g.second, " "); });
}

std::string docker_line(const EnvironmentFacts& e) {
  std::string out = join(e.docker_bridges, ", ", [](const DockerBridgeFact& b) {
    return b.bridge.empty() ? b.range + " (Docker's default, no docker0)" : b.bridge + " " + b.range;
  });
  if (out.empty()) out = "none";
  return out + (e.docker_overlaps.empty() ? ": no overlap" : ": overlaps " + join(e.docker_overlaps, ", ", [](const DockerOverlapFact& o) {
                                                            return o.overlaps;
                                                          }));
}

std::string metadata_line(const ImdsFacts& m) {
  std::vector<std::string> known;
  for (const auto* field : {&m.region, &m.vm_size, &m.az_environment})
    if (!field->empty()) known.push_back(*field);
  std::string out = m.status;
  if (!known.empty()) out += ": " + join(known, ", ");
  else if (!m.detail.empty()) out += ": " + m.detail;
  if (m.status != "not_asked") out += fmt::format(" ({:.0f} ms)", m.ms);
  return out;
}

std::string clock_line(double seconds) {
  const long whole = std::lround(std::abs(seconds));
  const std::string amount = whole >= 120 ? fmt::format("{} min {} s", whole / 60, whole % 60) : fmt::format("{} s", whole);
  return fmt::format("{} {} the servers", amount, seconds > 0 ? "behind" : "ahead of");
}

}  // namespace

std::string environment_block(const EnvironmentFacts& e, std::size_t width) {
  std::string out = "Environment\n";
  constexpr std::size_t kValueColumn = 14;
  auto line = [&](std::string_view label, const std::string& text) {
    out += wrap(text, width, fmt::format("  {:<12}", label), kValueColumn);
  };

  line("dns", dns_line(e));
  std::vector<std::string> beside;
  for (const auto& r : e.resolvers)
    if (!r.used_by_clients) beside.push_back(r.address + " (" + r.source + ")");
  if (!beside.empty()) line("", join(beside, ", ") + " asked beside them for comparison");
  if (!e.dns_search.empty() || !e.dns_options.empty())
    line("", fmt::format("search: {}  options: {}", e.dns_search.empty() ? "-" : join(e.dns_search, " "),
                         e.dns_options.empty() ? "-" : join(e.dns_options, " ")));

  const bool hosts_unread = std::ranges::any_of(e.unusable, [&](const UnusableSettingFact& u) { return u.source == e.hosts_file; });
  if (e.hosts_overrides.empty())
    line("hosts", e.hosts_file.empty() ? "not read"
                  : hosts_unread       ? e.hosts_file + " could not be read"
                                       : "no planned host is pinned in " + e.hosts_file);
  for (const auto& h : e.hosts_overrides) line("hosts", fmt::format("{} -> {} ({})", h.host, join(h.addresses, ", "), h.file));

  line("proxy", proxy_line(e.proxy));
  if (!e.proxy.no_proxy.empty()) line("", "no_proxy: " + join(e.proxy.no_proxy, ","));
  // With the proxy taken from vnetdiag's own settings, other tools on this machine still follow the variables.
  if (!e.proxy.variables.empty() && (e.proxy.origin == "config" || e.proxy.origin == "--proxy"))
    line("", "variables other tools follow: " + join(e.proxy.variables, " ", [](const ProxyVariableFact& v) {
           return v.name + "=" + (v.value.empty() ? "(unusable)" : v.value);
         }));

  line("interfaces", interfaces_line(e));
  line("docker", docker_line(e));
  line("vnet", vnet_ranges_text(e));
  line("metadata", metadata_line(e.imds));
  if (e.clock_skew_seconds) line("clock", clock_line(*e.clock_skew_seconds));
  if (!e.notes.empty())
    out += wrap(fmt::format("({} note{} on these settings in the JSON report)", e.notes.size(), e.notes.size() == 1 ? "" : "s"),
                width, "  ", 3);
  return out;
}

}  // namespace vnetdiag
