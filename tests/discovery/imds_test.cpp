// The instance metadata request: its shape, a real nginx on loopback serving a metadata document, and
// what an unreachable metadata address costs (a closed port, a black-hole namespace, a silent listener).

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/discovery/imds.hpp"
#include "probes/engine.hpp"
#include "tests/discovery/support.hpp"
#include "tests/support/netns.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/process.hpp"
#include "tests/support/silent_listener.hpp"
#include "tests/support/sockets.hpp"
#include "tests/support/temp_dir.hpp"

using namespace vnetdiag;
using namespace std::chrono_literals;
using vnetdiag::test::contains;
namespace vt = vnetdiag::testing;
using Clock = std::chrono::steady_clock;

namespace {

/// Time the engine needs around the budget itself (io_context, the trust store, a sanitizer build):
/// an unreachable metadata address may cost its timeout plus this, no more.
constexpr auto kSlack = 400ms;

const std::string kInstancePath = "/metadata/instance?api-version=2021-02-01";

/// The realistic document, minified (nginx serves it from a one-line `return`).
std::string document() { return nlohmann::json::parse(test::fixture_text("imds-eastus.json")).dump(); }

DiscoverySettings settings_for(const std::string& base_url, std::chrono::milliseconds timeout = 1500ms) {
  DiscoverySettings s;
  s.paths.resolv_conf = test::fixture_path("resolv-custom.conf");
  s.paths.hosts_file = "";
  s.imds_base_url = base_url;
  s.imds_timeout = timeout;
  return s;
}

std::string url(const std::string& ip, std::uint16_t port) { return "http://" + vt::host_port(ip, port); }

vt::NginxSite metadata_site(int status, std::string content_type, std::string body) {
  vt::NginxSite site;
  site.locations = {{.path = "/metadata/instance", .status = status, .headers = {{"Content-Type", std::move(content_type)}},
                     .body = std::move(body), .trickle_bytes_per_second = 0},
                    {.path = "/", .status = 404, .headers = {{"Content-Type", "application/json"}},
                     .body = R"({"error": "Not found"})", .trickle_bytes_per_second = 0}};
  return site;
}

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

}  // namespace

TEST_CASE("the metadata request is a plain GET of the instance document with Metadata: true and no proxy", "[imds]") {
  const auto target = imds_target(settings_for("http://169.254.169.254"));
  REQUIRE(target);
  CHECK(target->host == "169.254.169.254");
  CHECK(target->port == 80);
  CHECK_FALSE(target->tls);
  CHECK_FALSE(target->allow_proxy);
  REQUIRE(target->http);
  CHECK(target->http->method == "GET");
  CHECK(target->http->target == kInstancePath);
  CHECK(target->http->headers == std::vector<std::pair<std::string, std::string>>{{"Metadata", "true"}});

  const auto moved = imds_target(settings_for("http://[::1]:8080/imds/"));
  REQUIRE(moved);
  CHECK(moved->host == "::1");
  CHECK(moved->port == 8080);
  CHECK(moved->http->target == "/imds" + kInstancePath);

  CHECK_FALSE(imds_target(settings_for("ftp://169.254.169.254")));
  CHECK_FALSE(imds_target(settings_for("169.254.169.254")));
}

TEST_CASE("an unset or unusable metadata URL is not asked, and says why", "[imds]") {
  const auto none = fetch_imds(settings_for(""));
  CHECK(none.status == ImdsStatus::not_asked);
  const auto bad = fetch_imds(settings_for("ftp://169.254.169.254"));
  CHECK(bad.status == ImdsStatus::not_asked);
  CHECK(contains(bad.detail, "is not an http:// URL"));
}

TEST_CASE("a metadata document gives region, VM, private IPs and subnet ranges, and keeps public IPs apart",
          "[imds][parse]") {
  const auto info = parse_imds(test::fixture_text("imds-eastus.json"));
  REQUIRE(info.error.empty());
  CHECK(info.warnings.empty());
  CHECK(info.location == "eastus");
  CHECK(info.az_environment == "AzurePublicCloud");
  CHECK(info.vm_id == "02aab8a4-74ef-476e-8182-f6d2ba4166a6");
  CHECK(info.vm_size == "Standard_D4s_v3");
  CHECK(info.name == "ml-jumpbox-01");
  CHECK(info.zone == "1");
  CHECK(info.subscription_id == "0b1f6471-1bf0-4dda-aec3-cb9272f09590");
  CHECK(info.resource_group == "rg-ml-contoso");
  CHECK(info.resource_id ==
        "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-ml-contoso/providers/"
        "Microsoft.Compute/virtualMachines/ml-jumpbox-01");
  CHECK(info.private_ips ==
        std::vector<std::string>{"10.144.133.132", "10.144.133.140", "fd00:144:133::84", "10.144.134.10"});
  std::vector<std::string> subnets;
  for (const auto& s : info.subnets) subnets.push_back(s.to_string());
  CHECK(subnets == std::vector<std::string>{"10.144.133.128/26", "fd00:144:133::/64", "10.144.134.0/24"});
  CHECK(info.public_ips == std::vector<std::string>{"20.121.7.33"});
}

