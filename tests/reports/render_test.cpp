// Renderers, each checked by a parser of its format: the JSON by the real JSON Schema validator, JUnit by
// python3's xml.etree, Prometheus by a strict text-format parser, Markdown by a structure check.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "builders.hpp"
#include "format_tools.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"
#include "reports/text_layout.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;
using nlohmann::json;

namespace {

/// Faults in several categories, healthy targets, environment facts: most of the report has content.
Scenario varied() {
  Scenario s;
  s.workspace = {.name = "ws", .workspace_id = "1111", .region = "eastus", .cloud = "public"};
  s.env.resolvers = {{"10.0.0.4:53", "resolv.conf", true}, {"168.63.129.16:53", "azure-dns", false}};
  s.env.custom_dns = {"10.0.0.4"};
  s.env.proxy.https_proxy = "http://proxy.corp:3128";
  s.env.docker_overlaps = {{"docker0", "172.17.0.0/16", "172.17.0.5 (expected IP of storage.blob)"}};
  s.env.clock_skew_seconds = 900;
  s.add(target("sa.blob.core.windows.net").id("storage.blob").category("storageAccount")
            .expect_private("privatelink.blob.core.windows.net").reachable({401})
            .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
            .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
            .connected().tls(TlsStatus::ok).http(403, {{"x-ms-error-code", "AuthorizationFailure"}}, "<Error>|`*_</Error>"));
  s.add(target("sa.file.core.windows.net", 445).id("storage.file.smb").category("storageAccount").expect_private()
            .custom_dns().address("10.0.1.6").tcp(TcpStatus::timeout));
  s.add(target("pypi.org").id("pypi").category("packageRepositories").situational().custom_dns().address("151.101.0.223")
            .connected().tls(TlsStatus::untrusted_issuer, std::string(kInspectionIssuer)));
  s.add(target("management.azure.com").id("arm").expect_public().reachable({401}).custom_dns().address("4.150.240.10")
            .via_proxy(ProxyStatus::auth_required, 407));
  s.add(healthy_pypi().id("pypi.healthy"));
  auto cut = target("conda.anaconda.org").id("conda").category("packageRepositories").situational();
  cut.custom_dns().dns_status(DnsStatus::deadline);
  cut.result.deadline = true;
  s.add(cut);
  s.deadline_hit = false;
  return s;
}

/// Validates reports against the schema with the real validator, all in one python run.
std::vector<json> validate(const TempDir& dir, const std::vector<Report>& reports) {
  const auto python = python_with("jsonschema");
  if (!python) FAIL("python3-jsonschema is needed to validate the report against its schema (apt-get install python3-jsonschema)");
  std::vector<std::string> command{*python, tool("validate_report.py"), VNETDIAG_REPORT_SCHEMA};
  std::vector<json> parsed;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const std::string text = render_json(reports[i]);
    command.push_back(dir.write("report" + std::to_string(i) + ".json", text).string());
    parsed.push_back(json::parse(text));
  }
  const auto result = testing::run_command(command);
  INFO(result.output);
  CHECK(result.exit_code == 0);
  return parsed;
}

json junit_summary(const TempDir& dir, const std::string& xml) {
  const auto python = python_with("xml.etree.ElementTree");
  REQUIRE(python);
  const auto file = dir.write("report.xml", xml);
  const auto result = testing::run_command({*python, tool("junit_summary.py"), file.string()});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  return json::parse(result.output);
}

