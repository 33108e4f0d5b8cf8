// The pure parts of the probes: parsing, classification, proxy rules, budget arithmetic.
#include <catch2/catch.hpp>

#include "probes/dns/dns_message.hpp"
#include "probes/dns/dns_probe.hpp"
#include "probes/dns/system_files.hpp"
#include "probes/engine.hpp"
#include "probes/net/address.hpp"
#include "probes/proxy/proxy_config.hpp"
#include "probes/proxy/proxy_connect.hpp"

#include <map>

using namespace vnetdiag;
using Strings = std::vector<std::string>;

namespace {
AddressClass class_of(const char* ip) { return classify(*IpAddress::parse(ip)); }
}  // namespace

TEST_CASE("addresses are classified as a VNet admin reads them", "[address]") {
  CHECK(class_of("127.0.0.53") == AddressClass::loopback);
  CHECK(class_of("::1") == AddressClass::loopback);
  CHECK(class_of("10.1.2.3") == AddressClass::private_ip);
  CHECK(class_of("172.16.0.1") == AddressClass::private_ip);
  CHECK(class_of("172.31.255.255") == AddressClass::private_ip);
  CHECK(class_of("172.32.0.1") == AddressClass::public_ip);
  CHECK(class_of("192.168.10.4") == AddressClass::private_ip);
  CHECK(class_of("fd12:3456::1") == AddressClass::private_ip);
  CHECK(class_of("100.64.0.1") == AddressClass::shared);
  CHECK(class_of("100.127.255.254") == AddressClass::shared);
  CHECK(class_of("100.128.0.1") == AddressClass::public_ip);
  CHECK(class_of("169.254.169.254") == AddressClass::link_local);
  CHECK(class_of("fe80::1") == AddressClass::link_local);
  CHECK(class_of("20.60.1.4") == AddressClass::public_ip);
  CHECK(class_of("2603:1030::5") == AddressClass::public_ip);
  CHECK(class_of("::ffff:10.0.0.4") == AddressClass::private_ip);
  CHECK(class_of("224.0.0.1") == AddressClass::other);
}

TEST_CASE("an address inside a VNet range is marked in_vnet", "[address]") {
  const std::vector<Cidr> vnet{*Cidr::parse("10.10.0.0/16"), *Cidr::parse("fd00:aa::/32")};
  CHECK(classify("10.10.3.4", 10, vnet).in_vnet);
  CHECK_FALSE(classify("10.11.3.4", 10, vnet).in_vnet);
  CHECK(classify("fd00:aa::5", 10, vnet).in_vnet);
  CHECK(classify("10.10.3.4", 10, vnet).ttl == 10);
}

TEST_CASE("CIDRs, endpoints and HOST:PORT parse strictly", "[address]") {
  CHECK(Cidr::parse("10.0.0.0/8")->prefix == 8);
  CHECK(Cidr::parse("10.0.0.4")->prefix == 32);
  CHECK_FALSE(Cidr::parse("10.0.0.0/33"));
  CHECK_FALSE(Cidr::parse("10.0.0.0/"));
  CHECK_FALSE(Cidr::parse("banana/8"));
  CHECK(Cidr::parse("172.17.0.0/16")->overlaps(*Cidr::parse("172.16.0.0/12")));
  CHECK_FALSE(Cidr::parse("172.17.0.0/16")->overlaps(*Cidr::parse("10.0.0.0/8")));

  CHECK(Endpoint::parse("10.0.0.4", 53)->to_string() == "10.0.0.4:53");
  CHECK(Endpoint::parse("10.0.0.4:5353", 53)->port == 5353);
  CHECK(Endpoint::parse("[fd00::a]:53", 53)->to_string() == "[fd00::a]:53");
  CHECK(Endpoint::parse("fd00::a", 53)->to_string() == "[fd00::a]:53");
  CHECK_FALSE(Endpoint::parse("10.0.0.4:0", 53));
  CHECK_FALSE(Endpoint::parse("dns.example:53", 53));
  CHECK_FALSE(Endpoint::parse("[fd00::a", 53));

  CHECK(parse_host_port("sa.blob.core.windows.net", 443)->port == 443);
  CHECK(parse_host_port("sa.blob.core.windows.net:445", 443)->port == 445);
  CHECK(parse_host_port("[::1]:8443", 443)->host == "::1");
  CHECK(parse_host_port("10.0.0.4:18881", 443)->host == "10.0.0.4");
  CHECK_FALSE(parse_host_port("a;rm -rf /", 443));
  CHECK_FALSE(parse_host_port("host\nname", 443));
  CHECK_FALSE(parse_host_port("host:99999", 443));
  CHECK_FALSE(parse_host_port("", 443));
  CHECK_FALSE(parse_host_port(std::string(300, 'a'), 443));
}