TEST_CASE("a broken metadata document is an error value, and odd fields are warnings, never a crash", "[imds][parse]") {
  CHECK(parse_imds("").error == "not JSON");
  CHECK(parse_imds("{\"compute\": {").error == "not JSON");
  CHECK(parse_imds("<html><body>Welcome to nginx!</body></html>").error == "not JSON");
  CHECK_FALSE(parse_imds("[1, 2, 3]").error.empty());
  CHECK_FALSE(parse_imds(R"({"error": "Bad request"})").error.empty());
  // Whatever listens on the metadata address is not trusted: deep nesting and a document cut short.
  CHECK_FALSE(parse_imds(std::string(100000, '[') + std::string(100000, ']')).error.empty());
  CHECK(parse_imds(std::string(100000, '[')).error == "not JSON");
  CHECK(parse_imds(test::fixture_text("imds-eastus.json").substr(0, 900)).error == "not JSON");

  const auto odd = parse_imds(R"({
    "compute": {"location": 42, "vmSize": ["Standard_D4s_v3"], "name": null},
    "network": {"interface": [
      {"ipv4": {"ipAddress": [{"privateIpAddress": "10.0.0.4"}, {"privateIpAddress": "not-an-ip"}, "junk"],
                "subnet": [{"address": "10.0.0.0", "prefix": 24}, {"address": "10.0.9.0", "prefix": "99"}]}},
      "junk", {"ipv4": "junk"}]}})");
  CHECK(odd.error.empty());
  CHECK(odd.location == "42");
  CHECK(odd.vm_size.empty());
  CHECK(odd.private_ips == std::vector<std::string>{"10.0.0.4"});
  REQUIRE(odd.subnets.size() == 1);
  CHECK(odd.subnets[0].to_string() == "10.0.0.0/24");
  std::string warnings;
  for (const auto& w : odd.warnings) warnings += w + "\n";
  INFO(warnings);
  CHECK(contains(warnings, "compute.vmSize is not a string"));
  CHECK(contains(warnings, "private address 'not-an-ip' is not an IP address"));
  CHECK(contains(warnings, "subnet '10.0.9.0/99' is not an address range"));
}

TEST_CASE("instance metadata served by a real nginx on loopback is fetched and read", "[imds][nginx]") {
  if (!vt::have_program("nginx")) {
    WARN("skipped: nginx is not installed");
    return;
  }
  const vt::TempDir dir;
  const vt::Nginx nginx({metadata_site(200, "application/json; charset=utf-8", document())}, dir);
  const auto started = Clock::now();
  const auto result = fetch_imds(settings_for(url("127.0.0.1", nginx.port(0))));
  const auto took = ms_since(started);
  INFO(result.detail);
  REQUIRE(result.status == ImdsStatus::ok);
  CHECK(result.http_status == 200);
  CHECK(result.url == url("127.0.0.1", nginx.port(0)) + kInstancePath);
  REQUIRE(result.info);
  CHECK(result.info->location == "eastus");
  CHECK(result.info->subnets.size() == 3);
  CHECK(took < 1500);
  // What nginx saw: the instance path and API version, straight from vnetdiag (its User-Agent).
  const auto log = vt::access_logs(dir);
  INFO(log);
  CHECK(contains(log, "\"GET " + kInstancePath + " HTTP/1.1\" 200"));
  CHECK(contains(log, "vnetdiag/"));
}

TEST_CASE("the request carries Metadata: true and no X-Forwarded-For, so a server enforcing IMDS's rule answers it",
          "[imds]") {
  test::ImdsStandIn stand_in(document());
  const auto result = fetch_imds(settings_for(url("127.0.0.1", stand_in.port())));
  const auto request = stand_in.request();
  INFO(request);
  INFO(result.detail);
  CHECK(result.status == ImdsStatus::ok);
  CHECK(request.starts_with("GET " + kInstancePath + " HTTP/1.1\r\n"));
  CHECK(contains(request, "\r\nMetadata: true\r\n"));
  CHECK_FALSE(contains(request, "X-Forwarded-For"));
  CHECK_FALSE(contains(request, "Proxy-Authorization"));
}

TEST_CASE("without the header the same stand-in answers 400, as IMDS does, and that is reported as rejected", "[imds]") {
  test::ImdsStandIn stand_in(document());
  auto target = *imds_target(settings_for(stand_in.url()));
  target.http->headers.clear();
  EngineOptions options;
  options.hosts_file = "";
  options.budgets.deadline = 3s;
  const auto run = run_probes({target}, options);
  REQUIRE(run.targets.size() == 1);
  const auto judged = judge_imds(run.targets[0], stand_in.url());
  CHECK(judged.status == ImdsStatus::rejected);
  CHECK(judged.http_status == 400);
  CHECK(contains(judged.detail, "Required metadata header not specified"));
  CHECK_FALSE(contains(stand_in.request(), "Metadata"));
}