std::optional<double> value_of(const Exposition& e, const std::string& name, const std::map<std::string, std::string>& labels) {
  for (const auto& s : e.samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : labels) all = all && s.labels.contains(k) && s.labels.at(k) == v;
    if (all) return s.value;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("the JSON report validates against its schema: with faults, healthy, incomplete and redacted", "[render][json]") {
  TempDir dir;
  Scenario healthy;
  healthy.add(healthy_storage()).add(healthy_pypi());
  Scenario cut = varied();
  cut.deadline_hit = true;
  const auto reports = validate(dir, {varied().report(), healthy.report(), cut.report(), redact(varied().report())});

  const auto& faulty = reports[0];
  CHECK(faulty["schemaVersion"] == "1.1");
  CHECK(faulty["verdict"]["exitCode"] == 1);
  CHECK(faulty["targets"].size() == 6);
  CHECK(faulty["targets"][0]["context"]["id"] == "storage.blob");
  CHECK(faulty["targets"][0]["findings"] == json::array({"VND-DNS-001"}));
  CHECK(faulty["targets"][0]["dns"][0]["addresses"][0]["ip"] == "20.60.1.4");
  CHECK(faulty["environment"]["clockSkewSeconds"] == 900.0);

  const auto& ok = reports[1];
  CHECK(ok["findings"].empty());
  CHECK(ok["verdict"]["status"] == "healthy");
  CHECK(ok["environment"]["clockSkewSeconds"].is_null());

  const auto& incomplete = reports[2];
  CHECK(incomplete["run"]["incomplete"] == true);
  CHECK(incomplete["verdict"]["exitCode"] == 4);

  CHECK(reports[3]["run"]["redacted"] == true);
}

TEST_CASE("the JSON carries a diagnose-shaped block beside the service's own categories", "[render][json]") {
  const auto j = report_to_json(varied().report());
  const auto& value = j["diagnose"]["value"];
  for (const char* key : {"userDefinedRouteResults", "networkSecurityRuleResults", "resourceLockResults", "dnsResolutionResults",
                          "storageAccountResults", "keyVaultResults", "containerRegistryResults",
                          "applicationInsightsResults", "otherResults", "proxyResults", "tlsResults",
                          "packageRepositoriesResults", "environmentResults"})
    CHECK(value.contains(key));
  REQUIRE(value["dnsResolutionResults"].size() == 1);
  const auto& dns = value["dnsResolutionResults"][0];
  CHECK(dns["code"] == "VND-DNS-001");
  CHECK(dns["level"] == "Error");
  CHECK_THAT(dns["message"].get<std::string>(), Catch::Contains("Fix: On 10.0.0.4:53 (resolv.conf), add conditional forwarders"));
  CHECK(value["networkSecurityRuleResults"][0]["code"] == "VND-NET-003");
  CHECK(value["tlsResults"][0]["level"] == "Warning");
  CHECK(diagnose_json(varied().report()) == j["diagnose"]);
}

TEST_CASE("JUnit: one case per target and check, failures carrying their finding, parsed by xml.etree", "[render][junit]") {
  TempDir dir;
  const auto summary = junit_summary(dir, render_junit(varied().report()));
  auto find = [&](const std::string& classname, const std::string& name) {
    for (const auto& c : summary["cases"])
      if (c["classname"] == classname && c["name"] == name) return c;
    FAIL("no test case " << classname << " " << name);
    return json();
  };
  // storage.blob: DNS is the cause; connect and TLS worked; HTTP failed as its symptom.
  CHECK(find("vnetdiag.storageAccount.storage.blob", "dns")["state"] == "failed");
  CHECK(find("vnetdiag.storageAccount.storage.blob", "dns")["type"] == "VND-DNS-001");
  CHECK(find("vnetdiag.storageAccount.storage.blob", "connect")["state"] == "passed");
  CHECK(find("vnetdiag.storageAccount.storage.blob", "http")["state"] == "failed");
  CHECK_THAT(find("vnetdiag.storageAccount.storage.blob", "http")["message"].get<std::string>(), Catch::StartsWith("follows from VND-DNS-001"));
  CHECK(find("vnetdiag.storageAccount.storage.file.smb", "connect")["type"] == "VND-NET-003");
  CHECK_THAT(find("vnetdiag.storageAccount.storage.file.smb", "connect")["text"].get<std::string>(), Catch::Contains("Fix: Allow outbound TCP 445"));
  CHECK(find("vnetdiag.others.arm", "connect")["type"] == "VND-PXY-001");
  CHECK(find("vnetdiag.packageRepositories.pypi.healthy", "tls")["state"] == "passed");
  CHECK(find("vnetdiag.environment", "VND-ENV-003")["state"] == "passed");
  CHECK(summary["failures"].get<int>() > 0);
}

TEST_CASE("JUnit: a Warning passes its case, the finding its output, unless Warnings are to fail", "[render][junit]") {
  TempDir dir;
  auto find = [&](const json& summary, const std::string& classname, const std::string& name) {
    for (const auto& c : summary["cases"])
      if (c["classname"] == classname && c["name"] == name) return c;
    FAIL("no test case " << classname << " " << name);
    return json();
  };
  // pypi's intercepted certificate (a situational target) and the clock skew are Warnings.
  const auto by_default = junit_summary(dir, render_junit(varied().report()));
  const auto pypi = find(by_default, "vnetdiag.packageRepositories.pypi", "tls");
  CHECK(pypi["state"] == "passed");
  CHECK_THAT(pypi["systemOut"].get<std::string>(), Catch::StartsWith("VND-TLS-001: "));
  CHECK(find(by_default, "vnetdiag.environment", "VND-ENV-001")["state"] == "passed");
  CHECK_THAT(find(by_default, "vnetdiag.environment", "VND-ENV-001")["systemOut"].get<std::string>(),
             Catch::Contains("VND-ENV-001"));
  // One case per Error: DNS-001 and the HTTP that follows from it, NET-003, PXY-001, and the clock's ENV-002.
  CHECK(by_default["failures"] == 5);

  const auto strict = junit_summary(dir, render_junit(varied().report(), {.warnings_fail = true}));
  CHECK(find(strict, "vnetdiag.packageRepositories.pypi", "tls")["state"] == "failed");
  CHECK(find(strict, "vnetdiag.packageRepositories.pypi", "tls")["type"] == "VND-TLS-001");
  CHECK(find(strict, "vnetdiag.environment", "VND-ENV-001")["state"] == "failed");
  CHECK(strict["failures"] == 7);
}

TEST_CASE("JUnit: a target cut by the run's deadline is an error of its own, neither a failure nor skipped",
          "[render][junit]") {
  TempDir dir;
  const auto summary = junit_summary(dir, render_junit(varied().report()));
  std::vector<json> errors;
  for (const auto& c : summary["cases"])
    if (c["state"] == "error") errors.push_back(c);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["classname"] == "vnetdiag.packageRepositories.conda");
  CHECK(errors[0]["type"] == "deadline");
  CHECK(errors[0]["message"] == "dns cut short by the run's deadline");
  CHECK(summary["errors"] == 1);
}

