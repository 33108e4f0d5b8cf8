#include "agent/discovery/environment.hpp"

#include <algorithm>

#include "agent/discovery/arm_vnet.hpp"
#include "probes/dns/system_files.hpp"

namespace vnetdiag {
namespace {

constexpr std::string_view kImdsSubnetSource = "this machine's subnet (instance metadata)";
constexpr std::string_view kConfigSource = "config";

template <class Items, class Fn>
std::string join(const Items& items, std::string_view separator, Fn&& fn) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += fn(item);
  }
  return out;
}

template <class T>
void take(std::vector<T>& into, std::vector<T>& from) {
  into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  from.clear();
}

void add_range(std::vector<LabeledRange>& ranges, const Cidr& range, std::string_view source) {
  if (std::ranges::none_of(ranges, [&](const LabeledRange& r) { return r.range == range; }))
    ranges.push_back({range, std::string(source)});
}

/// What the metadata answer leaves for the report: why it was not used, or what could not be read of it.
/// Judgements on its content (region, cloud) are rules over the facts.
void describe_imds(Environment& e) {
  auto note = [&](std::string text) { e.notes.push_back({"metadata", std::move(text)}); };
  const auto& imds = e.imds;
  switch (imds.status) {
    case ImdsStatus::ok:
      for (const auto& w : imds.info->warnings) e.unusable.push_back({"instance metadata", w});
      return;
    case ImdsStatus::not_asked:
      note("instance metadata not asked: " + imds.detail);
      return;
    case ImdsStatus::unreachable:
    case ImdsStatus::no_response:
      note("instance metadata not available (" + imds.detail +
           "): not an Azure VM, or the route to it is blocked; this machine's region and subnet are not known");
      return;
    case ImdsStatus::rejected:  // VND-ENV-003 judges a refusal
      return;
    case ImdsStatus::bad_document:
    case ImdsStatus::error:
      e.unusable.push_back({"instance metadata at " + imds.url, std::string(to_string(imds.status)) + ": " + imds.detail});
      return;
  }
}

}  // namespace

DiscoverySettings discovery_settings(const Plan& plan) {
  DiscoverySettings out;
  if (!plan.resolv_conf.empty()) out.paths.resolv_conf = plan.resolv_conf;
  out.paths.hosts_file = plan.hosts_file;
  out.azure_dns = plan.azure_dns.to_string();
  out.imds_base_url = plan.metadata_url;
  out.arm.base_url = plan.arm_url;
  out.arm.cloud = plan.cloud;
  out.arm.ca_file = plan.ca_file;
  if (plan.proxy) out.arm.proxy = *plan.proxy;
  return out;
}

Environment discover_environment(const DiscoverySettings& settings, const Plan& plan, EnvLookup env) {
  Environment e;
  e.dns = discover_resolvers(settings.paths, settings.query_azure_dns ? settings.azure_dns : std::string());
  take(e.notes, e.dns.notes);
  take(e.unusable, e.dns.unusable);

  e.hosts_file = settings.paths.hosts_file;
  if (!e.hosts_file.empty()) {
    if (const auto text = dns::read_text_file(e.hosts_file))
      e.hosts_overrides = hosts_overrides(dns::parse_hosts(*text), plan, e.hosts_file);
    else
      e.unusable.push_back({e.hosts_file, "cannot be read (missing or not readable)"});
  }

  e.proxy = describe_proxy(env);
  take(e.notes, e.proxy.notes);

  e.imds = fetch_imds(settings);
  describe_imds(e);

  // The VNet's ranges come only from sources that know them. The metadata service knows this NIC's subnet,
  // not the VNet: private endpoints usually live in a subnet of their own, so the subnet is never taken
  // for the VNet (it stays in imds.info->subnets as "this machine's subnet").
  for (const auto& range : plan.vnet) add_range(e.vnet, range, kConfigSource);
  // Then the VNet's own address space and its peerings, from Resource Manager with this VM's managed
  // identity: the one source that knows the whole VNet without being told. Reached the way the probes
  // reach their targets: the settings' proxy when the caller chose one, else the proxy variables.
  auto arm_settings = settings;
  if (arm_settings.arm.proxy.origin.empty()) arm_settings.arm.proxy = proxy_settings_from_env(env, nullptr);
  e.arm = read_vnet_ranges(arm_settings, e.imds);
  if (e.arm.status == ArmVnetStatus::ok) {
    const std::string vnet_source = "Azure Resource Manager: VNet " + e.arm.vnet_name;
    for (const auto& range : e.arm.address_space) add_range(e.vnet, range, vnet_source);
    for (const auto& peer : e.arm.peered) add_range(e.vnet, peer.range, "Azure Resource Manager: peering with " + peer.remote_vnet);
  }
  if (e.vnet.empty()) {
    e.vnet_note = "no --vnet-cidr or config ranges";
    if (e.arm.status != ArmVnetStatus::not_asked)
      e.vnet_note += "; Azure Resource Manager: " + std::string(to_string(e.arm.status)) +
                     (e.arm.detail.empty() ? "" : " (" + e.arm.detail + ")");
    if (e.imds.info && !e.imds.info->subnets.empty())
      e.vnet_note += "; this machine's subnet " + join(e.imds.info->subnets, ", ", [](const Cidr& c) { return c.to_string(); }) +
                     " is not taken for the VNet";
  }

  e.interfaces = list_interfaces();
  if (!e.interfaces.error.empty()) e.unusable.push_back({"network interfaces", e.interfaces.error});
  std::vector<LabeledAddress> expected;
  for (const auto& t : plan.targets)
    for (const auto& ip : t.expected_ips) expected.push_back({ip, "expected IP of " + t.id});
  // Docker's bridge must not shadow this machine's own subnet either.
  auto shadowable = e.vnet;
  if (e.imds.info)
    for (const auto& subnet : e.imds.info->subnets) add_range(shadowable, subnet, kImdsSubnetSource);
  e.docker = check_docker_ranges(e.interfaces.interfaces, shadowable, expected);
  take(e.notes, e.docker.notes);
  return e;
}

void refresh_hosts_overrides(Environment& e, const DiscoverySettings& settings, const Plan& plan) {
  if (settings.paths.hosts_file.empty()) return;
  if (const auto text = dns::read_text_file(settings.paths.hosts_file))
    e.hosts_overrides = hosts_overrides(dns::parse_hosts(*text), plan, settings.paths.hosts_file);
}

void add_clock_skew(Environment& environment, const RunResult& run, std::chrono::system_clock::time_point now_at_run_end) {
  environment.clock_skew = clock_skew(run, now_at_run_end);
}

std::vector<Cidr> vnet_cidrs(const Environment& environment) {
  std::vector<Cidr> out;
  for (const auto& r : environment.vnet) out.push_back(r.range);
  return out;
}

}  // namespace vnetdiag
