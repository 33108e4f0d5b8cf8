#pragma once

namespace vnetdiag {

/// Logs go to stderr, for operators; reports go to stdout. 0: warnings, 1: info, 2+: debug.
void init_logging(int verbosity);

}  // namespace vnetdiag
