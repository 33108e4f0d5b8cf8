// Path rules: TCP to each address, and the hosts whose blocking has a fix of its own (SMB, MCR, Front Door).
#include <fmt/format.h>

#include <algorithm>

#include "reports/doc_links.hpp"
#include "reports/rules_common.hpp"

namespace vnetdiag {
namespace {

using namespace rule_facts;

std::optional<Match> no_internet_egress(const TargetView& v) {
  if (!v.summary.no_internet_egress || !ok(v.client) || all_private(v.client->addresses)) return std::nullopt;
  auto failure = tcp_failure(v.result);
  if (!failure || !dropped(*failure)) return std::nullopt;
  return Match{"", {}, fmt::format("{} ({}) {}", endpoint(v.result), ips(v.client->addresses), to_string(*failure))};
}

std::optional<Match> blocked_where(const TargetView& v, bool (*applies)(const TargetView&)) {
  if (!applies(v)) return std::nullopt;
  auto how = blocked(v.result);
  if (!how) return std::nullopt;
  return Match{"", {{"services", v.context.service.empty() ? v.result.host : v.context.service}},
               fmt::format("{}: {}", endpoint(v.result), *how)};
}

bool is_mcr(const TargetView& v) {
  return v.context.id == "mcr" || v.context.id.starts_with("mcr.") || has_suffix(v.result.host, "mcr.microsoft.com");
}
bool is_front_door(const TargetView& v) {
  return std::ranges::any_of(kFrontDoorSuffixes, [&](std::string_view s) { return has_suffix(v.result.host, s); });
}
bool is_package_repository(const TargetView& v) { return v.context.category == "packageRepositories"; }

std::optional<Match> mcr_blocked(const TargetView& v) { return blocked_where(v, is_mcr); }
std::optional<Match> front_door_blocked(const TargetView& v) { return blocked_where(v, is_front_door); }
std::optional<Match> packages_blocked(const TargetView& v) { return blocked_where(v, is_package_repository); }

std::optional<Match> tcp_with(const TargetView& v, bool (*applies)(std::uint16_t port, TcpStatus status)) {
  auto failure = tcp_failure(v.result);
  if (!failure || !applies(v.result.port, *failure)) return std::nullopt;
  return Match{std::to_string(v.result.port),
               {{"port", std::to_string(v.result.port)}},
               fmt::format("{} ({}) {}", endpoint(v.result), v.result.tcp.front().address, to_string(*failure))};
}

std::optional<Match> smb_blocked(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t port, TcpStatus) { return port == 445; });
}
std::optional<Match> intellisense_blocked(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t port, TcpStatus) { return port == 18881; });
}
/// Where an address lies against the VNet's ranges, when they are known.
std::string placement(const ResolvedAddress& a, const EnvironmentFacts& env) {
  if (env.vnet_ranges.empty()) return "the VNet's ranges are unknown";
  return a.in_vnet ? "inside the VNet's ranges" : "outside the VNet's ranges: a stale record, or a missing route or peering";
}

std::optional<Match> private_address_silent(const TargetView& v) {
  // A name that resolves privately promises a private endpoint at that address. When nothing answers there
  // the service cannot be used, whatever the DNS warnings say: the record is stale (the endpoint was
  // recreated elsewhere) or no route, peering or NSG rule lets the packets reach it.
  if (v.result.route != Route::direct || v.result.hosts || !ok(v.client) || !all_private(v.client->addresses))
    return std::nullopt;
  if (v.context.expect == TargetContext::Expect::public_endpoint) return std::nullopt;
  auto failure = tcp_failure(v.result);
  if (!failure) return std::nullopt;
  const ResolvedAddress& first = v.client->addresses.front();
  const std::string zone = privatelink_zone(v.client, v.context);
  return Match{std::to_string(v.result.port),
               {{"zone", zone.empty() ? std::string("its private DNS zone") : zone}, {"port", std::to_string(v.result.port)}},
               fmt::format("{} → {} TCP {} {} ({})", v.result.host, ips(v.client->addresses), v.result.port,
                           to_string(*failure), placement(first, v.env))};
}

std::optional<Match> no_route(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t, TcpStatus s) {
    return s == TcpStatus::host_unreachable || s == TcpStatus::network_unreachable;
  });
}
std::optional<Match> tcp_dropped(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t, TcpStatus s) { return s == TcpStatus::timeout; });
}
std::optional<Match> tcp_refused(const TargetView& v) {
  return tcp_with(v, [](std::uint16_t, TcpStatus s) { return s == TcpStatus::refused || s == TcpStatus::error; });
}

using enum Level;

