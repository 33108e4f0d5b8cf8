// A network namespace whose addresses black-hole TCP and UDP, for real timeouts.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/unique_fd.hpp"

namespace vnetdiag::testing {

/// A network namespace whose addresses black-hole TCP and UDP: packets from the host reach it over a
/// veth pair and an nft rule inside drops every one, so connect() and DNS queries to those
/// addresses really time out (no RST, no ICMP). Needs root, `ip` and `nft`.
///
/// Namespace "vndtest-<pid>-<n>"; veth "vndh<k>" (host, 10.231.<k>.1/24) and "vndn<k>" (inside,
/// 10.231.<k>.2 ...). <k> is reserved across processes with an flock on
/// /run/lock/vnetdiag-netns-<k>.lock (removed again afterwards), so parallel test processes never
/// share a /24. IPv6 is off on the veth (no link-local chatter).
class BlackholeNetns {
 public:
  /// True when namespaces can be made here (root, `ip netns`, `nft` inside a namespace); otherwise
  /// false with the reason in *why. Probes once per process.
  static bool available(std::string* why);

  /// Creates the namespace with `addresses` (1..250) black-holed addresses. Also removes leftovers
  /// of test processes that died without cleaning up. Throws (after undoing everything) on failure.
  explicit BlackholeNetns(int addresses = 1);
  /// Deletes the namespace and the veth pair; never throws.
  ~BlackholeNetns();
  BlackholeNetns(const BlackholeNetns&) = delete;
  BlackholeNetns& operator=(const BlackholeNetns&) = delete;

  /// The namespace-side addresses ("10.231.<k>.2", ...).
  std::vector<std::string> addresses() const;
  /// The namespace name, for `ip netns exec`.
  const std::string& name() const;
  /// The host end of the veth ("10.231.<k>.1").
  std::string host_address() const;
  /// Makes `ip` (any IPv4 address, e.g. a public one a test DNS answer names) live inside this namespace:
  /// the host routes it into the veth, where it is black-holed like the rest. Traffic to it never leaves
  /// the machine. The route goes with the veth.
  void route_here(const std::string& ip);

 private:
  void teardown() noexcept;

  std::string name_;
  int subnet_ = 0;
  int address_count_ = 0;
  UniqueFd subnet_lock_;
  std::filesystem::path subnet_lock_path_;
  bool namespace_created_ = false;
  bool veth_created_ = false;
};

}  // namespace vnetdiag::testing
