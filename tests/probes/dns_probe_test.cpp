// DNS through real servers (Knot authoritative, dnsmasq forwarding) and an in-process responder
// for the faults no real server produces on demand.
#include <catch2/catch.hpp>

#include "tests/probes/harness.hpp"
#include "tests/support/dnsmasq.hpp"
#include "tests/support/fault_dns.hpp"
#include "tests/support/knot.hpp"

using namespace vnetdiag;
using namespace vnetdiag::testing;
using Strings = std::vector<std::string>;

namespace {

/// The private zone of a VNet with a storage account behind a private endpoint, and a key vault
/// whose record is missing from the zone.
KnotZone privatelink_zone() {
  return {"core.windows.net",
          {"sa.blob CNAME sa.privatelink.blob", "sa.privatelink.blob A 127.10.0.5",
           "kv.blob CNAME kv.privatelink.blob", "multi.blob A 127.10.0.5", "multi.blob A 127.10.0.6"}};
}

}  // namespace

TEST_CASE("a storage name is reported with its whole privatelink chain and the private address", "[dns][knot]") {
  TempDir dir;
  Knot knot({privatelink_zone()}, dir);
  auto r = probe_one(tcp_only("sa.blob.core.windows.net", 1), isolated_options({resolver(knot.address())}));
  REQUIRE(r.dns.size() == 1);
  const auto& a = r.dns[0];
  CHECK(a.status == DnsStatus::ok);
  CHECK(a.chain == Strings{"sa.blob.core.windows.net", "sa.privatelink.blob.core.windows.net"});
  REQUIRE(a.cnames.size() == 1);
  CHECK(a.cnames[0].ttl == 60);
  CHECK(ips(a) == Strings{"127.10.0.5"});
  CHECK(a.addresses[0].ttl == 60);
  CHECK(a.addresses[0].cls == AddressClass::loopback);
  CHECK(a.rcode_a == "NOERROR");
  CHECK(a.resolver == knot.address());
}

TEST_CASE("a privatelink chain that ends in NXDOMAIN still reports the chain", "[dns][knot]") {
  TempDir dir;
  Knot knot({privatelink_zone()}, dir);
  auto r = probe_one(tcp_only("kv.blob.core.windows.net", 443), isolated_options({resolver(knot.address())}));
  REQUIRE(r.dns.size() == 1);
  CHECK(r.dns[0].status == DnsStatus::nxdomain);
  CHECK(r.dns[0].rcode_a == "NXDOMAIN");
  CHECK(r.dns[0].chain == Strings{"kv.blob.core.windows.net", "kv.privatelink.blob.core.windows.net"});
  CHECK(r.dns[0].addresses.empty());
  CHECK(r.tcp.empty());  // nothing to connect to, so no TCP phase
}

TEST_CASE("the chain survives a custom DNS forwarder in front of the zone's server", "[dns][dnsmasq][knot]") {
  TempDir dir;
  Knot knot({privatelink_zone()}, dir);
  Dnsmasq forwarder({.forward_zones = {{"core.windows.net", knot.address()}}}, dir);
  auto r = probe_one(tcp_only("kv.blob.core.windows.net", 443), isolated_options({resolver(forwarder.address())}));
  CHECK(r.dns.at(0).status == DnsStatus::nxdomain);
  CHECK(r.dns.at(0).chain == Strings{"kv.blob.core.windows.net", "kv.privatelink.blob.core.windows.net"});
}

TEST_CASE("two resolvers that disagree are both reported, and the first one is the client's", "[dns][dnsmasq][knot]") {
  TempDir dir;
  Knot knot({privatelink_zone()}, dir);
  // A custom DNS server that never learnt of the private zone: it answers with the public chain.
  // The public address is only data here: the client's resolver (the first) sends us to loopback.
  Dnsmasq custom({.cnames = {{"sa.blob.core.windows.net", "sa.privatelink.blob.core.windows.net"},
                             {"sa.privatelink.blob.core.windows.net", "blob.bn9prdstr08a.store.core.windows.net"}},
                  .addresses = {{"blob.bn9prdstr08a.store.core.windows.net", "20.60.1.4"}}},
                 dir);
  auto options = isolated_options({resolver(knot.address()), resolver(custom.address())});
  auto r = probe_one(tcp_only("sa.blob.core.windows.net", 1), options);
  REQUIRE(r.dns.size() == 2);
  CHECK(ips(r.dns[0]) == Strings{"127.10.0.5"});
  CHECK(ips(r.dns[1]) == Strings{"20.60.1.4"});
  CHECK(r.dns[1].addresses[0].cls == AddressClass::public_ip);
  CHECK(r.dns[1].chain == Strings{"sa.blob.core.windows.net", "sa.privatelink.blob.core.windows.net",
                                  "blob.bn9prdstr08a.store.core.windows.net"});
  REQUIRE(r.tcp.size() == 1);
  CHECK(r.tcp[0].address == "127.10.0.5");
}

TEST_CASE("a resolver that never answers is a timeout within its DNS budget", "[dns][dnsmasq]") {
  TempDir dir;
  Dnsmasq silent({.silent_zones = {"core.windows.net"}}, dir);
  auto options = isolated_options({resolver(silent.address())});
  options.budgets.dns = std::chrono::milliseconds(900);
  auto r = probe_one(tcp_only("sa.blob.core.windows.net", 443), options);
  CHECK(r.dns.at(0).status == DnsStatus::timeout);
  CHECK(r.dns[0].ms >= 800);
  CHECK(r.dns[0].ms <= 900 + 250);
}

