// Machine-wide rules: the metadata service, the clock, Docker, Azure DNS, and faults of vnetdiag itself.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include "reports/doc_links.hpp"
#include "reports/rules_common.hpp"

namespace vnetdiag {
namespace {

using namespace rule_facts;

std::optional<Match> internal_error(const TargetView& v) {
  if (v.result.internal_error.empty()) return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}", endpoint(v.result), v.result.internal_error)};
}

std::optional<Match> azure_dns_unreachable(const TargetView& v) {
  if (!is_azure_dns_target(v.result, v.context, v.env)) return std::nullopt;
  auto how = blocked(v.result);
  if (!how) return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}", endpoint(v.result), *how)};
}

// Run matchers.

std::optional<Match> docker_overlap(const RunView& v) {
  if (v.env.docker_overlaps.empty()) return std::nullopt;
  Match m;
  for (const auto& o : v.env.docker_overlaps) {
    m.detail += fmt::format("{}{} {} covers {}", m.detail.empty() ? "" : "; ", o.bridge.empty() ? "Docker default" : o.bridge,
                            o.range, o.overlaps);
    m.values.push_back({"range", o.range});
  }
  return m;
}

std::optional<Match> clock_skew(const RunView& v) {
  if (!clock_skewed(v.env)) return std::nullopt;
  const double s = *v.env.clock_skew_seconds;
  const long whole = std::lround(std::abs(s));
  Match m;
  m.values = {{"skew", whole >= 120 ? fmt::format("{} min {} s", whole / 60, whole % 60) : fmt::format("{} s", whole)},
              {"direction", s > 0 ? "behind" : "ahead of"}};
  m.detail = fmt::format("the servers' Date headers are {} s {} this machine's clock", whole, s > 0 ? "ahead of" : "behind");
  // Certificates judged against a wrong clock fail for that reason alone: name them here, not twice.
  std::vector<std::string> names;
  for (std::size_t i = 0; i < v.targets.size(); ++i) {
    const auto& t = v.targets[i].result.tls;
    if (!t || (t->status != TlsStatus::expired && t->status != TlsStatus::not_yet_valid)) continue;
    m.targets.push_back(i);
    names.push_back(v.targets[i].context.id);
  }
  if (!names.empty())
    m.detail += fmt::format("; certificates judged out of date because of it: {}", fmt::join(names, ", "));
  return m;
}

std::optional<Match> metadata_unreachable(const RunView& v) {
  Match m;
  m.claims = true;  // a failed metadata target is this finding, not a dropped port 80 as well
  const auto& s = v.env.imds.status;
  if (s == "unreachable" || s == "no_response" || s == "rejected")
    m.detail = fmt::format("instance metadata {}{}", s, v.env.imds.detail.empty() ? "" : ": " + v.env.imds.detail);
  for (std::size_t i = 0; i < v.targets.size(); ++i) {
    const auto& [c, r] = v.targets[i];
    if (!is_metadata_target(r, c) || r.deadline) continue;
    if (healthy(r) && (!r.http || c.reachable_statuses.empty() ||
                       std::ranges::find(c.reachable_statuses, r.http->code) != c.reachable_statuses.end()))
      continue;
    std::string how = blocked(r).value_or(r.http && r.http->status == HttpStatus::response
                                              ? fmt::format("HTTP {} {}", r.http->code, r.http->reason)
                                              : std::string("failed"));
    m.detail += fmt::format("{}{}: {}", m.detail.empty() ? "" : "; ", endpoint(r), how);
    m.targets.push_back(i);
  }
  if (m.detail.empty()) return std::nullopt;
  return m;
}

std::optional<Match> region_mismatch(const RunView& v) {
  const std::string vm = lower(v.env.imds.region), ws = lower(v.workspace.region);
  if (vm.empty() || ws.empty() || vm == ws) return std::nullopt;
  return Match{"", {{"vm_region", vm}, {"workspace_region", ws}},
               fmt::format("instance metadata location {}, workspace location {}", vm, ws)};
}

std::optional<Match> settings_unusable(const RunView& v) {
  if (v.env.unusable.empty()) return std::nullopt;
  Match m;
  std::vector<std::string> sources;
  for (const auto& u : v.env.unusable) {
    m.detail += fmt::format("{}{}: {}", m.detail.empty() ? "" : "; ", u.source, u.problem);
    if (std::ranges::find(sources, u.source) == sources.end()) sources.push_back(u.source);
  }
  m.values = {{"sources", fmt::format("{}", fmt::join(sources, ", "))}};
  return m;
}

