#pragma once

#include "agent/cli.hpp"
#include "agent/discovery/environment.hpp"
#include "agent/engine_options.hpp"
#include "agent/exit_status.hpp"

namespace vnetdiag {

/// `vnetdiag [check]`: builds the plan, probes every testable target, prints the result.
ExitStatus run_check_command(const CheckCommand& command);

/// `vnetdiag targets`: prints the plan without probing.
ExitStatus run_targets_command(const TargetsCommand& command);

/// Where discovery looks: the plan's (config file's) paths, overridden by the command line.
DiscoverySettings discovery_settings_for(const Plan& plan, const CheckCommand& command, EnvLookup env);

/// The proxy the check uses, for the probes and for Resource Manager alike: --proxy, else the config's,
/// else the variables (curl's rules); --no-proxy replaces the bypass list.
std::variant<ProxySettings, OptionError> effective_proxy(const Plan& plan, const CheckCommand& command, EnvLookup env);

/// What one check uses, merged once (defaults, then the config file, then the environment, then the command
/// line): the engine's options, and the VNet's ranges with their sources. The report's facts are drawn from
/// this same result, so the report says what the engine really did.
struct CheckSettings {
  EngineOptions engine;
  std::vector<LabeledRange> vnet;  ///< --vnet-cidr, then the config's and Azure Resource Manager's; empty: unknown
};

/// The settings for a plan: the resolvers discovery found (resolv.conf, or systemd-resolved's upstreams, then
/// Azure DNS for comparison) plus the config's servers, files, budgets, proxy and VNet ranges; options given
/// on the command line override them.
std::variant<CheckSettings, OptionError> check_settings(const Plan& plan, const Environment& environment,
                                                        const CheckCommand& command, EnvLookup env);

}  // namespace vnetdiag
