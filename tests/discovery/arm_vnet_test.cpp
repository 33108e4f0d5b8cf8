// The VNet's ranges from Azure Resource Manager: the pure readers of the token, VM, NIC and VNet documents
// (recorded shapes), and the whole read against a real nginx on loopback standing in for the identity
// endpoint (plain HTTP, Metadata: true required) and for Resource Manager (TLS with a minted CA, bearer
// token required). Only 127.0.0.1 is ever contacted.

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/discovery/arm_vnet.hpp"
#include "tests/discovery/support.hpp"
#include "tests/support/nginx.hpp"
#include "tests/support/pki.hpp"
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

const std::string kGroup = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-ml-contoso";
const std::string kVmPath = kGroup + "/providers/Microsoft.Compute/virtualMachines/ml-jumpbox-01";
const std::string kNicPath = kGroup + "/providers/Microsoft.Network/networkInterfaces/ml-jumpbox-01-nic";
const std::string kVnetPath = kGroup + "/providers/Microsoft.Network/virtualNetworks/vnet-ml-eastus";
const std::string kTokenPath = "/metadata/identity/oauth2/token";
/// Distinctive, so that finding it anywhere is meaningful. Shaped like a JWT, as real ones are.
const std::string kToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ2bmV0ZGlhZy10ZXN0In0.S3cr3t-T0k3n_q9Zx";

std::string minified(const std::string& fixture) { return nlohmann::json::parse(test::fixture_text(fixture)).dump(); }

std::string token_response(const std::string& token) {
  return nlohmann::json{{"access_token", token},
                        {"client_id", "5d1e9a2c-3f4b-4e8a-9c7d-1a2b3c4d5e6f"},
                        {"expires_in", "86399"},
                        {"expires_on", "1715000000"},
                        {"ext_expires_in", "86399"},
                        {"not_before", "1714913300"},
                        {"resource", "https://management.azure.com/"},
                        {"token_type", "Bearer"}}
      .dump();
}

ImdsInfo this_vm() { return parse_imds(test::fixture_text("imds-eastus.json")); }

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::vector<std::string> texts(const std::vector<Cidr>& ranges) {
  std::vector<std::string> out;
  for (const auto& r : ranges) out.push_back(r.to_string());
  return out;
}

std::vector<std::string> texts(const std::vector<PeeredRange>& ranges) {
  std::vector<std::string> out;
  for (const auto& r : ranges) out.push_back(r.range.to_string() + " " + r.remote_vnet);
  return out;
}

/// Every string a caller can read from a result.
std::string everything_in(const ArmVnetResult& r) {
  std::string out = std::string(to_string(r.status)) + "\n" + std::string(to_string(r.step)) + "\n" + r.detail + "\n" +
                    r.arm_url + "\n" + r.vnet_name + "\n";
  for (const auto& s : texts(r.address_space)) out += s + "\n";
  for (const auto& s : texts(r.peered)) out += s + "\n";
  for (const auto& w : r.warnings) out += w + "\n";
  return out;
}

/// What an ARM error looks like (the body of a 401 or 403).
std::string arm_error(const std::string& code, const std::string& message) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

vt::NginxLocation arm_document(const std::string& path, const std::string& body, const std::string& token) {
  return {.path = path,
          .status = 200,
          .headers = {{"Content-Type", "application/json; charset=utf-8"}},
          .body = body,
          .required_header = std::pair<std::string, std::string>{"Authorization", "Bearer " + token},
          .rejected_status = 401,
          .rejected_body = arm_error("InvalidAuthenticationToken", "The access token is invalid.")};
}

/// What the stand-ins serve.
struct Scenario {
  int token_status = 200;
  std::string token_body = token_response(kToken);
  std::string required_token = kToken;  ///< what Resource Manager accepts
  int vnet_status = 200;                ///< 403: the identity may read the VM and NIC, not the VNet
};

/// The identity endpoint (plain HTTP, site 0) and Resource Manager (TLS for 127.0.0.1 from a minted CA,
/// site 1) on loopback, both real nginx.
class StandIns {
 public:
  explicit StandIns(const Scenario& scenario = {})
      : pki_(dir_, "vnetdiag Test ARM Root CA"),
        cert_(pki_.leaf({.dns_names = {}, .ip_addresses = {"127.0.0.1"}})),
        nginx_({identity_site(scenario), arm_site(scenario)}, dir_) {}

