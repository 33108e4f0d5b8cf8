// Probe evidence as JSON: the stable, machine-readable form of everything the probes saw.
#pragma once

#include <nlohmann/json.hpp>

#include "probes/evidence.hpp"

namespace vnetdiag {

/// One target with every phase's evidence and timing. Absent phases are omitted (not attempted).
nlohmann::json to_json(const TargetResult& result);

/// A whole run: the targets plus whether the deadline cut it short or it was interrupted.
nlohmann::json to_json(const RunResult& run);

}  // namespace vnetdiag
