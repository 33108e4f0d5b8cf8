#include "tests/support/knot.hpp"

#include <atomic>
#include <chrono>
#include <fstream>

#include "tests/support/dns_wire.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sockets.hpp"

namespace vnetdiag::testing {

using namespace std::chrono_literals;

struct Knot::Impl {
  std::string ip;
  std::uint16_t port = 0;
  std::unique_ptr<ChildProcess> process;
};

Knot::Knot(std::vector<KnotZone> zones, const TempDir& dir, std::string listen_ip, std::uint16_t port)
    : impl_(std::make_unique<Impl>()) {
  static std::atomic<int> counter{0};
  const auto root = dir.path() / ("knot-" + std::to_string(counter++));
  std::filesystem::create_directories(root);
  impl_->ip = listen_ip;
  impl_->port = port != 0 ? port : free_port_tcp_udp(listen_ip);

  std::string config = "server:\n    listen: " + listen_ip + "@" + std::to_string(impl_->port) +
                       "\n    rundir: " + root.string() + "\n    user: root:root\n"
                       "database:\n    storage: " + root.string() + "\n"
                       "log:\n  - target: stderr\n    any: info\n"
                       "zone:\n";
  for (const auto& zone : zones) {
    std::ofstream file(root / (zone.origin + ".zone"));
    file << "$ORIGIN " << zone.origin << ".\n$TTL 60\n"
         << "@ SOA ns." << zone.origin << ". admin." << zone.origin << ". 1 3600 600 86400 60\n"
         << "@ NS ns." << zone.origin << ".\nns A 127.0.0.1\n";
    for (const auto& record : zone.records) file << record << "\n";
    config += "  - domain: " + zone.origin + "\n    file: " + (root / (zone.origin + ".zone")).string() + "\n";
  }
  std::ofstream(root / "knot.conf") << config;
  impl_->process = std::make_unique<ChildProcess>(
      std::vector<std::string>{"knotd", "-c", (root / "knot.conf").string()}, root / "knot.log");
  // Ready when it answers for the first zone's name server record over UDP.
  const std::string probe_name = zones.empty() ? "localhost" : "ns." + zones.front().origin;
  wait_for_ready(
      *impl_->process,
      [&] {
        const auto query = dns_wire::make_query(0x6b6e, probe_name, dns_wire::type_a, dns_wire::class_in);
        return udp_exchange(impl_->ip, impl_->port, query, 50ms).has_value();
      },
      5s, "knotd");
}

Knot::~Knot() = default;
std::string Knot::address() const { return host_port(impl_->ip, impl_->port); }
std::uint16_t Knot::port() const { return impl_->port; }

}  // namespace vnetdiag::testing