  /// Discovery settings pointing at both, with the minted CA as Resource Manager's trust store.
  DiscoverySettings settings(std::chrono::milliseconds timeout = 3000ms) const {
    DiscoverySettings s;
    s.paths.resolv_conf = test::fixture_path("resolv-custom.conf");
    s.paths.hosts_file = "";
    s.imds_base_url = "http://127.0.0.1:" + std::to_string(nginx_.port(0));
    s.arm.base_url = "https://127.0.0.1:" + std::to_string(nginx_.port(1));
    s.arm.ca_file = pki_.ca_file().string();
    s.arm.timeout = timeout;
    return s;
  }

  /// Every nginx access log line so far.
  std::string access_log() const { return vt::access_logs(dir_); }

  const vt::Pki& pki() const { return pki_; }

 private:
  static vt::NginxSite identity_site(const Scenario& scenario) {
    vt::NginxSite site;
    site.locations = {
        {.path = kTokenPath,
         .status = scenario.token_status,
         .headers = {{"Content-Type", "application/json; charset=utf-8"}},
         .body = scenario.token_body,
         // As IMDS: without the header, 400.
         .required_header = std::pair<std::string, std::string>{"Metadata", "true"},
         .rejected_status = 400,
         .rejected_body =
             R"({"error":"invalid_request","error_description":"Required metadata header not specified"})"},
        {.path = "/", .status = 404, .headers = {}, .body = "not found"}};
    return site;
  }

  vt::NginxSite arm_site(const Scenario& scenario) const {
    vt::NginxSite site;
    site.tls = true;
    site.cert = cert_;
    auto vnet = arm_document(kVnetPath, minified("arm-vnet.json"), scenario.required_token);
    if (scenario.vnet_status == 403) {
      vnet.status = 403;
      vnet.body = arm_error("AuthorizationFailed",
                            "The client '5d1e9a2c-3f4b-4e8a-9c7d-1a2b3c4d5e6f' does not have authorization to perform "
                            "action 'Microsoft.Network/virtualNetworks/read' over scope '" +
                                kVnetPath + "'.");
    }
    site.locations = {arm_document(kVmPath, minified("arm-vm.json"), scenario.required_token),
                      arm_document(kNicPath, minified("arm-nic.json"), scenario.required_token),
                      vnet,
                      {.path = "/", .status = 404, .headers = {}, .body = arm_error("ResourceNotFound", "not found")}};
    return site;
  }

  vt::TempDir dir_;
  vt::Pki pki_;
  vt::CertFiles cert_;
  vt::Nginx nginx_;
};

/// Settings that point every address at closed loopback ports: nothing real is ever asked.
DiscoverySettings closed_ports() {
  DiscoverySettings s;
  s.paths.hosts_file = "";
  s.imds_base_url = "http://127.0.0.1:" + std::to_string(vt::free_port());
  s.arm.base_url = "https://127.0.0.1:" + std::to_string(vt::free_port());
  return s;
}

