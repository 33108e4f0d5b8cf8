#include "agent/discovery/environment.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "agent/discovery/arm_vnet.hpp"
#include "agent/plan/cloud.hpp"
#include "probes/dns/system_files.hpp"

namespace vnetdiag {
namespace {

using nlohmann::json;

constexpr std::string_view kImdsSubnetSource = "this machine's subnet (instance metadata)";
constexpr std::string_view kConfigSource = "config";

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

template <class Items, class Fn>
std::string join(const Items& items, std::string_view separator, Fn&& fn) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += fn(item);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  return join(items, separator, [](const std::string& s) { return s; });
}

void take_notes(std::vector<EnvironmentNote>& into, std::vector<EnvironmentNote>& from) {
  into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  from.clear();
}

void add_range(std::vector<LabeledRange>& ranges, const Cidr& range, std::string_view source) {
  if (std::ranges::none_of(ranges, [&](const LabeledRange& r) { return r.range == range; }))
    ranges.push_back({range, std::string(source)});
}

/// What the metadata answer means for the run, as notes.
void describe_imds(Environment& e, const Plan& plan) {
  auto note = [&](NoteLevel level, std::string text) { e.notes.push_back({level, "metadata", std::move(text)}); };
  const auto& imds = e.imds;
  switch (imds.status) {
    case ImdsStatus::ok:
      break;
    case ImdsStatus::not_asked:
      note(NoteLevel::info, "instance metadata not asked: " + imds.detail);
      return;
    case ImdsStatus::unreachable:
    case ImdsStatus::no_response:
      note(NoteLevel::info, "instance metadata not available (" + imds.detail +
                                "): not an Azure VM, or the route to it is blocked; VNet ranges come only from the config");
      return;
    case ImdsStatus::rejected:
    case ImdsStatus::bad_document:
    case ImdsStatus::error:
      note(NoteLevel::warning, "instance metadata at " + imds.url + " answered unusably: " + imds.detail);
      return;
  }
  const auto& info = *imds.info;
  for (const auto& w : info.warnings) note(NoteLevel::warning, "instance metadata: " + w);
  if (plan.workspace && !plan.workspace->region.empty() && !info.location.empty() &&
      lower(plan.workspace->region) != lower(info.location)) {
    note(NoteLevel::info, "this VM is in " + info.location + " and the workspace in " + plan.workspace->region +
                              ": its private endpoints must be reachable across regions (peering or a hub)");
  }
  // An azEnvironment no cloud table row names is a mismatch too: the checked host names may not exist there.
  if (!info.az_environment.empty() && cloud_of_az_environment(info.az_environment) != plan.cloud) {
    note(NoteLevel::warning, "this VM runs in " + info.az_environment + " but the plan is for the " +
                                 std::string(to_string(plan.cloud)) + " cloud: the checked host names may be the wrong ones");
  }
}

json note_json(const EnvironmentNote& n) { return {{"level", to_string(n.level)}, {"topic", n.topic}, {"text", n.text}}; }

json imds_json(const ImdsResult& imds) {
  json out = {{"status", to_string(imds.status)}, {"url", imds.url},       {"detail", imds.detail},
              {"http_status", imds.http_status},  {"ms", std::round(imds.ms * 10) / 10}, {"info", nullptr}};
  if (imds.info) {
    const auto& i = *imds.info;
    json subnets = json::array();
    for (const auto& s : i.subnets) subnets.push_back(s.to_string());
    out["info"] = {{"location", i.location},       {"az_environment", i.az_environment},
                   {"vm_id", i.vm_id},             {"vm_size", i.vm_size},
                   {"name", i.name},               {"zone", i.zone},
                   {"subscription_id", i.subscription_id}, {"resource_group", i.resource_group},
                   {"private_ips", i.private_ips}, {"subnets", subnets},
                   {"public_ips", i.public_ips},   {"warnings", i.warnings}};
  }
  return out;
}

/// Pointers a shared report may want to blank: they identify the VM, its subscription and public addresses.
constexpr const char* kSensitive[] = {
    "/imds/info/public_ips", "/imds/info/subscription_id", "/imds/info/vm_id", "/imds/info/resource_group",
    "/imds/info/name",
};

std::string interface_text(const LocalInterface& i) {
  return i.address + "/" + std::to_string(i.prefix) + (i.up ? "" : " (down)");
}

/// "1 note", "3 notes".
std::string plural(std::size_t n, const std::string& word) { return n == 1 ? word : word + "s"; }

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
  take_notes(e.notes, e.dns.notes);

