// Everything vnetdiag learns about the machine it runs on, gathered before the probes run (the clock
// skew is added after), as plain data. Facts only: the agent copies them into the report
// (EnvironmentFacts), where the rules judge them and the renderers show them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/discovery/arm_vnet.hpp"
#include "agent/discovery/clock_skew.hpp"
#include "agent/discovery/hosts.hpp"
#include "agent/discovery/imds.hpp"
#include "agent/discovery/interfaces.hpp"
#include "agent/discovery/notes.hpp"
#include "agent/discovery/proxy_env.hpp"
#include "agent/discovery/resolvers.hpp"
#include "agent/discovery/settings.hpp"
#include "agent/plan/plan.hpp"

namespace vnetdiag {

/// The machine's environment, as discovery saw it. Holds no credential: safe to print and report.
struct Environment {
  ResolverDiscovery dns;                     ///< resolvers for the engine, search domains, options (notes moved out)
  std::string hosts_file;                    ///< the hosts file read; empty: none
  std::vector<HostsOverrideNote> hosts_overrides;
  ProxyDiscovery proxy;                      ///< the variables other tools follow (notes moved out)
  InterfaceList interfaces;                  ///< every interface address, or why they could not be listed
  DockerCheck docker;                        ///< notes moved to `notes`
  ImdsResult imds;                           ///< `not_asked` when no metadata URL is set
  /// The VNet's ranges known: the plan's (config) and the VNet's address space and peerings read from Azure
  /// Resource Manager. Never this machine's subnet alone: private endpoints live in other subnets.
  std::vector<LabeledRange> vnet;
  ArmVnetResult arm;                         ///< the VNet read from Azure Resource Manager (`not_asked` off Azure)
  /// Where the VNet's ranges came from, or why they are unknown, in a line for the report.
  std::string vnet_note;
  std::optional<ClockSkew> clock_skew;       ///< filled after the run: clock_skew(run, now)
  std::vector<EnvironmentNote> notes;        ///< every part's observations, by topic: dns, proxy, docker, metadata
  std::vector<UnusableSetting> unusable;     ///< every part's unreadable files and unusable answers
};

/// Discovers everything but the clock skew: resolvers, hosts overrides of the plan's targets, proxy
/// variables (through `env`), interfaces and Docker ranges, and the metadata service (one request, at most
/// `settings.imds_timeout`).
Environment discover_environment(const DiscoverySettings& settings, const Plan& plan, EnvLookup env);

/// Reads the hosts file again for `plan`'s targets (after the plan gained hosts), replacing the overrides.
void refresh_hosts_overrides(Environment& environment, const DiscoverySettings& settings, const Plan& plan);

/// Sets `environment.clock_skew` from a finished run.
void add_clock_skew(Environment& environment, const RunResult& run, std::chrono::system_clock::time_point now_at_run_end);

/// The VNet ranges as plain CIDRs, for EngineOptions::vnet.
std::vector<Cidr> vnet_cidrs(const Environment& environment);

}  // namespace vnetdiag
