// TCP, TLS and HTTP against real nginx servers with certificates minted by the test.
#include <catch2/catch.hpp>

#include "probes/http/http_probe.hpp"
#include "tests/probes/harness.hpp"
#include "tests/support/netns.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/silent_listener.hpp"
#include "tests/support/sockets.hpp"

using namespace vnetdiag;
using namespace vnetdiag::testing;
using namespace std::chrono_literals;

namespace {

/// One nginx with a site per certificate case, all names mapped to 127.0.0.1 by a hosts file.
struct TlsWorld {
  TempDir dir;
  Pki trusted{dir, "vnetdiag Test Root CA"};
  Pki interceptor{dir, "Contoso Firewall Inspection CA"};
  enum Site : std::size_t { good, wrong_name, expired, other_ca, plain_http, service_401, trickle, trickle_headers };
  std::unique_ptr<Nginx> nginx;
  EngineOptions options;

  TlsWorld() {
    std::vector<NginxSite> sites(8);
    sites[good] = {.tls = true, .cert = trusted.leaf({.dns_names = {"good.test"}}), .server_name = "good.test"};
    sites[wrong_name] = {.tls = true, .cert = trusted.leaf({.dns_names = {"someone-else.test"}})};
    sites[expired] = {.tls = true,
                      .cert = trusted.leaf({.dns_names = {"expired.test"}, .not_before_offset = -48h, .not_after_offset = -24h})};
    sites[other_ca] = {.tls = true, .cert = interceptor.leaf({.dns_names = {"intercepted.test"}})};
    sites[plain_http] = {.tls = false};
    sites[service_401] = {
        .tls = true,
        .cert = trusted.leaf({.dns_names = {"sa.blob.test"}}),
        .locations = {{.path = "/",
                       .status = 401,
                       .headers = {{"WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize"},
                                   {"x-ms-error-code", "NoAuthenticationInformation"},
                                   {"x-ms-keyvault-network-info", "conn_type=Ipv4;addr=10.1.2.3;act_addr_fam=InterNetwork;"},
                                   {"Location", "https://sa.blob.test/elsewhere"},
                                   {"Content-Type", "application/xml"},
                                   {"X-Not-Captured", "noise"}},
                       .body = "<Error><Code>NoAuthenticationInformation</Code></Error>"}}};
    sites[trickle] = {.tls = true,
                      .cert = trusted.leaf({.dns_names = {"slow.test"}}),
                      .locations = {{.path = "/", .trickle_bytes_per_second = 1, .trickle_after_bytes = 1024}}};
    sites[trickle_headers] = {.tls = true,
                              .cert = trusted.leaf({.dns_names = {"slow.test"}}),
                              .locations = {{.path = "/", .trickle_bytes_per_second = 1}}};
    nginx = std::make_unique<Nginx>(sites, dir);
    options = isolated_options();
    options.ca_file = trusted.ca_file().string();
    options.hosts_file = hosts_file(dir, {{"good.test", "127.0.0.1"},
                                          {"wrong.test", "127.0.0.1"},
                                          {"expired.test", "127.0.0.1"},
                                          {"intercepted.test", "127.0.0.1"},
                                          {"plain.test", "127.0.0.1"},
                                          {"sa.blob.test", "127.0.0.1"},
                                          {"slow.test", "127.0.0.1"},
                                          {"silent.test", "127.0.0.1"}});
  }
  std::uint16_t port(Site s) const { return nginx->port(s); }
};

}  // namespace

TEST_CASE("a valid certificate for the name is ok, with protocol, cipher, ALPN and the chain", "[tls][nginx]") {
  TlsWorld w;
  auto r = probe_one(https("good.test", w.port(TlsWorld::good)), w.options);
  REQUIRE(r.tls);
  CHECK(r.tls->status == TlsStatus::ok);
  CHECK(r.tls->sni == "good.test");
  CHECK((r.tls->protocol == "TLSv1.3" || r.tls->protocol == "TLSv1.2"));
  CHECK_FALSE(r.tls->cipher.empty());
  CHECK(r.tls->alpn == "http/1.1");
  REQUIRE(r.tls->chain.size() == 2);
  CHECK(r.tls->chain[0].dns_names == std::vector<std::string>{"good.test"});
  CHECK(r.tls->chain[0].issuer == w.trusted.ca_subject());
  CHECK(r.tls->chain[0].sha256.size() == 64);
  CHECK(r.http->status == HttpStatus::response);
  CHECK(r.http->code == 200);
  CHECK(healthy(r));
}

