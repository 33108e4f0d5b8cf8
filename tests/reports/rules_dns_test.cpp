// DNS rules: each fires on the evidence of its failure mode and stays silent on its healthy twin.
#include <catch2/catch.hpp>

#include "builders.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;
using Codes = std::vector<std::string>;

namespace {

const std::string kBlobZone = "privatelink.blob.core.windows.net";
const std::string kVaultZone = "privatelink.vaultcore.azure.net";

TargetBuilder storage(std::string account = "sa") {
  return std::move(target(account + ".blob.core.windows.net")
                       .id("storage.blob").service("Storage account (blob)").category("storageAccount")
                       .expect_private(kBlobZone).reachable({401}));
}

TargetBuilder vault() {
  return std::move(target("kv.vault.azure.net").id("keyvault").category("keyVault").expect_private(kVaultZone).reachable({401}));
}

}  // namespace

TEST_CASE("a healthy private endpoint target gives no finding", "[rules][dns]") {
  CHECK(findings_of(healthy_storage()).empty());
  CHECK(findings_of(healthy_pypi()).empty());
}

TEST_CASE("VND-DNS-001: custom DNS answering publicly where Azure DNS answers privately is a forwarder fault", "[rules][dns]") {
  auto t = storage()
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").cname("blob.bl5prdstr.store.core.windows.net").address("20.60.1.4")
               .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .connected().tls(TlsStatus::ok).http(403, {{"x-ms-error-code", "AuthorizationFailure"}});
  const auto f = findings_of(t);
  // The storage firewall's 403 follows from the public path: it is not a second finding.
  REQUIRE(codes(f) == Codes{"VND-DNS-001"});
  CHECK(f[0].level == Level::error);
  CHECK(f[0].category == "dnsResolution");
  CHECK(f[0].title == "DNS server 10.0.0.4:53 (resolv.conf) does not forward private link zones to Azure DNS");
  CHECK_THAT(f[0].evidence, Catch::Contains("sa.blob.core.windows.net → 20.60.1.4 (public), Azure DNS → 10.0.1.5"));
  CHECK_THAT(f[0].fix, Catch::Contains("conditional forwarders to 168.63.129.16 for blob.core.windows.net"));
  CHECK(f[0].doc_url == "https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns");
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("VND-DNS-001 also covers a custom DNS server that answers NXDOMAIN for a privately resolvable name", "[rules][dns]") {
  auto t = vault().custom_dns().nxdomain().azure_dns().cname("kv.privatelink.vaultcore.azure.net").address("10.0.1.7");
  CHECK(codes(findings_of(t)) == Codes{"VND-DNS-001"});
}

TEST_CASE("VND-DNS-001 stays silent when the machine itself uses Azure DNS", "[rules][dns]") {
  // One answer, from Azure DNS as the client resolver: nothing to compare, and it is private.
  auto t = storage().dns_via("168.63.129.16:53", "resolv.conf").cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5").works();
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-013: this machine's DNS and Azure DNS both end the privatelink chain publicly: the zone is not linked",
          "[rules][dns]") {
  auto t = storage()
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
               .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
               .connected().tls(TlsStatus::ok).http(401);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-013"});
  CHECK(f[0].title == "Private DNS zone privatelink.blob.core.windows.net is not linked to this VNet");
  CHECK_THAT(f[0].fix, Catch::Contains("Link the private DNS zone privatelink.blob.core.windows.net to this VNet"));
  CHECK_THAT(f[0].fix, Catch::Contains("A DNS forwarder does not help"));
  CHECK_THAT(f[0].evidence, Catch::Contains("Azure DNS → 20.60.1.4 (public)"));
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("VND-DNS-013 when Azure DNS is the machine's own resolver", "[rules][dns]") {
  auto t = storage().dns_via("168.63.129.16:53", "resolv.conf").cname("sa.privatelink.blob.core.windows.net")
               .address("20.60.1.4").connected().tls(TlsStatus::ok).http(401);
  CHECK(codes(findings_of(t)) == Codes{"VND-DNS-013"});
}

TEST_CASE("VND-DNS-002: without Azure DNS's answer, a public end of the privatelink chain names both fixes", "[rules][dns]") {
  auto t = storage()
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
               .connected().tls(TlsStatus::ok).http(401);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-002"});
  CHECK(f[0].title == "Private link zone privatelink.blob.core.windows.net is not answered here: names resolve to public addresses");
  CHECK_THAT(f[0].fix, Catch::Contains("Link the private DNS zone privatelink.blob.core.windows.net to this VNet"));
  CHECK_THAT(f[0].fix, Catch::Contains("forward blob.core.windows.net to 168.63.129.16"));
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("VND-DNS-002 stays silent for a resource that may be public", "[rules][dns]") {
  auto t = target("sa.queue.core.windows.net").id("storage.queue").category("storageAccount")
               .custom_dns().cname("sa.privatelink.queue.core.windows.net").address("20.60.1.9")
               .azure_dns().cname("sa.privatelink.queue.core.windows.net").address("20.60.1.9")
               .works();
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-003: a public answer with no privatelink alias where a private endpoint is expected", "[rules][dns]") {
  auto t = storage().custom_dns().address("20.60.1.4").azure_dns().address("20.60.1.4").connected().tls(TlsStatus::ok).http(401);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-003"});
  CHECK(f[0].title == "Public addresses where a private endpoint is expected: 1 host");
  CHECK_THAT(f[0].fix, Catch::Contains("Create a private endpoint for Storage account (blob)"));
}

TEST_CASE("VND-DNS-003 stays silent when a public address is what the plan expects", "[rules][dns]") {
  auto t = target("management.azure.com").id("arm").expect_public().custom_dns().address("4.150.240.10").works();
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-004: NXDOMAIN inside the privatelink zone means the record is missing", "[rules][dns]") {
  auto t = vault()
               .custom_dns().cname("kv.privatelink.vaultcore.azure.net").nxdomain()
               .azure_dns().cname("kv.privatelink.vaultcore.azure.net").nxdomain();
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-004"});
  CHECK(f[0].title == "Private link zone privatelink.vaultcore.azure.net has no record for 1 name");
  CHECK_THAT(f[0].evidence, Catch::Contains("kv.vault.azure.net → kv.privatelink.vaultcore.azure.net (NXDOMAIN)"));
  CHECK_THAT(f[0].fix, Catch::Contains("Add the A records for kv.privatelink.vaultcore.azure.net to privatelink.vaultcore.azure.net"));
}

TEST_CASE("VND-DNS-004 stays silent when the zone has the record", "[rules][dns]") {
  auto t = vault()
               .custom_dns().cname("kv.privatelink.vaultcore.azure.net").address("10.0.1.7")
               .azure_dns().cname("kv.privatelink.vaultcore.azure.net").address("10.0.1.7")
               .works();
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-005: a linked zone answering NXDOMAIN for a resource that may be public hides it", "[rules][dns]") {
  auto t = target("othertenant.blob.core.windows.net").id("extra.othertenant").category("others")
               .custom_dns().cname("othertenant.privatelink.blob.core.windows.net").nxdomain()
               .azure_dns().cname("othertenant.privatelink.blob.core.windows.net").nxdomain();
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-005"});
  CHECK_THAT(f[0].fix, Catch::Contains("NxDomainRedirect"));
  CHECK(f[0].doc_url == "https://learn.microsoft.com/azure/dns/private-dns-fallback");
}

TEST_CASE("VND-DNS-005 stays silent when the name is expected private: the record is missing instead", "[rules][dns]") {
  auto t = storage().custom_dns().cname("sa.privatelink.blob.core.windows.net").nxdomain();
  CHECK(codes(findings_of(t)) == Codes{"VND-DNS-004"});
}

TEST_CASE("VND-DNS-006: a private address other than the private endpoint's", "[rules][dns]") {
  auto t = storage().expected_ips({"10.0.1.5"})
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.9")
               .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.9")
               .tcp(TcpStatus::timeout);
  const auto f = findings_of(t);
  // The timeout to the wrong address is the symptom: one finding.
  REQUIRE(codes(f) == Codes{"VND-DNS-006"});
  CHECK_THAT(f[0].evidence, Catch::Contains("→ 10.0.1.9, expected 10.0.1.5"));
  CHECK_THAT(f[0].fix, Catch::Contains("privatelink.blob.core.windows.net"));
}

TEST_CASE("VND-DNS-006 stays silent when the answer is the expected address", "[rules][dns]") {
  auto t = healthy_storage();
  t.expected_ips({"10.0.1.5"});
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-007: a private address outside the VNet's known ranges that answers is information", "[rules][dns]") {
  EnvironmentFacts env;
  env.vnet_ranges = {{"10.0.0.0/16", "Azure Resource Manager: VNet vnet-ml"}};
  auto t = storage().custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.9.0.5")
               .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("10.9.0.5").works();
  const auto f = findings_of(t, env);
  REQUIRE(codes(f) == Codes{"VND-DNS-007"});
  CHECK(f[0].level == Level::information);
  CHECK(f[0].title == "Private addresses outside the VNet's known ranges (10.0.0.0/16): 1 host");
}

TEST_CASE("VND-DNS-007 stays silent without known VNet ranges, or inside them", "[rules][dns]") {
  auto outside = storage().custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.9.0.5").works();
  CHECK(findings_of(outside).empty());
  EnvironmentFacts env;
  env.vnet_ranges = {{"10.0.0.0/16", "config"}};
  CHECK(findings_of(healthy_storage(), env).empty());
}

TEST_CASE("VND-NET-007, not VND-DNS-007: a private address outside the ranges that does not answer is an Error",
          "[rules][dns][path]") {
  EnvironmentFacts env;
  env.vnet_ranges = {{"10.0.0.0/16", "config"}};
  auto t = storage().custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.9.0.5")
               .tcp(TcpStatus::timeout);
  const auto f = findings_of(t, env);
  REQUIRE(codes(f) == Codes{"VND-NET-007"});
  CHECK(f[0].level == Level::error);
  CHECK_THAT(f[0].evidence, Catch::Contains("sa.blob.core.windows.net → 10.9.0.5 TCP 443 timeout"));
  CHECK_THAT(f[0].evidence, Catch::Contains("outside the VNet's ranges: a stale record, or a missing route or peering"));
  CHECK_THAT(f[0].fix, Catch::Contains("privatelink.blob.core.windows.net"));
}

TEST_CASE("VND-NET-007 with unknown ranges says they are unknown", "[rules][path]") {
  auto t = storage().custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.9.0.5")
               .tcp(TcpStatus::refused);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-NET-007"});
  CHECK_THAT(f[0].evidence, Catch::Contains("the VNet's ranges are unknown"));
}

TEST_CASE("VND-DNS-008: a hosts-file line pinning a private endpoint name to a public address", "[rules][dns]") {
  auto t = storage().hosts_file("20.60.1.4")
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .connected().tls(TlsStatus::ok).http(403, {{"x-ms-error-code", "AuthorizationFailure"}});
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-008"});
  CHECK(f[0].title == "The hosts file /etc/hosts overrides DNS for 1 host");
  CHECK_THAT(f[0].evidence, Catch::Contains("sa.blob.core.windows.net pinned to 20.60.1.4; a private endpoint is expected"));
}

TEST_CASE("VND-DNS-008: a stale hosts-file pin that Azure DNS contradicts", "[rules][dns]") {
  auto t = storage().hosts_file("10.0.1.9")
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .works();
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-008"});
  CHECK_THAT(f[0].evidence, Catch::Contains("DNS (azure-dns) answers 10.0.1.5"));
}

TEST_CASE("VND-DNS-008 stays silent for a pin that agrees with DNS on a working target", "[rules][dns]") {
  auto t = healthy_storage();
  t.hosts_file("10.0.1.5");
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-009: a DNS server that does not answer, once for every name", "[rules][dns]") {
  Scenario s;
  for (const char* host : {"a.blob.core.windows.net", "b.blob.core.windows.net"})
    s.add(target(host).expect_private(kBlobZone).custom_dns().dns_status(DnsStatus::timeout).azure_dns().address("10.0.1.5"));
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-DNS-009"});
  CHECK(f[0].title == "DNS server 10.0.0.4:53 does not answer");
  CHECK(s.names(f[0]) == std::vector<std::string>{"a.blob.core.windows.net", "b.blob.core.windows.net"});
  CHECK_THAT(f[0].fix, Catch::Contains("Allow UDP and TCP 53 from this subnet to 10.0.0.4:53"));
}

TEST_CASE("VND-DNS-009 stays silent through a proxy, which resolves names itself", "[rules][dns]") {
  auto t = target("pypi.org").id("pypi").category("packageRepositories").custom_dns().dns_status(DnsStatus::timeout)
               .via_proxy(ProxyStatus::tunnel, 200).tls(TlsStatus::ok);
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-009 stays silent when the run's deadline cut the query short", "[rules][dns]") {
  auto t = target("pypi.org").custom_dns().dns_status(DnsStatus::deadline);
  t.result.deadline = true;
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-010: a public name that does not exist", "[rules][dns]") {
  auto t = target("pypi.org").id("pypi").category("packageRepositories").situational().custom_dns().nxdomain();
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-010"});
  CHECK(f[0].level == Level::warning);  // a situational target
  CHECK(f[0].evidence == "through 10.0.0.4:53 (resolv.conf): pypi.org → NXDOMAIN");
}

TEST_CASE("VND-DNS-010 stays silent for a name that resolves", "[rules][dns]") { CHECK(findings_of(healthy_pypi()).empty()); }

TEST_CASE("VND-DNS-011: two client DNS servers giving different kinds of answer", "[rules][dns]") {
  auto t = storage()
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .dns_via("10.0.0.5:53", "resolv.conf").cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
               .works();
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-011"});
  CHECK(f[0].title == "This machine's DNS servers disagree: 10.0.0.4:53 and 10.0.0.5:53");
}

TEST_CASE("VND-DNS-011 stays silent when the client DNS servers agree", "[rules][dns]") {
  auto t = storage()
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .dns_via("10.0.0.5:53", "resolv.conf").cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .works();
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-DNS-012: custom DNS with its own stale copy of the privatelink zone", "[rules][dns]") {
  auto t = storage()
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.9")
               .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .tcp(TcpStatus::refused);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-DNS-012"});
  CHECK_THAT(f[0].evidence, Catch::Contains("→ 10.0.1.9, Azure DNS → 10.0.1.5"));
}

TEST_CASE("VND-DNS-012 stays silent when custom DNS and Azure DNS give the same private address", "[rules][dns]") {
  CHECK(findings_of(healthy_storage()).empty());
}

TEST_CASE("discovery's resolver list decides which answers clients use", "[rules][dns]") {
  // Azure DNS asked under another source name, marked comparison-only by discovery.
  EnvironmentFacts env;
  env.resolvers = {{"10.0.0.4:53", "resolv.conf", true}, {"127.0.0.1:5353", "compare", false}};
  env.azure_dns = "127.0.0.1:5353";
  auto t = storage()
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
               .dns_via("127.0.0.1:5353", "compare").cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
               .works();
  CHECK(codes(findings_of(t, env)) == Codes{"VND-DNS-001"});
}

TEST_CASE("VND-DNS-015: resolv.conf options that change which server answers or which name is asked", "[rules][dns]") {
  EnvironmentFacts env;
  env.dns_options = {"edns0", "rotate", "timeout:1", "use-vc"};
  auto f = findings_of(healthy_storage(), env);
  REQUIRE(codes(f) == Codes{"VND-DNS-015"});
  CHECK(f[0].level == Level::information);  // changes nothing while every server answers alike
  CHECK(f[0].title == "resolv.conf options change how clients resolve: rotate use-vc");
  CHECK_THAT(f[0].evidence, Catch::Contains("rotate: queries are spread over all servers"));

  SECTION("ndots above 1 with search domains names a catalog host the search list catches first") {
    env.dns_options = {"ndots:3"};
    env.dns_search = {"corp.contoso.com"};
    f = findings_of(healthy_storage(), env);
    REQUIRE(codes(f) == Codes{"VND-DNS-015"});
    CHECK(f[0].evidence == "ndots:3 with search domains: management.azure.com is first asked as "
                           "management.azure.com.corp.contoso.com");
    env.dns_search.clear();  // nothing is appended without a search list
    CHECK(findings_of(healthy_storage(), env).empty());
  }
  SECTION("options that only tune timing or answer size say nothing") {
    env.dns_options = {"edns0", "trust-ad", "timeout:1", "attempts:2", "ndots:1"};
    env.dns_search = {"corp.contoso.com"};
    CHECK(findings_of(healthy_storage(), env).empty());
  }
}
