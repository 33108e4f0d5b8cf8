// Proxy, path and machine-wide rules: each fires on its evidence and stays silent on the healthy twin.
#include <catch2/catch.hpp>

#include "builders.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;
using Codes = std::vector<std::string>;

namespace {

TargetBuilder arm() {
  return std::move(target("management.azure.com").id("arm").category("others").expect_public().reachable({401})
                       .custom_dns().address("4.150.240.10"));
}

TargetBuilder entra() {
  return std::move(target("login.microsoftonline.com").id("entra").category("others").expect_public().reachable({200})
                       .custom_dns().address("20.190.160.1"));
}

TargetBuilder workspace_api() {
  return std::move(target("1111.workspace.eastus.api.azureml.ms").id("workspace.api").category("dnsResolution")
                       .expect_private("privatelink.api.azureml.ms")
                       .custom_dns().cname("1111.workspace.eastus.privatelink.api.azureml.ms").address("10.0.1.4"));
}

Report report_with(const EnvironmentFacts& env, WorkspaceMetadata workspace = {}) {
  Scenario s;
  s.env = env;
  s.workspace = std::move(workspace);
  s.add(healthy_pypi());
  return s.report();
}

}  // namespace

// ------------------------------------------------------------------------------------------- proxy

TEST_CASE("VND-PXY-005: a private endpoint host sent through the proxy", "[rules][proxy]") {
  auto t = healthy_storage();
  t.result.tcp.clear();
  t.via_proxy(ProxyStatus::tunnel, 200);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-PXY-005"});
  CHECK(f[0].title == "Private endpoint hosts are sent through the proxy http://proxy.corp:3128");
  CHECK_THAT(f[0].fix, Catch::Contains("(or their domains: .blob.core.windows.net) to NO_PROXY"));
}

TEST_CASE("VND-PXY-005 stays silent for a public host through the proxy", "[rules][proxy]") {
  auto t = target("pypi.org").id("pypi").category("packageRepositories").custom_dns().address("151.101.0.223")
               .via_proxy(ProxyStatus::tunnel, 200).tls(TlsStatus::ok);
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-PXY-005 stays silent for a public service that a resolver maps to a private address", "[rules][proxy]") {
  auto t = target("mcr.microsoft.com").id("mcr").category("containerRegistry").expect_public().custom_dns()
               .address("10.0.5.9").via_proxy(ProxyStatus::tunnel, 200).tls(TlsStatus::ok);
  CHECK(findings_of(t).empty());
}

TEST_CASE("VND-PXY-001: the proxy asks for credentials", "[rules][proxy]") {
  auto t = arm().via_proxy(ProxyStatus::auth_required, 407);
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-PXY-001"});
  CHECK(f[0].level == Level::error);
  CHECK(f[0].category == "proxy");
  CHECK(f[0].evidence == "CONNECT management.azure.com:443 → 407 Proxy Authentication Required");
}

TEST_CASE("VND-PXY-001 stays silent when the proxy opens the tunnel", "[rules][proxy]") {
  CHECK(findings_of(arm().via_proxy(ProxyStatus::tunnel, 200).tls(TlsStatus::ok).http(401)).empty());
}

TEST_CASE("VND-PXY-002: the proxy's policy refuses the host", "[rules][proxy]") {
  CHECK(codes(findings_of(arm().via_proxy(ProxyStatus::denied, 403))) == Codes{"VND-PXY-002"});
  CHECK(findings_of(arm().via_proxy(ProxyStatus::tunnel, 200).tls(TlsStatus::ok).http(401)).empty());
}

TEST_CASE("VND-PXY-003: the proxy cannot reach the host itself", "[rules][proxy]") {
  const auto f = findings_of(arm().via_proxy(ProxyStatus::bad_gateway, 502));
  REQUIRE(codes(f) == Codes{"VND-PXY-003"});
  CHECK_THAT(f[0].evidence, Catch::Contains("502 Bad Gateway"));
  CHECK(findings_of(arm().via_proxy(ProxyStatus::tunnel, 200).tls(TlsStatus::ok).http(401)).empty());
}