  e.hosts_file = settings.paths.hosts_file;
  if (!e.hosts_file.empty()) {
    if (const auto text = dns::read_text_file(e.hosts_file)) {
      e.hosts_overrides = hosts_overrides(dns::parse_hosts(*text), plan, e.hosts_file);
      for (const auto& o : e.hosts_overrides)
        e.notes.push_back({o.matches_expectation == false ? NoteLevel::warning : NoteLevel::info, "hosts", o.text});
    } else {
      e.notes.push_back({NoteLevel::warning, "hosts", "cannot read " + e.hosts_file + " (missing or not readable)"});
    }
  }

  const auto imds = imds_target(settings);
  e.proxy = describe_proxy(env, imds ? imds->host : std::string());
  for (const auto& error : e.proxy.errors) e.notes.push_back({NoteLevel::warning, "proxy", error});
  take_notes(e.notes, e.proxy.notes);
  if (plan.proxy) {
    const auto& configured = plan.proxy->https_proxy ? plan.proxy->https_proxy : plan.proxy->http_proxy;
    e.configured_proxy = configured ? configured->masked() : "none (direct)";
    e.notes.push_back({NoteLevel::info, "proxy",
                       "vnetdiag uses the proxy its settings name (" + e.configured_proxy + ", from " +
                           plan.proxy->origin + ") instead of the variables, which other tools on this machine still follow"});
  }

  e.imds = fetch_imds(settings);
  describe_imds(e, plan);

  // The VNet's ranges come only from sources that know them. The metadata service knows this NIC's subnet,
  // not the VNet: private endpoints usually live in a subnet of their own, so the subnet is never taken
  // for the VNet (it stays in imds.info->subnets as "this machine's subnet").
  for (const auto& range : plan.vnet) add_range(e.vnet, range, kConfigSource);
  // Then the VNet's own address space and its peerings, from Resource Manager with this VM's managed
  // identity: the one source that knows the whole VNet without being told. Reached the way clients reach
  // it (their proxy variables, unless the settings name a proxy).
  auto arm_settings = settings;
  if (!plan.proxy) arm_settings.arm.proxy = proxy_settings_from_env(env, nullptr);
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
  if (!e.interfaces.error.empty()) e.notes.push_back({NoteLevel::warning, "interfaces", e.interfaces.error});
  std::vector<LabeledAddress> expected;
  for (const auto& t : plan.targets)
    for (const auto& ip : t.expected_ips) expected.push_back({ip, "expected IP of " + t.id});
  // Docker's bridge must not shadow this machine's own subnet either.
  auto shadowable = e.vnet;
  if (e.imds.info)
    for (const auto& subnet : e.imds.info->subnets) add_range(shadowable, subnet, kImdsSubnetSource);
  e.docker = check_docker_ranges(e.interfaces.interfaces, shadowable, expected);
  take_notes(e.notes, e.docker.notes);
  return e;
}

void add_clock_skew(Environment& environment, const RunResult& run, std::chrono::system_clock::time_point now_at_run_end) {
  environment.clock_skew = clock_skew(run, now_at_run_end);
  if (!environment.clock_skew) return;
  const auto& skew = *environment.clock_skew;
  environment.notes.push_back(
      {NoteLevel::warning, "clock",
       "this machine's clock is " + describe_duration(skew.median) + (skew.median.count() > 0 ? " behind" : " ahead of") +
           " the servers' (median of " + std::to_string(skew.samples.size()) + " " +
           plural(skew.samples.size(), "Date header") + "): certificate checks and Entra ID tokens fail when it is off by more than 5 minutes; "
           "enable time sync (chrony, systemd-timesyncd)"});
}

std::vector<Cidr> vnet_cidrs(const Environment& environment) {
  std::vector<Cidr> out;
  for (const auto& r : environment.vnet) out.push_back(r.range);
  return out;
}