constexpr Rule kRows[] = {

    // F26: everything public is dropped: no NAT gateway or firewall route. One cause, not one per port.
    {.code = "VND-NET-006", .level = error, .category = "userDefinedRoute", .check = "tcp",
     .title = "This machine has no outbound path to the internet", .on_target = no_internet_egress,
     .evidence = "every connection to a public address got no answer ({count}): {details}",
     .fix = "Give the subnet an egress path: a NAT gateway, or a route 0.0.0.0/0 to a firewall that allows the "
            "Azure ML hosts. Default outbound access is not meant for this.",
     .doc_url = kDocTraining, .failure_modes = "F24 F26"},

    // F20.
    {.code = "VND-MCR-001", .level = error, .category = "containerRegistry", .check = "tcp",
     .title = "Microsoft Container Registry is blocked", .on_target = mcr_blocked,
     .evidence = "{details}",
     .fix = "Allow mcr.microsoft.com and *.data.mcr.microsoft.com (or the service tags MicrosoftContainerRegistry "
            "and AzureFrontDoor.FirstParty): environment base images come from there.",
     .doc_url = kDocFirewall, .failure_modes = "F20"},

    {.code = "VND-AFD-001", .level = error, .category = "others", .check = "tcp",
     .title = "Azure Front Door hosts are blocked: {hosts}", .on_target = front_door_blocked,
     .evidence = "{details}",
     .fix = "Allow these hosts, or the service tags AzureFrontDoor.Frontend and AzureFrontDoor.FirstParty, through "
            "the firewall.",
     .doc_url = kDocFirewall, .failure_modes = "F20"},

    // F21, F30.
    {.code = "VND-PKG-001", .level = warning, .category = "packageRepositories", .check = "tcp",
     .title = "Package repositories are blocked: {hosts}", .on_target = packages_blocked,
     .evidence = "{details}",
     .fix = "Allow these hosts through the firewall (HTTPS application rules), use a private package feed, or "
            "use images with the packages preinstalled: environment builds and pip or conda on the compute need them.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F21 F30"},

    // F12, F28.
    {.code = "VND-NET-003", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "SMB (TCP 445) to the storage account is blocked", .on_target = smb_blocked,
     .evidence = "{details}",
     .fix = "Allow outbound TCP 445 (and 443) to the Storage service tag or the storage private endpoint in the NSG "
            "and the firewall (the NSG rule \"Outbound Storage 445\"): compute mounts the file share over SMB.",
     .doc_url = kDocTraining, .failure_modes = "F12 F28"},

    // F23.
    {.code = "VND-NET-004", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "Compute instance port 18881 (notebook IntelliSense) is blocked", .on_target = intellisense_blocked,
     .evidence = "{details}",
     .fix = "Allow TCP 18881 to the AzureMachineLearning service tag (a network rule on the firewall, an outbound "
            "NSG rule).",
     .doc_url = kDocFirewall, .failure_modes = "F23"},

    // F05, F25, F26: the name resolves to a private endpoint address where nothing answers.
    {.code = "VND-NET-007", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "Private endpoint addresses that do not answer on TCP {port}: {count} host{s}",
     .on_target = private_address_silent,
     .evidence = "{details}",
     .fix = "Compare each A record in {zone} with the private endpoint's NIC address (Private endpoint > DNS "
            "configuration): a recreated endpoint leaves a stale record behind; a DNS zone group keeps it current. If "
            "the address is right, check that a route or peering reaches it from this subnet and that no NSG or "
            "firewall drops TCP {port} to it.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F05 F25 F26"},

    {.code = "VND-NET-005", .level = error, .category = "userDefinedRoute", .check = "tcp",
     .title = "No route to {count} host{s}", .on_target = no_route,
     .evidence = "{details}",
     .fix = "Check the effective routes of this machine's NIC: a user-defined route sends {endpoints} to a next hop "
            "that cannot deliver it (a stopped appliance, a missing peering).",
     .doc_url = kDocTraining, .failure_modes = "F25 F26"},

    {.code = "VND-NET-001", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "TCP {port} dropped on the way to {count} host{s}", .on_target = tcp_dropped,
     .evidence = "no answer to the connection: {details}",
     .fix = "An NSG rule, a firewall or a route to nowhere drops the packets: check the effective security rules "
            "and effective routes of this machine's NIC, and allow outbound TCP {port} to {hosts}.",
     .doc_url = kDocFirewall, .failure_modes = "F12 F20 F24 F26"},

    {.code = "VND-NET-002", .level = error, .category = "networkSecurityRule", .check = "tcp",
     .title = "TCP {port} refused by {count} host{s}", .on_target = tcp_refused,
     .evidence = "the connection was reset: {details}",
     .fix = "A firewall rejects the connection, or nothing listens at that address: check the firewall rules for "
            "TCP {port}, and for a private endpoint that it is approved and its address current.",
     .doc_url = kDocFirewall, .failure_modes = "F05 F28"},
};

}  // namespace

std::span<const Rule> path_rules() { return kRows; }

}  // namespace vnetdiag