TEST_CASE("VND-PXY-004: the proxy itself cannot be reached", "[rules][proxy]") {
  auto t = arm().via_proxy(ProxyStatus::connect_failed);
  t.result.proxy->detail = "connection refused";
  const auto f = findings_of(t);
  REQUIRE(codes(f) == Codes{"VND-PXY-004"});
  CHECK_THAT(f[0].evidence, Catch::Contains("connect-failed: connection refused"));
  CHECK(findings_of(arm().via_proxy(ProxyStatus::tunnel, 200).tls(TlsStatus::ok).http(401)).empty());
}

TEST_CASE("VND-PXY-006: a proxy variable that is not a usable URL", "[rules][proxy]") {
  EnvironmentFacts env;
  env.proxy.errors = {"https_proxy: not a proxy URL"};
  const auto r = report_with(env);
  REQUIRE(codes(r.findings) == Codes{"VND-PXY-006"});
  CHECK(r.findings[0].evidence == "https_proxy: not a proxy URL");
  CHECK(report_with({}).findings.empty());
}

TEST_CASE("VND-PXY-007: the proxy variables do not exempt the metadata service", "[rules][proxy]") {
  EnvironmentFacts env;
  env.proxy.variables = {{"https_proxy", "http://proxy.corp:3128", true}};
  env.imds.status = "ok";
  const auto r = report_with(env);
  REQUIRE(codes(r.findings) == Codes{"VND-PXY-007"});
  CHECK(r.findings[0].evidence == "proxy http://proxy.corp:3128; NO_PROXY: (empty)");
  env.proxy.variables.push_back({"no_proxy", "localhost,169.254.169.254", true});
  CHECK(report_with(env).findings.empty());
  env.proxy.variables.pop_back();
  env.imds.status = "not_asked";  // not on Azure, or not asked: nothing to say
  CHECK(report_with(env).findings.empty());
}

TEST_CASE("VND-PXY-007 is about the variables other tools follow, not vnetdiag's own proxy", "[rules][proxy]") {
  EnvironmentFacts env;
  env.imds.status = "ok";
  env.proxy.https_proxy = "http://proxy.corp:3128";  // from the config: the SDKs on this machine never see it
  env.proxy.origin = "config";
  CHECK(report_with(env).findings.empty());
}

TEST_CASE("VND-PXY-008: HTTP_PROXY without a matching http_proxy", "[rules][proxy]") {
  EnvironmentFacts env;
  env.proxy.variables = {{"HTTP_PROXY", "http://proxy.corp:3128", false}};
  const auto r = report_with(env);
  REQUIRE(codes(r.findings) == Codes{"VND-PXY-008"});
  CHECK(r.findings[0].level == Level::information);
  CHECK(r.findings[0].evidence == "HTTP_PROXY=http://proxy.corp:3128, http_proxy=(unset)");
  CHECK(exit_code(r) == 0);  // plain-HTTP URLs only: context, not a fault
  env.proxy.variables.push_back({"http_proxy", "http://proxy.corp:3128", true});
  CHECK(report_with(env).findings.empty());
}

// ------------------------------------------------------------------------------------------- path

/// A public service reached directly, such as the Azure Resource Manager front end.
TargetBuilder public_arm() {
  return target("management.azure.com").id("arm").category("others").expect_public().custom_dns().address("4.150.240.10");
}

TEST_CASE("VND-NET-001: a dropped port to a public service", "[rules][path]") {
  const auto f = findings_of(public_arm().tcp(TcpStatus::timeout));
  REQUIRE(codes(f) == Codes{"VND-NET-001"});
  CHECK(f[0].title == "TCP 443 dropped on the way to 1 host");
  CHECK(f[0].category == "networkSecurityRule");
  CHECK_THAT(f[0].evidence, Catch::Contains("management.azure.com:443 (4.150.240.10) timeout"));
  CHECK(findings_of(public_arm().works()).empty());
}