TEST_CASE("proxy URLs parse as curl reads them, and print with the password masked", "[proxy]") {
  std::string why;
  auto p = ProxyUrl::parse("http://svc%40corp:p%40ss@proxy.corp:3128", &why);
  REQUIRE(p);
  CHECK(p->host == "proxy.corp");
  CHECK(p->port == 3128);
  CHECK(p->user == "svc@corp");
  CHECK(p->password == "p@ss");
  CHECK(p->masked() == "http://***@proxy.corp:3128");
  CHECK(p->basic_authorization() == "Basic c3ZjQGNvcnA6cEBzcw==");
  CHECK(ProxyUrl::parse("proxy.corp", &why)->port == 1080);  // curl's default
  CHECK(ProxyUrl::parse("http://[fd00::1]:8080/", &why)->masked() == "http://[fd00::1]:8080");
  CHECK_FALSE(ProxyUrl::parse("http://[proxy.corp:1]:3128", &why));  // brackets hold an IPv6 address only
  CHECK(why == "the [bracketed] proxy host is not an IPv6 address");
  CHECK_FALSE(ProxyUrl::parse("http://[10.0.0.9]:3128", &why));
  CHECK_FALSE(ProxyUrl::parse("socks5://proxy:1080", &why));
  CHECK(why.find("socks5") != std::string::npos);
  CHECK_FALSE(ProxyUrl::parse("http://user:pa/ss@proxy:3128", &why));  // an unencoded '/' ends the authority
  CHECK(why.find("pa") == std::string::npos);  // and the message does not quote the password's pieces
}

TEST_CASE("NO_PROXY follows curl: suffixes, leading dots, IPs and CIDRs, and *", "[proxy]") {
  const auto list = parse_no_proxy("localhost, .corp.example,blob.core.windows.net 10.0.0.0/8,192.168.1.5");
  CHECK(list == Strings{"localhost", ".corp.example", "blob.core.windows.net", "10.0.0.0/8", "192.168.1.5"});
  CHECK(bypasses_proxy("localhost", list));
  CHECK(bypasses_proxy("corp.example", list));
  CHECK(bypasses_proxy("git.corp.example", list));
  CHECK(bypasses_proxy("sa.blob.core.windows.net", list));
  CHECK(bypasses_proxy("SA.BLOB.core.windows.net.", list));
  CHECK_FALSE(bypasses_proxy("evilblob.core.windows.net", list));
  CHECK_FALSE(bypasses_proxy("vault.azure.net", list));
  CHECK(bypasses_proxy("10.2.3.4", list));
  CHECK(bypasses_proxy("192.168.1.5", list));
  CHECK_FALSE(bypasses_proxy("192.168.1.6", list));
  CHECK(bypasses_proxy("anything", parse_no_proxy("*")));
}

namespace {
std::map<std::string, std::string> fake_env;  // EnvLookup is a plain function pointer
std::optional<std::string> lookup(const char* name) {
  if (auto it = fake_env.find(name); it != fake_env.end()) return it->second;
  return std::nullopt;
}
}  // namespace

TEST_CASE("proxy variables: lowercase wins, uppercase HTTP_PROXY is ignored as curl does", "[proxy]") {
  auto& env = fake_env;
  env = {{"HTTPS_PROXY", "http://upper:1"}, {"https_proxy", "http://lower:2"}, {"HTTP_PROXY", "http://ignored:3"},
         {"NO_PROXY", ".internal"}};
  std::vector<std::string> errors;
  auto s = proxy_settings_from_env(lookup, &errors);
  CHECK(errors.empty());
  CHECK(s.https_proxy->host == "lower");
  CHECK_FALSE(s.http_proxy);
  CHECK(s.no_proxy == Strings{".internal"});
  CHECK(choose_proxy(s, "vault.azure.net", true)->host == "lower");
  CHECK_FALSE(choose_proxy(s, "git.internal", true));
  CHECK_FALSE(choose_proxy(s, "vault.azure.net", false));

  env = {{"https_proxy", "ftp://x"}};
  errors.clear();
  s = proxy_settings_from_env(lookup, &errors);
  CHECK_FALSE(s.https_proxy);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].starts_with("https_proxy:"));
}

TEST_CASE("a proxy's CONNECT status becomes the phase's outcome", "[proxy]") {
  CHECK(proxy::classify_connect_status(200) == ProxyStatus::tunnel);
  CHECK(proxy::classify_connect_status(403) == ProxyStatus::denied);
  CHECK(proxy::classify_connect_status(407) == ProxyStatus::auth_required);
  CHECK(proxy::classify_connect_status(401) == ProxyStatus::auth_required);
  CHECK(proxy::classify_connect_status(502) == ProxyStatus::bad_gateway);
  CHECK(proxy::classify_connect_status(504) == ProxyStatus::gateway_timeout);
  CHECK(proxy::classify_connect_status(500) == ProxyStatus::other_status);
}