TEST_CASE("JUnit: the run takes its wall time, not the sum of its targets' side-by-side times", "[render][junit]") {
  TempDir dir;
  Scenario s = varied();  // the run took 3.21 s; storage.file.smb's connect timed out after 3 s
  s.add(target("vndtestkv.vault.azure.net").id("keyvault").category("keyVault").custom_dns().address("10.0.1.7")
            .tcp(TcpStatus::timeout));
  s.add(target("vndtestacr.azurecr.io").id("acr").category("containerRegistry").custom_dns().address("10.0.1.8")
            .tcp(TcpStatus::timeout));
  const auto summary = junit_summary(dir, render_junit(s.report()));
  double sum = 0;
  for (const auto& c : summary["cases"]) sum += c["time"].get<double>();
  CHECK(sum > 9.0);                        // three 3 s timeouts, side by side
  CHECK(summary["time"] == Approx(3.21));  // the run's own duration
  // A suite's targets ran side by side too: it took as long as its longest target (2 ms of DNS, 3 s to time out).
  CHECK(summary["suiteTimes"]["storageAccount"] == Approx(3.002));
  for (const auto& [suite, time] : summary["suiteTimes"].items()) CHECK(time.get<double>() <= 3.21);
}

TEST_CASE("Prometheus text format: success and duration per target and phase, findings per code", "[render][prometheus]") {
  const auto e = parse_prometheus(render_prometheus(varied().report()));
  REQUIRE(e.error.empty());
  CHECK(e.types.at("vnetdiag_probe_success") == "gauge");
  CHECK(value_of(e, "vnetdiag_probe_success", {{"target", "storage.blob"}, {"phase", "dns"}}) == 1.0);
  CHECK(value_of(e, "vnetdiag_probe_success", {{"target", "storage.file.smb"}, {"phase", "connect"}, {"port", "445"}}) == 0.0);
  CHECK(value_of(e, "vnetdiag_probe_success", {{"target", "storage.file.smb"}, {"phase", "tls"}}) == std::nullopt);
  CHECK(value_of(e, "vnetdiag_probe_duration_seconds", {{"target", "storage.file.smb"}, {"phase", "connect"}}) == 3.0);
  CHECK(value_of(e, "vnetdiag_findings", {{"code", "VND-DNS-001"}, {"level", "Error"}}) == 1.0);
  CHECK(value_of(e, "vnetdiag_findings", {{"code", "VND-TLS-001"}, {"level", "Warning"}}) == 1.0);
  CHECK(value_of(e, "vnetdiag_run_incomplete", {}) == 0.0);
  CHECK(value_of(e, "vnetdiag_run_exit_code", {}) == 1.0);
  CHECK(value_of(e, "vnetdiag_last_run_timestamp_seconds", {}) == 1795928400.0);  // 2026-11-29T05:00:00Z

  Scenario cut = varied();
  cut.deadline_hit = true;
  const auto incomplete = parse_prometheus(render_prometheus(cut.report()));
  REQUIRE(incomplete.error.empty());
  CHECK(value_of(incomplete, "vnetdiag_run_incomplete", {}) == 1.0);
}

