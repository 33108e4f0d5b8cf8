// This machine's interfaces and addresses, and the Docker bridge ranges that can shadow VNet addresses.
#pragma once

#include <string>
#include <vector>

#include "agent/discovery/notes.hpp"
#include "probes/net/address.hpp"

namespace vnetdiag {

/// One address of one local interface.
struct LocalInterface {
  std::string name;     ///< "eth0", "docker0"
  bool v6 = false;
  std::string address;  ///< without a scope
  int prefix = 0;       ///< from the netmask
  bool up = false;
  bool loopback = false;  ///< IFF_LOOPBACK
  friend bool operator==(const LocalInterface&, const LocalInterface&) = default;
};

/// The interfaces getifaddrs() reports, or why it could not.
struct InterfaceList {
  std::vector<LocalInterface> interfaces;  ///< IPv4 and IPv6 addresses only, in the kernel's order
  std::string error;                       ///< non-empty: getifaddrs failed
};

/// This machine's interface addresses (getifaddrs).
InterfaceList list_interfaces();

/// An address range with where it came from.
struct LabeledRange {
  Cidr range;
  std::string source;  ///< "config vnet", "instance metadata, this VM's subnet"
};

/// An address with what it is.
struct LabeledAddress {
  std::string ip;
  std::string source;  ///< "expected IP of storage.blob", "eth0"
};

/// A Docker bridge network on this machine (or Docker's default one, which appears when Docker starts).
struct DockerBridge {
  std::string interface;  ///< "docker0", "br-1a2b3c"; "" for the default range nobody has claimed yet
  Cidr range;             ///< its network, host bits cleared
};

/// A Docker range that covers a VNet range or an address the workspace needs: packets for it go to the
/// bridge instead of the VNet.
struct DockerOverlap {
  DockerBridge bridge;  ///< the bridge whose range is involved
  std::string what;     ///< "172.16.0.0/12 (config)", "172.17.0.5 (expected IP of storage.blob)"
};

/// What the Docker check found.
struct DockerCheck {
  std::vector<DockerBridge> bridges;     ///< bridges present, or Docker's default 172.17.0.0/16 when docker0 is absent
  std::vector<DockerOverlap> overlaps;
  std::vector<EnvironmentNote> notes;   ///< why Docker's default range is checked when docker0 is absent
};

/// Docker's default bridge network; also used when docker0 does not exist yet, because Docker (which
/// Azure ML compute runs) takes it when it starts.
Cidr default_docker_range();

/// True for interfaces Docker creates for its networks: docker0 and the "br-<id>" bridges.
bool is_docker_interface(const std::string& name);

/// Checks every Docker bridge range (docker0's real one, else 172.17.0.0/16, plus br-* networks) against the
/// VNet `ranges`, the `addresses` the plan expects (private endpoint IPs), and the other interfaces' own
/// addresses. Pure: give it fixtures.
DockerCheck check_docker_ranges(const std::vector<LocalInterface>& interfaces, const std::vector<LabeledRange>& ranges,
                                const std::vector<LabeledAddress>& addresses);

/// `address/prefix` with the host bits cleared: "172.17.0.1", 16 gives 172.17.0.0/16.
Cidr network_of(const IpAddress& address, int prefix);

}  // namespace vnetdiag