TEST_CASE("the metadata request goes direct even when the engine has a proxy", "[imds][nginx]") {
  if (!vt::have_program("nginx")) {
    WARN("skipped: nginx is not installed");
    return;
  }
  const vt::TempDir dir;
  const vt::Nginx nginx({metadata_site(200, "application/json", document())}, dir);
  EngineOptions options;
  options.hosts_file = "";
  options.budgets.deadline = 3s;
  // A proxy that would refuse everything: the request only succeeds if it is not used.
  options.proxy.http_proxy = ProxyUrl::parse("http://127.0.0.1:" + std::to_string(vt::free_port()), nullptr);
  options.proxy.https_proxy = options.proxy.http_proxy;
  options.proxy.origin = "test";
  options.body_cap = 64 * 1024;
  const auto run = run_probes({*imds_target(settings_for(url("127.0.0.1", nginx.port(0))))}, options);
  REQUIRE(run.targets.size() == 1);
  CHECK(run.targets[0].route == Route::direct);
  CHECK_FALSE(run.targets[0].proxy);
  const auto judged = judge_imds(run.targets[0], "test");
  INFO(judged.detail);
  CHECK(judged.status == ImdsStatus::ok);
}

TEST_CASE("a metadata address that rejects the request or serves something else is reported as such", "[imds][nginx]") {
  if (!vt::have_program("nginx")) {
    WARN("skipped: nginx is not installed");
    return;
  }
  const vt::TempDir dir;
  const vt::Nginx nginx({metadata_site(400, "application/json; charset=utf-8",
                                       R"({"error": "Bad request. Required metadata header not specified"})"),
                         metadata_site(200, "text/html", "<html><body>Welcome to nginx!</body></html>")},
                        dir);
  const auto rejected = fetch_imds(settings_for(url("127.0.0.1", nginx.port(0))));
  CHECK(rejected.status == ImdsStatus::rejected);
  CHECK(rejected.http_status == 400);
  CHECK(rejected.detail == R"(HTTP 400 Bad Request: {"error": "Bad request. Required metadata header not specified"})");
  CHECK_FALSE(rejected.info);

  const auto other = fetch_imds(settings_for(url("127.0.0.1", nginx.port(1))));
  CHECK(other.status == ImdsStatus::bad_document);
  CHECK(other.detail == "not JSON");
}

TEST_CASE("a closed metadata port is reported unreachable at once", "[imds][timing]") {
  const auto started = Clock::now();
  const auto result = fetch_imds(settings_for(url("127.0.0.1", vt::free_port())));
  const auto took = ms_since(started);
  WARN("closed metadata port took " << took << " ms; the engine measured " << result.ms << " ms");
  CHECK(result.status == ImdsStatus::unreachable);
  CHECK(contains(result.detail, "connection refused"));
  CHECK(took < 500);
}

TEST_CASE("a metadata address that drops every packet costs no more than its timeout", "[imds][timing][netns]") {
  std::string why;
  if (!vt::BlackholeNetns::available(&why)) {
    WARN("skipped: network namespaces unavailable: " << why);
    return;
  }
  const vt::BlackholeNetns blackhole;
  const auto settings = settings_for(url(blackhole.addresses().front(), 80));  // the production timeout, 1500 ms
  const auto started = Clock::now();
  const auto result = fetch_imds(settings);
  const auto took = ms_since(started);
  WARN("unreachable metadata address (black hole) took " << took << " ms for a " << settings.imds_timeout.count()
                                                         << " ms timeout; the engine measured " << result.ms << " ms");
  INFO(result.detail);
  CHECK(result.status == ImdsStatus::unreachable);
  CHECK(contains(result.detail, "no answer"));
  CHECK(took >= static_cast<double>(settings.imds_timeout.count()) * 0.9);  // it really waited: a true black hole
  CHECK(took <= static_cast<double>((settings.imds_timeout + kSlack).count()));
}

TEST_CASE("a metadata address that accepts but never answers costs no more than its timeout", "[imds][timing]") {
  const vt::SilentListener silent;
  const auto settings = settings_for(url(silent.ip(), silent.port()), 800ms);
  const auto started = Clock::now();
  const auto result = fetch_imds(settings);
  const auto took = ms_since(started);
  WARN("silent metadata listener took " << took << " ms for a " << settings.imds_timeout.count() << " ms timeout");
  INFO(result.detail);
  CHECK(result.status == ImdsStatus::no_response);
  CHECK(took <= static_cast<double>((settings.imds_timeout + kSlack).count()));
}
