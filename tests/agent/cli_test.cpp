// The command line as a script or an admin meets it: errors, exit codes, JSON.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/agent/run_vnetdiag.hpp"
#include "tests/support/knot.hpp"
#include "tests/support/netns.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/temp_dir.hpp"

using namespace vnetdiag::testing;
using nlohmann::json;

TEST_CASE("the version names the build and the libraries it was built with", "[cli]") {
  auto r = run_vnetdiag({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("vnetdiag 0.1.0") != std::string::npos);
  CHECK(r.output.find("commit ") != std::string::npos);
  CHECK(r.output.find("c-ares 1.") != std::string::npos);
  CHECK(r.output.find("OpenSSL 3.") != std::string::npos);
  CHECK(r.output.find("Boost 1.81") != std::string::npos);
}

TEST_CASE("the version names the trust store it loaded", "[cli]") {
  TempDir dir;
  Pki pki(dir, "vnetdiag version test CA");
  const std::string ca = pki.ca_file().string();
  auto r = run_command({"/usr/bin/env", "-u", "SSL_CERT_DIR", "SSL_CERT_FILE=" + ca, VNETDIAG_BINARY, "--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("\ntrust store: " + ca + " from SSL_CERT_FILE (1 certificate)\n"));

  // A store that cannot be loaded is said so; --version itself still succeeds.
  const std::string missing = (dir.path() / "absent.pem").string();
  r = run_command({"/usr/bin/env", "-u", "SSL_CERT_DIR", "SSL_CERT_FILE=" + missing, VNETDIAG_BINARY, "--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("trust store: " + missing + " from SSL_CERT_FILE (0 certificates); cannot load " +
                                       missing + ": not found"));
}

TEST_CASE("the help lists the commands and the exit codes", "[cli]") {
  auto r = run_vnetdiag({"--help"});
  CHECK(r.exit_code == 0);
  for (const char* word : {"check", "targets", "probe", "Exit status", "4  incomplete"}) {
    INFO(word);
    CHECK(r.output.find(word) != std::string::npos);
  }
}

TEST_CASE("every command's help names values as the man page does, without the parser's notation", "[cli]") {
  // CLI11's own words for types, checks and defaults: "UINT:INT in [1 - 100000]=128", "TEXT:FILE", "TEXT:{text,json}".
  const char* artefacts[] = {"TEXT", "UINT", "INT in [", ":FILE", ":{", "FLOAT", "=/etc", "=128", "=text", "=GET", "REQUIRED"};
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"}, {"check", "--help"},
                                              {"targets", "--help"}, {"probe", "--help"}}) {
    const auto r = run_vnetdiag(args);
    INFO(args.front() << " " << args.back() << ":\n" << r.output);
    CHECK(r.exit_code == 0);
    for (const char* artefact : artefacts) {
      INFO(artefact);
      CHECK(r.output.find(artefact) == std::string::npos);
    }
  }
  const auto check = run_vnetdiag({"check", "--help"});
  CHECK_THAT(check.output, Catch::Contains("--concurrency N"));
  CHECK_THAT(check.output, Catch::Contains("Targets probed at once, 1 to 100000 (default 128)"));
  CHECK_THAT(check.output, Catch::Contains("--resolv-conf FILE"));
  CHECK_THAT(check.output, Catch::Contains("--color WHEN"));
  CHECK_THAT(check.output, Catch::Contains("--fail-on LEVEL"));
}

TEST_CASE("bad arguments get a one-line error, the usage, and exit status 3", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const Case cases[] = {
      {{"probe", "bad;host"}, "'bad;host' is not HOST[:PORT]"},
      {{"probe", "example.test:99999"}, "is not HOST[:PORT]"},
      {{"probe", "--dns-server", "resolver.example", "x.test"}, "--dns-server 'resolver.example'"},
      {{"probe", "--vnet-cidr", "10.0.0.0/99", "x.test"}, "--vnet-cidr '10.0.0.0/99'"},
      {{"probe", "--proxy", "socks5://p:1080", "x.test"}, "--proxy"},
      {{"probe", "--deadline", "0", "x.test"}, "--deadline"},
      {{"probe"}, "targets is required"},
      {{"probe", "--no-such-option", "x.test"}, "--no-such-option"},
      {{"targets", "--workspace-json", "/nonexistent/ws.json"}, "/nonexistent/ws.json"},
      {{"targets", "--storage-account", "bad$(reboot)"}, "--storage-account"},
      {{"targets", "--cloud", "mars"}, "--cloud"},
  };
  for (const auto& c : cases) {
    INFO(c.args.front() << " " << (c.args.size() > 1 ? c.args[1] : ""));
    auto r = run_vnetdiag(c.args);
    CHECK(r.exit_code == 3);
    CHECK(r.output.starts_with("vnetdiag: "));
    CHECK(r.output.find(c.says) != std::string::npos);
    CHECK(r.output.find("Usage") != std::string::npos);
  }
}

TEST_CASE("probe --json reports every phase of a healthy private-endpoint host, and exits 0", "[cli][knot][nginx]") {
  TempDir dir;
  Pki pki(dir, "vnetdiag Test Root CA");
  Knot knot({{"core.windows.net", {"sa.blob CNAME sa.privatelink.blob", "sa.privatelink.blob A 127.21.0.5"}}}, dir);
  Nginx nginx({{.listen_ip = "127.21.0.5",
                .tls = true,
                .cert = pki.leaf({.dns_names = {"sa.blob.core.windows.net"}}),
                .locations = {{.status = 401, .headers = {{"x-ms-error-code", "NoAuthenticationInformation"}}}}}},
              dir);
  const auto empty_hosts = dir.write("hosts", "");
  auto r = run_vnetdiag({"probe", "sa.blob.core.windows.net:" + std::to_string(nginx.port(0)), "--dns-server", knot.address(),
                     "--hosts-file", empty_hosts.string(), "--ca-file", pki.ca_file().string(), "--vnet-cidr",
                     "127.21.0.0/16", "--path", "/?comp=list", "--header", "x-ms-version: 2021-08-06", "--json"});
  INFO(r.output);
  CHECK(r.exit_code == 0);
  auto doc = json::parse(json_part(r.output));
  const auto& t = doc["targets"][0];
  CHECK(t["healthy"] == true);
  CHECK(t["dns"][0]["chain"] == json::array({"sa.blob.core.windows.net", "sa.privatelink.blob.core.windows.net"}));
  CHECK(t["dns"][0]["addresses"][0]["ip"] == "127.21.0.5");
  CHECK(t["dns"][0]["addresses"][0]["inVnet"] == true);
  CHECK(t["tcp"][0]["status"] == "connected");
  CHECK(t["tls"]["status"] == "ok");
  CHECK(t["tls"]["chain"][0]["issuer"] == pki.ca_subject());
  CHECK(t["http"]["code"] == 401);
  CHECK(t["http"]["target"] == "/?comp=list");
  CHECK(t["dns"][0]["ms"].is_number());
  CHECK(t["tcp"][0]["ms"].is_number());
  CHECK(t["tls"]["ms"].is_number());
  CHECK(t["http"]["ms"].is_number());
}

TEST_CASE("probe exits 1 when a host fails, and prints its phases as a table", "[cli]") {
  TempDir dir;
  const auto empty_hosts = dir.write("hosts", "");
  auto r = run_vnetdiag({"probe", "127.0.0.1:9", "--hosts-file", empty_hosts.string(), "--dns-server", "127.0.0.1:9"});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("127.0.0.1:9  FAIL") != std::string::npos);
  CHECK(r.output.find("refused (ECONNREFUSED)") != std::string::npos);
}

TEST_CASE("probe exits 4 when the deadline cuts the run short", "[cli][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  BlackholeNetns hole;
  TempDir dir;
  const auto empty_hosts = dir.write("hosts", "");
  auto r = run_vnetdiag({"probe", hole.addresses()[0] + ":443", "--hosts-file", empty_hosts.string(), "--dns-server",
                     "127.0.0.1:9", "--connect-budget", "5000", "--deadline", "700", "--json"});
  CHECK(r.exit_code == 4);
  auto doc = json::parse(json_part(r.output));
  CHECK(doc["deadlineHit"] == true);
  CHECK(doc["targets"][0]["tcp"][0]["status"] == "deadline");
}