TEST_CASE("a certificate for another name is a hostname mismatch, and its names are shown", "[tls][nginx]") {
  TlsWorld w;
  auto r = probe_one(https("wrong.test", w.port(TlsWorld::wrong_name)), w.options);
  CHECK(r.tls->status == TlsStatus::hostname_mismatch);
  CHECK(r.tls->chain.at(0).dns_names == std::vector<std::string>{"someone-else.test"});
  CHECK_FALSE(r.http);  // no request goes over a connection that failed verification
}

TEST_CASE("an expired certificate is reported as expired, with its end date", "[tls][nginx]") {
  TlsWorld w;
  auto r = probe_one(https("expired.test", w.port(TlsWorld::expired)), w.options);
  CHECK(r.tls->status == TlsStatus::expired);
  CHECK_FALSE(r.tls->chain.at(0).not_after.empty());
}

TEST_CASE("a certificate from another CA is an untrusted issuer, and the issuer is named", "[tls][nginx]") {
  TlsWorld w;
  auto r = probe_one(https("intercepted.test", w.port(TlsWorld::other_ca)), w.options);
  CHECK(r.tls->status == TlsStatus::untrusted_issuer);
  CHECK(r.tls->chain.at(0).issuer == w.interceptor.ca_subject());
  CHECK(r.tls->chain.at(0).issuer == "CN=Contoso Firewall Inspection CA");
}

TEST_CASE("a listener that never speaks TLS ends in a handshake timeout within the TLS budget", "[tls]") {
  TlsWorld w;
  SilentListener silent;
  auto options = w.options;
  options.budgets.tls = 700ms;
  auto r = probe_one(https("silent.test", silent.port()), options);
  REQUIRE(r.tcp.at(0).status == TcpStatus::connected);
  CHECK(r.tls->status == TlsStatus::handshake_timeout);
  CHECK(r.tls->ms >= 650);
  CHECK(r.tls->ms <= 700 + 250);
  CHECK(r.tls->chain.empty());
}

TEST_CASE("a plain HTTP server on the TLS port is reported as not speaking TLS", "[tls][nginx]") {
  TlsWorld w;
  auto r = probe_one(https("plain.test", w.port(TlsWorld::plain_http)), w.options);
  CHECK(r.tls->status == TlsStatus::not_tls);
}

TEST_CASE("the service's status and diagnostic headers are captured, and other headers are not", "[http][nginx]") {
  TlsWorld w;
  auto r = probe_one(https("sa.blob.test", w.port(TlsWorld::service_401), "/?comp=list"), w.options);
  REQUIRE(r.http);
  CHECK(r.http->status == HttpStatus::response);
  CHECK(r.http->code == 401);
  CHECK(r.http->target == "/?comp=list");
  CHECK(header(r.http->headers, "x-ms-error-code") == "NoAuthenticationInformation");
  CHECK(header(r.http->headers, "WWW-Authenticate").starts_with("Bearer authorization_uri="));
  CHECK(header(r.http->headers, "x-ms-keyvault-network-info").find("addr=10.1.2.3") != std::string::npos);
  CHECK(header(r.http->headers, "Location") == "https://sa.blob.test/elsewhere");
  CHECK(header(r.http->headers, "Content-Type") == "application/xml");
  CHECK(header(r.http->headers, "Server").starts_with("nginx"));
  CHECK_FALSE(header(r.http->headers, "Date").empty());
  CHECK(header(r.http->headers, "X-Not-Captured").empty());
  CHECK(r.http->body_prefix == "<Error><Code>NoAuthenticationInformation</Code></Error>");
  CHECK(r.http->body_complete);
}

