// Running the vnetdiag binary as a user would, with an environment free of the machine's proxies.
#pragma once

#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace vnetdiag::testing {

/// Runs `vnetdiag args...` (no shell) and returns its exit code and output (stdout and stderr).
inline CommandResult run_vnetdiag(std::vector<std::string> args, std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  args.insert(args.begin(), VNETDIAG_BINARY);
  return run_command(args, timeout);
}

/// The JSON document in `output`: from the first '{' line to the end (logs go before it on stderr).
inline std::string json_part(const std::string& output) {
  auto at = output.find("\n{");
  if (output.starts_with("{")) return output;
  return at == std::string::npos ? std::string{} : output.substr(at + 1);
}

}  // namespace vnetdiag::testing
