// TLS and service rules: interception, certificates, and the answers of the services' own firewalls.
#include <catch2/catch.hpp>

#include "builders.hpp"
#include "reports/rules.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;
using Codes = std::vector<std::string>;

namespace {

TargetBuilder vault() {
  return std::move(target("kv.vault.azure.net").id("keyvault").category("keyVault")
                       .expect_private("privatelink.vaultcore.azure.net").reachable({401})
                       .custom_dns().cname("kv.privatelink.vaultcore.azure.net").address("10.0.1.7")
                       .connected().tls(TlsStatus::ok));
}

TargetBuilder registry() {
  return std::move(target("acr.azurecr.io").id("acr.login").category("containerRegistry")
                       .expect_private("privatelink.azurecr.io").reachable({401})
                       .custom_dns().cname("acr.privatelink.azurecr.io").address("10.0.1.8")
                       .connected().tls(TlsStatus::ok));
}

TargetBuilder pypi() {
  return std::move(target("pypi.org").id("pypi").category("packageRepositories").situational()
                       .custom_dns().address("151.101.0.223").connected());
}

}  // namespace

TEST_CASE("VND-TLS-001: an untrusted issuer is TLS interception, with what it breaks", "[rules][tls]") {
  const auto f = findings_of(pypi().tls(TlsStatus::untrusted_issuer, std::string(kInspectionIssuer)));
  REQUIRE(codes(f) == Codes{"VND-TLS-001"});
  CHECK(f[0].title == "TLS is intercepted by Contoso Inspection CA for 1 host");
  CHECK(f[0].level == Level::warning);  // pypi is situational
  CHECK_THAT(f[0].evidence, Catch::Contains("pip and conda installs fail (CERTIFICATE_VERIFY_FAILED)"));
  CHECK_THAT(f[0].fix, Catch::Contains("PIP_CERT or REQUESTS_CA_BUNDLE"));
  CHECK(findings_of(pypi().tls(TlsStatus::ok)).empty());
}

TEST_CASE("VND-TLS-002: a trusted but non-Microsoft issuer on an Azure host is inspection too", "[rules][tls]") {
  auto t = target("management.azure.com").id("arm").custom_dns().address("4.150.240.10").connected()
               .tls(TlsStatus::ok, std::string(kInspectionIssuer)).http(401);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-TLS-002"});
  CHECK(f[0].level == Level::warning);
  CHECK_THAT(f[0].fix, Catch::Contains("rslex ignores custom bundles"));
}

TEST_CASE("VND-TLS-002 stays silent for non-Azure hosts and for issuers the caller expects", "[rules][tls]") {
  CHECK(findings_of(pypi().tls(TlsStatus::ok, std::string(kInspectionIssuer))).empty());
  EnvironmentFacts env;
  env.expected_issuers.push_back("Contoso Inspection");
  auto t = target("management.azure.com").id("arm").custom_dns().address("4.150.240.10").connected()
               .tls(TlsStatus::ok, std::string(kInspectionIssuer));
  CHECK(findings_of(t, env).empty());
}

TEST_CASE("VND-TLS-003: an expired certificate, with a correct clock", "[rules][tls]") {
  const auto f = findings_of(pypi().tls(TlsStatus::expired));
  REQUIRE(codes(f) == Codes{"VND-TLS-003"});
  CHECK_THAT(f[0].evidence, Catch::Contains("pypi.org: expired, valid 2026-01-01T00:00:00Z to 2027-01-01T00:00:00Z"));
  CHECK(findings_of(pypi().tls(TlsStatus::ok)).empty());
}

TEST_CASE("VND-TLS-004: a certificate for another name", "[rules][tls]") {
  const auto f = findings_of(vault().tls(TlsStatus::hostname_mismatch));
  REQUIRE(codes(f) == Codes{"VND-TLS-004"});
  CHECK_THAT(f[0].evidence, Catch::Contains("kv.vault.azure.net at 10.0.1.7: certificate for kv.vault.azure.net"));
  CHECK(findings_of(vault().http(401)).empty());
}

TEST_CASE("VND-TLS-005: a handshake cut after TCP connects", "[rules][tls]") {
  CHECK(codes(findings_of(vault().tls(TlsStatus::handshake_timeout))) == Codes{"VND-TLS-005"});
  CHECK(codes(findings_of(vault().tls(TlsStatus::reset))) == Codes{"VND-TLS-005"});
  CHECK(findings_of(vault().http(401)).empty());
}

