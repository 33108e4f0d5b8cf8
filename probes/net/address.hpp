// Addresses, endpoints and CIDR ranges: parsing and classification, pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "probes/evidence.hpp"

namespace vnetdiag {

/// An IPv4 or IPv6 address in network byte order.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  ///< IPv4 uses the first 4

  /// Parses a literal ("10.0.0.4", "fd00::1", "fe80::1%eth0" keeps no scope). nullopt if not an IP literal.
  static std::optional<IpAddress> parse(std::string_view text);
  std::string to_string() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

/// An address and port, written "10.0.0.4:53" or "[fd00::a]:53".
struct Endpoint {
  IpAddress address;
  std::uint16_t port = 53;

  /// Parses "IP", "IP:PORT", "[IPv6]", "[IPv6]:PORT" or a bare IPv6 literal; `default_port` when none given.
  static std::optional<Endpoint> parse(std::string_view text, std::uint16_t default_port);
  std::string to_string() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

/// An address range, "10.0.0.0/16" or "fd00::/8".
struct Cidr {
  IpAddress network;
  int prefix = 0;

  /// Parses "ADDR/LEN"; a bare address is a /32 or /128. nullopt if malformed.
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const IpAddress& address) const;
  bool overlaps(const Cidr& other) const;
  std::string to_string() const;
  friend bool operator==(const Cidr&, const Cidr&) = default;
};

/// Loopback, RFC 1918, shared 100.64/10, link-local, public or other.
AddressClass classify(const IpAddress& address);

/// Classifies `ip` (a literal) and marks whether it lies inside any of `vnet`.
ResolvedAddress classify(std::string ip, std::uint32_t ttl, std::span<const Cidr> vnet);

/// True when `text` is an IPv4 or IPv6 literal (such names never get SNI).
bool is_ip_literal(std::string_view text);

/// True for a DNS name a probe may send: letters, digits, '-', '_' and dots, labels of 1-63, 253 in all.
/// Shell and control characters never pass.
bool is_valid_hostname(std::string_view name);

/// A host and port as written on a command line.
struct HostPort {
  std::string host;
  std::uint16_t port = 443;
};

/// Parses "HOST", "HOST:PORT", "IPv4:PORT", "[IPv6]:PORT" or a bare IPv6 literal. nullopt if malformed.
std::optional<HostPort> parse_host_port(std::string_view text, std::uint16_t default_port);

}  // namespace vnetdiag