TEST_CASE("Prometheus: every series of the run names its workspace and region; the build is a series of its own",
          "[render][prometheus]") {
  const auto e = parse_prometheus(render_prometheus(varied().report()));
  REQUIRE(e.error.empty());
  std::size_t labelled = 0;
  for (const auto& sample : e.samples) {
    if (sample.name == "vnetdiag_build_info") continue;
    INFO(sample.name);
    CHECK(sample.labels.contains("workspace"));
    CHECK(sample.labels.contains("region"));
    labelled += sample.labels.contains("workspace") && sample.labels.at("workspace") == "ws" &&
                sample.labels.contains("region") && sample.labels.at("region") == "eastus";
  }
  CHECK(labelled == e.samples.size() - 1);
  CHECK(value_of(e, "vnetdiag_build_info", {{"version", "0.1.0"}, {"commit", "abcdef123456"}}) == 1.0);
  CHECK(value_of(e, "vnetdiag_run_exit_code", {{"workspace", "ws"}, {"region", "eastus"}}) == 1.0);

  // A run that named no workspace: the labels are there, empty, so every series has the same label names.
  Scenario anonymous;
  anonymous.add(healthy_pypi());
  const auto a = parse_prometheus(render_prometheus(anonymous.report()));
  REQUIRE(a.error.empty());
  CHECK(value_of(a, "vnetdiag_run_exit_code", {{"workspace", ""}, {"region", ""}}) == 0.0);

  // Only the GUID known: the GUID names it.
  Scenario by_id;
  by_id.workspace = {.workspace_id = "1111", .region = "westeurope"};
  by_id.add(healthy_pypi());
  const auto b = parse_prometheus(render_prometheus(by_id.report()));
  CHECK(value_of(b, "vnetdiag_run_targets", {{"workspace", "1111"}, {"region", "westeurope"}}) == 1.0);
}

TEST_CASE("Prometheus label values are escaped", "[render][prometheus]") {
  Scenario s;
  s.add(target("odd.example").id("quote\"back\\slash\nline").custom_dns().address("10.0.0.9").tcp(TcpStatus::refused));
  const auto e = parse_prometheus(render_prometheus(s.report()));
  REQUIRE(e.error.empty());
  CHECK(value_of(e, "vnetdiag_probe_success", {{"target", "quote\"back\\slash\nline"}, {"phase", "connect"}}) == 0.0);
}

TEST_CASE("the Prometheus parser rejects what the format forbids", "[render][prometheus]") {
  CHECK_FALSE(parse_prometheus("x 1\n").error.empty());                                   // no TYPE
  CHECK_FALSE(parse_prometheus("# TYPE x gauge\nx{a=\"1} 1\n").error.empty());            // unterminated
  CHECK_FALSE(parse_prometheus("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx 2\n").error.empty());  // split family
  CHECK_FALSE(parse_prometheus("# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n").error.empty());    // duplicate
  CHECK(parse_prometheus("# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"2\"} 2\n").error.empty());
}

TEST_CASE("Markdown: a well-formed ticket body with one heading per finding and a table per target", "[render][markdown]") {
  const auto text = render_markdown(varied().report());
  INFO(text);
  CHECK(markdown_problem(text).empty());
  CHECK(headings(text, 2) == std::vector<std::string>{"Findings", "Targets", "Environment"});
  const auto findings = headings(text, 4);
  CHECK(findings.size() == varied().report().findings.size());
  CHECK_THAT(findings.front(), Catch::StartsWith("Error VND-DNS-001: DNS server 10.0.0.4:53 (resolv.conf)"));
  CHECK_THAT(text, Catch::Contains("| storage.blob | sa.blob.core.windows.net:443 | private |"));
  CHECK_THAT(text, Catch::Contains("<https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns>"));
}

