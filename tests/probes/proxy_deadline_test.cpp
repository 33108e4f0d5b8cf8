// Through a real CONNECT proxy (tinyproxy), and the run's global deadline over slow and black-holed hosts.
#include <catch2/catch.hpp>

#include "reports/evidence_json.hpp"
#include "tests/probes/harness.hpp"
#include "tests/support/fault_dns.hpp"
#include "tests/support/netns.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/silent_listener.hpp"
#include "tests/support/tinyproxy.hpp"

using namespace vnetdiag;
using namespace vnetdiag::testing;
using namespace std::chrono_literals;

namespace {

struct ProxyWorld {
  TempDir dir;
  Pki pki{dir, "vnetdiag Test Root CA"};
  std::unique_ptr<Nginx> nginx;
  EngineOptions options;

  ProxyWorld() {
    nginx = std::make_unique<Nginx>(
        std::vector<NginxSite>{{.tls = true, .cert = pki.leaf({.dns_names = {"localhost"}, .ip_addresses = {"127.0.0.1"}})}},
        dir);
    options = isolated_options();
    options.ca_file = pki.ca_file().string();
  }
  void use(const Tinyproxy& proxy, std::string user = {}, std::string password = {}) {
    auto url = *ProxyUrl::parse(proxy.url(), nullptr);
    url.user = std::move(user);
    url.password = std::move(password);
    options.proxy.https_proxy = options.proxy.http_proxy = url;
  }
};

}  // namespace

TEST_CASE("through a proxy, CONNECT succeeds and TLS and HTTP run inside the tunnel", "[proxy][tinyproxy]") {
  ProxyWorld w;
  Tinyproxy proxy({}, w.dir);
  w.use(proxy);
  auto r = probe_one(https("localhost", w.nginx->port(0)), w.options);
  CHECK(r.route == Route::proxy);
  REQUIRE(r.proxy);
  CHECK(r.proxy->status == ProxyStatus::tunnel);
  CHECK(r.proxy->http_status == 200);
  CHECK(r.proxy->tcp.status == TcpStatus::connected);
  CHECK(r.tcp.empty());  // the client never connects to the origin itself
  CHECK(r.tls->status == TlsStatus::ok);
  CHECK(r.http->code == 200);
  CHECK(healthy(r));
}

TEST_CASE("a proxy refusing the port answers 403, reported as the proxy's own phase", "[proxy][tinyproxy]") {
  ProxyWorld w;
  Tinyproxy proxy({.connect_ports = {443}}, w.dir);
  w.use(proxy);
  auto r = probe_one(https("localhost", w.nginx->port(0)), w.options);
  CHECK(r.proxy->status == ProxyStatus::denied);
  CHECK(r.proxy->http_status == 403);
  CHECK_FALSE(r.tls);
}

TEST_CASE("a proxy that wants credentials answers 407, and the password never appears in the evidence", "[proxy][tinyproxy]") {
  ProxyWorld w;
  Tinyproxy proxy({.basic_auth = std::pair<std::string, std::string>{"alice", "s3cret-pw"}}, w.dir);
  SECTION("without credentials: 407") {
    w.use(proxy);
    auto r = probe_one(https("localhost", w.nginx->port(0)), w.options);
    CHECK(r.proxy->status == ProxyStatus::auth_required);
    CHECK(r.proxy->http_status == 407);
  }
  SECTION("with wrong credentials: rejected, and the password is masked") {
    w.use(proxy, "alice", "wrong-pw");
    auto r = probe_one(https("localhost", w.nginx->port(0)), w.options);
    CHECK(r.proxy->status == ProxyStatus::auth_required);
    CHECK(r.proxy->http_status == 401);  // tinyproxy's answer to rejected credentials
    CHECK(r.proxy->proxy.find("wrong-pw") == std::string::npos);
    CHECK(to_json(r).dump().find("wrong-pw") == std::string::npos);
  }
  SECTION("with the right credentials: a tunnel") {
    w.use(proxy, "alice", "s3cret-pw");
    auto r = probe_one(https("localhost", w.nginx->port(0)), w.options);
    CHECK(r.proxy->status == ProxyStatus::tunnel);
    CHECK(r.proxy->proxy == "http://***@127.0.0.1:" + std::to_string(proxy.port()));
    CHECK(to_json(r).dump().find("s3cret-pw") == std::string::npos);
  }
}

