// A real Knot DNS server, authoritative for private-link-style zones written by the test.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

/// One zone: its origin and its records in zone-file syntax, relative to the origin
/// ("sa.blob CNAME sa.privatelink.blob", "sa.privatelink.blob A 127.10.0.5").
struct KnotZone {
  std::string origin;  ///< "core.windows.net"
  std::vector<std::string> records;
};

/// knotd serving `zones` on listen_ip:port. Unlike dnsmasq, an authoritative server answers a CNAME
/// whose target is missing from the zone with NXDOMAIN and the CNAME in the answer section, which
/// is exactly what a private DNS zone without the resource's record returns.
class Knot {
 public:
  /// Starts knotd (config, zones, rundir under `dir`); ready (answering UDP) when it returns.
  /// `port` 0 picks a free one; 53 on a 127.x address of its own lets a resolv.conf name the server.
  Knot(std::vector<KnotZone> zones, const TempDir& dir, std::string listen_ip = "127.0.0.1", std::uint16_t port = 0);
  ~Knot();
  Knot(const Knot&) = delete;
  Knot& operator=(const Knot&) = delete;

  /// "127.0.0.1:PORT".
  std::string address() const;
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnetdiag::testing