TEST_CASE("the body kept as evidence is capped", "[http][nginx]") {
  TlsWorld w;
  auto options = w.options;
  options.body_cap = 10;
  auto r = probe_one(https("sa.blob.test", w.port(TlsWorld::service_401)), options);
  CHECK(r.http->body_prefix == "<Error><Co");
  CHECK_FALSE(r.http->body_complete);
}

TEST_CASE("an endlessly trickling response ends at the HTTP budget, keeping what arrived", "[http][nginx]") {
  TlsWorld w;
  auto options = w.options;
  options.budgets.http = 1500ms;
  auto r = probe_one(https("slow.test", w.port(TlsWorld::trickle)), options);
  REQUIRE(r.http);
  CHECK(r.http->status == HttpStatus::response);
  CHECK(r.http->code == 200);
  CHECK_FALSE(r.http->body_complete);
  CHECK(r.http->detail.find("budget") != std::string::npos);
  CHECK(r.ms <= 1500 + 500);
}

TEST_CASE("a response whose headers trickle ends in an HTTP timeout at the budget", "[http][nginx]") {
  TlsWorld w;
  auto options = w.options;
  options.budgets.http = 1000ms;
  auto r = probe_one(https("slow.test", w.port(TlsWorld::trickle_headers)), options);
  REQUIRE(r.http);
  CHECK(r.http->status == HttpStatus::timeout);
  CHECK(r.http->ms >= 950);
  CHECK(r.http->ms <= 1000 + 250);
}

TEST_CASE("a closed port is refused and named", "[tcp]") {
  auto r = probe_one(tcp_only("127.0.0.1", 9), isolated_options());
  REQUIRE(r.tcp.size() == 1);
  CHECK(r.tcp[0].status == TcpStatus::refused);
  CHECK(r.tcp[0].detail == "ECONNREFUSED");
  CHECK(r.dns.empty());  // an IP literal needs no DNS
}

TEST_CASE("a black-holed address is a TCP timeout within the connect budget", "[tcp][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  BlackholeNetns hole;
  auto options = isolated_options();
  options.budgets.connect = 800ms;
  auto r = probe_one(tcp_only(hole.addresses().at(0), 443), options);
  REQUIRE(r.tcp.size() == 1);
  CHECK(r.tcp[0].status == TcpStatus::timeout);
  CHECK(r.tcp[0].ms >= 750);
  CHECK(r.tcp[0].ms <= 800 + 250);
}

namespace {

/// A registry front end (nginx) whose blob request redirects to a data host, and a regional data host, as MCR
/// has them [S18]; each on its own nginx so the redirect can name the data host's port.
struct RegistryWorld {
  static constexpr const char* kBlob = "/v2/hello/blobs/sha256:abc";
  TempDir dir;
  Pki pki{dir, "vnetdiag Test Root CA"};
  std::unique_ptr<Nginx> data;      // sites: 0 the host the redirect names, 1 the regional host
  std::unique_ptr<Nginx> registry;  // the front end
  EngineOptions options;

  /// `front_status`: what the registry answers the blob request (307 redirects to the data host).
  explicit RegistryWorld(int front_status = 307, bool redirect_to_regional = false) {
    const auto cert = pki.leaf({.dns_names = {"registry.test", "data.test", "regional.test"}});
    data = std::make_unique<Nginx>(std::vector<NginxSite>{{.tls = true, .cert = cert}, {.tls = true, .cert = cert}}, dir);
    const auto to = redirect_to_regional ? "regional.test:" + std::to_string(data->port(1))
                                         : "data.test:" + std::to_string(data->port(0));
    NginxLocation blob{.path = "/v2/", .status = front_status,
                       .headers = {{"Location", "https://" + to + "/account//docker/registry/v2/blobs/data?sig=x"}}};
    registry = std::make_unique<Nginx>(std::vector<NginxSite>{{.tls = true, .cert = cert, .locations = {blob}}}, dir);
    options = isolated_options();
    options.ca_file = pki.ca_file().string();
    options.hosts_file = hosts_file(dir, {{"registry.test", "127.0.0.1"}, {"data.test", "127.0.0.1"}, {"regional.test", "127.0.0.1"}});
  }