TEST_CASE("NO_PROXY sends a host direct", "[proxy][tinyproxy]") {
  ProxyWorld w;
  Tinyproxy proxy({}, w.dir);
  w.use(proxy);
  w.options.proxy.no_proxy = parse_no_proxy("example.test, .localhost,127.0.0.0/8");
  auto r = probe_one(https("127.0.0.1", w.nginx->port(0)), w.options);
  CHECK(r.route == Route::direct);
  CHECK_FALSE(r.proxy);
  CHECK(r.tcp.at(0).status == TcpStatus::connected);
  CHECK(r.tls->status == TlsStatus::ok);
}

TEST_CASE("a proxy that is down is a failed connect to the proxy, not to the origin", "[proxy]") {
  ProxyWorld w;
  w.options.proxy.https_proxy = *ProxyUrl::parse("http://127.0.0.1:9", nullptr);
  auto r = probe_one(https("localhost", w.nginx->port(0)), w.options);
  CHECK(r.proxy->status == ProxyStatus::connect_failed);
  CHECK(r.proxy->tcp.status == TcpStatus::refused);
}

TEST_CASE("the global deadline ends a run of slow and black-holed hosts on time, marking what was cut",
          "[deadline][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  BlackholeNetns hole(3);
  FaultDnsServer dns;
  dns.set_address("slow-dns.test", "127.0.0.1");
  dns.set_delay("slow-dns.test", 10s);
  SilentListener silent;
  TempDir dir;

  auto options = isolated_options({resolver(dns.address())});
  options.budgets = {.dns = 8s, .connect = 8s, .proxy = 8s, .tls = 8s, .http = 8s, .deadline = 1500ms};
  options.hosts_file = hosts_file(dir, {{"silent.test", "127.0.0.1"}});
  std::vector<ProbeTarget> targets{tcp_only(hole.addresses()[0], 443), tcp_only(hole.addresses()[1], 445),
                                   https("slow-dns.test", 443), https("silent.test", silent.port()),
                                   tcp_only(hole.addresses()[2], 18881)};
  const auto started = std::chrono::steady_clock::now();
  auto run = run_probes(targets, options);
  const auto took = std::chrono::steady_clock::now() - started;

  CHECK(took < 1500ms + 1s);
  CHECK(run.deadline_hit);
  CHECK_FALSE(run.interrupted);
  for (const auto& t : run.targets) {
    INFO(t.host << ":" << t.port);
    CHECK(t.deadline);
  }
  CHECK(run.targets[0].tcp.at(0).status == TcpStatus::deadline);
  CHECK(run.targets[2].dns.at(0).status == DnsStatus::deadline);
  CHECK(run.targets[3].tls->status == TlsStatus::deadline);
}

TEST_CASE("targets that never started before the deadline are reported, not dropped", "[deadline][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  BlackholeNetns hole(4);
  auto options = isolated_options();
  options.concurrency = 2;
  options.budgets.connect = 5s;
  options.budgets.deadline = 600ms;
  std::vector<ProbeTarget> targets;
  for (const auto& ip : hole.addresses()) targets.push_back(tcp_only(ip, 443));
  auto run = run_probes(targets, options);
  REQUIRE(run.targets.size() == 4);
  CHECK(run.concurrency == 2);
  for (const auto& t : run.targets) {
    INFO(t.host);
    CHECK(t.host == targets[static_cast<std::size_t>(&t - run.targets.data())].host);
    CHECK(t.deadline);
  }
}
