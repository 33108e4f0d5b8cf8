// The DNS resolvers this machine really uses, read from resolv.conf (and systemd-resolved's own list
// when resolv.conf only names its stub), plus Azure DNS beside them for comparison.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/discovery/notes.hpp"
#include "agent/discovery/settings.hpp"
#include "probes/target.hpp"

namespace vnetdiag {

/// What the resolver configuration says, in the order the engine should ask.
struct ResolverDiscovery {
  /// Client resolvers first, in the order glibc (or systemd-resolved) asks them, then Azure DNS
  /// (`used_by_clients = false`) unless clients already use it.
  std::vector<Resolver> resolvers;
  /// The local stub clients send their queries to ("127.0.0.53") when it was read through; empty otherwise.
  std::string stub;
  std::vector<std::string> search;   ///< search domains from resolv.conf
  std::vector<std::string> options;  ///< resolv.conf options, as written ("ndots:5", "rotate")
  /// The Azure DNS endpoint compared against ("168.63.129.16:53"); empty when none was given or it was unusable.
  std::string azure_dns;
  /// True when some client resolver is the Azure DNS address: private DNS zones linked to the VNet answer.
  bool azure_dns_in_use = false;
  std::vector<EnvironmentNote> notes;      ///< which stub or local resolver forwards where, Azure DNS beside the clients
  std::vector<UnusableSetting> unusable;   ///< unreadable files, ignored or malformed nameserver lines
};

/// Reads `paths.resolv_conf` (and `paths.resolved_conf` behind a systemd-resolved stub) and returns the
/// resolvers in use. `azure_dns` ("IP" or "IP:PORT") is appended for comparison unless it is already a
/// client resolver; empty: not appended. Never fails: what cannot be read is listed in `unusable`, and with no usable
/// nameserver the list holds glibc's own fallback, 127.0.0.1.
ResolverDiscovery discover_resolvers(const DiscoveryPaths& paths, const std::string& azure_dns);

/// The client resolvers that are neither Azure DNS nor on this machine: custom DNS servers, which must
/// forward the privatelink zones to Azure DNS for private endpoints to resolve ("IP:PORT", client order).
std::vector<std::string> custom_dns(const ResolverDiscovery& discovery);

}  // namespace vnetdiag
