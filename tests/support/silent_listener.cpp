#include "tests/support/silent_listener.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <system_error>

#include "tests/support/sockets.hpp"

namespace vnetdiag::testing {

SilentListener::SilentListener(std::string ip) : ip_(std::move(ip)), fd_(bound_socket(ip_, 0, SOCK_STREAM)) {
  // A generous backlog: every test connection must complete its handshake without an accept().
  if (::listen(fd_.get(), 128) != 0) {
    throw std::system_error(errno, std::generic_category(), "SilentListener: listen");
  }
  port_ = local_port(fd_.get());
}

SilentListener::~SilentListener() = default;

std::uint16_t SilentListener::port() const { return port_; }

const std::string& SilentListener::ip() const { return ip_; }

}  // namespace vnetdiag::testing
