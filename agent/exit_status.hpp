#pragma once

namespace vnetdiag {

/// The process exit codes, documented in the README and `--help`.
enum class ExitStatus : int {
  healthy = 0,     ///< every check passed
  errors = 1,      ///< at least one Error (for `probe`: at least one target failed)
  warnings = 2,    ///< Warnings only
  usage = 3,       ///< bad arguments or input; nothing was probed
  incomplete = 4,  ///< the global deadline was hit, or the run was interrupted
  unchecked = 5,   ///< no Error, but required targets could not be checked for want of an input
};

constexpr int exit_code(ExitStatus status) { return static_cast<int>(status); }

}  // namespace vnetdiag
