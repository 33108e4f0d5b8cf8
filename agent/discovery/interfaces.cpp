#include "agent/discovery/interfaces.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <memory>

namespace vnetdiag {
namespace {

constexpr std::string_view kTopic = "docker";

/// The address bytes of an AF_INET or AF_INET6 sockaddr (copied: ifaddrs gives no alignment promise).
std::optional<IpAddress> address_of(const sockaddr* sa) {
  if (sa == nullptr) return std::nullopt;
  IpAddress out;
  if (sa->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    std::memcpy(out.bytes.data(), &in.sin_addr, 4);
    return out;
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, sizeof in6);
    std::memcpy(out.bytes.data(), &in6.sin6_addr, 16);
    out.v6 = true;
    return out;
  }
  return std::nullopt;
}

int prefix_of(const sockaddr* netmask, bool v6) {
  const auto mask = address_of(netmask);
  if (!mask) return v6 ? 128 : 32;
  int bits = 0;
  for (std::size_t i = 0; i < (v6 ? 16u : 4u); ++i) bits += std::popcount(mask->bytes[i]);
  return bits;
}

}  // namespace

Cidr network_of(const IpAddress& address, int prefix) {
  Cidr out{address, prefix};
  const int total = address.v6 ? 128 : 32;
  for (int bit = std::max(prefix, 0); bit < total; ++bit)
    out.network.bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return out;
}

Cidr default_docker_range() { return *Cidr::parse("172.17.0.0/16"); }

bool is_docker_interface(const std::string& name) { return name == "docker0" || name.starts_with("br-"); }

InterfaceList list_interfaces() {
  InterfaceList out;
  ifaddrs* raw = nullptr;
  if (::getifaddrs(&raw) != 0) {
    out.error = std::string("getifaddrs: ") + std::strerror(errno);
    return out;
  }
  const std::unique_ptr<ifaddrs, void (*)(ifaddrs*)> list(raw, &::freeifaddrs);
  for (const ifaddrs* a = list.get(); a != nullptr; a = a->ifa_next) {
    const auto address = address_of(a->ifa_addr);
    if (!address) continue;
    LocalInterface item;
    item.name = a->ifa_name != nullptr ? a->ifa_name : "";
    item.v6 = address->v6;
    item.address = address->to_string();
    item.prefix = prefix_of(a->ifa_netmask, address->v6);
    item.up = (a->ifa_flags & IFF_UP) != 0;
    item.loopback = (a->ifa_flags & IFF_LOOPBACK) != 0;
    out.interfaces.push_back(std::move(item));
  }
  return out;
}

DockerCheck check_docker_ranges(const std::vector<LocalInterface>& interfaces, const std::vector<LabeledRange>& ranges,
                                const std::vector<LabeledAddress>& addresses) {
  DockerCheck out;
  for (const auto& i : interfaces) {
    const auto ip = IpAddress::parse(i.address);
    if (!ip || i.v6 || !is_docker_interface(i.name)) continue;
    DockerBridge bridge{i.name, network_of(*ip, i.prefix)};
    if (std::ranges::none_of(out.bridges, [&](const DockerBridge& b) { return b.interface == i.name && b.range == bridge.range; }))
      out.bridges.push_back(std::move(bridge));
  }
  if (std::ranges::none_of(out.bridges, [](const DockerBridge& b) { return b.interface == "docker0"; })) {
    out.bridges.insert(out.bridges.begin(), DockerBridge{"", default_docker_range()});
    out.notes.push_back({std::string(kTopic),
                         "no docker0 interface: Docker's default range " + default_docker_range().to_string() +
                             " is checked instead, because Docker (which Azure ML compute runs) takes it when it starts"});
  }

  // Other interfaces' networks: this machine's own VNet subnet is a VNet range even when nobody named one.
  // A range given twice (the config and the metadata subnet often agree) is checked once, under its first source.
  std::vector<LabeledRange> all_ranges;
  auto add_range = [&](LabeledRange r) {
    if (std::ranges::none_of(all_ranges, [&](const LabeledRange& seen) { return seen.range == r.range; }))
      all_ranges.push_back(std::move(r));
  };
  for (const auto& r : ranges) add_range({network_of(r.range.network, r.range.prefix), r.source});
  for (const auto& i : interfaces) {
    const auto ip = IpAddress::parse(i.address);
    if (!ip || i.loopback || is_docker_interface(i.name) || i.name.starts_with("veth")) continue;
    add_range({network_of(*ip, i.prefix), "network of " + i.name});
  }

  for (const auto& bridge : out.bridges) {
    for (const auto& r : all_ranges)
      if (bridge.range.overlaps(r.range)) out.overlaps.push_back({bridge, r.range.to_string() + " (" + r.source + ")"});
    for (const auto& a : addresses) {
      const auto ip = IpAddress::parse(a.ip);
      if (ip && bridge.range.contains(*ip)) out.overlaps.push_back({bridge, a.ip + " (" + a.source + ")"});
    }
  }
  return out;
}

}  // namespace vnetdiag
