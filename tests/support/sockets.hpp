// Small POSIX socket helpers for the fixtures and their self-tests (numeric IPs only).
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tests/support/unique_fd.hpp"

namespace vnetdiag::testing {

/// An IPv4 or IPv6 socket address built from a numeric IP string.
struct SocketAddress {
  sockaddr_storage storage{};  ///< sockaddr_in or sockaddr_in6
  socklen_t length = 0;        ///< size of the address actually stored

  /// AF_INET or AF_INET6.
  int family() const { return storage.ss_family; }
  /// For bind/connect/sendto.
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

/// Parses a numeric IPv4/IPv6 address (no brackets, no names); throws std::invalid_argument.
SocketAddress socket_address(const std::string& ip, std::uint16_t port);
/// True when `ip` is a numeric IPv6 address.
bool is_ipv6(const std::string& ip);
/// The local port a socket is bound to.
std::uint16_t local_port(int fd);
/// Creates a socket of `type` (SOCK_STREAM / SOCK_DGRAM, close-on-exec) bound to ip:port.
UniqueFd bound_socket(const std::string& ip, std::uint16_t port, int type);

/// How a single TCP connect attempt ended.
enum class ConnectResult { connected, refused, timed_out, failed };
/// One non-blocking connect to ip:port, waiting at most `timeout` for the handshake.
ConnectResult try_connect(const std::string& ip, std::uint16_t port, std::chrono::milliseconds timeout);

/// Sends one datagram to ip:port from a fresh socket and returns the first reply, or nullopt after
/// `timeout` (an ICMP port-unreachable also ends the wait early with nullopt).
std::optional<std::vector<std::uint8_t>> udp_exchange(const std::string& ip, std::uint16_t port,
                                                      std::span<const std::uint8_t> payload,
                                                      std::chrono::milliseconds timeout);

}  // namespace vnetdiag::testing
