#pragma once

#include "agent/cli.hpp"
#include "agent/engine_options.hpp"
#include "agent/exit_status.hpp"

namespace vnetdiag {

/// `vnetdiag [check]`: builds the plan, probes every testable target, prints the result.
ExitStatus run_check_command(const CheckCommand& command);

/// `vnetdiag targets`: prints the plan without probing.
ExitStatus run_targets_command(const TargetsCommand& command);

/// The engine options for a plan: its resolvers (resolv.conf, the config's servers, Azure DNS beside
/// them for comparison), files, budgets and proxy; options given on the command line override them.
std::variant<EngineOptions, OptionError> engine_options_for(const Plan& plan, const CheckCommand& command,
                                                            EnvLookup env);

}  // namespace vnetdiag
