#include "agent/discovery/resolvers.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "probes/dns/system_files.hpp"
#include "probes/net/address.hpp"

namespace vnetdiag {
namespace {

constexpr std::string_view kTopic = "dns";
constexpr const char* kUnreadable = "cannot be read (missing or not readable)";

/// Loopback resolvers that are not the answer themselves: they forward somewhere vnetdiag cannot see.
struct LocalResolver {
  std::string_view address;
  std::string_view what;
};

constexpr LocalResolver kLocalResolvers[] = {
    {"127.0.0.53", "systemd-resolved's stub"},
    {"127.0.0.54", "systemd-resolved's proxy listener"},
    {"127.0.0.11", "Docker's embedded DNS server (this is a container): it forwards to the host's resolvers"},
};

constexpr std::string_view kOtherLocalResolver =
    "a resolver on this machine (dnsmasq, unbound, a VPN client...): it forwards to servers vnetdiag cannot see";

constexpr std::string_view kStubSource = "resolv.conf";
constexpr std::string_view kUpstreamSource = "systemd-resolved upstream";
constexpr std::string_view kAzureSource = "azure-dns";
constexpr std::string_view kGlibcDefaultSource = "glibc default";

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

std::string list_endpoints(const std::vector<Resolver>& resolvers) {
  std::vector<std::string> names;
  for (const auto& r : resolvers) names.push_back(r.endpoint.to_string());
  return join(names, ", ");
}

/// systemd-resolved uses every server it lists (it writes more than glibc's three, after a comment), so
/// its file is read a line at a time, past glibc's limit. Lines that name no usable address are counted.
std::vector<Endpoint> upstream_servers(std::string_view text, std::vector<int>& bad_lines) {
  std::vector<Endpoint> out;
  int number = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    ++number;
    const auto conf = dns::parse_resolv_conf(text.substr(0, nl));
    out.insert(out.end(), conf.nameservers.begin(), conf.nameservers.end());
    if (!conf.warnings.empty()) bad_lines.push_back(number);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

void describe_client_resolver(ResolverDiscovery& out, const Resolver& resolver) {
  const auto address = resolver.endpoint.address.to_string();
  const auto cls = classify(resolver.endpoint.address);
  if (cls == AddressClass::loopback && resolver.source != kGlibcDefaultSource && address != out.stub) {
    const auto* known = std::ranges::find(kLocalResolvers, address, &LocalResolver::address);
    const auto what = known == std::end(kLocalResolvers) ? kOtherLocalResolver : known->what;
    out.notes.push_back({std::string(kTopic),
                         "nameserver " + address + " is " + std::string(what) +
                             "; vnetdiag asks it as clients do, so its answers are what clients get"});
  }
  if (cls == AddressClass::link_local && resolver.endpoint.address.v6) {
    out.notes.push_back({std::string(kTopic),
                         "nameserver " + address + " is an IPv6 link-local address: clients need its interface "
                         "(the %scope in resolv.conf) to reach it and vnetdiag keeps no scope, so its queries to it may fail"});
  }
}

}  // namespace

ResolverDiscovery discover_resolvers(const DiscoveryPaths& paths, const std::string& azure_dns) {
  ResolverDiscovery out;
  auto note = [&](std::string text) { out.notes.push_back({std::string(kTopic), std::move(text)}); };
  auto unusable = [&](const std::string& source, std::string problem) { out.unusable.push_back({source, std::move(problem)}); };

  dns::ResolvConf conf;
  if (auto text = dns::read_text_file(paths.resolv_conf)) {
    conf = dns::parse_resolv_conf(*text);
    for (const auto& warning : conf.warnings) unusable(paths.resolv_conf, warning);
  } else {
    unusable(paths.resolv_conf, kUnreadable);
  }
  out.search = conf.search;
  out.options = conf.options;

  if (conf.systemd_stub()) {
    out.stub = conf.nameservers.front().address.to_string();
    std::vector<int> bad_lines;
    std::vector<Endpoint> upstream;
    if (auto text = dns::read_text_file(paths.resolved_conf)) upstream = upstream_servers(*text, bad_lines);
    for (int line : bad_lines)
      unusable(paths.resolved_conf, "line " + std::to_string(line) + ": nameserver is not an IP address");
    if (upstream.empty()) {
      for (const auto& ns : conf.nameservers) out.resolvers.push_back({ns, std::string(kStubSource), true});
      note(paths.resolv_conf + " names only systemd-resolved's stub " + out.stub + ", and " + paths.resolved_conf +
           " gives no upstream server: vnetdiag asks the stub, so answers cannot be tied to the server that gave them");
    } else {
      for (const auto& ns : upstream) out.resolvers.push_back({ns, std::string(kUpstreamSource), true});
      note(paths.resolv_conf + " names only systemd-resolved's stub " + out.stub +
           ": clients send every query there, and it forwards to " + list_endpoints(out.resolvers) + " (from " +
           paths.resolved_conf + "), which vnetdiag asks directly");
    }
  } else if (conf.nameservers.empty()) {
    // resolv.conf(5): "If no nameserver entries are present, the default is to use the name server on the
    // local machine", which is what clients then do.
    out.resolvers.push_back({*Endpoint::parse("127.0.0.1", 53), std::string(kGlibcDefaultSource), true});
    note("no nameserver in " + paths.resolv_conf + ": glibc then asks 127.0.0.1 on this machine");
  } else {
    for (const auto& ns : conf.nameservers) out.resolvers.push_back({ns, std::string(kStubSource), true});
  }
  for (const auto& resolver : out.resolvers) describe_client_resolver(out, resolver);

  if (azure_dns.empty()) return out;
  const auto azure = Endpoint::parse(azure_dns, 53);
  if (!azure) {
    unusable("the Azure DNS address setting", "'" + azure_dns + "' is not IP or IP:PORT; Azure DNS is not asked");
    return out;
  }
  out.azure_dns = azure->to_string();
  const std::vector<Resolver> clients = out.resolvers;
  out.azure_dns_in_use = std::ranges::any_of(clients, [&](const Resolver& r) { return r.endpoint == *azure; });
  if (out.azure_dns_in_use) {
    note("clients use Azure DNS " + azure->to_string() + ": private DNS zones linked to this VNet answer them");
  } else {
    out.resolvers.push_back({*azure, std::string(kAzureSource), false});
    note("clients ask " + list_endpoints(clients) + ", not Azure DNS " + azure->to_string() +
         ", which is asked beside them to compare answers: private DNS zones answer only through Azure DNS, so a "
         "custom server must forward the privatelink zones to it");
  }
  return out;
}

std::vector<std::string> custom_dns(const ResolverDiscovery& discovery) {
  std::vector<std::string> out;
  for (const auto& r : discovery.resolvers) {
    const auto text = r.endpoint.to_string();
    if (r.used_by_clients && text != discovery.azure_dns && classify(r.endpoint.address) != AddressClass::loopback)
      out.push_back(text);
  }
  return out;
}

}  // namespace vnetdiag