namespace {

/// The key vault on its Azure host name, presenting a chain from an inspecting device's CA with `detail` as
/// OpenSSL's reason: the situation where a limit could be mistaken for interception.
TargetBuilder vault_via_device(TlsStatus status, std::string detail) {
  auto t = vault().tls(status, std::string(kInspectionIssuer));
  t.result.tls->detail = std::move(detail);
  return t;
}

}  // namespace

TEST_CASE("VND-TLS-006: a chain too long to verify on an Azure host is its own finding, not interception",
          "[rules][tls]") {
  const auto f = findings_of(vault_via_device(TlsStatus::chain_too_long, "certificate chain too long"));
  REQUIRE(codes(f) == Codes{"VND-TLS-006"});
  CHECK(f[0].level == Level::error);
  CHECK(f[0].title == "Certificate chains too long to verify: 1 host");
  CHECK_THAT(f[0].evidence, Catch::Contains("kv.vault.azure.net: certificate chain too long, 1 certificate up to "
                                            "CN=Contoso Inspection CA,O=Contoso,C=US"));
  CHECK_THAT(f[0].fix, !Catch::Contains("interception") && !Catch::Contains("intercept"));
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("VND-TLS-007: a SHA-1 signature on an Azure host is its own finding, not interception", "[rules][tls]") {
  const auto f = findings_of(vault_via_device(TlsStatus::weak_signature, "CA signature digest algorithm too weak"));
  REQUIRE(codes(f) == Codes{"VND-TLS-007"});
  CHECK(f[0].title == "Certificates signed with a weak algorithm: 1 host");
  CHECK_THAT(f[0].evidence, Catch::Contains("kv.vault.azure.net: CA signature digest algorithm too weak"));
  CHECK_THAT(f[0].fix, Catch::Contains("SHA-256"));
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("VND-TLS-008: a server without TLS 1.2 on an Azure host is its own finding, not interception",
          "[rules][tls]") {
  auto t = vault().tls(TlsStatus::protocol_version);
  t.result.tls->chain.clear();  // no certificate arrives before the version is refused
  t.result.tls->detail = "tlsv1 alert protocol version (SSL routines)";
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-TLS-008"});
  CHECK(f[0].title == "No common TLS version with 1 host");
  CHECK_THAT(f[0].evidence, Catch::Contains("kv.vault.azure.net:443: protocol-version (tlsv1 alert protocol version"));
  CHECK_THAT(f[0].fix, Catch::Contains("TLS 1.2"));
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("VND-TLS-009: a demanded client certificate on an Azure host is its own finding, not interception or HTTP",
          "[rules][tls]") {
  const auto f = findings_of(vault_via_device(
      TlsStatus::client_cert_required,
      "the server asked for a client certificate and, when none was sent, ended the connection after the "
      "handshake (alert certificate required)"));
  REQUIRE(codes(f) == Codes{"VND-TLS-009"});
  CHECK(f[0].title == "A client certificate is demanded by 1 host");
  CHECK_THAT(f[0].evidence, Catch::Contains("kv.vault.azure.net:443, certificate for kv.vault.azure.net from "
                                            "CN=Contoso Inspection CA,O=Contoso,C=US: the server asked for a client"));
  CHECK_THAT(f[0].fix, Catch::Contains("mutual TLS") && Catch::Contains("DNS answer"));
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("VND-TLS-010: a certificate failing verification for another reason is not interception", "[rules][tls]") {
  const auto f = findings_of(vault_via_device(TlsStatus::certificate_invalid, "unsupported certificate purpose"));
  REQUIRE(codes(f) == Codes{"VND-TLS-010"});
  CHECK_THAT(f[0].evidence, Catch::Contains("kv.vault.azure.net: unsupported certificate purpose"));
  CHECK(fully_expanded(f[0]));
}

TEST_CASE("only an issuer outside the trust store is interception: every other TLS outcome leaves VND-TLS-001 and "
          "VND-TLS-002 out", "[rules][tls]") {
  using enum TlsStatus;
  for (auto status : {chain_too_long, weak_signature, protocol_version, client_cert_required, certificate_invalid,
                      hostname_mismatch, expired, handshake_failed}) {
    INFO(to_string(status));
    const auto f = findings_of(vault_via_device(status, std::string(to_string(status))));
    CHECK(f.size() == 1);
    CHECK_FALSE(with_code(f, "VND-TLS-001"));
    CHECK_FALSE(with_code(f, "VND-TLS-002"));
  }
  CHECK(codes(findings_of(vault_via_device(untrusted_issuer, "unable to get local issuer certificate"))) ==
        Codes{"VND-TLS-001"});
}

TEST_CASE("a situational host with a TLS limit is a warning, as its other failures are", "[rules][tls]") {
  const auto f = findings_of(pypi().tls(TlsStatus::weak_signature));
  REQUIRE(codes(f) == Codes{"VND-TLS-007"});
  CHECK(f[0].level == Level::warning);
}

TEST_CASE("TLS findings are not raised for a target whose TCP failed: TLS never ran", "[rules][tls]") {
  auto t = target("pypi.org").id("pypi").category("packageRepositories").situational().custom_dns().address("151.101.0.223")
               .tcp(TcpStatus::timeout);
  CHECK(codes(findings_of(t)) == Codes{"VND-PKG-001"});
}

TEST_CASE("VND-STO-001: the storage firewall's 403 AuthorizationFailure", "[rules][service]") {
  auto t = healthy_storage();
  t.http(403, {{"x-ms-error-code", "AuthorizationFailure"}}, "<Error><Code>AuthorizationFailure</Code></Error>");
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-STO-001"});
  CHECK(f[0].category == "storageAccount");
  CHECK(findings_of(healthy_storage()).empty());
}

TEST_CASE("VND-KV-001: the key vault firewall's 403, with the address the vault saw", "[rules][service]") {
  const auto f = findings_of(vault().http(
      403, {}, R"({"error":{"code":"Forbidden","message":"Client address is not authorized and caller is not a trusted service.)"
               R"(\r\nClient address: 20.1.2.3\r\n","innererror":{"code":"ForbiddenByFirewall"}}})"));
  REQUIRE(codes(f) == Codes{"VND-KV-001"});
  CHECK(f[0].evidence == "kv.vault.azure.net:443: 403 ForbiddenByFirewall; the service saw this machine as 20.1.2.3");
  CHECK(findings_of(vault().http(401)).empty());
}

TEST_CASE("VND-KV-002: the vault answers but sees a public source address", "[rules][service]") {
  const auto f = findings_of(vault().http(401, {{"x-ms-keyvault-network-info", "conn_type=Ipv4;addr=20.1.2.3;act_addr_fam=InterNetwork;"}}));
  REQUIRE(codes(f) == Codes{"VND-KV-002"});
  CHECK(f[0].title == "The key vault sees this machine at public address 20.1.2.3");
  CHECK(findings_of(vault().http(401, {{"x-ms-keyvault-network-info", "conn_type=Ipv4;addr=10.0.0.7;act_addr_fam=InterNetwork;"}}))
            .empty());
}

TEST_CASE("VND-ACR-001: the registry firewall's DENIED, with the address it saw", "[rules][service]") {
  const auto f = findings_of(registry().http(
      403, {}, R"({"errors":[{"code":"DENIED","message":"client with IP '20.1.2.3' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]})"));
  REQUIRE(codes(f) == Codes{"VND-ACR-001"});
  CHECK(f[0].evidence == "acr.azurecr.io:443: 403 DENIED; the service saw this machine as 20.1.2.3");
  CHECK(findings_of(registry().http(401)).empty());
}

TEST_CASE("VND-HTTP-001: an unexpected status where the service's own is known", "[rules][service]") {
  auto t = registry().http(302);
  t.result.http->reason = "Found";
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-HTTP-001"});
  CHECK(f[0].category == "containerRegistry");  // the target's own category
  CHECK(f[0].evidence == "acr.azurecr.io:443: HTTP 302 Found, expected 401");
  // No expectation: any answer means the path works.
  auto any = target("aka.ms").custom_dns().address("23.1.1.1").works().http(302);
  CHECK(findings_of(any).empty());
}

TEST_CASE("VND-HTTP-002: no HTTP answer after a good handshake", "[rules][service]") {
  CHECK(codes(findings_of(registry().http_failed(HttpStatus::timeout))) == Codes{"VND-HTTP-002"});
  CHECK(findings_of(registry().http(401)).empty());
}

TEST_CASE("the egress address is read from each service's own wording", "[rules][service]") {
  HttpEvidence h;
  h.headers = {{"X-Ms-Keyvault-Network-Info", "conn_type=Ipv4;addr=52.1.2.3;act_addr_fam=InterNetwork;"}};
  CHECK(reported_egress_ip(h) == "52.1.2.3");
  h.headers.clear();
  h.body_prefix = "client with IP '52.1.2.4' is not allowed access";
  CHECK(reported_egress_ip(h) == "52.1.2.4");
  h.body_prefix = "Client address: 52.1.2.5\r\n";
  CHECK(reported_egress_ip(h) == "52.1.2.5");
  h.body_prefix = "nothing here";
  CHECK(reported_egress_ip(h).empty());
}
