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

/// The notes' texts, one per line, for failure messages.
std::string all_notes(const ResolverDiscovery& d) {
  std::string out;
  for (const auto& n : d.notes) out += std::string(to_string(n.level)) + ": " + n.text + "\n";
  return out;
}

bool has_note(const ResolverDiscovery& d, NoteLevel level, const std::string& needle) {
  return std::ranges::any_of(d.notes, [&](const EnvironmentNote& n) { return n.level == level && contains(n.text, needle); });
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
  CHECK(has_note(d, NoteLevel::info, "clients send every query there"));
  CHECK(d.search == std::vector<std::string>{"xyz123abc.bx.internal.cloudapp.net"});
  CHECK(d.options == std::vector<std::string>{"edns0", "trust-ad"});
  CHECK_FALSE(d.azure_dns_in_use);
  CHECK(std::ranges::none_of(d.notes, [](const EnvironmentNote& n) { return n.level == NoteLevel::warning; }));
}

TEST_CASE("a systemd-resolved stub forwarding to Azure DNS means clients use Azure DNS and it is not asked twice",
          "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-stub.conf", "resolved-azure.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"168.63.129.16:53 systemd-resolved upstream"});
  CHECK(d.azure_dns_in_use);
  CHECK(has_note(d, NoteLevel::info, "clients use Azure DNS 168.63.129.16:53"));
}

TEST_CASE("a systemd-resolved stub whose upstream list cannot be read is asked itself, with a warning", "[resolvers]") {
  SECTION("missing upstream file") {
    const auto d = discover_resolvers(paths("resolv-stub.conf", "no-such-resolved.conf"), "");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.53:53 resolv.conf"});
    CHECK(d.stub == "127.0.0.53");
    CHECK(has_note(d, NoteLevel::warning, "gives no upstream server: vnetdiag asks the stub"));
  }
  SECTION("upstream file without a usable address") {
    const auto d = discover_resolvers(paths("resolv-stub.conf", "resolved-broken.conf"), "");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.53:53 resolv.conf"});
    CHECK(has_note(d, NoteLevel::warning, "resolved-broken.conf line 2: nameserver is not an IP address"));
  }
}

TEST_CASE("custom DNS servers are asked as listed, with Azure DNS beside them for comparison", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-custom.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"10.1.0.4:53 resolv.conf", "10.1.0.5:53 resolv.conf",
                                                  "168.63.129.16:53 azure-dns (compare)"});
  CHECK(d.stub.empty());
  CHECK(has_note(d, NoteLevel::info, "clients ask 10.1.0.4:53, 10.1.0.5:53, not Azure DNS 168.63.129.16:53"));
  CHECK(has_note(d, NoteLevel::info, "search domains corp.contoso.com"));
}

TEST_CASE("only the first three nameservers count, as in glibc, and comments and names are skipped with a warning",
          "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-many.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"10.1.0.4:53 resolv.conf", "10.1.0.5:53 resolv.conf",
                                                  "168.63.129.16:53 resolv.conf"});
  CHECK(d.azure_dns_in_use);
  CHECK(has_note(d, NoteLevel::warning, "nameserver 10.1.0.6 is ignored (only the first three are used)"));
  CHECK(has_note(d, NoteLevel::warning, "nameserver 'dns3.corp.contoso.com' is not an IP address"));
  CHECK_FALSE(contains(all_notes(d), "10.9.9.9"));
}

TEST_CASE("IPv6 nameservers are kept in order and a link-local one with a scope is flagged", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-ipv6.conf"), "");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"[fe80::1]:53 resolv.conf", "[fd00:53::1]:53 resolv.conf",
                                                  "10.1.0.4:53 resolv.conf"});
  CHECK(has_note(d, NoteLevel::warning, "nameserver fe80::1 is an IPv6 link-local address"));
  CHECK_FALSE(has_note(d, NoteLevel::warning, "fd00:53::1"));
}

TEST_CASE("resolv.conf options that change lookups are explained: ndots with search domains, rotate, use-vc",
          "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-options.conf"), "168.63.129.16");
  INFO(all_notes(d));
  CHECK(d.options == std::vector<std::string>{"ndots:5", "rotate", "timeout:1", "attempts:2", "use-vc"});
  CHECK(d.search.size() == 4);
  CHECK(has_note(d, NoteLevel::warning,
                 "ndots:5 with search domains: a name with fewer than 5 dots such as contoso.blob.core.windows.net is "
                 "first asked as contoso.blob.core.windows.net.default.svc.cluster.local"));
  CHECK(has_note(d, NoteLevel::warning, "option rotate: glibc spreads queries over all servers"));
  CHECK(has_note(d, NoteLevel::warning, "option use-vc: every query goes over TCP"));
  CHECK(has_note(d, NoteLevel::info, "option timeout:1: seconds glibc waits"));
  CHECK(has_note(d, NoteLevel::info, "option attempts:2"));
}

TEST_CASE("with no usable nameserver, glibc's fallback to 127.0.0.1 is what clients use", "[resolvers]") {
  SECTION("everything commented out") {
    const auto d = discover_resolvers(paths("resolv-empty.conf"), "");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.1:53 glibc default"});
    CHECK(has_note(d, NoteLevel::warning, "no nameserver in"));
  }
  SECTION("no resolv.conf at all") {
    const auto d = discover_resolvers(paths("no-such-resolv.conf"), "168.63.129.16");
    INFO(all_notes(d));
    CHECK(addresses(d) == std::vector<std::string>{"127.0.0.1:53 glibc default", "168.63.129.16:53 azure-dns (compare)"});
    CHECK(has_note(d, NoteLevel::warning, "cannot read " + fixture_path("no-such-resolv.conf")));
  }
}

TEST_CASE("a container's Docker embedded DNS is recognised as a forwarder vnetdiag cannot see past", "[resolvers]") {
  const auto d = discover_resolvers(paths("resolv-docker.conf"), "");
  INFO(all_notes(d));
  CHECK(addresses(d) == std::vector<std::string>{"127.0.0.11:53 resolv.conf"});
  CHECK(has_note(d, NoteLevel::info, "nameserver 127.0.0.11 is Docker's embedded DNS server"));
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
  SECTION("not an address: a warning, not a resolver") {
    const auto d = discover_resolvers(paths("resolv-custom.conf"), "azure-dns.example");
    CHECK(addresses(d).size() == 2);
    CHECK(has_note(d, NoteLevel::warning, "the Azure DNS address 'azure-dns.example' is not IP or IP:PORT"));
  }
}

TEST_CASE("the ndots warning names a planned host that is really affected by the value in use", "[resolvers]") {
  const vnetdiag::testing::TempDir dir;
  DiscoveryPaths p;
  p.resolv_conf = dir.write("resolv.conf", "nameserver 10.1.0.4\nsearch corp.contoso.com\noptions ndots:3\n").string();
  p.resolved_conf = "";
  const auto d = discover_resolvers(p, "");
  INFO(all_notes(d));
  CHECK(has_note(d, NoteLevel::warning, "such as management.azure.com is first asked as management.azure.com.corp.contoso.com"));

  p.resolv_conf = dir.write("resolv-no-search.conf", "nameserver 10.1.0.4\noptions ndots:5\n").string();
  CHECK_FALSE(has_note(discover_resolvers(p, ""), NoteLevel::warning, "ndots"));  // no search list: nothing is appended
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
