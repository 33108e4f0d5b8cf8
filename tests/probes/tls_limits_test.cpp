// TLS outcomes that are limits of a chain or a server, not its issuer: real nginx and openssl s_server on
// loopback, with chains minted by the test. None of them may read as an untrusted issuer (interception).
#include <openssl/x509_vfy.h>

#include <catch2/catch.hpp>

#include "probes/tls/tls_probe.hpp"
#include "tests/probes/harness.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/openssl_server.hpp"
#include "tests/support/pki.hpp"

using namespace vnetdiag;
using namespace vnetdiag::testing;

namespace {

/// One nginx with a site per limit, all names mapped to 127.0.0.1, and the test's CA trusted.
struct LimitsWorld {
  TempDir dir;
  Pki trusted{dir, "vnetdiag Test Root CA"};
  Pki interceptor{dir, "Contoso Firewall Inspection CA"};
  enum Site : std::size_t { deep, deep_enough, sha1, tls10, client_cert, other_ca };
  std::unique_ptr<Nginx> nginx;
  EngineOptions options;

  LimitsWorld() {
    std::vector<NginxSite> sites(6);
    // Leaf at depth 0, eleven intermediates, the root at depth 12: one intermediate past the verify depth.
    sites[deep] = {.tls = true, .cert = trusted.leaf({.dns_names = {"deep.test"}, .intermediates = 11})};
    sites[deep_enough] = {.tls = true, .cert = trusted.leaf({.dns_names = {"ten.test"}, .intermediates = 10})};
    // Security level 0: nginx would not load a SHA-1 certificate, or speak TLS 1.0, at Debian's level 2.
    sites[sha1] = {.tls = true,
                   .cert = trusted.leaf({.dns_names = {"sha1.test"}, .intermediates = 1, .sha1 = true}),
                   .ssl_ciphers = "DEFAULT@SECLEVEL=0"};
    sites[tls10] = {.tls = true,
                    .cert = trusted.leaf({.dns_names = {"old.test"}}),
                    .ssl_protocols = "TLSv1",
                    .ssl_ciphers = "DEFAULT@SECLEVEL=0"};
    sites[client_cert] = {.tls = true, .cert = trusted.leaf({.dns_names = {"mtls.test"}}), .client_ca = trusted.ca_file()};
    sites[other_ca] = {.tls = true, .cert = interceptor.leaf({.dns_names = {"intercepted.test"}})};
    nginx = std::make_unique<Nginx>(sites, dir);
    options = isolated_options();
    options.ca_file = trusted.ca_file().string();
    options.hosts_file = hosts_file(dir, {{"deep.test", "127.0.0.1"},
                                          {"ten.test", "127.0.0.1"},
                                          {"sha1.test", "127.0.0.1"},
                                          {"old.test", "127.0.0.1"},
                                          {"mtls.test", "127.0.0.1"},
                                          {"intercepted.test", "127.0.0.1"}});
  }
  std::uint16_t port(Site s) const { return nginx->port(s); }
};

bool raised(const TlsEvidence& t, int code) {
  return std::ranges::any_of(t.issues, [&](const VerifyIssue& i) { return i.code == code; });
}

}  // namespace

