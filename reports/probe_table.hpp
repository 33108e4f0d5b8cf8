// The readable form of probe evidence: one block per target, one line per phase.
#pragma once

#include <string>

#include "probes/evidence.hpp"

namespace vnetdiag {

/// Renders every target's phases, e.g.
///   sa.blob.core.windows.net:443  ok  12.3 ms
///     dns   127.0.0.1:53 (resolv.conf)  ok  sa.blob.core.windows.net > sa.privatelink.blob.core.windows.net > 10.0.0.5 (private)
///     tcp   10.0.0.5:443  connected  0.4 ms
std::string render_probe_table(const RunResult& run);

}  // namespace vnetdiag
