// resolv.conf variants, read as glibc and systemd-resolved read them, into the engine's resolver list.

#include <catch2/catch.hpp>

#include <algorithm>

#include "agent/discovery/resolvers.hpp"
#include "tests/discovery/support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace vnetdiag;
using vnetdiag::test::contains;
using vnetdiag::test::fixture_path;

namespace {

DiscoveryPaths paths(const std::string& resolv, const std::string& resolved = "resolved-custom.conf") {
  DiscoveryPaths p;
  p.resolv_conf = fixture_path(resolv);
  p.resolved_conf = fixture_path(resolved);
  p.hosts_file = "";
  return p;
}

std::vector<std::string> addresses(const ResolverDiscovery& d) {
  std::vector<std::string> out;
  for (const auto& r : d.resolvers) out.push_back(r.endpoint.to_string() + " " + r.source + (r.used_by_clients ? "" : " (compare)"));
  return out;
}

/// The notes and the unusable settings, one per line, for failure messages.
std::string all_notes(const ResolverDiscovery& d) {
  std::string out;
  for (const auto& n : d.notes) out += "note: " + n.text + "\n";
  for (const auto& u : d.unusable) out += "unusable: " + u.source + ": " + u.problem + "\n";
  return out;
}

bool has_note(const ResolverDiscovery& d, const std::string& needle) {
  return std::ranges::any_of(d.notes, [&](const EnvironmentNote& n) { return contains(n.text, needle); });
}

/// `source` ends with `file` and its problem says `needle`.
bool unusable(const ResolverDiscovery& d, const std::string& file, const std::string& needle) {
  return std::ranges::any_of(d.unusable, [&](const UnusableSetting& u) {
    return u.source.ends_with(file) && contains(u.problem, needle);
  });
}

}  // namespace

TEST_CASE("a resolv.conf pointing at systemd-resolved's stub is read through to its upstream servers", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-stub.conf"), "168.63.129.16");
  INFO(all_notes(d));
  // systemd-resolved uses every server it lists, also past glibc's three.
  CHECK(addresses(d) == std::vector<std::string>{
                            "10.20.0.4:53 systemd-resolved upstream", "10.20.0.5:53 systemd-resolved upstream",
                            "[fd00:20::53]:53 systemd-resolved upstream", "10.20.0.6:53 systemd-resolved upstream",
                            "168.63.129.16:53 azure-dns (compare)"});
  CHECK(d.stub == "127.0.0.53");
  CHECK(has_note(d, "clients send every query there"));
  CHECK(d.search == std::vector<std::string>{"xyz123abc.bx.internal.cloudapp.net"});
  CHECK(d.options == std::vector<std::string>{"edns0", "trust-ad"});
  CHECK_FALSE(d.azure_dns_in_use);
  CHECK(d.unusable.empty());
}

TEST_CASE("a systemd-resolved stub forwarding to Azure DNS means clients use Azure DNS and it is not asked twice",
          "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-stub.conf", "resolved-azure.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"168.63.129.16:53 systemd-resolved upstream"});
  CHECK(d.azure_dns_in_use);
  CHECK(has_note(d, "clients use Azure DNS 168.63.129.16:53"));
}

TEST_CASE("a systemd-resolved stub whose upstream list cannot be read is asked itself, and says so", "[resolvers]") {
  SECTION("missing upstream file") {
    const auto d = discover_resolvers(paths("resolv-stub.conf", "no-such-resolved.conf"), "");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.53:53 resolv.conf"});
    CHECK(d.stub == "127.0.0.53");
    CHECK(has_note(d, "gives no upstream server: vnetdiag asks the stub"));
  }
  SECTION("upstream file without a usable address") {
    const auto d = discover_resolvers(paths("resolv-stub.conf", "resolved-broken.conf"), "");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.53:53 resolv.conf"});
    CHECK(unusable(d, "resolved-broken.conf", "line 2: nameserver is not an IP address"));
  }
}

TEST_CASE("custom DNS servers are asked as listed, with Azure DNS beside them for comparison", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-custom.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"10.1.0.4:53 resolv.conf", "10.1.0.5:53 resolv.conf",
                                                  "168.63.129.16:53 azure-dns (compare)"});
  CHECK(d.stub.empty());
  CHECK(has_note(d, "clients ask 10.1.0.4:53, 10.1.0.5:53, not Azure DNS 168.63.129.16:53"));
  CHECK(d.search == std::vector<std::string>{"corp.contoso.com"});
}