  ProbeTarget front() const {
    auto t = https("registry.test", registry->port(0), kBlob);
    t.follow_redirect = true;
    return t;
  }
  ProbeTarget regional() const { return ProbeTarget{"regional.test", data->port(1), true, std::nullopt, true}; }
};

}  // namespace

TEST_CASE("a registry's redirect to another data host adds that host to the run, probed to TLS", "[http][redirect][nginx]") {
  RegistryWorld world;
  const auto run = run_probes({world.front(), world.regional()}, world.options);
  REQUIRE(run.targets.size() == 3);
  CHECK(run.targets[0].http->code == 307);
  CHECK(run.targets[1].host == "regional.test");
  CHECK(run.targets[1].tls->status == TlsStatus::ok);
  const auto& followed = run.targets[2];
  CHECK(followed.host == "data.test");
  CHECK(followed.port == world.data->port(0));
  CHECK(followed.redirected_from == std::optional<std::size_t>(0));
  REQUIRE(followed.tls);
  CHECK(followed.tls->status == TlsStatus::ok);
  CHECK_FALSE(followed.http);  // the signed URL is the client's; reaching the host is the question
}

TEST_CASE("a redirect to a host the run already probes adds nothing", "[http][redirect][nginx]") {
  RegistryWorld world(307, /*redirect_to_regional=*/true);
  const auto run = run_probes({world.front(), world.regional()}, world.options);
  CHECK(run.targets.size() == 2);
}

TEST_CASE("when the registry's blob request fails, the regional data host is still probed", "[http][redirect][nginx]") {
  RegistryWorld world(503);
  const auto run = run_probes({world.front(), world.regional()}, world.options);
  REQUIRE(run.targets.size() == 2);
  CHECK(run.targets[0].http->code == 503);
  CHECK(run.targets[1].tls->status == TlsStatus::ok);

  auto refused = world.front();
  refused.port = local_port(bound_socket("127.0.0.1", 0, SOCK_STREAM).get());  // bound, never listening: refused
  const auto cut = run_probes({refused, world.regional()}, world.options);
  REQUIRE(cut.targets.size() == 2);
  CHECK_FALSE(cut.targets[0].http);
  CHECK(cut.targets[1].tls->status == TlsStatus::ok);
}

TEST_CASE("only an absolute https redirect to another host or port is followed", "[http][redirect]") {
  const ProbeTarget origin{"mcr.microsoft.com", 443, true, HttpRequest{}, true};
  auto answer = [](int code, std::string location) {
    HttpEvidence e;
    e.status = HttpStatus::response;
    e.code = code;
    e.headers = {{"location", std::move(location)}};
    return e;
  };
  const auto next = http::redirect_target(answer(307, "https://WestCentralUS.data.mcr.microsoft.com/a//b?sig=x"), origin);
  REQUIRE(next);
  CHECK(next->host == "westcentralus.data.mcr.microsoft.com");
  CHECK(next->port == 443);
  CHECK(next->tls);
  CHECK_FALSE(next->http);
  CHECK(http::redirect_target(answer(307, "https://data.test:8443/x"), origin)->port == 8443);
  CHECK(http::redirect_target(answer(302, "https://[::1]:9443/x"), origin)->host == "::1");
  CHECK_FALSE(http::redirect_target(answer(200, "https://other.test/"), origin));
  CHECK_FALSE(http::redirect_target(answer(307, "/v2/elsewhere"), origin));
  CHECK_FALSE(http::redirect_target(answer(307, "http://other.test/"), origin));
  CHECK_FALSE(http::redirect_target(answer(307, "https://mcr.microsoft.com/other"), origin));
  CHECK_FALSE(http::redirect_target(answer(307, "not a url"), origin));
  CHECK_FALSE(http::redirect_target(answer(302, "https:?"), origin));  // no host, and no abort either
  CHECK_FALSE(http::redirect_target(answer(302, "https:/other.test/"), origin));
}
