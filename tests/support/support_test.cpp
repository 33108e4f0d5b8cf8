// Self-tests for the test-support fixtures: each one is checked against the real tools (dig, curl,
// openssl) on loopback or inside a namespace the fixture made, never anything further away.

#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/dns_wire.hpp"
#include "tests/support/dnsmasq.hpp"
#include "tests/support/fault_dns.hpp"
#include "tests/support/netns.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/process.hpp"
#include "tests/support/silent_listener.hpp"
#include "tests/support/sockets.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tinyproxy.hpp"

namespace vt = vnetdiag::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// dig's tab-aligned output with every run of blanks squeezed to one space, so checks can be
// written as "name. 0 IN A 127.10.0.5".
std::string squeeze(const std::string& text) {
  return std::regex_replace(text, std::regex("[ \t]+"), " ");
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// CHECKs that `needle` occurs in `text` (a tool's output, evaluated once) and prints all of it when
// it does not.
#define CHECK_OUTPUT(text, needle)                   \
  do {                                               \
    const std::string checked_output_ = (text);      \
    INFO(checked_output_);                           \
    CHECK(contains(checked_output_, (needle)));      \
  } while (false)

// CHECKs `condition` and prints `text` (a tool's output) when it fails.
#define CHECK_WITH(text, condition) \
  do {                              \
    INFO(text);                     \
    CHECK(condition);               \
  } while (false)

vt::CommandResult dig(const std::string& ip, std::uint16_t port, std::vector<std::string> args) {
  std::vector<std::string> argv{"dig", "@" + ip, "-p", std::to_string(port), "+time=1", "+tries=1"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = vt::run_command(argv, 10s);
  result.output = squeeze(result.output);
  return result;
}

bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

bool have_tools(std::initializer_list<const char*> programs) {
  for (const char* program : programs) {
    if (!vt::have_program(program)) {
      WARN("skipped: '" << program << "' is not installed");
      return false;
    }
  }
  return true;
}

std::string curl_write_out(const vt::CommandResult& result) {
  const auto marker = result.output.rfind("\nWRITE_OUT ");
  return marker == std::string::npos ? "" : result.output.substr(marker + 11);
}

}  // namespace

TEST_CASE("a TempDir holds written files and disappears with them", "[support]") {
  std::filesystem::path where;
  {
    const vt::TempDir dir;
    where = dir.path();
    const auto file = dir.write("sub/config.txt", "hello\n");
    REQUIRE(std::filesystem::exists(file));
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    CHECK(line == "hello");
    CHECK(file.parent_path().parent_path() == where);
  }
  CHECK_FALSE(std::filesystem::exists(where));
}

TEST_CASE("a ChildProcess logs its output and reports how it ended", "[support][process]") {
  const vt::TempDir dir;
  vt::ChildProcess child({"sh", "-c", "echo started; echo oops >&2; exit 3"}, dir.path() / "child.log");
  const auto deadline = Clock::now() + 5s;
  while (child.running() && Clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  CHECK(child.exit_status() == 3);
  CHECK_OUTPUT(child.log_tail(), "started\n");
  CHECK_OUTPUT(child.log_tail(), "oops\n");
}

TEST_CASE("a ChildProcess that ignores SIGTERM is killed after its grace period and reaped", "[support][process]") {
  const vt::TempDir dir;
  pid_t pid = 0;
  const auto started = Clock::now();
  {
    // An ignored SIGTERM survives exec, so sleep itself ignores it.
    vt::ChildProcess child({"sh", "-c", "trap '' TERM; echo ready; exec sleep 30"}, dir.path() / "stubborn.log",
                           300ms);
    pid = child.pid();
    vt::wait_for_ready(child, [&] { return contains(child.log_tail(), "ready"); }, 5s, "sh");
  }
  const auto took = Clock::now() - started;
  CHECK(took >= 300ms);
  CHECK(took < 2s);
  CHECK(process_gone(pid));
}

TEST_CASE("run_command captures output and kills a command that overruns its timeout", "[support][process]") {
  const auto ok = vt::run_command({"sh", "-c", "echo out; echo err >&2"});
  CHECK(ok.exit_code == 0);
  CHECK_FALSE(ok.timed_out);
  CHECK_OUTPUT(ok.output, "out\n");
  CHECK_OUTPUT(ok.output, "err\n");

  const auto started = Clock::now();
  const auto slow = vt::run_command({"sleep", "5"}, 200ms);
  CHECK(slow.timed_out);
  CHECK(slow.exit_code == 128 + SIGKILL);
  CHECK(Clock::now() - started < 2s);
}

TEST_CASE("free ports can be bound and wait_for_tcp gives up on a closed one", "[support][process]") {
  const auto tcp = vt::free_port();
  CHECK(tcp > 0);
  CHECK_NOTHROW(vt::bound_socket("127.0.0.1", tcp, SOCK_STREAM));
  const auto both = vt::free_port_tcp_udp();
  CHECK_NOTHROW(vt::bound_socket("127.0.0.1", both, SOCK_STREAM));
  CHECK_NOTHROW(vt::bound_socket("127.0.0.1", both, SOCK_DGRAM));
  CHECK(vt::free_port(true, "::1") > 0);

  const auto started = Clock::now();
  CHECK_THROWS_WITH(vt::wait_for_tcp("127.0.0.1", vt::free_port(), 100ms), Catch::Contains("nothing accepted"));
  CHECK(Clock::now() - started < 1s);
}

TEST_CASE("programs are found in sbin and missing ones are reported", "[support][process]") {
  CHECK(vt::have_program("sh"));
  CHECK_FALSE(vt::have_program("vnetdiag-no-such-program"));
  CHECK_THROWS_WITH(vt::find_program("vnetdiag-no-such-program"), Catch::Contains("not found"));
  if (vt::have_program("dnsmasq")) {
    CHECK(vt::find_program("dnsmasq").ends_with("/dnsmasq"));
  }
}

TEST_CASE("dnsmasq serves a private-link CNAME chain that dig resolves over UDP and TCP", "[support][dnsmasq]") {
  if (!have_tools({"dnsmasq", "dig"})) {
    return;
  }
  const vt::TempDir dir;
  pid_t pid = 0;
  {
    const auto started = Clock::now();
    const vt::Dnsmasq dns(
        {.listen_ip = "127.0.0.1",
         .port = 0,
         .cnames = {{"sa.blob.core.windows.net", "sa.privatelink.blob.core.windows.net"}},
         .addresses = {{"sa.privatelink.blob.core.windows.net", "127.10.0.5"},
                       {"ws.privatelink.api.azureml.ms", "127.10.0.6"},
                       {"ws.privatelink.api.azureml.ms", "fd00::6"}},
         .local_zones = {"core.windows.net", "api.azureml.ms"},
         .silent_zones = {},
         .forward_zones = {}},
        dir);
    WARN("dnsmasq ready in " << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
                             << " ms");
    pid = dns.pid();
    CHECK(dns.address() == "127.0.0.1:" + std::to_string(dns.port()));

    for (const char* transport : {"+notcp", "+tcp"}) {
      const auto chain = dig(dns.ip(), dns.port(), {"sa.blob.core.windows.net", "A", transport});
      CHECK_WITH(chain.output, chain.exit_code == 0);
      CHECK_OUTPUT(chain.output, "status: NOERROR");
      CHECK_OUTPUT(chain.output, "sa.blob.core.windows.net. 0 IN CNAME sa.privatelink.blob.core.windows.net.");
      CHECK_OUTPUT(chain.output, "sa.privatelink.blob.core.windows.net. 0 IN A 127.10.0.5");
    }

    const auto both = dig(dns.ip(), dns.port(), {"ws.privatelink.api.azureml.ms", "AAAA"});
    CHECK_OUTPUT(both.output, "IN AAAA fd00::6");

    const auto unknown = dig(dns.ip(), dns.port(), {"nope.blob.core.windows.net"});
    CHECK_OUTPUT(unknown.output, "status: NXDOMAIN");

    // Outside every configured zone dnsmasq has nowhere to forward to; it refuses rather than
    // asking the machine's resolvers.
    const auto outside = dig(dns.ip(), dns.port(), {"example.com"});
    CHECK_OUTPUT(outside.output, "status: REFUSED");
  }
  CHECK(process_gone(pid));
}

TEST_CASE("a CNAME into a zone without the record is NODATA from dnsmasq but NXDOMAIN with the CNAME via a "
          "forwarded zone",
          "[support][dnsmasq]") {
  if (!have_tools({"dnsmasq", "dig"})) {
    return;
  }
  const vt::TempDir dir;
  vt::FaultDnsServer azure_dns;
  azure_dns.set_cname("sa2.blob.core.windows.net", "sa2.privatelink.blob.core.windows.net");
  const vt::Dnsmasq dns({.listen_ip = "127.0.0.1",
                         .port = 0,
                         .cnames = {{"sa3.blob.core.windows.net", "sa3.privatelink.blob.core.windows.net"}},
                         .addresses = {},
                         .local_zones = {"core.windows.net"},
                         .silent_zones = {},
                         .forward_zones = {{"sa2.blob.core.windows.net", azure_dns.address()}}},
                        dir);

  // dnsmasq 2.90 ends a local CNAME whose target it does not know with NOERROR, never NXDOMAIN.
  const auto local = dig(dns.ip(), dns.port(), {"sa3.blob.core.windows.net"});
  CHECK_OUTPUT(local.output, "status: NOERROR");
  CHECK_OUTPUT(local.output, "ANSWER: 1,");
  CHECK_OUTPUT(local.output, "sa3.blob.core.windows.net. 0 IN CNAME sa3.privatelink.blob.core.windows.net.");

  // What Azure DNS answers for a private-link name with no record, passed through real dnsmasq.
  const auto forwarded = dig(dns.ip(), dns.port(), {"sa2.blob.core.windows.net"});
  CHECK_OUTPUT(forwarded.output, "status: NXDOMAIN");
  CHECK_OUTPUT(forwarded.output, "ANSWER: 1,");
  CHECK_OUTPUT(forwarded.output, "IN CNAME sa2.privatelink.blob.core.windows.net.");
  CHECK(azure_dns.queries_seen() >= 1);
}

TEST_CASE("dnsmasq never answers names in a silent zone so dig times out", "[support][dnsmasq]") {
  if (!have_tools({"dnsmasq", "dig"})) {
    return;
  }
  const vt::TempDir dir;
  const vt::Dnsmasq dns({.listen_ip = "127.0.0.1",
                         .port = 0,
                         .cnames = {},
                         .addresses = {{"ok.vnetdiag.test", "127.0.0.8"}},
                         .local_zones = {"vnetdiag.test"},
                         .silent_zones = {"blackhole.vnetdiag.test"},
                         .forward_zones = {}},
                        dir);
  const auto started = Clock::now();
  const auto silent = dig(dns.ip(), dns.port(), {"x.blackhole.vnetdiag.test"});
  CHECK_WITH(silent.output, silent.exit_code == 9);  // dig: no reply from server
  CHECK_OUTPUT(silent.output, "timed out");
  CHECK(Clock::now() - started >= 900ms);

  const auto answered = dig(dns.ip(), dns.port(), {"ok.vnetdiag.test"});
  CHECK_OUTPUT(answered.output, "IN A 127.0.0.8");
}

TEST_CASE("dnsmasq listens on ::1 and on other 127.x addresses", "[support][dnsmasq]") {
  if (!have_tools({"dnsmasq", "dig"})) {
    return;
  }
  const vt::TempDir dir;
  for (const char* ip : {"::1", "127.0.0.77"}) {
    const vt::Dnsmasq dns({.listen_ip = ip,
                           .port = 0,
                           .cnames = {},
                           .addresses = {{"v6.vnetdiag.test", "fd00::1"}},
                           .local_zones = {},
                           .silent_zones = {},
                           .forward_zones = {}},
                          dir);
    if (std::string(ip) == "::1") {
      CHECK(dns.address() == "[::1]:" + std::to_string(dns.port()));
    }
    const auto result = dig(dns.ip(), dns.port(), {"v6.vnetdiag.test", "AAAA"});
    CHECK_OUTPUT(result.output, "v6.vnetdiag.test. 0 IN AAAA fd00::1");
  }
}

TEST_CASE("the fault DNS server answers, follows CNAMEs and misbehaves per name", "[support][fault_dns]") {
  if (!have_tools({"dig"})) {
    return;
  }
  vt::FaultDnsServer server;
  server.set_address("ok.vnetdiag.test", "127.0.0.9");
  server.set_address("OK.vnetdiag.test", "::9");
  server.set_cname("alias.vnetdiag.test", "ok.vnetdiag.test");
  server.set_cname("dangling.vnetdiag.test", "missing.privatelink.vnetdiag.test");
  server.set("servfail.vnetdiag.test", vt::DnsFault::servfail);
  server.set("refused.vnetdiag.test", vt::DnsFault::refused);
  server.set("garbage.vnetdiag.test", vt::DnsFault::garbage);
  server.set("big.vnetdiag.test", vt::DnsFault::truncate);
  server.set_address("big.vnetdiag.test", "127.0.0.10");
  server.set_address("slow.vnetdiag.test", "127.0.0.11");
  server.set_delay("slow.vnetdiag.test", 300ms);
  CHECK(server.address() == "127.0.0.1:" + std::to_string(server.port()));
  const auto ip = server.ip();
  const auto port = server.port();

  const auto ok = dig(ip, port, {"ok.vnetdiag.test"});
  CHECK_OUTPUT(ok.output, "status: NOERROR");
  CHECK_OUTPUT(ok.output, "ok.vnetdiag.test. 60 IN A 127.0.0.9");
  CHECK_OUTPUT(dig(ip, port, {"ok.vnetdiag.test", "AAAA"}).output, "ok.vnetdiag.test. 60 IN AAAA ::9");

  const auto alias = dig(ip, port, {"Alias.VNetDiag.test"});
  CHECK_OUTPUT(alias.output, "IN CNAME ok.vnetdiag.test.");
  CHECK_OUTPUT(alias.output, "ok.vnetdiag.test. 60 IN A 127.0.0.9");

  const auto dangling = dig(ip, port, {"dangling.vnetdiag.test"});
  CHECK_OUTPUT(dangling.output, "status: NXDOMAIN");
  CHECK_OUTPUT(dangling.output, "dangling.vnetdiag.test. 60 IN CNAME missing.privatelink.vnetdiag.test.");

  CHECK_OUTPUT(dig(ip, port, {"unknown.vnetdiag.test"}).output, "status: NXDOMAIN");
  CHECK_OUTPUT(dig(ip, port, {"servfail.vnetdiag.test"}).output, "status: SERVFAIL");
  CHECK_OUTPUT(dig(ip, port, {"refused.vnetdiag.test"}).output, "status: REFUSED");

  const auto garbage = dig(ip, port, {"garbage.vnetdiag.test"});
  CHECK_OUTPUT(garbage.output, "Message parser reports malformed message packet");

  const auto truncated = dig(ip, port, {"big.vnetdiag.test", "+ignore"});
  CHECK_WITH(truncated.output, std::regex_search(truncated.output, std::regex("flags: qr aa tc")));
  CHECK_OUTPUT(truncated.output, "ANSWER: 0,");
  const auto retried = dig(ip, port, {"big.vnetdiag.test"});
  CHECK_OUTPUT(retried.output, "Truncated, retrying in TCP mode");
  CHECK_OUTPUT(retried.output, "big.vnetdiag.test. 60 IN A 127.0.0.10");

  const auto slow = dig(ip, port, {"slow.vnetdiag.test"});
  std::smatch took;
  REQUIRE(std::regex_search(slow.output, took, std::regex("Query time: ([0-9]+) msec")));
  CHECK(std::stoi(took[1]) >= 300);

  CHECK(server.queries_seen() >= 12);
}

TEST_CASE("the fault DNS server stays silent over UDP and TCP", "[support][fault_dns]") {
  vt::FaultDnsServer server;
  server.set("quiet.vnetdiag.test", vt::DnsFault::silent);
  const auto query = vt::dns_wire::make_query(7, "quiet.vnetdiag.test", vt::dns_wire::type_a);
  CHECK_FALSE(vt::udp_exchange(server.ip(), server.port(), query, 200ms).has_value());

  // TCP: the connection is accepted and the query read, but no reply ever comes.
  const auto address = vt::socket_address(server.ip(), server.port());
  vt::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(::connect(fd.get(), address.get(), address.length) == 0);
  std::vector<std::uint8_t> framed{0, static_cast<std::uint8_t>(query.size())};
  framed.insert(framed.end(), query.begin(), query.end());
  REQUIRE(::send(fd.get(), framed.data(), framed.size(), 0) == static_cast<ssize_t>(framed.size()));
  pollfd pfd{fd.get(), POLLIN, 0};
  CHECK(::poll(&pfd, 1, 200) == 0);

  const auto deadline = Clock::now() + 1s;
  while (server.queries_seen() < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(2ms);
  }
  CHECK(server.queries_seen() == 2);
}

TEST_CASE("Pki leaves verify against their own CA only and expired ones say so", "[support][pki]") {
  if (!have_tools({"openssl"})) {
    return;
  }
  const vt::TempDir dir;
  const auto started = Clock::now();
  vt::Pki pki(dir, "vnetdiag Test Root CA");
  vt::Pki other(dir, "Somebody Else CA");
  const auto good = pki.leaf({.dns_names = {"good.vnetdiag.test", "localhost"},
                              .ip_addresses = {"127.0.0.1"},
                              .not_before_offset = -3600s,
                              .not_after_offset = 86400s,
                              .common_name = ""});
  const auto expired = pki.leaf({.dns_names = {"expired.vnetdiag.test"},
                                 .ip_addresses = {},
                                 .not_before_offset = -7200s,
                                 .not_after_offset = -3600s,
                                 .common_name = "Expired Leaf"});
  const auto stranger = other.leaf({.dns_names = {"good.vnetdiag.test"},
                                    .ip_addresses = {},
                                    .not_before_offset = -3600s,
                                    .not_after_offset = 86400s,
                                    .common_name = ""});
  WARN("CA + 3 leaves minted in "
       << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms");

  CHECK(pki.ca_subject() == "CN=vnetdiag Test Root CA");
  CHECK(good.subject == "CN=good.vnetdiag.test");
  CHECK(good.issuer == "CN=vnetdiag Test Root CA");
  CHECK(expired.subject == "CN=Expired Leaf");
  CHECK(stranger.issuer == "CN=Somebody Else CA");

  const auto verify = [](const std::filesystem::path& ca, const std::filesystem::path& cert,
                         std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{"openssl", "verify", "-CAfile", ca.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(cert.string());
    return vt::run_command(argv);
  };
  const auto ok = verify(pki.ca_file(), good.cert, {"-verify_hostname", "good.vnetdiag.test"});
  CHECK_WITH(ok.output, ok.exit_code == 0);
  CHECK_OUTPUT(verify(pki.ca_file(), good.cert, {"-verify_ip", "127.0.0.1"}).output, ": OK");
  CHECK_OUTPUT(verify(pki.ca_file(), expired.cert).output, "error 10 at 0 depth");
  CHECK_OUTPUT(verify(pki.ca_file(), stranger.cert).output, "error 20 at 0 depth");
  CHECK_OUTPUT(verify(pki.ca_file(), good.cert, {"-verify_hostname", "wrong.vnetdiag.test"}).output,
                 "error 62 at 0 depth");

  const auto chain = vt::run_command({"openssl", "crl2pkcs7", "-nocrl", "-certfile", good.chain.string()});
  CHECK(chain.exit_code == 0);
  std::ifstream chain_file(good.chain);
  const std::string pem((std::istreambuf_iterator<char>(chain_file)), std::istreambuf_iterator<char>());
  CHECK(std::regex_search(pem, std::regex("BEGIN CERTIFICATE[\\s\\S]*BEGIN CERTIFICATE")));
}

TEST_CASE("nginx serves fixed statuses headers and bodies over HTTP", "[support][nginx]") {
  if (!have_tools({"nginx", "curl"})) {
    return;
  }
  const vt::TempDir dir;
  pid_t pid = 0;
  {
    const auto started = Clock::now();
    const vt::Nginx nginx({{.listen_ip = "127.0.0.1",
                            .port = 0,
                            .tls = false,
                            .cert = std::nullopt,
                            .server_name = "_",
                            .locations = {{.path = "/",
                                           .status = 200,
                                           .headers = {{"x-ms-request-id", "abc"}},
                                           .body = "hello $world \"quoted\"\n",
                                           .trickle_bytes_per_second = 0},
                                          {.path = "/denied",
                                           .status = 403,
                                           .headers = {{"x-ms-error-code", "AuthorizationFailure"},
                                                       {"Content-Type", "application/xml"}},
                                           .body = "<Error><Code>AuthorizationFailure</Code></Error>",
                                           .trickle_bytes_per_second = 0},
                                          {.path = "/moved",
                                           .status = 302,
                                           .headers = {{"Location", "https://login.example/next"}},
                                           .body = "",
                                           .trickle_bytes_per_second = 0}},
                            .same_port_as = std::nullopt}},
                          dir);
    WARN("nginx ready in " << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
                           << " ms");
    pid = nginx.pid();
    const auto base = "http://127.0.0.1:" + std::to_string(nginx.port(0));
    const auto get = [&](const std::string& path) {
      return vt::run_command({"curl", "-sS", "-i", "--noproxy", "*", "--max-time", "5", base + path});
    };

    const auto root = get("/anything");
    CHECK_OUTPUT(root.output, "HTTP/1.1 200 OK");
    CHECK_OUTPUT(root.output, "x-ms-request-id: abc");
    CHECK_OUTPUT(root.output, "Content-Type: text/plain");
    CHECK_OUTPUT(root.output, "hello $world \"quoted\"\n");

    const auto denied = get("/denied");
    CHECK_OUTPUT(denied.output, "HTTP/1.1 403 Forbidden");
    CHECK_OUTPUT(denied.output, "x-ms-error-code: AuthorizationFailure");
    CHECK_OUTPUT(denied.output, "Content-Type: application/xml");
    CHECK_OUTPUT(denied.output, "<Error><Code>AuthorizationFailure</Code></Error>");

    const auto moved = get("/moved");
    CHECK_OUTPUT(moved.output, "HTTP/1.1 302 Moved Temporarily");
    CHECK_OUTPUT(moved.output, "Location: https://login.example/next");
  }
  CHECK(process_gone(pid));
}

TEST_CASE("nginx answers a location that requires a header only when the header is exactly right",
          "[support][nginx]") {
  if (!have_tools({"nginx", "curl"})) {
    return;
  }
  const vt::TempDir dir;
  vt::NginxSite site;
  site.locations = {{.path = "/private",
                     .status = 200,
                     .headers = {{"Content-Type", "application/json"}},
                     .body = R"({"secret": "$ok"})",
                     .required_header = std::pair<std::string, std::string>{"Authorization", "Bearer t0k$n"},
                     .rejected_body = R"({"error": {"code": "InvalidAuthenticationToken"}})"}};
  const vt::Nginx nginx({site}, dir);
  const auto url = "http://127.0.0.1:" + std::to_string(nginx.port(0)) + "/private";
  const auto get = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv{"curl", "-sS", "-i", "--noproxy", "*", "--max-time", "5"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(url);
    return vt::run_command(argv);
  };

  const auto missing = get({});
  CHECK_OUTPUT(missing.output, "HTTP/1.1 401 Unauthorized");
  CHECK_OUTPUT(missing.output, "InvalidAuthenticationToken");
  const auto wrong = get({"-H", "Authorization: Bearer other"});
  CHECK_OUTPUT(wrong.output, "HTTP/1.1 401 Unauthorized");
  const auto right = get({"-H", "Authorization: Bearer t0k$n"});
  CHECK_OUTPUT(right.output, "HTTP/1.1 200 OK");
  CHECK_OUTPUT(right.output, "Content-Type: application/json");
  CHECK_OUTPUT(right.output, R"({"secret": "$ok"})");
}

TEST_CASE("nginx picks certificates by SNI on one TLS port and openssl s_client sees each verdict",
          "[support][nginx][pki]") {
  if (!have_tools({"nginx", "openssl"})) {
    return;
  }
  const vt::TempDir dir;
  vt::Pki pki(dir, "vnetdiag Test Root CA");
  vt::Pki other(dir, "Intercepting Proxy CA");
  const auto leaf = [](vt::Pki& ca, const std::string& name, std::chrono::seconds not_after) {
    return ca.leaf({.dns_names = {name},
                    .ip_addresses = {},
                    .not_before_offset = -7200s,
                    .not_after_offset = not_after,
                    .common_name = ""});
  };
  const auto site = [](vt::CertFiles cert, const std::string& name, std::optional<std::size_t> share) {
    return vt::NginxSite{.listen_ip = "127.0.0.1",
                         .port = 0,
                         .tls = true,
                         .cert = std::move(cert),
                         .server_name = name,
                         .locations = {},
                         .same_port_as = share};
  };
  const vt::Nginx nginx({site(leaf(pki, "good.vnetdiag.test", 86400s), "good.vnetdiag.test", std::nullopt),
                         site(leaf(pki, "expired.vnetdiag.test", -3600s), "expired.vnetdiag.test", 0),
                         site(leaf(other, "intercepted.vnetdiag.test", 86400s), "intercepted.vnetdiag.test", 0)},
                        dir);
  REQUIRE(nginx.port(0) == nginx.port(1));
  REQUIRE(nginx.port(0) == nginx.port(2));

  const auto s_client = [&](const std::string& sni, const std::string& expected_name) {
    auto result = vt::run_command({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(nginx.port(0)),
                                   "-servername", sni, "-verify_hostname", expected_name, "-CAfile",
                                   pki.ca_file().string()},
                                  5s);
    return result.output;
  };
  const auto good = s_client("good.vnetdiag.test", "good.vnetdiag.test");
  CHECK_OUTPUT(good, "Verify return code: 0 (ok)");
  CHECK_OUTPUT(good, "subject=CN = good.vnetdiag.test");

  const auto expired = s_client("expired.vnetdiag.test", "expired.vnetdiag.test");
  CHECK_OUTPUT(expired, "Verify return code: 10 (certificate has expired)");

  const auto intercepted = s_client("intercepted.vnetdiag.test", "intercepted.vnetdiag.test");
  // The chain carries the foreign root, so OpenSSL says 19 (self-signed in chain) rather than 20/21.
  CHECK_WITH(intercepted, std::regex_search(intercepted, std::regex("Verify return code: (19|20|21) ")));
  CHECK_OUTPUT(intercepted, "issuer=CN = Intercepting Proxy CA");

  // An unknown SNI lands on the default (first) site, whose certificate names someone else.
  const auto wrong = s_client("unknown.vnetdiag.test", "unknown.vnetdiag.test");
  CHECK_OUTPUT(wrong, "Verify return code: 62 (hostname mismatch)");
}

TEST_CASE("nginx trickles a large body so a download cannot finish quickly", "[support][nginx]") {
  if (!have_tools({"nginx", "curl"})) {
    return;
  }
  const vt::TempDir dir;
  const vt::Nginx nginx({{.listen_ip = "127.0.0.1",
                          .port = 0,
                          .tls = false,
                          .cert = std::nullopt,
                          .server_name = "_",
                          .locations = {{.path = "/slow",
                                         .status = 200,
                                         .headers = {{"x-test", "trickle"}},
                                         .body = "",
                                         .trickle_bytes_per_second = 2000}},
                          .same_port_as = std::nullopt}},
                        dir);
  const auto result = vt::run_command({"curl", "-sS", "--noproxy", "*", "--max-time", "1", "-D", "-", "-o",
                                       "/dev/null", "-w", "\nWRITE_OUT %{size_download}",
                                       "http://127.0.0.1:" + std::to_string(nginx.port(0)) + "/slow/file"},
                                      5s);
  CHECK_WITH(result.output, result.exit_code == 28);  // curl: operation timed out
  CHECK_OUTPUT(result.output, "HTTP/1.1 200 OK");
  CHECK_OUTPUT(result.output, "x-test: trickle");
  std::smatch length;
  REQUIRE(std::regex_search(result.output, length, std::regex("Content-Length: ([0-9]+)")));
  CHECK(std::stoul(length[1]) >= 1048576);
  CHECK(std::stoul(curl_write_out(result)) < 20000);
}

TEST_CASE("tinyproxy tunnels CONNECT to loopback nginx and refuses ports names and missing credentials",
          "[support][tinyproxy]") {
  if (!have_tools({"tinyproxy", "nginx", "curl"})) {
    return;
  }
  const vt::TempDir dir;
  vt::Pki pki(dir, "vnetdiag Test Root CA");
  const auto cert = pki.leaf({.dns_names = {"localhost"},
                              .ip_addresses = {"127.0.0.1"},
                              .not_before_offset = -3600s,
                              .not_after_offset = 86400s,
                              .common_name = ""});
  const vt::Nginx nginx({{.listen_ip = "127.0.0.1",
                          .port = 0,
                          .tls = true,
                          .cert = cert,
                          .server_name = "_",
                          .locations = {},
                          .same_port_as = std::nullopt},
                         {.listen_ip = "127.0.0.1",
                          .port = 0,
                          .tls = false,
                          .cert = std::nullopt,
                          .server_name = "_",
                          .locations = {},
                          .same_port_as = std::nullopt}},
                        dir);
  const auto tls_port = std::to_string(nginx.port(0));
  const auto other_port = std::to_string(nginx.port(1));

  pid_t pid = 0;
  {
    const auto started = Clock::now();
    const vt::Tinyproxy open_proxy({.listen_ip = "127.0.0.1",
                                    .port = 0,
                                    .connect_ports = {nginx.port(0)},
                                    .basic_auth = std::nullopt},
                                   dir);
    WARN("tinyproxy ready in "
         << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms");
    pid = open_proxy.pid();
    CHECK(open_proxy.url() == "http://127.0.0.1:" + std::to_string(open_proxy.port()));

    const auto via = [&](const vt::Tinyproxy& proxy, const std::string& target, std::vector<std::string> extra = {}) {
      std::vector<std::string> argv{"curl", "-sv", "--max-time", "5", "--proxy", proxy.url(), "--cacert",
                                    pki.ca_file().string(), "-o", "/dev/null", "-w",
                                    "\nWRITE_OUT %{http_connect} %{http_code}"};
      argv.insert(argv.end(), extra.begin(), extra.end());
      argv.push_back(target);
      return vt::run_command(argv, 10s);
    };

    for (const auto* host : {"localhost", "127.0.0.1"}) {
      const auto tunnel = via(open_proxy, std::string("https://") + host + ":" + tls_port + "/");
      CHECK_WITH(tunnel.output, tunnel.exit_code == 0);
      CHECK_WITH(tunnel.output, curl_write_out(tunnel) == "200 200");
    }

    const auto wrong_port = via(open_proxy, "https://127.0.0.1:" + other_port + "/");
    CHECK_WITH(wrong_port.output, curl_write_out(wrong_port) == "403 000");

    // Only loopback and BlackholeNetns hosts pass the filter; 0.0.0.0 would still be this
    // machine if the filter ever failed, so the check itself cannot leak traffic.
    const auto filtered = via(open_proxy, "https://0.0.0.0:" + tls_port + "/");
    CHECK_WITH(filtered.output, curl_write_out(filtered) == "403 000");
    CHECK_OUTPUT(open_proxy.log_tail(), "filtered domain \"0.0.0.0\"");
  }
  CHECK(process_gone(pid));

  const vt::Tinyproxy auth_proxy({.listen_ip = "127.0.0.1",
                                  .port = 0,
                                  .connect_ports = {},
                                  .basic_auth = std::make_pair(std::string("probe"), std::string("s3cret"))},
                                 dir);
  const auto target = "https://localhost:" + tls_port + "/";
  const auto curl = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv{"curl", "-sv", "--max-time", "5", "--proxy", auth_proxy.url(), "--cacert",
                                  pki.ca_file().string(), "-o", "/dev/null", "-w",
                                  "\nWRITE_OUT %{http_connect} %{http_code}"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(target);
    return vt::run_command(argv, 10s);
  };
  const auto anonymous = curl({});
  CHECK_WITH(anonymous.output, curl_write_out(anonymous) == "407 000");
  const auto authenticated = curl({"--proxy-user", "probe:s3cret"});
  CHECK_WITH(authenticated.output, curl_write_out(authenticated) == "200 200");
}

TEST_CASE("a SilentListener completes handshakes but never sends a byte", "[support][silent]") {
  const vt::SilentListener listener;
  CHECK(vt::try_connect(listener.ip(), listener.port(), 200ms) == vt::ConnectResult::connected);

  const auto address = vt::socket_address(listener.ip(), listener.port());
  vt::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(::connect(fd.get(), address.get(), address.length) == 0);
  const char hello[] = "\x16\x03\x01 ClientHello-ish";
  REQUIRE(::send(fd.get(), hello, sizeof(hello), 0) > 0);
  pollfd pfd{fd.get(), POLLIN, 0};
  CHECK(::poll(&pfd, 1, 200) == 0);
}

TEST_CASE("a BlackholeNetns makes connects and DNS queries time out and leaves nothing behind",
          "[support][netns]") {
  std::string why;
  if (!vt::BlackholeNetns::available(&why)) {
    WARN("skipped: network namespaces unavailable: " << why);
    return;
  }
  std::string first_name;
  std::string second_name;
  std::vector<std::string> host_addresses;
  {
    const auto started = Clock::now();
    const vt::BlackholeNetns first(2);
    WARN("namespace ready in "
         << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms");
    const vt::BlackholeNetns second;
    first_name = first.name();
    second_name = second.name();
    host_addresses = {first.host_address(), second.host_address()};
    REQUIRE(first.addresses().size() == 2);
    CHECK(first.host_address() != second.host_address());

    const auto listed = vt::run_command({"ip", "netns", "list"});
    CHECK_OUTPUT(listed.output, first_name);
    CHECK_OUTPUT(listed.output, second_name);

    for (const auto& address : first.addresses()) {
      CHECK(vt::try_connect(address, 443, 300ms) == vt::ConnectResult::timed_out);
    }
    const auto query = vt::dns_wire::make_query(9, "sa.blob.core.windows.net", vt::dns_wire::type_a);
    CHECK_FALSE(vt::udp_exchange(second.addresses().front(), 53, query, 300ms).has_value());

    if (vt::have_program("dig")) {
      const auto timed_out = dig(first.addresses().back(), 53, {"sa.blob.core.windows.net"});
      CHECK_WITH(timed_out.output, timed_out.exit_code == 9);
    }
  }
  const auto listed = vt::run_command({"ip", "netns", "list"});
  CHECK_FALSE(contains(listed.output, first_name));
  CHECK_FALSE(contains(listed.output, second_name));
  const auto links = vt::run_command({"ip", "-o", "-4", "addr", "show"});
  for (const auto& address : host_addresses) {
    CHECK_FALSE(contains(links.output, address + "/"));
  }
  CHECK_THROWS_AS(vt::BlackholeNetns(0), std::invalid_argument);
}