TEST_CASE("the Markdown check catches broken tables and raw HTML", "[render][markdown]") {
  CHECK_FALSE(markdown_problem("# a\n\n| x | y |\n| --- | --- |\n| 1 |\n").empty());
  CHECK_FALSE(markdown_problem("# a\n\ntext <storage-1>\n").empty());
  CHECK_FALSE(markdown_problem("# a\n### b\n").empty());
  CHECK(markdown_problem("# a\n\n| x | y |\n| --- | --- |\n| 1 \\| 2 | 3 |\n").empty());
}

TEST_CASE("terminal: the verdict first, findings with fixes by category, then the target table", "[render][terminal]") {
  const auto text = render_terminal(varied().report());
  CHECK_THAT(text, Catch::StartsWith("FAILED: 4 errors, 2 warnings in 6 targets (3.2 s)\n"));
  CHECK(text.find("\033[") == std::string::npos);
  const auto dns = text.find("DNS resolution\n  ERROR    VND-DNS-001");
  const auto table = text.find("TARGET");
  REQUIRE(dns != std::string::npos);
  REQUIRE(table != std::string::npos);
  CHECK(dns < table);
  CHECK_THAT(text, Catch::Contains("           fix:      On 10.0.0.4:53 (resolv.conf), add conditional forwarders"));
  CHECK_THAT(text, Catch::Contains("storage.file.smb"));
}

TEST_CASE("terminal colour only when asked, and the quiet form has only the verdict and errors", "[render][terminal]") {
  const auto report = varied().report();
  CHECK(render_terminal(report, {.colour = true}).find("\033[1;31m") != std::string::npos);
  const auto quiet = render_terminal(report, {.quiet = true});
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = quiet.find('\n', at)) != std::string::npos; at = end + 1) lines.push_back(quiet.substr(at, end - at));
  REQUIRE(lines.size() == 5);  // verdict + 4 errors
  CHECK_THAT(lines[0], Catch::StartsWith("FAILED:"));
  for (std::size_t i = 1; i < lines.size(); ++i) CHECK_THAT(lines[i], Catch::StartsWith("ERROR VND-"));
  CHECK(quiet.find("WARNING") == std::string::npos);
}

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) out.push_back(text.substr(at, end - at));
  return out;
}

/// The lines wider than `width`, but for a link longer than the whole line, which is printed whole on a line of its
/// own (a broken link cannot be followed).
std::vector<std::string> too_wide(const std::string& text, std::size_t width) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text)) {
    const bool lone_link = line.starts_with("https://") && line.find(' ') == std::string::npos;
    if (display_width(line) > width && !lone_link) out.push_back(line);
  }
  return out;
}

/// The words of `text` before the target table: wrapping moves them between lines, never drops or splits one.
std::vector<std::string> words_before_table(const std::string& text) {
  std::vector<std::string> out;
  // The table starts with its header, or, too narrow for columns, with the first target's line.
  std::istringstream in(text.substr(0, std::min(text.find("\nTARGET"), text.find("\nstorage.blob  "))));
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

}  // namespace

TEST_CASE("terminal: at 80 and 100 columns no line is wider than the terminal, and no word is lost", "[render][terminal]") {
  Scenario s = varied();
  s.add(target("7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.workspace.eastus.api.azureml.ms").id("workspace.api")
            .expect_private("privatelink.api.azureml.ms").custom_dns().nxdomain());
  const auto report = s.report();
  const auto unwrapped = render_terminal(report);
  CHECK_FALSE(too_wide(unwrapped, 100).empty());  // without a width, lines run as long as their text
  for (const std::size_t width : {80, 100}) {
    for (const bool colour : {false, true}) {
      INFO("width " << width << (colour ? ", coloured" : ""));
      const auto text = render_terminal(report, {.colour = colour, .width = width});
      INFO(text);
      CHECK(too_wide(text, width).empty());
      if (!colour) CHECK(words_before_table(text) == words_before_table(unwrapped));
    }
  }
  // The full name is in the JSON; the table shows its ends.
  const auto narrow = render_terminal(report, {.width = 100});
  CHECK_THAT(narrow, Catch::Contains("…"));
  CHECK_THAT(render_json(report), Catch::Contains("7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.workspace.eastus.api.azureml.ms"));
}

