#include "tests/support/sockets.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace vnetdiag::testing {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

bool is_ipv6(const std::string& ip) {
  in6_addr ignored{};
  return ::inet_pton(AF_INET6, ip.c_str(), &ignored) == 1;
}

SocketAddress socket_address(const std::string& ip, std::uint16_t port) {
  SocketAddress address;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  if (::inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    address.length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    address.length = sizeof(sockaddr_in6);
  } else {
    throw std::invalid_argument("not a numeric IP address: '" + ip + "'");
  }
  return address;
}

std::uint16_t local_port(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    throw_errno("getsockname");
  }
  if (storage.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
}

UniqueFd bound_socket(const std::string& ip, std::uint16_t port, int type) {
  const auto address = socket_address(ip, port);
  UniqueFd fd(::socket(address.family(), type | SOCK_CLOEXEC, 0));
  if (!fd) {
    throw_errno("socket");
  }
  if (::bind(fd.get(), address.get(), address.length) != 0) {
    throw_errno("bind " + ip + " port " + std::to_string(port));
  }
  return fd;
}

ConnectResult try_connect(const std::string& ip, std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto address = socket_address(ip, port);
  UniqueFd fd(::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) {
    return ConnectResult::failed;
  }
  if (::connect(fd.get(), address.get(), address.length) == 0) {
    return ConnectResult::connected;
  }
  if (errno == ECONNREFUSED) {
    return ConnectResult::refused;
  }
  if (errno != EINPROGRESS) {
    return ConnectResult::failed;
  }
  pollfd pfd{fd.get(), POLLOUT, 0};
  const int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready == 0) {
    return ConnectResult::timed_out;
  }
  int error = 0;
  socklen_t length = sizeof(error);
  if (ready < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
    return ConnectResult::failed;
  }
  if (error == 0) {
    return ConnectResult::connected;
  }
  return error == ECONNREFUSED ? ConnectResult::refused : ConnectResult::failed;
}

std::optional<std::vector<std::uint8_t>> udp_exchange(const std::string& ip, std::uint16_t port,
                                                      std::span<const std::uint8_t> payload,
                                                      std::chrono::milliseconds timeout) {
  const auto address = socket_address(ip, port);
  UniqueFd fd(::socket(address.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) {
    throw_errno("socket");
  }
  // A connected UDP socket turns an ICMP port-unreachable into ECONNREFUSED on recv, so a server
  // that is not bound yet ends the wait immediately instead of costing the whole timeout.
  if (::connect(fd.get(), address.get(), address.length) != 0) {
    return std::nullopt;
  }
  if (::send(fd.get(), payload.data(), payload.size(), 0) < 0) {
    return std::nullopt;
  }
  pollfd pfd{fd.get(), POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> reply(65536);
  const auto received = ::recv(fd.get(), reply.data(), reply.size(), 0);
  if (received < 0) {
    return std::nullopt;
  }
  reply.resize(static_cast<std::size_t>(received));
  return reply;
}

}  // namespace vnetdiag::testing
