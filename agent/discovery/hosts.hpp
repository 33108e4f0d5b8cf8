// Hosts-file lines that pin a planned target to an address: DNS is then never asked for it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/plan/plan.hpp"
#include "probes/dns/system_files.hpp"
#include "probes/evidence.hpp"

namespace vnetdiag {

/// One planned host that the hosts file answers instead of DNS.
struct HostsOverrideNote {
  std::string host;                          ///< the planned host, as the plan spells it
  std::string file;                          ///< the hosts file that says so
  std::vector<ResolvedAddress> addresses;    ///< in file order, classified against the plan's VNet ranges
  std::vector<std::string> target_ids;       ///< every planned target on this host ("storage.blob", ...)
  /// Against the plan's expectation: true/false when the plan names expected IPs or a private/public
  /// expectation, nullopt when it says nothing.
  std::optional<bool> matches_expectation;
  std::string text;                          ///< what it means, for the user
};

/// The hosts-file entries that override a planned (testable) target's host, one note per host, in plan order.
/// `file` names the hosts file in the notes.
std::vector<HostsOverrideNote> hosts_overrides(const std::vector<dns::HostsEntry>& entries, const Plan& plan,
                                               std::string_view file = "/etc/hosts");

}  // namespace vnetdiag