TEST_CASE("VND-NET-001: one host dropped on two ports is one finding naming both ports", "[rules][path]") {
  Scenario s;
  s.add(public_arm().tcp(TcpStatus::timeout));
  s.add(target("management.azure.com", 80).id("arm.http").category("others").expect_public().custom_dns()
            .address("4.150.240.10").tcp(TcpStatus::timeout));
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-NET-001"});
  CHECK(f[0].title == "TCP 443, 80 dropped on the way to 1 host");
  CHECK(s.names(f[0]) == std::vector<std::string>{"arm", "arm.http"});
}

TEST_CASE("VND-NET-002: a refused port", "[rules][path]") {
  const auto f = findings_of(public_arm().tcp(TcpStatus::refused));
  REQUIRE(codes(f) == Codes{"VND-NET-002"});
  CHECK(f[0].title == "TCP 443 refused by 1 host");
  CHECK(findings_of(public_arm().works()).empty());
}

TEST_CASE("VND-NET-007: a private endpoint address that is dropped, refused or unreachable", "[rules][path]") {
  for (auto status : {TcpStatus::timeout, TcpStatus::refused, TcpStatus::network_unreachable}) {
    const auto f = findings_of(workspace_api().tcp(status));
    REQUIRE(codes(f) == Codes{"VND-NET-007"});
    CHECK(f[0].level == Level::error);
    CHECK(f[0].title == "Private endpoint addresses that do not answer on TCP 443: 1 host");
    CHECK_THAT(f[0].evidence, Catch::Contains("1111.workspace.eastus.api.azureml.ms → 10.0.1.4 TCP 443"));
    CHECK_THAT(f[0].fix, Catch::Contains("stale record"));
  }
  CHECK(findings_of(workspace_api().works()).empty());
}

TEST_CASE("VND-NET-003: SMB 445 to the storage account black-holed", "[rules][path]") {
  auto smb = [] {
    return target("sa.file.core.windows.net", 445).id("storage.file.smb").category("storageAccount")
        .expect_private("privatelink.file.core.windows.net")
        .custom_dns().cname("sa.privatelink.file.core.windows.net").address("10.0.1.6");
  };
  const auto f = findings_of(smb().tcp(TcpStatus::timeout));
  REQUIRE(codes(f) == Codes{"VND-NET-003"});
  CHECK(f[0].title == "SMB (TCP 445) to the storage account is blocked");
  CHECK_THAT(f[0].fix, Catch::Contains("Outbound Storage 445"));
  CHECK(findings_of(smb().connected()).empty());
}

TEST_CASE("VND-NET-004: compute instance port 18881 blocked", "[rules][path]") {
  auto ci = [] {
    return target("ci1.eastus.instances.azureml.ms", 18881).id("ci.nodes").category("dnsResolution").expect_private()
        .custom_dns().address("10.0.1.4");
  };
  CHECK(codes(findings_of(ci().tcp(TcpStatus::refused))) == Codes{"VND-NET-004"});
  CHECK(findings_of(ci().connected()).empty());
}

TEST_CASE("VND-NET-005: no route to the host", "[rules][path]") {
  const auto f = findings_of(public_arm().tcp(TcpStatus::network_unreachable));
  REQUIRE(codes(f) == Codes{"VND-NET-005"});
  CHECK(f[0].category == "userDefinedRoute");
  CHECK(findings_of(public_arm().works()).empty());
}

TEST_CASE("VND-NET-006: every public destination dropped is a missing egress path, reported once", "[rules][path]") {
  Scenario s;
  s.add(arm().tcp(TcpStatus::timeout)).add(entra().tcp(TcpStatus::timeout)).add(workspace_api().works());
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-NET-006"});
  CHECK(s.names(f[0]) == std::vector<std::string>{"arm", "entra"});
}