TEST_CASE("a chain 12 deep, past the verify depth of 10, is chain-too-long and not an untrusted issuer",
          "[tls][nginx]") {
  LimitsWorld w;
  auto r = probe_one(https("deep.test", w.port(LimitsWorld::deep)), w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail);
  CHECK(r.tls->status == TlsStatus::chain_too_long);
  CHECK(r.tls->chain.size() == 13);  // leaf, eleven intermediates, root: all as presented
  CHECK(r.tls->detail == "certificate chain too long");
  // What OpenSSL raises: the depth limit, then (having stopped short of the root) no local issuer.
  CHECK(raised(*r.tls, X509_V_ERR_CERT_CHAIN_TOO_LONG));
  CHECK(raised(*r.tls, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
  CHECK_FALSE(r.http);

  auto within = probe_one(https("ten.test", w.port(LimitsWorld::deep_enough)), w.options);
  CHECK(within.tls->status == TlsStatus::ok);  // ten intermediates are within the depth
  CHECK(within.tls->chain.size() == 12);
}

TEST_CASE("a chain signed with SHA-1 is weak-signature and not an untrusted issuer", "[tls][nginx]") {
  LimitsWorld w;
  auto r = probe_one(https("sha1.test", w.port(LimitsWorld::sha1)), w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail);
  CHECK(r.tls->status == TlsStatus::weak_signature);
  CHECK(r.tls->detail == "CA signature digest algorithm too weak");
  CHECK(raised(*r.tls, X509_V_ERR_CA_MD_TOO_WEAK));
  CHECK_FALSE(raised(*r.tls, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
  CHECK(r.tls->chain.at(0).issuer == "CN=vnetdiag Test Root CA Intermediate 1");
}

TEST_CASE("a server that speaks only TLS 1.0 is protocol-version", "[tls][nginx]") {
  LimitsWorld w;
  auto r = probe_one(https("old.test", w.port(LimitsWorld::tls10)), w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail);
  CHECK(r.tls->status == TlsStatus::protocol_version);
  CHECK(r.tls->detail.find("protocol version") != std::string::npos);
  CHECK_FALSE(r.http);
}

TEST_CASE("nginx demanding a client certificate is client-cert-required, not an HTTP 400", "[tls][nginx]") {
  LimitsWorld w;
  auto r = probe_one(https("mtls.test", w.port(LimitsWorld::client_cert)), w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail);
  CHECK(r.tls->status == TlsStatus::client_cert_required);
  CHECK(r.tls->detail.find("No required SSL certificate was sent") != std::string::npos);
  CHECK_FALSE(r.http);  // the 400 was the refusal, told as TLS's outcome
}

TEST_CASE("a certificate from another CA is still an untrusted issuer", "[tls][nginx]") {
  LimitsWorld w;
  auto r = probe_one(https("intercepted.test", w.port(LimitsWorld::other_ca)), w.options);
  CHECK(r.tls->status == TlsStatus::untrusted_issuer);
  CHECK(r.tls->chain.at(0).issuer == "CN=Contoso Firewall Inspection CA");
}

namespace {

/// openssl s_server with the test's CA trusted, reached as mtls.test.
struct ServerWorld {
  TempDir dir;
  Pki trusted{dir, "vnetdiag Test Root CA"};
  EngineOptions options;
  ServerWorld() {
    options = isolated_options();
    options.ca_file = trusted.ca_file().string();
    options.hosts_file = hosts_file(dir, {{"mtls.test", "127.0.0.1"}});
  }
  CertFiles cert() { return trusted.leaf({.dns_names = {"mtls.test"}}); }
};

}  // namespace

TEST_CASE("a TLS 1.3 server refusing on the first read for lack of a client certificate is client-cert-required",
          "[tls][s_server]") {
  ServerWorld w;
  OpensslServer server(w.cert(), {"-Verify", "1"}, w.dir);
  auto r = probe_one(https("mtls.test", server.port()), w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail << "\n" << server.log_tail());
  CHECK(r.tls->protocol == "TLSv1.3");  // the handshake itself completed
  CHECK(r.tls->status == TlsStatus::client_cert_required);
  CHECK(r.tls->detail.find("certificate required") != std::string::npos);
  CHECK_FALSE(r.http);
}

TEST_CASE("a TLS 1.2 server refusing in the handshake for lack of a client certificate is client-cert-required",
          "[tls][s_server]") {
  ServerWorld w;
  OpensslServer server(w.cert(), {"-Verify", "1", "-tls1_2"}, w.dir);
  auto r = probe_one(https("mtls.test", server.port()), w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail << "\n" << server.log_tail());
  CHECK(r.tls->status == TlsStatus::client_cert_required);
  CHECK(r.tls->detail.find("handshake failure") != std::string::npos);
  CHECK_FALSE(r.http);
}

TEST_CASE("a TLS 1.3 server demanding a client certificate is client-cert-required when no request follows",
          "[tls][s_server]") {
  ServerWorld w;
  OpensslServer server(w.cert(), {"-Verify", "1"}, w.dir);
  auto r = probe_one(ProbeTarget{"mtls.test", server.port(), true, std::nullopt, true}, w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail << "\n" << server.log_tail());
  CHECK(r.tls->status == TlsStatus::client_cert_required);
  CHECK(r.tls->detail.find("certificate required") != std::string::npos);
}

TEST_CASE("a server that asks for a client certificate but goes on without one is ok", "[tls][s_server]") {
  ServerWorld w;
  OpensslServer server(w.cert(), {"-verify", "1"}, w.dir);
  auto r = probe_one(https("mtls.test", server.port()), w.options);
  REQUIRE(r.tls);
  INFO(r.tls->detail << "\n" << server.log_tail());
  CHECK(r.tls->status == TlsStatus::ok);
  REQUIRE(r.http);
  CHECK(r.http->status == HttpStatus::response);
  CHECK(r.http->code == 200);

  const auto started = Clock::now();
  auto quiet = probe_one(ProbeTarget{"mtls.test", server.port(), true, std::nullopt, true}, w.options);
  CHECK(quiet.tls->status == TlsStatus::ok);
  CHECK(ms_since(started) < 1500);  // the wait for a verdict is short, and silence is taken as consent
}

TEST_CASE("verification issues: a cut chain before the issuer, the issuer before the rest, unknown ones not interception",
          "[tls]") {
  using tls::most_actionable;
  auto issues = [](std::initializer_list<int> codes) {
    std::vector<VerifyIssue> out;
    for (int code : codes) out.push_back({0, code, ""});
    return out;
  };
  CHECK(most_actionable(issues({})) == TlsStatus::ok);
  CHECK(most_actionable(issues({X509_V_ERR_CERT_CHAIN_TOO_LONG, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY})) ==
        TlsStatus::chain_too_long);
  CHECK(most_actionable(issues({X509_V_ERR_CA_MD_TOO_WEAK})) == TlsStatus::weak_signature);
  CHECK(most_actionable(issues({X509_V_ERR_EE_KEY_TOO_SMALL})) == TlsStatus::weak_signature);
  CHECK(most_actionable(issues({X509_V_ERR_CA_MD_TOO_WEAK, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY})) ==
        TlsStatus::untrusted_issuer);
  CHECK(most_actionable(issues({X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT})) ==
        TlsStatus::untrusted_issuer);
  CHECK(most_actionable(issues({X509_V_ERR_INVALID_PURPOSE})) == TlsStatus::certificate_invalid);
  CHECK(most_actionable(issues({X509_V_ERR_CERT_SIGNATURE_FAILURE})) == TlsStatus::certificate_invalid);
}
