#include "tests/support/dnsmasq.hpp"

#include <sys/socket.h>

#include <atomic>
#include <optional>
#include <stdexcept>

#include "tests/support/dns_wire.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sockets.hpp"
#include "tests/support/unique_fd.hpp"

namespace vnetdiag::testing {

namespace {

using namespace std::chrono_literals;

constexpr int kStartAttempts = 3;

// "127.0.0.1:53" -> "127.0.0.1#53", "[::1]:53" -> "::1#53": dnsmasq's --server syntax.
std::string dnsmasq_server(const std::string& endpoint) {
  const auto colon = endpoint.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("forward zone server needs ip:port, got '" + endpoint + "'");
  }
  auto host = endpoint.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host + "#" + endpoint.substr(colon + 1);
}

bool answers_udp(const std::string& ip, std::uint16_t port) {
  // CHAOS version.bind is answered from dnsmasq's own data whatever zones are configured, so it
  // proves readiness without touching test data (and, unlike a TCP probe, forks no child).
  const auto query = dns_wire::make_query(0x5eed, "version.bind", dns_wire::type_txt, dns_wire::class_ch);
  return udp_exchange(ip, port, query, 50ms).has_value();
}

}  // namespace

struct Dnsmasq::Impl {
  DnsmasqConfig config;
  // Silent zones forward to this pair: a bound UDP socket nobody reads (no ICMP unreachable, so
  // dnsmasq just waits) and a TCP listener nobody accepts from.
  UniqueFd silent_udp;
  UniqueFd silent_tcp;
  std::uint16_t silent_port = 0;
  std::optional<ChildProcess> process;
};

Dnsmasq::Dnsmasq(DnsmasqConfig config, const TempDir& dir) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  auto& cfg = impl_->config;
  static std::atomic<int> instances{0};
  const int instance = ++instances;

  if (!cfg.silent_zones.empty()) {
    for (int attempt = 0; attempt < 50 && !impl_->silent_tcp; ++attempt) {
      impl_->silent_udp = bound_socket("127.0.0.1", 0, SOCK_DGRAM);
      impl_->silent_port = local_port(impl_->silent_udp.get());
      try {
        impl_->silent_tcp = bound_socket("127.0.0.1", impl_->silent_port, SOCK_STREAM);
        ::listen(impl_->silent_tcp.get(), 64);
      } catch (const std::system_error&) {
        impl_->silent_tcp.reset();
      }
    }
  }

  const bool pick_port = cfg.port == 0;
  for (int attempt = 1;; ++attempt) {
    if (pick_port) {
      cfg.port = free_port_tcp_udp(cfg.listen_ip);
    }
    const auto base = dir.path() / ("dnsmasq-" + std::to_string(instance));
    std::vector<std::string> argv{
        "dnsmasq",
        "--keep-in-foreground",
        "--conf-file=/dev/null",
        "--no-resolv",
        "--no-hosts",
        "--bind-interfaces",
        "--listen-address=" + cfg.listen_ip,
        "--port=" + std::to_string(cfg.port),
        "--user=root",
        "--pid-file=" + base.string() + ".pid",
        "--log-facility=-",
        "--log-queries",
    };
    for (const auto& [name, ip] : cfg.addresses) {
      argv.push_back("--host-record=" + name + "," + ip);
    }
    for (const auto& [alias, target] : cfg.cnames) {
      argv.push_back("--cname=" + alias + "," + target);
    }
    for (const auto& zone : cfg.local_zones) {
      argv.push_back("--local=/" + zone + "/");
    }
    for (const auto& zone : cfg.silent_zones) {
      argv.push_back("--server=/" + zone + "/127.0.0.1#" + std::to_string(impl_->silent_port));
    }
    for (const auto& [zone, server] : cfg.forward_zones) {
      argv.push_back("--server=/" + zone + "/" + dnsmasq_server(server));
    }
    if (!cfg.forward_all.empty()) argv.push_back("--server=" + dnsmasq_server(cfg.forward_all));

    impl_->process.emplace(std::move(argv), base.string() + ".log");
    try {
      wait_for_ready(*impl_->process, [&] { return answers_udp(cfg.listen_ip, cfg.port); }, 5s, "dnsmasq");
      return;
    } catch (const std::runtime_error&) {
      // free_port_tcp_udp cannot reserve the port: another test may have bound it meanwhile.
      const bool port_race = impl_->process->log_tail().find("in use") != std::string::npos;
      impl_->process.reset();
      if (!(pick_port && port_race && attempt < kStartAttempts)) {
        throw;
      }
    }
  }
}

Dnsmasq::~Dnsmasq() = default;

std::string Dnsmasq::address() const { return host_port(impl_->config.listen_ip, impl_->config.port); }

std::string Dnsmasq::ip() const { return impl_->config.listen_ip; }

std::uint16_t Dnsmasq::port() const { return impl_->config.port; }

pid_t Dnsmasq::pid() const { return impl_->process->pid(); }

std::string Dnsmasq::log_tail() const { return impl_->process->log_tail(); }

}  // namespace vnetdiag::testing