TEST_CASE("VND-NET-006 stays silent when some public destination is reached", "[rules][path]") {
  Scenario s;
  s.add(arm().tcp(TcpStatus::timeout)).add(entra().works());
  CHECK(codes(s.findings()) == Codes{"VND-NET-001"});
}

TEST_CASE("VND-MCR-001: Microsoft Container Registry cut off", "[rules][path]") {
  auto mcr = [] { return target("mcr.microsoft.com").id("mcr").category("containerRegistry").reachable({200}).custom_dns().address("204.79.197.219"); };
  const auto f = findings_of(mcr().connected().tls(TlsStatus::reset));
  REQUIRE(codes(f) == Codes{"VND-MCR-001"});
  CHECK_THAT(f[0].fix, Catch::Contains("MicrosoftContainerRegistry and AzureFrontDoor.FirstParty"));
  CHECK(findings_of(mcr().works()).empty());
}

TEST_CASE("VND-AFD-001: Azure Front Door hosts cut off", "[rules][path]") {
  auto studio = [] { return target("ml.azure.com").id("studio").category("others").custom_dns().address("13.107.246.40"); };
  CHECK(codes(findings_of(studio().tcp(TcpStatus::timeout))) == Codes{"VND-AFD-001"});
  CHECK(findings_of(studio().works()).empty());
}

TEST_CASE("VND-PKG-001: package repositories cut off by the firewall", "[rules][path]") {
  auto pypi = healthy_pypi();
  pypi.tls(TlsStatus::reset);
  const auto f = findings_of(pypi);
  REQUIRE(codes(f) == Codes{"VND-PKG-001"});
  CHECK(f[0].level == Level::warning);
  CHECK(f[0].title == "Package repositories are blocked: pypi.org");
  CHECK(findings_of(healthy_pypi()).empty());
}

// ------------------------------------------------------------------------------------------- machine

TEST_CASE("VND-ENV-001: the Docker bridge overlaps the VNet", "[rules][environment]") {
  EnvironmentFacts env;
  env.docker_overlaps = {{"docker0", "172.17.0.0/16", "VNet range 172.17.0.0/16 (config vnet)"}};
  const auto r = report_with(env);
  REQUIRE(codes(r.findings) == Codes{"VND-ENV-001"});
  CHECK(r.findings[0].evidence == "docker0 172.17.0.0/16 covers VNet range 172.17.0.0/16 (config vnet)");
  CHECK_THAT(r.findings[0].fix, Catch::Contains("Do not use 172.17.0.0/16"));
  CHECK(report_with({}).findings.empty());
}

TEST_CASE("VND-ENV-002: a clock minutes off, which also explains out-of-date certificates", "[rules][environment]") {
  EnvironmentFacts env;
  env.clock_skew_seconds = 754;
  Scenario s;
  s.env = env;
  s.add(arm().connected().tls(TlsStatus::not_yet_valid));
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-ENV-002"});
  CHECK(f[0].title == "This machine's clock is 12 min 34 s behind the servers'");
  CHECK(s.names(f[0]) == std::vector<std::string>{"arm"});
  env.clock_skew_seconds = 30;  // within the threshold
  CHECK(report_with(env).findings.empty());
}

TEST_CASE("VND-ENV-003: the instance metadata service cannot be reached", "[rules][environment]") {
  EnvironmentFacts env;
  env.imds.status = "unreachable";
  env.imds.detail = "no answer within 2 s";
  const auto r = report_with(env);
  REQUIRE(codes(r.findings) == Codes{"VND-ENV-003"});
  CHECK(r.findings[0].evidence == "instance metadata unreachable: no answer within 2 s");
  env.imds.status = "ok";
  CHECK(report_with(env).findings.empty());
}