TEST_CASE("SERVFAIL and REFUSED are told apart", "[dns][fault]") {
  FaultDnsServer dns;
  dns.set("broken.example.test", DnsFault::servfail);
  dns.set("closed.example.test", DnsFault::refused);
  auto run = run_probes({tcp_only("broken.example.test", 443), tcp_only("closed.example.test", 443)},
                        isolated_options({resolver(dns.address())}));
  CHECK(run.targets[0].dns.at(0).status == DnsStatus::servfail);
  CHECK(run.targets[0].dns[0].rcode_a == "SERVFAIL");
  CHECK(run.targets[1].dns.at(0).status == DnsStatus::refused);
  CHECK(run.targets[1].dns[0].rcode_a == "REFUSED");
}

TEST_CASE("a truncated UDP answer is asked again over TCP, and the evidence says so", "[dns][fault]") {
  FaultDnsServer dns;
  dns.set_address("big.example.test", "127.10.0.7");
  dns.set("big.example.test", DnsFault::truncate);
  auto r = probe_one(tcp_only("big.example.test", 1), isolated_options({resolver(dns.address())}));
  CHECK(r.dns.at(0).truncated);
  CHECK(r.dns[0].retried_tcp);
  CHECK(r.dns[0].status == DnsStatus::ok);
  CHECK(ips(r.dns[0]) == Strings{"127.10.0.7"});
}

TEST_CASE("a resolver with nothing listening is reported unreachable, not as a timeout", "[dns]") {
  auto r = probe_one(tcp_only("sa.blob.core.windows.net", 443), isolated_options({resolver("127.0.0.1:9")}));
  CHECK(r.dns.at(0).status == DnsStatus::server_unreachable);
}

TEST_CASE("a malformed reply is not taken for an answer", "[dns][fault]") {
  FaultDnsServer dns;
  dns.set("garbled.example.test", DnsFault::garbage);
  auto options = isolated_options({resolver(dns.address())});
  options.budgets.dns = std::chrono::milliseconds(600);
  auto r = probe_one(tcp_only("garbled.example.test", 443), options);
  CHECK(r.dns.at(0).status != DnsStatus::ok);
  CHECK(r.dns[0].addresses.empty());
}

TEST_CASE("a name in the hosts file is a local override, connected to instead of the DNS answer", "[dns][knot]") {
  TempDir dir;
  Knot knot({privatelink_zone()}, dir);
  auto options = isolated_options({resolver(knot.address())});
  options.hosts_file = hosts_file(dir, {{"sa.blob.core.windows.net", "127.10.0.9"}});
  auto r = probe_one(tcp_only("SA.blob.core.windows.net", 1), options);
  REQUIRE(r.hosts);
  CHECK(r.hosts->file == options.hosts_file);
  CHECK(r.hosts->addresses.at(0).ip == "127.10.0.9");
  CHECK(ips(r.dns.at(0)) == Strings{"127.10.0.5"});  // DNS is still asked, for comparison
  REQUIRE(r.tcp.size() == 1);
  CHECK(r.tcp[0].address == "127.10.0.9");
}

TEST_CASE("addresses inside the VNet ranges are marked so", "[dns][knot]") {
  TempDir dir;
  Knot knot({privatelink_zone()}, dir);
  auto options = isolated_options({resolver(knot.address())});
  options.vnet = {*Cidr::parse("127.10.0.0/24")};
  auto r = probe_one(tcp_only("sa.blob.core.windows.net", 1), options);
  CHECK(r.dns.at(0).addresses.at(0).in_vnet);
}

TEST_CASE("every resolved address gets its own TCP attempt", "[tcp][knot]") {
  TempDir dir;
  Knot knot({privatelink_zone()}, dir);
  auto r = probe_one(tcp_only("multi.blob.core.windows.net", 9), isolated_options({resolver(knot.address())}));
  REQUIRE(r.tcp.size() == 2);
  Strings seen{r.tcp[0].address, r.tcp[1].address};
  std::ranges::sort(seen);
  CHECK(seen == Strings{"127.10.0.5", "127.10.0.6"});
  CHECK(r.tcp[0].status == TcpStatus::refused);
  CHECK(r.tcp[1].status == TcpStatus::refused);
}

// The AAAA record is loopback too: the engine connects to every address it is given.
TEST_CASE("an IPv6 resolver is asked over IPv6, and AAAA answers are reported beside A", "[dns][knot][ipv6]") {
  TempDir dir;
  Knot knot({{"core.windows.net", {"dual.blob A 127.10.0.5", "dual.blob AAAA ::1"}}}, dir, "::1");
  REQUIRE(knot.address().starts_with("[::1]:"));
  auto r = probe_one(tcp_only("dual.blob.core.windows.net", 9), isolated_options({resolver(knot.address())}));
  REQUIRE(r.dns.size() == 1);
  CHECK(r.dns[0].resolver == knot.address());
  CHECK(r.dns[0].status == DnsStatus::ok);
  CHECK(r.dns[0].rcode_aaaa == "NOERROR");
  auto found = ips(r.dns[0]);
  std::ranges::sort(found);
  CHECK(found == Strings{"127.10.0.5", "::1"});
}
