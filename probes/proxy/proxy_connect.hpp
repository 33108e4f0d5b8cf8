// Opening a tunnel through an HTTP proxy with CONNECT, the proxy's answer kept as its own phase.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>

#include "probes/deadline.hpp"
#include "probes/evidence.hpp"
#include "probes/proxy/proxy_config.hpp"

namespace vnetdiag::proxy {

/// Maps the proxy's status code to the report's vocabulary.
ProxyStatus classify_connect_status(int code);

/// The evidence, and the tunnelled socket when the proxy answered 2xx.
struct Tunnel {
  ProxyEvidence evidence;
  std::optional<boost::asio::ip::tcp::socket> socket;
};

/// Connects to the proxy at `proxy_endpoint` (within `connect_budget`) and asks it for `host:port`
/// (within `proxy_budget`). Credentials go only into Proxy-Authorization; evidence shows the masked URL.
boost::asio::awaitable<Tunnel> open_tunnel(Deadline& deadline, Clock::duration connect_budget,
                                           Clock::duration proxy_budget, ProxyUrl proxy,
                                           boost::asio::ip::tcp::endpoint proxy_endpoint, std::string host,
                                           std::uint16_t port);

}  // namespace vnetdiag::proxy
