// Small helpers shared by the probe tests: build options, run the engine, find things in results.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "probes/engine.hpp"
#include "probes/net/address.hpp"
#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

/// A resolver from "ip:port", as --dns-server gives it.
inline Resolver resolver(const std::string& address, std::string source = "--dns-server") {
  return Resolver{*Endpoint::parse(address, 53), std::move(source)};
}

/// Options that never touch the machine's own files or proxies: no hosts file, no proxy, short budgets.
inline EngineOptions isolated_options(std::vector<Resolver> resolvers = {}) {
  EngineOptions o;
  o.resolvers = std::move(resolvers);
  o.hosts_file.clear();
  o.budgets.dns = std::chrono::milliseconds(1500);
  o.budgets.connect = std::chrono::milliseconds(1500);
  o.budgets.proxy = std::chrono::milliseconds(2000);
  o.budgets.tls = std::chrono::milliseconds(2000);
  o.budgets.http = std::chrono::milliseconds(2000);
  o.budgets.deadline = std::chrono::milliseconds(20000);
  return o;
}

/// A TLS target with one GET request.
inline ProbeTarget https(std::string host, std::uint16_t port, std::string path = "/") {
  return ProbeTarget{std::move(host), port, true, HttpRequest{"GET", std::move(path), {}}, true};
}

/// A target probed only up to TCP.
inline ProbeTarget tcp_only(std::string host, std::uint16_t port) {
  return ProbeTarget{std::move(host), port, false, std::nullopt, true};
}

/// Runs one target.
inline TargetResult probe_one(ProbeTarget target, EngineOptions options) {
  auto run = run_probes({std::move(target)}, std::move(options));
  return run.targets.at(0);
}

/// A hosts file mapping each name to an address.
inline std::string hosts_file(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string text = "# written by the test\n";
  for (const auto& [name, ip] : entries) text += ip + " " + name + "\n";
  return dir.write("hosts", text).string();
}

/// The value of a captured header, or "" when absent.
inline std::string header(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (std::equal(n.begin(), n.end(), name.begin(), name.end(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); }))
      return v;
  }
  return {};
}

/// The addresses of one DNS answer, as text.
inline std::vector<std::string> ips(const DnsAnswer& answer) {
  std::vector<std::string> out;
  for (const auto& a : answer.addresses) out.push_back(a.ip);
  return out;
}

}  // namespace vnetdiag::testing