json environment_to_json(const Environment& e) {
  json resolvers = json::array();
  for (const auto& r : e.dns.resolvers)
    resolvers.push_back({{"address", r.endpoint.to_string()}, {"source", r.source}, {"used_by_clients", r.used_by_clients}});

  json overrides = json::array();
  for (const auto& o : e.hosts_overrides) {
    json addresses = json::array();
    for (const auto& a : o.addresses)
      addresses.push_back({{"ip", a.ip}, {"class", to_string(a.cls)}, {"in_vnet", a.in_vnet}});
    overrides.push_back({{"host", o.host},
                         {"file", o.file},
                         {"addresses", addresses},
                         {"targets", o.target_ids},
                         {"matches_expectation", o.matches_expectation ? json(*o.matches_expectation) : json(nullptr)},
                         {"text", o.text}});
  }

  json variables = json::array();
  for (const auto& v : e.proxy.variables)
    variables.push_back({{"name", v.name}, {"value", v.value}, {"credentials", v.credentials}, {"used", v.used}});

  json interfaces = json::array();
  for (const auto& i : e.interfaces.interfaces)
    interfaces.push_back({{"name", i.name},
                          {"family", i.v6 ? "ipv6" : "ipv4"},
                          {"address", i.address},
                          {"prefix", i.prefix},
                          {"up", i.up},
                          {"loopback", i.loopback}});

  auto bridge_json = [](const DockerBridge& b) { return json{{"interface", b.interface}, {"range", b.range.to_string()}}; };
  json bridges = json::array();
  for (const auto& b : e.docker.bridges) bridges.push_back(bridge_json(b));
  json overlaps = json::array();
  for (const auto& o : e.docker.overlaps) overlaps.push_back({{"bridge", bridge_json(o.bridge)}, {"with", o.what}, {"text", o.text}});

  json vnet = json::array();
  for (const auto& r : e.vnet) vnet.push_back({{"range", r.range.to_string()}, {"source", r.source}});

  json skew = nullptr;
  if (e.clock_skew) {
    json samples = json::array();
    for (const auto& s : e.clock_skew->samples)
      samples.push_back({{"host", s.host}, {"date", s.date}, {"skew_s", s.skew.count()}});
    skew = {{"median_s", e.clock_skew->median.count()}, {"threshold_s", e.clock_skew->threshold.count()}, {"samples", samples}};
  }

  json notes = json::array();
  for (const auto& n : e.notes) notes.push_back(note_json(n));

  return {{"resolvers", resolvers},
          {"dns",
           {{"stub", e.dns.stub.empty() ? json(nullptr) : json(e.dns.stub)},
            {"search", e.dns.search},
            {"options", e.dns.options},
            {"azure_dns", e.dns.azure_dns},
            {"azure_dns_in_use", e.dns.azure_dns_in_use},
            {"custom_dns", custom_dns(e.dns)}}},
          {"hosts_file", e.hosts_file},
          {"hosts_overrides", overrides},
          {"proxy",
           {{"variables", variables},
            {"https_proxy", e.proxy.https_proxy},
            {"https_from", e.proxy.https_from},
            {"http_proxy", e.proxy.http_proxy},
            {"http_from", e.proxy.http_from},
            {"no_proxy", e.proxy.no_proxy},
            {"errors", e.proxy.errors},
            {"configured", e.configured_proxy}}},
          {"interfaces", interfaces},
          {"interfaces_error", e.interfaces.error},
          {"docker", {{"bridges", bridges}, {"overlaps", overlaps}}},
          {"vnet", vnet},
          {"imds", imds_json(e.imds)},
          {"clock_skew", skew},
          {"notes", notes},
          {"sensitive", kSensitive}};
}