TEST_CASE("terminal: a finding's wrapped lines align under its text", "[render][terminal]") {
  const auto text = render_terminal(varied().report(), {.width = 80});
  const auto l = lines_of(text);
  const auto fix = std::ranges::find_if(l, [](const std::string& line) { return line.starts_with("           fix:      On 10.0.0.4:53"); });
  REQUIRE(fix != l.end());
  REQUIRE(fix + 1 != l.end());
  CHECK((fix + 1)->starts_with(std::string(21, ' ')));
  CHECK((fix + 1)->at(21) != ' ');
}

TEST_CASE("terminal: the quiet form keeps one line per error, however narrow the terminal", "[render][terminal]") {
  const auto quiet = render_terminal(varied().report(), {.quiet = true, .width = 40});
  CHECK(lines_of(quiet).size() == 5);  // verdict + 4 errors
}

TEST_CASE("verdict lines for healthy, warnings-only and incomplete runs", "[render][terminal]") {
  Scenario healthy;
  healthy.add(healthy_storage()).add(healthy_pypi());
  CHECK(verdict_line(healthy.report()) == "OK: 2 targets checked, no problems found (3.2 s)");
  Scenario warn;
  warn.add(target("pypi.org").id("pypi").situational().custom_dns().address("151.101.0.223").tcp(TcpStatus::timeout));
  CHECK(verdict_line(warn.report()) == "WARNING: 1 warning in 1 target (3.2 s)");
  Scenario cut = warn;
  cut.deadline_hit = true;
  CHECK(verdict_line(cut.report()) == "INCOMPLETE: the deadline was reached after 3.2 s; 1 warning among the 1 target finished");
}

TEST_CASE("bytes that are not UTF-8 in captured evidence keep every format parseable", "[render]") {
  Scenario s;
  s.add(target("odd.example").id("odd").reachable({200}).custom_dns().address("10.0.0.9").connected().tls(TlsStatus::ok)
            .http(500, {{"Server", "bad\xff\xfe"}}, std::string("body \xc3\x28 \xed\xa0\x80 \x01 end")));
  const auto report = s.report();
  TempDir dir;
  validate(dir, {report});
  junit_summary(dir, render_junit(report));
  CHECK(parse_prometheus(render_prometheus(report)).error.empty());
  CHECK(markdown_problem(render_markdown(report)).empty());
}

// ------------------------------------------------------------------------------ the machine's judgements

namespace {

/// A healthy run on a machine with something to say about itself: an unreadable hosts file, a VM in
/// another cloud, resolv.conf's rotate, and two notes.
Scenario machine_with_judgements() {
  Scenario s;
  s.workspace = {.name = "ws", .region = "eastus", .cloud = "public"};
  s.env.imds.status = "ok";
  s.env.imds.az_environment = "AzureUSGovernmentCloud";
  s.env.imds.cloud = "usgov";
  s.env.unusable = {{"/etc/hosts", "cannot be read (missing or not readable)"}};
  s.env.dns_options = {"rotate"};
  s.env.notes = {{"dns", "clients ask 10.0.0.4:53, not Azure DNS 168.63.129.16:53"},
                 {"docker", "no docker0 interface: Docker's default range 172.17.0.0/16 is checked instead"}};
  s.add(healthy_pypi());
  return s;
}

const std::vector<std::string> kMachineCodes = {"VND-ENV-007", "VND-ENV-008", "VND-DNS-015"};

}  // namespace

TEST_CASE("every judgement of the machine is a finding in the JSON, beside the facts and notes it stands on",
          "[render][json][environment]") {
  TempDir dir;
  const auto report = validate(dir, {machine_with_judgements().report()}).front();
  std::vector<std::string> codes;
  for (const auto& f : report["findings"]) codes.push_back(f["code"]);
  for (const auto& code : kMachineCodes) CHECK(std::ranges::count(codes, code) == 1);
  CHECK(report["environment"]["unusableSettings"][0]["source"] == "/etc/hosts");
  CHECK(report["environment"]["notes"].size() == 2);
  CHECK(report["verdict"]["exitCode"] == 2);  // two Warnings; rotate alone is Information
}