TEST_CASE("resolv.conf is read as glibc reads it", "[resolv.conf]") {
  auto conf = dns::parse_resolv_conf(
      "# generated\n"
      "nameserver 10.0.0.4\n"
      "nameserver fe80::1%eth0   ; link-local with a scope\n"
      "nameserver 168.63.129.16\n"
      "nameserver 10.0.0.5\n"
      "nameserver not-an-ip\n"
      "search corp.example reddog.microsoft.com\n"
      "options ndots:5 timeout:2 rotate\n");
  REQUIRE(conf.nameservers.size() == 3);
  CHECK(conf.nameservers[0].to_string() == "10.0.0.4:53");
  CHECK(conf.nameservers[1].address.to_string() == "fe80::1");
  CHECK(conf.nameservers[2].to_string() == "168.63.129.16:53");
  CHECK(conf.search == Strings{"corp.example", "reddog.microsoft.com"});
  CHECK(conf.options == Strings{"ndots:5", "timeout:2", "rotate"});
  REQUIRE(conf.warnings.size() == 2);
  CHECK(conf.warnings[0].find("10.0.0.5") != std::string::npos);
  CHECK(conf.warnings[1].find("not-an-ip") != std::string::npos);
  CHECK_FALSE(conf.systemd_stub());
  CHECK(dns::parse_resolv_conf("nameserver 127.0.0.53\noptions edns0 trust-ad\n").systemd_stub());
}

TEST_CASE("the hosts file overrides names case-insensitively, first entries first", "[hosts]") {
  auto entries = dns::parse_hosts("127.0.0.1 localhost\n10.1.0.5 sa.blob.core.windows.net sa # private endpoint\n"
                                  "garbage line\n10.1.0.6 SA.blob.core.windows.net\n");
  CHECK(dns::lookup_hosts(entries, "sa.blob.core.windows.net") == Strings{"10.1.0.5", "10.1.0.6"});
  CHECK(dns::lookup_hosts(entries, "Sa.Blob.Core.Windows.Net.") == Strings{"10.1.0.5", "10.1.0.6"});
  CHECK(dns::lookup_hosts(entries, "kv.vault.azure.net").empty());
}

TEST_CASE("a CNAME chain is followed from the question name, in any record order, and loops end", "[dns]") {
  std::vector<CnameHop> hops{{"b.example", "c.example", 1}, {"a.example", "b.example", 1}};
  CHECK(dns::follow_cnames("a.example.", hops) == Strings{"a.example", "b.example", "c.example"});
  std::vector<CnameHop> loop{{"a.example", "b.example", 1}, {"b.example", "a.example", 1}};
  CHECK(dns::follow_cnames("a.example", loop).size() == 3);
}

TEST_CASE("a reply too short or cut inside a record is not read as an answer", "[dns]") {
  const std::vector<unsigned char> short_reply{0x12, 0x34, 0x81};
  CHECK_FALSE(dns::parse_answer(short_reply));
  // header: 1 question, 1 answer, but the message ends after the question
  std::vector<unsigned char> cut{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};
  CHECK_FALSE(dns::parse_answer(cut));
}

TEST_CASE("c-ares tries fit the DNS budget: first try × (2^tries − 1) ≤ budget", "[dns]") {
  using std::chrono::milliseconds;
  CHECK(dns::first_try_timeout(milliseconds(3000), 2) == milliseconds(1000));
  CHECK(dns::first_try_timeout(milliseconds(900), 2) * 3 <= milliseconds(900));
  CHECK(dns::first_try_timeout(milliseconds(7000), 3) * 7 <= milliseconds(7000));
  CHECK(dns::first_try_timeout(milliseconds(1), 2) == milliseconds(1));
}

TEST_CASE("A and AAAA outcomes combine into the name's outcome", "[dns]") {
  CHECK(dns::combine(DnsStatus::ok, DnsStatus::no_data, true) == DnsStatus::ok);
  CHECK(dns::combine(DnsStatus::nxdomain, DnsStatus::nxdomain, false) == DnsStatus::nxdomain);
  CHECK(dns::combine(DnsStatus::no_data, DnsStatus::no_data, false) == DnsStatus::no_data);
  CHECK(dns::combine(DnsStatus::no_data, DnsStatus::timeout, false) == DnsStatus::timeout);
  CHECK(dns::combine(DnsStatus::servfail, DnsStatus::no_data, false) == DnsStatus::servfail);
  CHECK(dns::combine(DnsStatus::deadline, DnsStatus::ok, false) == DnsStatus::deadline);
}

TEST_CASE("concurrency is lowered so every socket fits the open-file limit", "[engine]") {
  CHECK(fit_concurrency(128, 50, 1 << 20) == 50);
  CHECK(fit_concurrency(128, 10000, 1 << 20) == 128);
  CHECK(fit_concurrency(1000, 10000, 1024) == (1024 - 64) / 8);
  CHECK(fit_concurrency(1000, 10000, 10) == 1);
  CHECK(fit_concurrency(5, 0, 1024) == 1);
}