// The catalog's host names are per cloud (facts §1): a plan for another cloud checks names this VM's
// workspace does not use.
std::optional<Match> cloud_mismatch(const RunView& v) {
  const auto& m = v.env.imds;
  if (m.az_environment.empty() || v.workspace.cloud.empty() || m.cloud == v.workspace.cloud) return std::nullopt;
  return Match{"", {{"vm_cloud", m.az_environment}, {"cloud", v.workspace.cloud}},
               fmt::format("instance metadata azEnvironment {}; the checks are for the {} cloud", m.az_environment,
                           v.workspace.cloud)};
}

using enum Level;

constexpr Rule kRows[] = {
    // A bug in vnetdiag explains nothing about the network, and nothing else about that target can be judged.
    {.code = "VND-ENV-005", .level = warning, .category = "environment", .check = "environment",
     .title = "vnetdiag could not probe {count} target{s}", .on_target = internal_error,
     .evidence = "{details}",
     .fix = "This is a fault in vnetdiag, not in the network: run again with --verbose and report the message.",
     .doc_url = "", .failure_modes = "-"},

    // §2.1, F42: the comparison with Azure DNS needs Azure DNS; outside a VNet it is never reachable.
    {.code = "VND-ENV-006", .level = warning, .category = "environment", .check = "tcp",
     .title = "Azure DNS cannot be reached from this machine", .on_target = azure_dns_unreachable,
     .evidence = "{details}",
     .fix = "Inside an Azure VNet, allow UDP and TCP 53 to 168.63.129.16 (the default NSG rules do; a firewall or a "
            "route through an appliance may not). Outside Azure (on premises, over VPN) it can never be reached: "
            "resolve private endpoint names through a DNS forwarder or an Azure DNS Private Resolver in the VNet.",
     .doc_url = kDocAzureDns, .failure_modes = "F42 (§2.1)"},

    // Machine-wide.
    {.code = "VND-ENV-001", .level = warning, .category = "environment", .check = "environment",
     .title = "The Docker bridge network overlaps addresses the workspace needs", .on_run = docker_overlap,
     .evidence = "{details}",
     .fix = "Do not use {range} for the VNet or private endpoints, or move Docker's bridge elsewhere (\"bip\" in "
            "/etc/docker/daemon.json): packets for these addresses go to the bridge instead of the VNet.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F29"},

    {.code = "VND-ENV-002", .level = error, .category = "environment", .check = "environment",
     .title = "This machine's clock is {skew} {direction} the servers'", .on_run = clock_skew,
     .evidence = "{details}",
     .fix = "Synchronise the clock (chrony or systemd-timesyncd; on Azure, the host clock through PTP): Microsoft "
            "Entra ID tokens and certificate checks fail with a skew of minutes.",
     .doc_url = kDocTimeSync, .failure_modes = "(peer-tools c15)"},

    {.code = "VND-ENV-003", .level = warning, .category = "environment", .check = "environment",
     .title = "The instance metadata service cannot be reached", .on_run = metadata_unreachable,
     .evidence = "{details}",
     .fix = "Requests to 169.254.169.254 must bypass any proxy, carry no X-Forwarded-For header and leave through "
            "the primary NIC (a route for 169.254.169.254/32 must exist); without it the VM's region and subnet are "
            "not known.",
     .doc_url = kDocImds, .failure_modes = "F39"},

    {.code = "VND-ENV-004", .level = warning, .category = "environment", .check = "environment",
     .title = "This machine is in {vm_region}, the workspace in {workspace_region}", .on_run = region_mismatch,
     .evidence = "{details}",
     .fix = "With a private endpoint, compute must be in the workspace's region, and each VNet must reach the "
            "storage, key vault and registry private endpoints.",
     .doc_url = kDocPrivateLinkV1, .failure_modes = "F34"},

    // A verdict is a promise: what could not be read is said, not dropped.
    {.code = "VND-ENV-007", .level = warning, .category = "environment", .check = "environment",
     .title = "Part of this machine's settings could not be read: {sources}", .on_run = settings_unusable,
     .evidence = "{details}",
     .fix = "Correct the lines named, or run vnetdiag as a user that can read these files: until then the checks "
            "do not cover what clients on this machine use.",
     .doc_url = "", .failure_modes = "-"},

    {.code = "VND-ENV-008", .level = warning, .category = "environment", .check = "environment",
     .title = "This VM runs in {vm_cloud}, the checks are for the {cloud} cloud", .on_run = cloud_mismatch,
     .evidence = "{details}",
     .fix = "Run again with --cloud set to this VM's cloud (or the workspace document of a workspace in it): "
            "service host names differ between clouds.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "(facts §1)"},
};

}  // namespace

std::span<const Rule> environment_rules() { return kRows; }

}  // namespace vnetdiag