TEST_CASE("every judgement of the machine is a finding in the Markdown, and its notes are listed",
          "[render][markdown][environment]") {
  const auto text = render_markdown(machine_with_judgements().report());
  INFO(text);
  CHECK(markdown_problem(text).empty());
  const auto findings = headings(text, 4);
  for (const auto& code : kMachineCodes)
    CHECK(std::ranges::count_if(findings, [&](const std::string& h) { return h.find(code) != std::string::npos; }) == 1);
  CHECK_THAT(text, Catch::Contains("- **Could not read:** /etc/hosts: cannot be read"));
  CHECK_THAT(text, Catch::Contains("- **Note (docker):** no docker0 interface"));
}

TEST_CASE("every judgement of the machine is a case in the JUnit, failed as its level says, and its notes are the "
          "suite's output",
          "[render][junit][environment]") {
  TempDir dir;
  const auto summary = junit_summary(dir, render_junit(machine_with_judgements().report()));
  const auto strict = junit_summary(dir, render_junit(machine_with_judgements().report(), {.warnings_fail = true}));
  auto find = [](const json& s, const std::string& code) {
    const auto c = std::ranges::find_if(s["cases"], [&](const json& k) { return k["name"] == code; });
    REQUIRE(c != s["cases"].end());
    return *c;
  };
  // VND-ENV-007 and VND-ENV-008 are Warnings, VND-DNS-015 (rotate) Information: each its case's output by default.
  for (const auto& code : kMachineCodes) {
    INFO(code);
    CHECK(find(summary, code)["state"] == "passed");
    CHECK_THAT(find(summary, code)["systemOut"].get<std::string>(), Catch::StartsWith(code + ": "));
  }
  CHECK(find(strict, "VND-ENV-007")["state"] == "failed");
  CHECK(find(strict, "VND-ENV-007")["type"] == "VND-ENV-007");
  CHECK(find(strict, "VND-ENV-008")["state"] == "failed");
  CHECK(find(strict, "VND-DNS-015")["state"] == "passed");  // Information never fails
  const std::string out = summary["systemOut"]["environment"];
  CHECK_THAT(out, Catch::Contains("could not read /etc/hosts"));
  CHECK_THAT(out, Catch::Contains("note (dns): clients ask 10.0.0.4:53"));
}

TEST_CASE("the terminal names no note the JSON lacks: its count is the JSON's", "[render][terminal][environment]") {
  const auto report = machine_with_judgements().report();
  const auto text = render_terminal(report);
  INFO(text);
  for (const auto& code : kMachineCodes) CHECK_THAT(text, Catch::Contains(code));
  const auto notes = json::parse(render_json(report))["environment"]["notes"].size();
  CHECK_THAT(text, Catch::Contains("(" + std::to_string(notes) + " notes on these settings in the JSON report)"));
  CHECK(notes == 2);
}

// ------------------------------------------------------------------------------ what was not checked

namespace {

UncheckedTarget not_checked(std::string id, std::string host, std::uint16_t port, bool required, std::string reason,
                            bool manual = false) {
  UncheckedTarget u;
  u.context.id = std::move(id);
  u.context.category = "dnsResolution";
  u.context.required = required;
  u.host = std::move(host);
  u.port = port;
  u.reason = std::move(reason);
  u.manual = manual;
  return u;
}

/// A healthy run with one required target waiting for an input, one situational one, and the UDP check.
Scenario with_gaps() {
  Scenario s;
  s.add(healthy_pypi());
  s.unchecked = {not_checked("ci.api", "<ci>.eastus.instances.azureml.ms", 443, true,
                             "no compute instance is named: give --compute-instance"),
                 not_checked("ci.rstudio", "<ci>.eastus.instances.azureml.ms", 8787, false,
                             "no compute instance is named: give --compute-instance"),
                 not_checked("ci.management", "eastus.tundra.azureml.ms", 5831, true,
                             "UDP 5831 cannot be checked without the service's own protocol", true)};
  return s;
}

}  // namespace

