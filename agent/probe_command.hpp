#pragma once

#include "agent/cli.hpp"
#include "agent/exit_status.hpp"

namespace vnetdiag {

/// `vnetdiag probe`: probes the named hosts and prints their phases. Returns the exit status.
ExitStatus run_probe_command(const ProbeCommand& command);

}  // namespace vnetdiag
