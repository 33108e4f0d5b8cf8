// Running the engine from the command line: one io_context, Ctrl-C and SIGTERM stop it cleanly.
#pragma once

#include <vector>

#include "probes/engine.hpp"

namespace vnetdiag {

/// Probes `targets`; SIGINT/SIGTERM end the run early, and what finished is still returned (marked interrupted).
RunResult run_until_done(std::vector<ProbeTarget> targets, EngineOptions options, ProgressFn progress = {});

}  // namespace vnetdiag
