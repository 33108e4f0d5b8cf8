#include "agent/discovery/hosts.hpp"

#include <algorithm>

#include "probes/net/address.hpp"

namespace vnetdiag {
namespace {

bool private_or_vnet(const ResolvedAddress& a) {
  return a.in_vnet || a.cls == AddressClass::private_ip || a.cls == AddressClass::shared;
}
bool public_address(const ResolvedAddress& a) { return a.cls == AddressClass::public_ip; }

/// How a pinned address is judged when the plan states where the name should resolve.
struct ExpectRule {
  PlannedTarget::Expect expect;
  bool (*fits)(const ResolvedAddress&);
  std::string_view wanted;  ///< what the plan expects, for the message
  std::string_view harm;    ///< what happens when the pin contradicts it
};

constexpr ExpectRule kRules[] = {
    {PlannedTarget::Expect::private_expected, private_or_vnet, "a private endpoint address",
     "traffic does not go to the private endpoint, and the service's firewall may deny it"},
    {PlannedTarget::Expect::public_expected, public_address, "a public address",
     "traffic goes to an address the public service does not use"},
};

std::string join_ips(const std::vector<ResolvedAddress>& addresses) {
  std::string out;
  for (const auto& a : addresses) out += (out.empty() ? "" : ", ") + a.ip;
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// Judges the pinned addresses against the target's expectation and says what it means.
void judge(HostsOverrideNote& note, const PlannedTarget& target) {
  const std::string pinned = note.host + " is pinned to " + join_ips(note.addresses) + " in " + note.file;
  constexpr std::string_view kStale =
      ": DNS is never asked for it, so a private endpoint that is re-created with a new IP is not followed";
  if (!target.expected_ips.empty()) {
    note.matches_expectation = std::ranges::all_of(note.addresses, [&](const ResolvedAddress& a) {
      return std::ranges::find(target.expected_ips, a.ip) != target.expected_ips.end();
    });
    note.text = *note.matches_expectation
                    ? pinned + std::string(kStale)
                    : pinned + ", not to the private endpoint's " + join(target.expected_ips) +
                          ": clients connect to the pinned address";
    return;
  }
  const auto* rule = std::ranges::find(kRules, target.expect, &ExpectRule::expect);
  if (rule == std::end(kRules)) {
    note.text = pinned + std::string(kStale);
    return;
  }
  note.matches_expectation = std::ranges::all_of(note.addresses, rule->fits);
  note.text = *note.matches_expectation ? pinned + std::string(kStale)
                                        : pinned + ", where " + std::string(rule->wanted) + " is expected: " +
                                              std::string(rule->harm);
}

}  // namespace

std::vector<HostsOverrideNote> hosts_overrides(const std::vector<dns::HostsEntry>& entries, const Plan& plan,
                                               std::string_view file) {
  std::vector<HostsOverrideNote> out;
  for (const auto& target : plan.targets) {
    if (!probed(target) || is_ip_literal(target.probe.host)) continue;
    const auto& host = target.probe.host;
    if (auto seen = std::ranges::find(out, host, &HostsOverrideNote::host); seen != out.end()) {
      if (std::ranges::find(seen->target_ids, target.id) == seen->target_ids.end()) seen->target_ids.push_back(target.id);
      continue;
    }
    const auto ips = dns::lookup_hosts(entries, host);
    if (ips.empty()) continue;
    HostsOverrideNote note;
    note.host = host;
    note.file = std::string(file);
    for (const auto& ip : ips) note.addresses.push_back(classify(ip, 0, plan.vnet));
    note.target_ids.push_back(target.id);
    judge(note, target);
    out.push_back(std::move(note));
  }
  return out;
}

}  // namespace vnetdiag
