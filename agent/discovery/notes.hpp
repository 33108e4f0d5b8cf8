// What discovery leaves for the report besides its structured facts: observations in words, and the
// settings it could not read. Neither is a judgement: the rules (reports/rules_*.cpp) decide what matters.
#pragma once

#include <string>

namespace vnetdiag {

/// One observation about the environment that explains the results ("clients ask 10.0.0.4:53, not Azure
/// DNS, which is asked beside them to compare answers").
struct EnvironmentNote {
  std::string topic;  ///< "dns", "proxy", "docker", "metadata"
  std::string text;
  friend bool operator==(const EnvironmentNote&, const EnvironmentNote&) = default;
};

/// A setting of this machine that could not be read or used, so the checks cannot stand on it.
struct UnusableSetting {
  std::string source;   ///< "/etc/resolv.conf", "instance metadata", "network interfaces"
  std::string problem;  ///< "cannot be read (missing or not readable)"
  friend bool operator==(const UnusableSetting&, const UnusableSetting&) = default;
};

}  // namespace vnetdiag