TEST_CASE("only the first three nameservers count, as in glibc, and ignored lines are listed as unusable",
          "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-many.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"10.1.0.4:53 resolv.conf", "10.1.0.5:53 resolv.conf",
                                                  "168.63.129.16:53 resolv.conf"});
  CHECK(d.azure_dns_in_use);
  CHECK(unusable(d, "resolv-many.conf", "nameserver 10.1.0.6 is ignored (only the first three are used)"));
  CHECK(unusable(d, "resolv-many.conf", "nameserver 'dns3.corp.contoso.com' is not an IP address"));
  CHECK_FALSE(contains(all_notes(d), "10.9.9.9"));
}

TEST_CASE("IPv6 nameservers are kept in order and a link-local one with a scope is flagged", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-ipv6.conf"), "");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"[fe80::1]:53 resolv.conf", "[fd00:53::1]:53 resolv.conf",
                                                  "10.1.0.4:53 resolv.conf"});
  CHECK(has_note(d, "nameserver fe80::1 is an IPv6 link-local address"));
  CHECK_FALSE(has_note(d, "fd00:53::1"));
}

TEST_CASE("resolv.conf options and search domains are kept as written, for the rules to judge", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-options.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(d.options == std::vector<std::string>{"ndots:5", "rotate", "timeout:1", "attempts:2", "use-vc"});
  CHECK(d.search.size() == 4);
  CHECK(d.unusable.empty());
}

TEST_CASE("with no usable nameserver, glibc's fallback to 127.0.0.1 is what clients use", "[resolvers]") {
  SECTION("everything commented out") {
    const auto d = discover_resolvers(paths("resolv-empty.conf"), "");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.1:53 glibc default"});
    CHECK(has_note(d, "no nameserver in"));
  }
  SECTION("no resolv.conf at all") {
    const auto d = discover_resolvers(paths("no-such-resolv.conf"), "168.63.129.16");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.1:53 glibc default", "168.63.129.16:53 azure-dns (compare)"});
    CHECK(unusable(d, "no-such-resolv.conf", "cannot be read"));
  }
}

TEST_CASE("a container's Docker embedded DNS is recognised as a forwarder vnetdiag cannot see past", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-docker.conf"), "");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"127.0.0.11:53 resolv.conf"});
  CHECK(has_note(d, "nameserver 127.0.0.11 is Docker's embedded DNS server"));
}

TEST_CASE("the Azure DNS address is a parameter: another address, none, or an unusable one", "[resolvers]") {
  SECTION("a loopback stand-in with its own port") {
    const auto d = discover_resolvers(paths("resolv-custom.conf"), "127.0.0.1:5353");
    CHECK(addresses(d).back() == "127.0.0.1:5353 azure-dns (compare)");
  }
  SECTION("empty: not asked") {
    const auto d = discover_resolvers(paths("resolv-custom.conf"), "");
    CHECK(addresses(d).size() == 2);
    CHECK_FALSE(d.azure_dns_in_use);
  }
  SECTION("not an address: an unusable setting, not a resolver") {
    const auto d = discover_resolvers(paths("resolv-custom.conf"), "azure-dns.example");
    CHECK(addresses(d).size() == 2);
    CHECK(unusable(d, "the Azure DNS address setting", "'azure-dns.example' is not IP or IP:PORT"));
  }
}

TEST_CASE("custom DNS is every client resolver that is neither Azure DNS nor on this machine", "[resolvers]") {
  CHECK(custom_dns(discover_resolvers(paths("resolv-custom.conf"), "168.63.129.16")) ==
        std::vector<std::string>{"10.1.0.4:53", "10.1.0.5:53"});
  CHECK(custom_dns(discover_resolvers(paths("resolv-many.conf"), "168.63.129.16")) ==
        std::vector<std::string>{"10.1.0.4:53", "10.1.0.5:53"});
  CHECK(custom_dns(discover_resolvers(paths("resolv-stub.conf", "resolved-azure.conf"), "168.63.129.16")).empty());
  CHECK(custom_dns(discover_resolvers(paths("resolv-docker.conf"), "168.63.129.16")).empty());
  const auto d = discover_resolvers(paths("resolv-custom.conf"), "168.63.129.16");
  CHECK(d.azure_dns == "168.63.129.16:53");
}
