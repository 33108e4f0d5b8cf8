// Opening a TCP connection to one address, with the failure named.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <optional>
#include <string>
#include <utility>

#include "probes/deadline.hpp"
#include "probes/evidence.hpp"

namespace vnetdiag::tcp {

using boost::asio::ip::tcp;

/// Maps a connect() error to the report's vocabulary. The one place that knows errno values.
TcpStatus classify_socket_error(const boost::system::error_code& ec);

/// "ECONNREFUSED", "EHOSTUNREACH", ...: the errno's symbolic name, or the message for other categories.
std::string error_name(const boost::system::error_code& ec);

/// The attempt's evidence, and the connected socket when it succeeded.
struct Connection {
  TcpAttempt attempt;
  std::optional<tcp::socket> socket;
};

/// Connects to `endpoint` within `budget` (and the run's deadline).
boost::asio::awaitable<Connection> connect(Deadline& deadline, Clock::duration budget, tcp::endpoint endpoint);

}  // namespace vnetdiag::tcp
