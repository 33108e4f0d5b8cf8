// One cause, one finding: correlation across targets and phases, levels, order and exit codes; and the
// rule table's own invariants.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "builders.hpp"
#include "reports/rules.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;
using Codes = std::vector<std::string>;

namespace {

/// A privatelink name that the custom DNS server answers publicly while Azure DNS answers privately.
TargetBuilder publicly_resolved(const std::string& account, const std::string& service) {
  const std::string host = account + "." + service + ".core.windows.net";
  const std::string alias = account + ".privatelink." + service + ".core.windows.net";
  return std::move(target(host).id("storage." + service + "." + account).category("storageAccount")
                       .expect_private("privatelink." + service + ".core.windows.net")
                       .custom_dns().cname(alias).address("20.60.1." + std::to_string(account.size()))
                       .azure_dns().cname(alias).address("10.0.1." + std::to_string(account.size()))
                       .connected().tls(TlsStatus::ok).http(403, {{"x-ms-error-code", "AuthorizationFailure"}}));
}

/// The end-to-end scenario of the issue, as evidence: five planted faults among healthy targets.
Scenario planted_faults() {
  Scenario s;
  // 1. a storage host resolving publicly (the zone is not linked: Azure DNS answers publicly too)
  s.add(target("sa.blob.core.windows.net").id("storage.blob").category("storageAccount")
            .expect_private("privatelink.blob.core.windows.net").reachable({401})
            .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
            .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
            .connected().tls(TlsStatus::ok).http(403, {{"x-ms-error-code", "AuthorizationFailure"}}));
  // 2. a key vault name missing from its privatelink zone
  s.add(target("kv.vault.azure.net").id("keyvault").category("keyVault").expect_private("privatelink.vaultcore.azure.net")
            .custom_dns().cname("kv.privatelink.vaultcore.azure.net").nxdomain()
            .azure_dns().cname("kv.privatelink.vaultcore.azure.net").nxdomain());
  // 3. a black-holed port 445
  s.add(target("sa.file.core.windows.net", 445).id("storage.file.smb").category("storageAccount")
            .expect_private("privatelink.file.core.windows.net")
            .custom_dns().cname("sa.privatelink.file.core.windows.net").address("10.0.1.6")
            .azure_dns().cname("sa.privatelink.file.core.windows.net").address("10.0.1.6")
            .tcp(TcpStatus::timeout));
  // 4. an intercepting certificate on a package repository
  s.add(target("pypi.org").id("pypi").category("packageRepositories").situational()
            .custom_dns().address("151.101.0.223").azure_dns().address("151.101.0.223")
            .connected().tls(TlsStatus::untrusted_issuer, std::string(kInspectionIssuer)));
  // 5. a proxy answering 407
  s.add(target("management.azure.com").id("arm").category("others").expect_public().reachable({401})
            .custom_dns().address("4.150.240.10").azure_dns().address("4.150.240.10")
            .via_proxy(ProxyStatus::auth_required, 407));
  // healthy ones
  s.add(std::move(healthy_storage("sa2").id("storage.blob.sa2")));
  s.add(target("sa.file.core.windows.net").id("storage.file").category("storageAccount")
            .expect_private("privatelink.file.core.windows.net")
            .custom_dns().cname("sa.privatelink.file.core.windows.net").address("10.0.1.6")
            .azure_dns().cname("sa.privatelink.file.core.windows.net").address("10.0.1.6")
            .works());
  s.add(target("files.pythonhosted.org").id("pypi.files").category("packageRepositories").situational()
            .custom_dns().address("151.101.1.63").works());
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("twelve names that one DNS server resolves publicly give one finding listing all twelve", "[correlation]") {
  Scenario s;
  for (const char* service : {"blob", "file", "queue", "table"})
    for (const char* account : {"sa", "data", "logs"}) s.add(publicly_resolved(account, service));
  s.add(healthy_pypi());
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-DNS-001"});
  CHECK(f[0].targets.size() == 12);
  CHECK(f[0].title == "DNS server 10.0.0.4:53 (resolv.conf) does not forward private link zones to Azure DNS");
  CHECK_THAT(f[0].fix, Catch::Contains("for blob.core.windows.net, file.core.windows.net, queue.core.windows.net, "
                                       "table.core.windows.net"));
  CHECK_THAT(f[0].evidence, Catch::Contains("(12):"));
  CHECK_THAT(f[0].evidence, Catch::EndsWith("and 6 more"));
}

TEST_CASE("two custom DNS servers that both fail to forward give one finding each", "[correlation]") {
  Scenario s;
  s.add(publicly_resolved("sa", "blob"));
  auto other = publicly_resolved("sb", "blob");
  other.result.dns[0].resolver = "10.0.0.5:53";
  s.add(other);
  CHECK(codes(s.findings()) == Codes{"VND-DNS-001", "VND-DNS-001"});
}

TEST_CASE("a symptom of an earlier phase is not a finding of its own", "[correlation]") {
  // DNS gives a public address; the connection to it then times out. The DNS answer is the cause.
  auto t = target("sa.blob.core.windows.net").expect_private("privatelink.blob.core.windows.net")
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
               .tcp(TcpStatus::timeout);
  CHECK(codes(findings_of(t)) == Codes{"VND-DNS-002"});
}

TEST_CASE("the same dropped port on three hosts is one finding, and another port another", "[correlation]") {
  Scenario s;
  for (const char* host : {"a", "b", "c"})
    s.add(target(std::string(host) + ".workspace.eastus.api.azureml.ms").expect_private().custom_dns().address("10.0.1.4")
              .tcp(TcpStatus::timeout));
  s.add(target("ci1.eastus.instances.azureml.ms", 8787).expect_private().custom_dns().address("10.0.1.4").tcp(TcpStatus::timeout));
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-NET-007", "VND-NET-007"});
  CHECK(f[0].title == "Private endpoint addresses that do not answer on TCP 443: 3 hosts");
  CHECK(f[1].title == "Private endpoint addresses that do not answer on TCP 8787: 1 host");
}

TEST_CASE("one intercepting CA across Azure and package hosts is one finding naming what breaks for each", "[correlation]") {
  Scenario s;
  s.add(target("pypi.org").id("pypi").category("packageRepositories").custom_dns().address("151.101.0.223").connected()
            .tls(TlsStatus::untrusted_issuer, std::string(kInspectionIssuer)));
  s.add(target("management.azure.com").id("arm").custom_dns().address("4.150.240.10").connected()
            .tls(TlsStatus::untrusted_issuer, std::string(kInspectionIssuer)));
  const auto f = s.findings();
  REQUIRE(codes(f) == Codes{"VND-TLS-001"});
  CHECK(s.names(f[0]) == std::vector<std::string>{"pypi", "arm"});
  CHECK_THAT(f[0].evidence, Catch::Contains("pip and conda installs fail"));
  CHECK_THAT(f[0].evidence, Catch::Contains("the az CLI and the Azure ML SDK fail"));
}

TEST_CASE("a private host sent through a proxy that asks for credentials has two causes", "[correlation]") {
  auto t = healthy_storage();
  t.result.tcp.clear();
  t.result.tls.reset();
  t.result.http.reset();
  t.via_proxy(ProxyStatus::auth_required, 407);
  CHECK(codes(findings_of(t)) == Codes{"VND-PXY-005", "VND-PXY-001"});
}

TEST_CASE("an error on a situational target alone is a warning", "[correlation]") {
  Scenario s;
  s.add(target("pypi.org").id("pypi").category("packageRepositories").situational().custom_dns().address("151.101.0.223")
            .connected().tls(TlsStatus::expired));
  const auto f = s.findings();
  REQUIRE(f.size() == 1);
  CHECK(f[0].level == Level::warning);
}

TEST_CASE("one cause on a required and a situational target is one finding, at the worst target's level", "[correlation]") {
  Scenario s;
  s.add(target("pypi.org").id("pypi").category("packageRepositories").situational().custom_dns().address("151.101.0.223")
            .connected().tls(TlsStatus::expired));
  s.add(target("management.azure.com").id("arm").custom_dns().address("4.150.240.10").connected().tls(TlsStatus::expired));
  const auto f = s.findings();
  REQUIRE(f.size() == 1);
  CHECK(f[0].level == Level::error);
  CHECK(s.names(f[0]) == std::vector<std::string>{"pypi", "arm"});
}

TEST_CASE("errors come first, then warnings", "[correlation]") {
  Scenario s;
  s.add(target("pypi.org").id("pypi").category("packageRepositories").situational().custom_dns().address("151.101.0.223")
            .connected().tls(TlsStatus::untrusted_issuer, std::string(kInspectionIssuer)));
  s.add(target("management.azure.com").id("arm").custom_dns().address("4.150.240.10").connected().tls(TlsStatus::expired));
  const auto f = s.findings();
  REQUIRE(f.size() == 2);
  CHECK(f[0].level == Level::error);
  CHECK(s.names(f[0]) == std::vector<std::string>{"arm"});
  CHECK(f[1].level == Level::warning);
  CHECK(s.names(f[1]) == std::vector<std::string>{"pypi"});
}

TEST_CASE("a Warning of an earlier phase never hides an Error of a later one on the same target", "[correlation]") {
  // An address outside the known ranges that answers is information; the storage firewall's 403 behind it
  // is still the Error it is.
  EnvironmentFacts env;
  env.vnet_ranges = {{"10.0.0.0/16", "config"}};
  auto t = target("sa.blob.core.windows.net").id("storage.blob").category("storageAccount")
               .expect_private("privatelink.blob.core.windows.net").reachable({401})
               .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("10.9.0.5")
               .connected().tls(TlsStatus::ok).http(403, {{"x-ms-error-code", "AuthorizationFailure"}});
  const auto f = findings_of(t, env);
  CHECK(codes(f) == Codes{"VND-STO-001", "VND-DNS-007"});
  REQUIRE(f.size() == 2);
  CHECK(f[0].level == Level::error);
}

TEST_CASE("the planted faults of the end-to-end scenario give exactly their findings and nothing for healthy targets",
          "[correlation]") {
  const auto r = planted_faults().report();
  CHECK(codes(r.findings) ==
        Codes{"VND-DNS-013", "VND-DNS-004", "VND-PXY-001", "VND-NET-003", "VND-TLS-001"});
  std::set<std::string> named;
  for (const auto& f : r.findings)
    for (const auto& name : target_names(r, f)) named.insert(name);
  CHECK(named == std::set<std::string>{"storage.blob", "keyvault", "storage.file.smb", "pypi", "arm"});
  CHECK(exit_code(r) == 1);
  for (const auto& f : r.findings) {
    INFO(f.code);
    CHECK(fully_expanded(f));
    CHECK_FALSE(f.fix.empty());
    CHECK(f.doc_url.starts_with("https://learn.microsoft.com/"));
  }
}

TEST_CASE("exit codes: 0 healthy, 1 errors, 2 warnings only, 4 incomplete", "[correlation]") {
  Scenario healthy;
  healthy.add(healthy_storage()).add(healthy_pypi());
  CHECK(exit_code(healthy.report()) == 0);
  CHECK(verdict(healthy.report()) == Verdict::healthy);

  CHECK(exit_code(planted_faults().report()) == 1);

  Scenario warnings;
  warnings.add(healthy_storage()).add(target("pypi.org").id("pypi").category("packageRepositories").situational()
                                          .custom_dns().address("151.101.0.223").tcp(TcpStatus::timeout));
  CHECK(exit_code(warnings.report()) == 2);

  Scenario deadline = planted_faults();
  deadline.deadline_hit = true;
  const auto incomplete = deadline.report();
  CHECK(incomplete.incomplete);
  CHECK(exit_code(incomplete) == 4);

  auto interrupted = healthy.report();
  interrupted.run.interrupted = true;
  CHECK(exit_code(interrupted) == 4);
}

TEST_CASE("the rule table: stable code format, unique codes, one matcher each, Learn links", "[rules][table]") {
  std::set<std::string_view> seen;
  const std::set<std::string_view> checks{"dns", "proxy", "tcp", "tls", "http", "environment"};
  const std::regex code_format("VND-[A-Z]+-[0-9]{3}");
  for (const auto& rule : rules()) {
    INFO(rule.code);
    CHECK(std::regex_match(std::string(rule.code), code_format));
    CHECK(seen.insert(rule.code).second);
    CHECK((rule.on_target == nullptr) != (rule.on_run == nullptr));
    CHECK_FALSE(rule.title.empty());
    CHECK_FALSE(rule.fix.empty());
    CHECK_FALSE(rule.failure_modes.empty());
    if (!rule.doc_url.empty()) CHECK(rule.doc_url.starts_with("https://learn.microsoft.com/"));
    if (rule.on_run) CHECK_FALSE(rule.category.empty());
    CHECK(checks.contains(rule.check));
  }
}

TEST_CASE("every rule is documented in docs/findings.md, and every documented code exists", "[rules][table]") {
  const std::string doc = read_file(std::string(VNETDIAG_REPORT_TEST_DIR) + "/../../docs/findings.md");
  REQUIRE_FALSE(doc.empty());
  for (const auto& rule : rules()) {
    INFO(rule.code);
    CHECK(doc.find("`" + std::string(rule.code) + "`") != std::string::npos);
  }
  const std::regex documented("`(VND-[A-Z]+-[0-9]{3})`");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), documented); it != std::sregex_iterator(); ++it) {
    INFO((*it)[1].str());
    CHECK(find_rule((*it)[1].str()) != nullptr);
  }
}

TEST_CASE("templates expand known placeholders and leave unknown ones visible", "[rules][table]") {
  CHECK(expand("{a} and {b}", {{"a", "1"}}) == "1 and {b}");
  CHECK(placeholders_in("x {a} y {b_c}") == std::vector<std::string>{"a", "b_c"});
}
