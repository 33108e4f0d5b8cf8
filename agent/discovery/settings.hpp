// Where discovery looks: every file and address has a production default and can be pointed elsewhere,
// so tests (and unusual machines) use fixture files and loopback servers instead.
#pragma once

#include <chrono>
#include <string>

#include "agent/plan/cloud.hpp"
#include "probes/proxy/proxy_config.hpp"

namespace vnetdiag {

struct Plan;

/// The files that describe this machine's name resolution.
struct DiscoveryPaths {
  std::string resolv_conf = "/etc/resolv.conf";  ///< what glibc reads
  /// systemd-resolved's list of its upstream servers, read when resolv.conf points at its stub.
  std::string resolved_conf = "/run/systemd/resolve/resolv.conf";
  std::string hosts_file = "/etc/hosts";  ///< empty: no hosts file
};

/// Where and how the VNet's address ranges are read from Azure Resource Manager with the VM's managed
/// identity. The token itself comes from the metadata service (`DiscoverySettings::imds_base_url`).
struct ArmSettings {
  /// Resource Manager, "https://host[:port]"; empty: the one of the VM's cloud. Only the requests go
  /// there: the token audience stays the cloud's real one.
  std::string base_url;
  /// The cloud assumed when the metadata document does not name one (compute.azEnvironment).
  Cloud cloud = Cloud::public_cloud;
  /// The token and every Resource Manager read together: short, so a VM without access is not slowed.
  std::chrono::milliseconds timeout{3000};
  std::string ca_file;  ///< the trust store for Resource Manager; empty: the system's
  /// How Resource Manager is reached: through the proxy clients use, if any. The identity endpoint never is.
  ProxySettings proxy;
  /// A bearer token the user gave (--arm-token-file), used instead of the managed identity's. A secret:
  /// never logged, printed or written to a report.
  std::string token;
};

/// Everything discovery reads or asks, with the defaults of an Azure VM.
struct DiscoverySettings {
  DiscoveryPaths paths;  ///< resolver and hosts files
  /// The Azure DNS virtual server, "IP" or "IP:PORT" (facts §2.1); the same address in every region and cloud.
  std::string azure_dns = "168.63.129.16";
  /// The instance metadata service (facts §2.5); empty: do not ask it.
  std::string imds_base_url = "http://169.254.169.254";
  /// Connect, response and total time for the metadata request: short, so a machine outside Azure is not slowed.
  std::chrono::milliseconds imds_timeout{1500};
  /// false: Azure DNS is not added beside the system resolvers.
  bool query_azure_dns = true;
  /// Reading the VNet's address space from Resource Manager (see arm_vnet.hpp).
  ArmSettings arm;
};

/// The settings a plan (and its config file) asks for: its resolv.conf, hosts file, Azure DNS, metadata URL and
/// Resource Manager URL.
/// The systemd-resolved path and the metadata timeout keep their defaults.
DiscoverySettings discovery_settings(const Plan& plan);

}  // namespace vnetdiag