TEST_CASE("VND-ENV-003: a failing metadata target is that finding, not a dropped port as well", "[rules][environment]") {
  auto imds = [] { return target("169.254.169.254", 80).id("imds").category("environment").reachable({200}); };
  Scenario s;
  s.add(imds().tcp(TcpStatus::timeout, "169.254.169.254"));
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-ENV-003"});
  CHECK(s.names(f[0]) == std::vector<std::string>{"imds"});
  CHECK(f[0].evidence == "169.254.169.254:80: TCP 80 timeout");
  Scenario ok;
  ok.add(imds().tcp(TcpStatus::connected, "169.254.169.254").http(200));
  CHECK(ok.findings().empty());
}

TEST_CASE("VND-ENV-006: Azure DNS cannot be reached", "[rules][environment]") {
  auto azure = [] { return target("168.63.129.16", 53).id("azure.dns").category("environment"); };
  const auto f = findings_of(azure().tcp(TcpStatus::timeout, "168.63.129.16"));
  REQUIRE(codes(f) == Codes{"VND-ENV-006"});
  CHECK(f[0].level == Level::warning);
  CHECK(findings_of(azure().tcp(TcpStatus::connected, "168.63.129.16")).empty());
}

TEST_CASE("VND-ENV-004: compute in another region than the workspace", "[rules][environment]") {
  EnvironmentFacts env;
  env.imds.status = "ok";
  env.imds.region = "westus2";
  WorkspaceMetadata ws;
  ws.region = "eastus";
  const auto r = report_with(env, ws);
  REQUIRE(codes(r.findings) == Codes{"VND-ENV-004"});
  CHECK(r.findings[0].title == "This machine is in westus2, the workspace in eastus");
  ws.region = "WestUS2";
  CHECK(report_with(env, ws).findings.empty());
}

TEST_CASE("VND-ENV-007: settings that could not be read are one finding naming each", "[rules][environment]") {
  EnvironmentFacts env;
  env.unusable = {{"/etc/resolv.conf", "line 4: nameserver 'dns1' is not an IP address"},
                  {"/etc/hosts", "cannot be read (missing or not readable)"}};
  const auto r = report_with(env);
  REQUIRE(codes(r.findings) == Codes{"VND-ENV-007"});
  CHECK(r.findings[0].level == Level::warning);
  CHECK(r.findings[0].title == "Part of this machine's settings could not be read: /etc/resolv.conf, /etc/hosts");
  CHECK(r.findings[0].evidence ==
        "/etc/resolv.conf: line 4: nameserver 'dns1' is not an IP address; /etc/hosts: cannot be read (missing or not readable)");
  CHECK(report_with({}).findings.empty());
}

TEST_CASE("VND-ENV-008: a VM in another cloud than the checks", "[rules][environment]") {
  EnvironmentFacts env;
  env.imds.status = "ok";
  env.imds.az_environment = "AzureChinaCloud";
  env.imds.cloud = "china";
  WorkspaceMetadata ws;
  ws.cloud = "public";
  const auto r = report_with(env, ws);
  REQUIRE(codes(r.findings) == Codes{"VND-ENV-008"});
  CHECK(r.findings[0].title == "This VM runs in AzureChinaCloud, the checks are for the public cloud");
  ws.cloud = "china";
  CHECK(report_with(env, ws).findings.empty());
  env.imds.cloud = "";  // an environment vnetdiag has no table for is never the plan's
  env.imds.az_environment = "AzureStackCloud";
  CHECK(codes(report_with(env, ws).findings) == Codes{"VND-ENV-008"});
}

TEST_CASE("VND-ENV-005: a target vnetdiag could not probe", "[rules][environment]") {
  const auto f = findings_of(target("pypi.org").internal_error("std::bad_alloc"));
  REQUIRE(codes(f) == Codes{"VND-ENV-005"});
  CHECK(f[0].evidence == "pypi.org:443: std::bad_alloc");
  CHECK(findings_of(healthy_pypi()).empty());
}