std::string render_environment(const Environment& e) {
  std::ostringstream out;
  auto line = [&](std::string_view label, const std::string& text) {
    out << "  " << label << std::string(label.size() < 12 ? 12 - label.size() : 1, ' ') << text << "\n";
  };
  out << "Environment\n";

  std::vector<Resolver> clients, beside;
  for (const auto& r : e.dns.resolvers) (r.used_by_clients ? clients : beside).push_back(r);
  const auto endpoints = [](const std::vector<Resolver>& rs) {
    return join(rs, ", ", [](const Resolver& r) { return r.endpoint.to_string(); });
  };
  std::string dns = clients.empty() ? "none" : endpoints(clients) + " (" + clients.front().source + ")";
  if (!e.dns.stub.empty()) dns = "stub " + e.dns.stub + " -> " + dns;
  line("dns", dns);
  if (!beside.empty()) line("", endpoints(beside) + " asked beside them for comparison (" + beside.front().source + ")");
  if (!e.dns.search.empty() || !e.dns.options.empty())
    line("", "search: " + (e.dns.search.empty() ? "-" : join(e.dns.search, " ")) +
                 "  options: " + (e.dns.options.empty() ? "-" : join(e.dns.options, " ")));

  if (e.hosts_overrides.empty()) {
    line("hosts", e.hosts_file.empty() ? "not read" : "no planned host is pinned in " + e.hosts_file);
  } else {
    for (const auto& o : e.hosts_overrides)
      line("hosts", o.host + " -> " + join(o.addresses, ", ", [](const ResolvedAddress& a) { return a.ip; }) + " [" +
                        join(o.target_ids, ", ") + "]" + (o.matches_expectation == false ? " (unexpected)" : ""));
  }

  const auto& p = e.proxy;
  if (!e.configured_proxy.empty()) line("proxy", "vnetdiag: " + e.configured_proxy + " (settings); variables below for other tools");
  if (p.variables.empty()) {
    line("proxy", "none");
  } else {
    line("proxy", "https: " + (p.https_proxy.empty() ? "direct" : p.https_proxy + " (" + p.https_from + ")") +
                      "  http: " + (p.http_proxy.empty() ? "direct" : p.http_proxy + " (" + p.http_from + ")"));
    if (!p.no_proxy.empty()) line("", "no_proxy: " + join(p.no_proxy, ", "));
  }

  // One entry per interface with all its addresses; IPv6 link-local addresses say nothing about the VNet.
  std::vector<std::pair<std::string, std::vector<std::string>>> by_name;
  for (const auto& i : e.interfaces.interfaces) {
    const auto ip = IpAddress::parse(i.address);
    if (!ip || (i.v6 && classify(*ip) == AddressClass::link_local)) continue;
    auto it = std::ranges::find(by_name, i.name, &std::pair<std::string, std::vector<std::string>>::first);
    if (it == by_name.end()) it = by_name.insert(by_name.end(), {i.name, {}});
    it->second.push_back(interface_text(i));
  }
  line("interfaces", !e.interfaces.error.empty() ? e.interfaces.error : join(by_name, ", ", [](const auto& entry) {
    return entry.first + " " + join(entry.second, " ");
  }));

  std::vector<std::string> bridges;
  for (const auto& b : e.docker.bridges)
    bridges.push_back(b.interface.empty() ? b.range.to_string() + " (Docker's default, no docker0)"
                                          : b.interface + " " + b.range.to_string());
  line("docker", join(bridges, ", ") + (e.docker.overlaps.empty() ? ": no overlap" : ": OVERLAPS " +
                                            join(e.docker.overlaps, ", ", [](const DockerOverlap& o) { return o.what; })));

  // Grouped by source: "10.0.0.0/16 (config vnet); 10.1.0.0/24, 10.1.1.0/24 (subnet of this VM ...)".
  std::vector<std::pair<std::string, std::vector<std::string>>> by_source;
  for (const auto& r : e.vnet) {
    auto it = std::ranges::find(by_source, r.source, &std::pair<std::string, std::vector<std::string>>::first);
    if (it == by_source.end()) it = by_source.insert(by_source.end(), {r.source, {}});
    it->second.push_back(r.range.to_string());
  }
  line("vnet", by_source.empty() ? "unknown: " + e.vnet_note : join(by_source, "; ", [](const auto& entry) {
    return join(entry.second, ", ") + " (" + entry.first + ")";
  }));

  const auto& m = e.imds;
  std::string metadata = std::string(to_string(m.status));
  if (m.info) {
    std::vector<std::string> known;
    for (const auto* field : {&m.info->location, &m.info->vm_size, &m.info->az_environment})
      if (!field->empty()) known.push_back(*field);
    metadata += ": " + join(known, ", ");
  } else if (!m.detail.empty()) {
    metadata += ": " + m.detail;
  }
  if (m.status != ImdsStatus::not_asked) {
    std::ostringstream ms;
    ms.precision(0);
    ms << std::fixed << m.ms;
    metadata += " (" + ms.str() + " ms)";
  }
  line("metadata", metadata);

  if (e.clock_skew)
    line("clock", describe_duration(e.clock_skew->median) + (e.clock_skew->median.count() > 0 ? " behind" : " ahead of") +
                      " the servers (median of " + std::to_string(e.clock_skew->samples.size()) + ")");

  // Warnings only: the informative notes repeat what the lines above say, and stay in the JSON.
  const auto infos = std::ranges::count(e.notes, NoteLevel::info, &EnvironmentNote::level);
  for (const auto& n : e.notes)
    if (n.level == NoteLevel::warning) out << "  ! " << n.text << "\n";
  if (infos > 0) out << "  (" << infos << " more " << plural(static_cast<std::size_t>(infos), "note") << " in the JSON output)\n";
  return out.str();
}

}  // namespace vnetdiag
