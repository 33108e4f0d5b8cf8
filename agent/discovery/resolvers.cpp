#include "agent/discovery/resolvers.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>

#include "probes/dns/system_files.hpp"
#include "probes/net/address.hpp"

namespace vnetdiag {
namespace {

constexpr std::string_view kTopic = "dns";

/// What a resolv.conf option does to the lookups clients (and so the workspace's SDKs) make.
struct OptionMeaning {
  std::string_view name;  ///< the part before ':'
  NoteLevel level;
  std::string_view meaning;
};

constexpr OptionMeaning kOptions[] = {
    {"ndots", NoteLevel::info, "names with fewer dots than this are first tried with each search domain appended"},
    {"timeout", NoteLevel::info, "seconds glibc waits for one server before asking the next"},
    {"attempts", NoteLevel::info, "times glibc goes through the server list before giving up"},
    {"rotate", NoteLevel::warning,
     "glibc spreads queries over all servers: one server that does not forward the privatelink zones "
     "fails a share of lookups at random"},
    {"edns0", NoteLevel::info, "larger UDP answers (EDNS0)"},
    {"trust-ad", NoteLevel::info, "the server's DNSSEC 'authentic data' bit is passed on to applications"},
    {"single-request", NoteLevel::info, "A and AAAA queries are sent one after the other"},
    {"single-request-reopen", NoteLevel::info, "A and AAAA queries use separate sockets"},
    {"use-vc", NoteLevel::warning, "every query goes over TCP: TCP port 53 must be open to each server"},
    {"no-aaaa", NoteLevel::info, "glibc asks for IPv4 addresses only"},
    {"inet6", NoteLevel::warning, "deprecated: glibc prefers IPv6 answers"},
};

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

/// Hosts vnetdiag checks, by their number of dots, for the ndots note.
struct NdotsExample {
  std::string_view host;
  int dots;
};

constexpr std::array<NdotsExample, 4> kNdotsExamples{{
    {"pypi.org", 1},
    {"management.azure.com", 2},
    {"eastus.api.azureml.ms", 3},
    {"contoso.blob.core.windows.net", 4},
}};

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

/// The ndots value, when the option sets one.
std::optional<int> ndots(const std::vector<std::string>& options) {
  std::optional<int> out;
  for (const auto& option : options) {
    if (!option.starts_with("ndots:")) continue;
    int value = 0;
    const auto digits = std::string_view(option).substr(6);
    if (std::from_chars(digits.data(), digits.data() + digits.size(), value).ec == std::errc{}) out = value;
  }
  return out;
}

void describe_options(ResolverDiscovery& out, const std::string& path) {
  for (const auto& option : out.options) {
    const auto name = std::string_view(option).substr(0, option.find(':'));
    const auto* meaning = std::ranges::find(kOptions, name, &OptionMeaning::name);
    if (meaning == std::end(kOptions)) {
      out.notes.push_back({NoteLevel::info, std::string(kTopic), path + ": option " + option + " (not interpreted by vnetdiag)"});
      continue;
    }
    out.notes.push_back({meaning->level, std::string(kTopic), path + ": option " + option + ": " + std::string(meaning->meaning)});
  }
  // glibc's default is ndots:1, under which every catalog host (all have dots) is asked as written first.
  // A higher value (Kubernetes uses 5) sends shorter names through the search list first: extra queries,
  // and a wrong answer if a search domain has a wildcard record.
  if (const auto n = ndots(out.options); n && *n > 1 && !out.search.empty()) {
    // The longest example that is still affected, so the note names a host the user will recognise.
    const auto example = std::find_if(kNdotsExamples.rbegin(), kNdotsExamples.rend(),
                                      [&](const NdotsExample& e) { return e.dots < *n; });
    out.notes.push_back({NoteLevel::warning, std::string(kTopic),
                         "ndots:" + std::to_string(*n) + " with search domains: a name with fewer than " +
                             std::to_string(*n) + " dots such as " + std::string(example->host) +
                             " is first asked as " + std::string(example->host) + "." + out.search.front() +
                             "; a wildcard record there would answer instead of the real name"});
  }
}

void describe_client_resolver(ResolverDiscovery& out, const Resolver& resolver) {
  const auto address = resolver.endpoint.address.to_string();
  const auto cls = classify(resolver.endpoint.address);
  if (cls == AddressClass::loopback && resolver.source != kGlibcDefaultSource && address != out.stub) {
    const auto* known = std::ranges::find(kLocalResolvers, address, &LocalResolver::address);
    const auto what = known == std::end(kLocalResolvers) ? kOtherLocalResolver : known->what;
    out.notes.push_back({NoteLevel::info, std::string(kTopic),
                         "nameserver " + address + " is " + std::string(what) +
                             "; vnetdiag asks it as clients do, so its answers are what clients get"});
  }
  if (cls == AddressClass::link_local && resolver.endpoint.address.v6) {
    out.notes.push_back({NoteLevel::warning, std::string(kTopic),
                         "nameserver " + address + " is an IPv6 link-local address: clients need its interface "
                         "(the %scope in resolv.conf) to reach it and vnetdiag keeps no scope, so its queries to it may fail"});
  }
}

}  // namespace

ResolverDiscovery discover_resolvers(const DiscoveryPaths& paths, const std::string& azure_dns) {
  ResolverDiscovery out;
  auto note = [&](NoteLevel level, std::string text) { out.notes.push_back({level, std::string(kTopic), std::move(text)}); };

  dns::ResolvConf conf;
  if (auto text = dns::read_text_file(paths.resolv_conf)) {
    conf = dns::parse_resolv_conf(*text);
    for (const auto& warning : conf.warnings) note(NoteLevel::warning, paths.resolv_conf + " " + warning);
  } else {
    note(NoteLevel::warning, "cannot read " + paths.resolv_conf + " (missing or not readable)");
  }
  out.search = conf.search;
  out.options = conf.options;

  if (conf.systemd_stub()) {
    out.stub = conf.nameservers.front().address.to_string();
    std::vector<int> bad_lines;
    std::vector<Endpoint> upstream;
    if (auto text = dns::read_text_file(paths.resolved_conf)) upstream = upstream_servers(*text, bad_lines);
    for (int line : bad_lines)
      note(NoteLevel::warning, paths.resolved_conf + " line " + std::to_string(line) + ": nameserver is not an IP address");
    if (upstream.empty()) {
      for (const auto& ns : conf.nameservers) out.resolvers.push_back({ns, std::string(kStubSource), true});
      note(NoteLevel::warning, paths.resolv_conf + " names only systemd-resolved's stub " + out.stub + ", and " +
                                   paths.resolved_conf + " gives no upstream server: vnetdiag asks the stub, "
                                   "so answers cannot be tied to the server that gave them");
    } else {
      for (const auto& ns : upstream) out.resolvers.push_back({ns, std::string(kUpstreamSource), true});
      note(NoteLevel::info, paths.resolv_conf + " names only systemd-resolved's stub " + out.stub +
                                ": clients send every query there, and it forwards to " + list_endpoints(out.resolvers) +
                                " (from " + paths.resolved_conf + "), which vnetdiag asks directly");
    }
  } else if (conf.nameservers.empty()) {
    // resolv.conf(5): "If no nameserver entries are present, the default is to use the name server on the
    // local machine", which is what clients then do.
    out.resolvers.push_back({*Endpoint::parse("127.0.0.1", 53), std::string(kGlibcDefaultSource), true});
    note(NoteLevel::warning, "no nameserver in " + paths.resolv_conf + ": glibc then asks 127.0.0.1 on this machine");
  } else {
    for (const auto& ns : conf.nameservers) out.resolvers.push_back({ns, std::string(kStubSource), true});
  }
  for (const auto& resolver : out.resolvers) describe_client_resolver(out, resolver);

  if (!out.search.empty())
    note(NoteLevel::info, paths.resolv_conf + ": search domains " + join(out.search, " ") +
                              " are appended to short names before they are asked");
  describe_options(out, paths.resolv_conf);

  if (azure_dns.empty()) return out;
  const auto azure = Endpoint::parse(azure_dns, 53);
  if (!azure) {
    note(NoteLevel::warning, "the Azure DNS address '" + azure_dns + "' is not IP or IP:PORT; it is not asked");
    return out;
  }
  out.azure_dns = azure->to_string();
  const std::vector<Resolver> clients = out.resolvers;
  out.azure_dns_in_use = std::ranges::any_of(clients, [&](const Resolver& r) { return r.endpoint == *azure; });
  if (out.azure_dns_in_use) {
    note(NoteLevel::info, "clients use Azure DNS " + azure->to_string() +
                              ": private DNS zones linked to this VNet answer them");
  } else {
    out.resolvers.push_back({*azure, std::string(kAzureSource), false});
    note(NoteLevel::info, "clients ask " + list_endpoints(clients) + ", not Azure DNS " + azure->to_string() +
                              ", which is asked beside them to compare answers: private DNS zones answer only through "
                              "Azure DNS, so a custom server must forward the privatelink zones to it");
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
