// What to probe and how: the engine's input. Standard library only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "probes/net/address.hpp"
#include "probes/proxy/proxy_config.hpp"

namespace vnetdiag {

/// An HTTP request the service answers without credentials, so that its answer tells
/// "reachable" from "denied by the service's firewall".
struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
};

/// One host and port, and how deep to go: TCP only, TLS, or TLS (or plain) plus one HTTP request.
struct ProbeTarget {
  std::string host;
  std::uint16_t port = 443;
  bool tls = true;                   ///< false: plain TCP, or plain HTTP when `http` is set
  std::optional<HttpRequest> http;
  bool allow_proxy = true;           ///< false for hosts no client reaches through a proxy (IMDS)
  /// When the answer to `http` redirects to another host (a registry sending a blob request to its data
  /// host), probe that host too, in the same run: it is the host the client goes on to.
  bool follow_redirect = false;
};

/// A DNS server to ask, and why it is in the set.
struct Resolver {
  Endpoint endpoint;
  std::string source;  ///< "resolv.conf", "--dns-server", "azure-dns"
  bool used_by_clients = true;  ///< false for a resolver asked only for comparison (Azure DNS beside a custom one)
};

/// Time allowed to each phase, and to the whole run.
struct Budgets {
  std::chrono::milliseconds dns{3000};      ///< per resolver, all tries included
  std::chrono::milliseconds connect{3000};  ///< per address
  std::chrono::milliseconds proxy{5000};    ///< CONNECT answer from the proxy
  std::chrono::milliseconds tls{5000};
  std::chrono::milliseconds http{5000};     ///< request sent to body prefix read
  std::chrono::milliseconds deadline{30000};  ///< the whole run; unfinished work is reported as `deadline`
};

struct EngineOptions {
  std::vector<Resolver> resolvers;        ///< asked in parallel; the first usable answer is the one connected to
  std::string hosts_file = "/etc/hosts";  ///< empty: no hosts file
  std::vector<Cidr> vnet;                 ///< addresses inside these ranges are `in_vnet`
  Budgets budgets;
  std::size_t concurrency = 128;          ///< targets in flight at once (lowered to fit the open-file limit)
  std::string ca_file;                    ///< empty: the system trust store
  ProxySettings proxy;
  std::size_t body_cap = 2048;            ///< bytes of response body kept as evidence
};

}  // namespace vnetdiag