TEST_CASE("a required target not checked keeps the verdict from OK, and the verdict line says how many",
          "[render][terminal][unchecked]") {
  const auto report = with_gaps().report();
  CHECK(verdict(report) == Verdict::unchecked);
  CHECK(exit_code(report) == 5);
  CHECK(verdict_line(report) ==
        "NOT ALL CHECKED: 1 required target not checked; no problems in the 1 target checked (3.2 s); 1 check left to you");
  const auto text = render_terminal(report);
  INFO(text);
  CHECK_THAT(text, Catch::Contains("  REQUIRED ci.api  <ci>.eastus.instances.azureml.ms:443: no compute instance is named"));
  CHECK_THAT(text, Catch::Contains("  BY HAND  ci.management  eastus.tundra.azureml.ms:5831: UDP 5831"));
  CHECK_THAT(text, Catch::Contains("(1 situational target not checked, listed in the JSON report)"));

  SECTION("an Error outweighs the gap, which the line still counts") {
    auto s = with_gaps();
    s.add(target("management.azure.com").id("arm").expect_public().custom_dns().address("4.150.240.10").tcp(TcpStatus::refused));
    const auto failed = s.report();
    CHECK(exit_code(failed) == 1);
    CHECK_THAT(verdict_line(failed), Catch::StartsWith("FAILED: 1 error in 2 targets (3.2 s); 1 required target not checked"));
  }
  SECTION("a check no probe can make is said, and does not change the verdict") {
    auto s = with_gaps();
    s.unchecked.erase(s.unchecked.begin(), s.unchecked.begin() + 2);
    const auto ok = s.report();
    CHECK(exit_code(ok) == 0);
    CHECK(verdict_line(ok) == "OK: 1 target checked, no problems found (3.2 s); 1 check left to you");
  }
}

TEST_CASE("the JSON counts the targets not checked and lists each with its reason", "[render][json][unchecked]") {
  TempDir dir;
  const auto report = validate(dir, {with_gaps().report()}).front();
  CHECK(report["verdict"]["status"] == "unchecked");
  CHECK(report["verdict"]["exitCode"] == 5);
  CHECK(report["verdict"]["checked"] == 1);
  CHECK(report["verdict"]["notChecked"] == json{{"required", 1}, {"situational", 1}, {"manual", 1}});
  REQUIRE(report["notChecked"].size() == 3);
  CHECK(report["notChecked"][0]["id"] == "ci.api");
  CHECK(report["notChecked"][0]["reason"] == "no compute instance is named: give --compute-instance");
  CHECK(report["notChecked"][2]["manual"] == true);
}

TEST_CASE("JUnit marks each target not checked as skipped, with the reason", "[render][junit][unchecked]") {
  TempDir dir;
  const auto summary = junit_summary(dir, render_junit(with_gaps().report()));
  std::map<std::string, json> skipped;
  for (const auto& c : summary["cases"])
    if (c["name"] == "not checked") skipped[c["classname"]] = c;
  REQUIRE(skipped.size() == 3);
  CHECK(skipped["vnetdiag.dnsResolution.ci.api"]["state"] == "skipped");
  CHECK(summary["skipped"] == 3);
}

TEST_CASE("Prometheus counts the targets not checked by state and names each", "[render][prometheus][unchecked]") {
  const auto e = parse_prometheus(render_prometheus(with_gaps().report()));
  CHECK(value_of(e, "vnetdiag_targets", {{"state", "probed"}}) == 1);
  CHECK(value_of(e, "vnetdiag_targets", {{"state", "untested"}, {"required", "true"}}) == 1);
  CHECK(value_of(e, "vnetdiag_targets", {{"state", "untested"}, {"required", "false"}}) == 1);
  CHECK(value_of(e, "vnetdiag_targets", {{"state", "manual"}}) == 1);
  CHECK(value_of(e, "vnetdiag_target_untested", {{"target", "ci.api"}, {"state", "untested"}, {"required", "true"}}) == 1);
  CHECK(value_of(e, "vnetdiag_run_exit_code", {}) == 5);
}

TEST_CASE("Markdown lists the targets not checked in a table of their own", "[render][markdown][unchecked]") {
  const auto text = render_markdown(with_gaps().report());
  INFO(text);
  CHECK(markdown_problem(text).empty());
  CHECK(headings(text, 2) == std::vector<std::string>{"Findings", "Not checked", "Targets", "Environment"});
  CHECK_THAT(text, Catch::Contains("| ci.management | eastus.tundra.azureml.ms:5831 | check by hand |"));
}