/// While it lives: file descriptor 2 goes to a file, and spdlog's default logger writes everything, down to
/// trace, to it. `text()` is what was written.
class CapturedStderr {
 public:
  CapturedStderr() : path_(dir_.path() / "stderr.log"), previous_(spdlog::default_logger()) {
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
    auto logger = std::make_shared<spdlog::logger>("arm-test", std::make_shared<spdlog::sinks::stderr_sink_st>());
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~CapturedStderr() {
    spdlog::set_default_logger(previous_);
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  CapturedStderr(const CapturedStderr&) = delete;
  CapturedStderr& operator=(const CapturedStderr&) = delete;

  std::string text() const {
    spdlog::default_logger()->flush();
    std::fflush(stderr);
    std::ifstream in(path_);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  vt::TempDir dir_;
  std::filesystem::path path_;
  std::shared_ptr<spdlog::logger> previous_;
  int saved_ = -1;
};

bool have_nginx() {
  if (vt::have_program("nginx")) return true;
  WARN("skipped: nginx is not installed");
  return false;
}

}  // namespace

// ---- pure readers ----

TEST_CASE("the token is asked for the VM's cloud's Resource Manager, its URL encoded as the resource", "[arm][parse]") {
  CHECK(identity_token_target(Cloud::public_cloud) ==
        "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F");
  CHECK(identity_token_target(Cloud::china) ==
        "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.chinacloudapi.cn%2F");
  CHECK(
      identity_token_target(Cloud::usgov) ==
      "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.usgovcloudapi.net%2F");
}

TEST_CASE("a token response gives its access_token, and one without a usable token is an error that never quotes it",
          "[arm][parse]") {
  std::string error;
  CHECK(parse_token_response(token_response(kToken), error) == kToken);

  const std::string secret = "half a token with spaces";
  CHECK_FALSE(parse_token_response(R"({"access_token": ")" + secret + R"("})", error));
  CHECK(error == "the token response's access_token is not a bearer token");
  CHECK_FALSE(contains(error, secret));
  CHECK_FALSE(parse_token_response(R"({"token_type": "Bearer"})", error));
  CHECK(error == "the token response has no access_token");
  CHECK_FALSE(parse_token_response(R"({"access_token": 42})", error));
  CHECK(error == "the token response has no access_token");
  CHECK_FALSE(parse_token_response(R"({"access_token": ""})", error));
  CHECK_FALSE(parse_token_response("<html>Bad gateway</html>", error));
  CHECK(error == "not JSON");
  CHECK_FALSE(parse_token_response(R"(["access_token"])", error));
  CHECK(error == "not a JSON object");
}

TEST_CASE("the VM's network interface is the one marked primary, else the first listed", "[arm][parse]") {
  std::string error;
  CHECK(parse_primary_nic(test::fixture_text("arm-vm.json"), error) == kNicPath);

  const std::string a = kGroup + "/providers/Microsoft.Network/networkInterfaces/nic-a";
  const std::string b = kGroup + "/providers/Microsoft.Network/networkInterfaces/nic-b";
  const auto vm = [](const std::string& interfaces) {
    return R"({"properties": {"networkProfile": {"networkInterfaces": )" + interfaces + "}}}";
  };
  // A VM with one interface does not mark it primary.
  CHECK(parse_primary_nic(vm(R"([{"id": ")" + a + R"("}, {"id": ")" + b + R"("}])"), error) == a);
  CHECK(parse_primary_nic(vm(R"([{"id": ")" + a + R"(", "properties": {"primary": false}}, {"id": ")" + b +
                             R"(", "properties": {"primary": true}}])"),
                          error) == b);
  // "true" as a string is not primary; entries without an ID are passed over.
  CHECK(parse_primary_nic(vm(R"(["junk", {"properties": {"primary": true}}, {"id": ")" + a + R"("}, {"id": ")" + b +
                             R"(", "properties": {"primary": "true"}}])"),
                          error) == a);

  CHECK_FALSE(parse_primary_nic(vm("[]"), error));
  CHECK(error == "the VM document lists no network interface ID");
  CHECK_FALSE(parse_primary_nic(R"({"properties": {}})", error));
  CHECK(error == "the VM document has no properties.networkProfile.networkInterfaces list");
  CHECK_FALSE(parse_primary_nic(vm(R"([{"id": "/subscriptions/x/../../admin/networkInterfaces/y"}])"), error));
  CHECK(contains(error, "is not a network interface ID"));
  CHECK_FALSE(parse_primary_nic(vm(R"([{"id": "https://evil.example/networkInterfaces/y"}])"), error));
  CHECK_FALSE(parse_primary_nic(vm(R"([{"id": ")" + kVnetPath + R"("}])"), error));
}

TEST_CASE("a network interface's subnets come primary first, once each, and a subnet ID names its VNet in any case",
          "[arm][parse]") {
  std::string error;
  const auto subnets = parse_nic_subnets(test::fixture_text("arm-nic.json"), error);
  INFO(error);
  REQUIRE(subnets);
  CHECK(*subnets ==
        std::vector<std::string>{kVnetPath + "/subnets/snet-compute", kVnetPath + "/subnets/snet-compute-b"});

  CHECK(vnet_id_of_subnet(kVnetPath + "/subnets/snet-compute") == kVnetPath);
  // CLI output and some documents lowercase IDs; the cut and the type check ignore case.
  const std::string lower = "/subscriptions/0b1f/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v";
  CHECK(vnet_id_of_subnet(lower + "/SUBNETS/s") == lower);
  CHECK_FALSE(vnet_id_of_subnet(kVnetPath));
  CHECK_FALSE(vnet_id_of_subnet(kVnetPath + "/subnets/"));
  CHECK_FALSE(vnet_id_of_subnet(kVnetPath + "/subnets/s/extra"));
  CHECK_FALSE(vnet_id_of_subnet(kNicPath + "/subnets/s"));
  CHECK_FALSE(vnet_id_of_subnet("/subnets/s"));
  CHECK_FALSE(vnet_id_of_subnet(""));

  CHECK_FALSE(parse_nic_subnets(R"({"properties": {"ipConfigurations": [{"properties": {"subnet": {}}}]}})", error));
  CHECK(error == "the network interface document's IP configurations name no subnet");
  CHECK_FALSE(parse_nic_subnets(R"({"properties": {"ipConfigurations": {"subnet": "x"}}})", error));
  CHECK(error == "the network interface document has no properties.ipConfigurations list");
}

TEST_CASE("a VNet document gives its address space and the remote ranges of Connected peerings only", "[arm][parse]") {
  std::string error;
  const auto vnet = parse_vnet(test::fixture_text("arm-vnet.json"), error);
  INFO(error);
  REQUIRE(vnet);
  CHECK(vnet->name == "vnet-ml-eastus");
  CHECK(texts(vnet->address_space) == std::vector<std::string>{"10.144.128.0/18", "fd00:144::/48"});
  CHECK(texts(vnet->peered) == std::vector<std::string>{"10.100.0.0/16 vnet-hub"});  // not the Disconnected spoke
  CHECK(vnet->warnings.empty());

  const auto peerings = parse_vnet(R"({"name": "v", "properties": {
      "addressSpace": {"addressPrefixes": ["10.1.0.0/16", "10.1.0.0/16", "10.999.0.0/16", 7]},
      "virtualNetworkPeerings": [
        {"name": "initiated", "properties": {"peeringState": "Initiated",
          "remoteVirtualNetwork": {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/half"},
          "remoteAddressSpace": {"addressPrefixes": ["10.2.0.0/16"]}}},
        {"name": "fallback", "properties": {"peeringState": "connected",
          "remoteVirtualNetwork": {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/shared"},
          "remoteVirtualNetworkAddressSpace": {"addressPrefixes": ["10.3.0.0/22", "fd00:3::/48"]}}},
        {"name": "anonymous", "properties": {"peeringState": "Connected",
          "remoteAddressSpace": {"addressPrefixes": ["10.4.0.0/24"]}}},
        {"name": "empty", "properties": {"peeringState": "Connected",
          "remoteVirtualNetwork": {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/e"}}},
        {"name": "no state", "properties": {"remoteAddressSpace": {"addressPrefixes": ["10.5.0.0/24"]}}},
        "junk", null, {"properties": []}]}})",
                                   error);
  INFO(error);
  REQUIRE(peerings);
  CHECK(texts(peerings->address_space) == std::vector<std::string>{"10.1.0.0/16"});
  CHECK(texts(peerings->peered) ==
        std::vector<std::string>{"10.3.0.0/22 shared", "fd00:3::/48 shared", "10.4.0.0/24 "});
  std::string warnings;
  for (const auto& w : peerings->warnings) warnings += w + "\n";
  INFO(warnings);
  CHECK(contains(warnings, "addressSpace: '10.999.0.0/16' is not an address range"));
  CHECK(contains(warnings, "addressSpace: a non-string is not an address range"));
  CHECK(contains(warnings, "peering 'anonymous' names no remote virtual network"));
  CHECK(contains(warnings, "peering 'empty' is Connected but lists no remote address range"));
}

TEST_CASE("hostile or broken documents are errors naming what is missing, never an exception", "[arm][parse]") {
  std::string error;
  for (const std::string& text : {std::string(""), std::string("{\"properties\": {"), std::string(100000, '['),
                                  std::string("<html><body>Welcome to nginx!</body></html>")}) {
    CHECK_FALSE(parse_vnet(text, error));
    CHECK(error == "not JSON");
    CHECK_FALSE(parse_primary_nic(text, error));
    CHECK_FALSE(parse_nic_subnets(text, error));
    CHECK_FALSE(parse_token_response(text, error));
  }
  CHECK_FALSE(parse_vnet(std::string(100000, '[') + std::string(100000, ']'), error));
  CHECK_FALSE(parse_vnet("[]", error));
  CHECK(error == "not a JSON object");
  CHECK_FALSE(parse_vnet(R"({"name": "v"})", error));
  CHECK(error == "the virtual network document has no properties");
  CHECK_FALSE(parse_vnet(R"({"properties": {"addressSpace": {"addressPrefixes": "10.0.0.0/16"}}})", error));
  CHECK(error == "the virtual network document has no properties.addressSpace.addressPrefixes list");
  CHECK_FALSE(parse_vnet(R"({"properties": {"addressSpace": {"addressPrefixes": ["banana", null]}}})", error));
  CHECK(error == "the virtual network document lists no usable address range");
  CHECK_FALSE(parse_vnet(R"({"properties": "Succeeded"})", error));
  CHECK_FALSE(parse_primary_nic(R"({"properties": {"networkProfile": {"networkInterfaces": {"id": "x"}}}})", error));
  CHECK_FALSE(parse_primary_nic(R"({"properties": {"networkProfile": {"networkInterfaces": [{"id": 17}]}}})", error));
  CHECK(error == "the VM document lists no network interface ID");
  // A truncated document is not read as far as it goes.
  const auto vnet = test::fixture_text("arm-vnet.json");
  CHECK_FALSE(parse_vnet(vnet.substr(0, vnet.size() / 2), error));
  CHECK(error == "not JSON");
}

TEST_CASE("without instance metadata, a resourceId or usable URLs nothing is asked, and the reason is given", "[arm]") {
  const auto settings = closed_ports();
  const auto started = Clock::now();

  ImdsResult outside_azure;
  outside_azure.status = ImdsStatus::unreachable;
  outside_azure.detail = "connection refused: nothing listens there (not an Azure VM?)";
  const auto outside = read_vnet_ranges(settings, outside_azure);
  CHECK(outside.status == ArmVnetStatus::not_asked);
  CHECK(outside.step == ArmStep::none);
  CHECK(contains(outside.detail, "no instance metadata (unreachable: connection refused"));

  auto vm = this_vm();
  vm.resource_id.clear();
  const auto no_id = read_vnet_ranges(settings, vm);
  CHECK(no_id.status == ArmVnetStatus::not_asked);
  CHECK(no_id.detail == "the instance metadata names no compute.resourceId");

  auto plain = settings;
  plain.arm.base_url = "http://127.0.0.1:" + std::to_string(vt::free_port());
  const auto in_clear = read_vnet_ranges(plain, this_vm());
  CHECK(in_clear.status == ArmVnetStatus::not_asked);
  CHECK(contains(in_clear.detail, "is not an https:// URL"));

  auto no_metadata_url = settings;
  no_metadata_url.imds_base_url.clear();
  CHECK(read_vnet_ranges(no_metadata_url, this_vm()).status == ArmVnetStatus::not_asked);

  auto odd = this_vm();
  odd.resource_id = "/subscriptions/x/../../metadata/identity";
  CHECK(read_vnet_ranges(settings, odd).status == ArmVnetStatus::bad_document);
  CHECK(ms_since(started) < 200);  // a closed port was never even tried
}

TEST_CASE("the Resource Manager asked is the VM's cloud's unless the config names another", "[arm]") {
  auto settings = closed_ports();
  auto vm = this_vm();
  vm.resource_id.clear();  // not asked: only the URL it would use is seen
  settings.arm.base_url.clear();
  CHECK(read_vnet_ranges(settings, vm).arm_url == "https://management.azure.com");
  vm.az_environment = "AzureChinaCloud";
  CHECK(read_vnet_ranges(settings, vm).arm_url == "https://management.chinacloudapi.cn");
  vm.az_environment = "";
  settings.arm.cloud = Cloud::usgov;
  CHECK(read_vnet_ranges(settings, vm).arm_url == "https://management.usgovcloudapi.net");
  settings.arm.base_url = "https://127.0.0.1:8443/";
  CHECK(read_vnet_ranges(settings, vm).arm_url == "https://127.0.0.1:8443");
}

// ---- the whole read against real servers on loopback ----

TEST_CASE(
    "with a managed identity and read access, the VNet's address space and its connected peering's range are "
    "read from Resource Manager",
    "[arm][nginx]") {
  if (!have_nginx()) return;
  const StandIns stand_ins;
  const auto started = Clock::now();
  const auto result = read_vnet_ranges(stand_ins.settings(), this_vm());
  const auto took = ms_since(started);
  INFO(result.detail);
  REQUIRE(result.status == ArmVnetStatus::ok);
  CHECK(result.step == ArmStep::vnet);
  CHECK(result.http_status == 200);
  CHECK(result.vnet_name == "vnet-ml-eastus");
  CHECK(texts(result.address_space) == std::vector<std::string>{"10.144.128.0/18", "fd00:144::/48"});
  CHECK(texts(result.peered) == std::vector<std::string>{"10.100.0.0/16 vnet-hub"});
  CHECK(result.detail == "virtual network vnet-ml-eastus: 2 ranges, and 1 range of connected peerings");
  CHECK(took < 3000);

  // What the servers saw: a token for the real public-cloud audience, then VM → NIC → VNet, each accepted.
  const auto log = stand_ins.access_log();
  INFO(log);
  CHECK(contains(log, "\"GET " + kTokenPath +
                          "?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F HTTP/1.1\" 200"));
  CHECK(contains(log, "\"GET " + kVmPath + "?api-version=2023-09-01 HTTP/1.1\" 200"));
  CHECK(contains(log, "\"GET " + kNicPath + "?api-version=2023-09-01 HTTP/1.1\" 200"));
  CHECK(contains(log, "\"GET " + kVnetPath + "?api-version=2023-09-01 HTTP/1.1\" 200"));
  CHECK_FALSE(contains(log, "ml-jumpbox-01-nic-data"));  // the primary interface only
}

TEST_CASE("the token appears in no log line, even at trace level, and nowhere in the result", "[arm][nginx][secret]") {
  if (!have_nginx()) return;
  const StandIns stand_ins;
  const Scenario forbidden{.vnet_status = 403};
  const StandIns denying(forbidden);
  std::string captured;
  std::vector<ArmVnetResult> results;
  {
    const CapturedStderr stderr_capture;
    results.push_back(read_vnet_ranges(stand_ins.settings(), this_vm()));
    results.push_back(read_vnet_ranges(denying.settings(), this_vm()));
    spdlog::trace("arm-test: the capture works");
    captured = stderr_capture.text();
  }
  INFO(captured);
  CHECK(results[0].status == ArmVnetStatus::ok);
  CHECK(results[1].status == ArmVnetStatus::denied);
  // The capture saw the engine's debug lines: the token would have been there had anything logged it.
  CHECK(contains(captured, "arm-test: the capture works"));
  CHECK(contains(captured, "tls.handshake"));
  CHECK_FALSE(contains(captured, kToken));
  CHECK_FALSE(contains(captured, "S3cr3t"));
  for (const auto& r : results) {
    INFO(everything_in(r));
    CHECK_FALSE(contains(everything_in(r), kToken));
    CHECK_FALSE(contains(everything_in(r), "S3cr3t"));
  }
}

TEST_CASE("a VM without a managed identity is reported as no_identity, quickly", "[arm][nginx]") {
  if (!have_nginx()) return;
  const Scenario no_identity{.token_status = 400,
                             .token_body = R"({"error":"invalid_request","error_description":"Identity not found"})"};
  const StandIns stand_ins(no_identity);
  const auto started = Clock::now();
  const auto result = read_vnet_ranges(stand_ins.settings(), this_vm());
  const auto took = ms_since(started);
  INFO(result.detail);
  CHECK(result.status == ArmVnetStatus::no_identity);
  CHECK(result.step == ArmStep::token);
  CHECK(result.http_status == 400);
  CHECK(result.detail == "this VM has no managed identity: the identity endpoint answered 400 Identity not found");
  CHECK(result.address_space.empty());
  CHECK(took < 1000);
  CHECK_FALSE(contains(stand_ins.access_log(), "virtualMachines"));  // Resource Manager was never asked
}

TEST_CASE("a 403 on the VNet read is reported as denied, naming the VNet read and the 403", "[arm][nginx]") {
  if (!have_nginx()) return;
  const Scenario forbidden{.vnet_status = 403};
  const StandIns stand_ins(forbidden);
  const auto result = read_vnet_ranges(stand_ins.settings(), this_vm());
  INFO(result.detail);
  CHECK(result.status == ArmVnetStatus::denied);
  CHECK(result.step == ArmStep::vnet);
  CHECK(result.http_status == 403);
  CHECK(result.detail == "could not read virtual network vnet-ml-eastus: 403 AuthorizationFailed");
  CHECK(result.address_space.empty());
  CHECK(result.peered.empty());
}

TEST_CASE("a token Resource Manager does not accept gets 401 and is reported as denied", "[arm][nginx]") {
  if (!have_nginx()) return;
  const Scenario other_token{.required_token = "eyJ0eXAiOiJKV1QifQ.some-other-token.sig"};
  const StandIns stand_ins(other_token);
  const auto result = read_vnet_ranges(stand_ins.settings(), this_vm());
  INFO(result.detail);
  CHECK(result.status == ArmVnetStatus::denied);
  CHECK(result.step == ArmStep::vm);
  CHECK(result.http_status == 401);
  CHECK(result.detail == "could not read virtual machine ml-jumpbox-01: 401 InvalidAuthenticationToken");
}

TEST_CASE("a Resource Manager that accepts but never answers costs no more than the timeout", "[arm][nginx][timing]") {
  if (!have_nginx()) return;
  const StandIns identity;  // only its identity endpoint is used
  const vt::SilentListener silent;
  auto settings = identity.settings(1000ms);
  settings.arm.base_url = "https://127.0.0.1:" + std::to_string(silent.port());
  const auto started = Clock::now();
  const auto result = read_vnet_ranges(settings, this_vm());
  const auto took = ms_since(started);
  WARN("silent Resource Manager took " << took << " ms for a " << settings.arm.timeout.count()
                                       << " ms limit: " << result.detail);
  CHECK((result.status == ArmVnetStatus::timeout || result.status == ArmVnetStatus::unreachable));
  CHECK(result.step == ArmStep::vm);
  CHECK(contains(result.detail, "could not read virtual machine ml-jumpbox-01 within the 1000 ms limit"));
  CHECK(took <= static_cast<double>((settings.arm.timeout + 1s).count()));
}

TEST_CASE("Resource Manager is reached through the configured proxy, the identity endpoint never", "[arm][nginx]") {
  if (!have_nginx()) return;
  const StandIns stand_ins;
  auto settings = stand_ins.settings();
  // A proxy that refuses every connection: the token still comes, Resource Manager does not.
  settings.arm.proxy.https_proxy = ProxyUrl::parse("http://127.0.0.1:" + std::to_string(vt::free_port()), nullptr);
  settings.arm.proxy.http_proxy = settings.arm.proxy.https_proxy;
  settings.arm.proxy.origin = "test";
  const auto result = read_vnet_ranges(settings, this_vm());
  INFO(result.detail);
  CHECK(result.status == ArmVnetStatus::unreachable);
  CHECK(result.step == ArmStep::vm);
  CHECK(contains(result.detail, "could not read virtual machine ml-jumpbox-01: proxy http://127.0.0.1:"));
  const auto log = stand_ins.access_log();
  CHECK(contains(log, kTokenPath));
  CHECK_FALSE(contains(log, "virtualMachines"));
}

TEST_CASE("Resource Manager with a certificate from an untrusted CA is not sent the token", "[arm][nginx]") {
  if (!have_nginx()) return;
  const StandIns stand_ins;
  auto settings = stand_ins.settings();
  settings.arm.ca_file = "";  // the system trust store does not know the minted CA
  const auto result = read_vnet_ranges(settings, this_vm());
  INFO(result.detail);
  CHECK(result.status == ArmVnetStatus::unreachable);
  CHECK(result.step == ArmStep::vm);
  CHECK(contains(result.detail, "untrusted-issuer"));
  CHECK_FALSE(contains(stand_ins.access_log(), "virtualMachines"));
}
