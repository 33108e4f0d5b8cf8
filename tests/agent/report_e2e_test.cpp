// What a support engineer and a setup script get from real runs: every report format from one run,
// checked by a parser of the format; redaction; exit 2 for warnings only; an interrupted run's report.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/agent/local_vnet.hpp"
#include "tests/reports/format_tools.hpp"
#include "tests/support/process.hpp"

using namespace vnetdiag::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Validates a report file with the real jsonschema validator; "" when valid, else what it said.
std::string schema_problems(const std::filesystem::path& report) {
  auto python = vnetdiag::test::python_with("jsonschema");
  if (!python) return "python3-jsonschema is not installed (scripts/install-deps installs it)";
  auto r = run_command({*python, vnetdiag::test::tool("validate_report.py"), VNETDIAG_REPORT_SCHEMA, report.string()});
  return r.exit_code == 0 ? std::string{} : r.output;
}

}  // namespace

TEST_CASE("one faulty run writes JSON, Markdown, JUnit and Prometheus reports that their parsers accept",
          "[reports][e2e][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  LocalVnet vnet({.storage_resolves_publicly = true, .key_vault_record_missing = true, .smb_black_holed = true});
  const auto out = vnet.dir.path();
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--quiet", "--json", (out / "report.json").string(), "--markdown",
                                             (out / "report.md").string(), "--junit", (out / "junit.xml").string(),
                                             "--prometheus", (out / "vnetdiag.prom").string()}));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.starts_with("FAILED"));  // --quiet: the verdict first, then one line per error

  CHECK(schema_problems(out / "report.json").empty());
  const auto report = json::parse(slurp(out / "report.json"));
  CHECK(report["schemaVersion"] == "1.1");
  CHECK(report["verdict"]["status"] == "errors");

  const auto markdown = slurp(out / "report.md");
  CHECK(vnetdiag::test::markdown_problem(markdown).empty());
  CHECK(markdown.find("VND-DNS-004") != std::string::npos);

  auto python = vnetdiag::test::python_with("xml.etree.ElementTree");
  REQUIRE(python);
  auto junit = run_command({*python, vnetdiag::test::tool("junit_summary.py"), (out / "junit.xml").string()});
  INFO(junit.output);
  REQUIRE(junit.exit_code == 0);
  const auto cases = json::parse(junit.output);
  CHECK(cases.dump().find("keyvault") != std::string::npos);

  const auto metrics = vnetdiag::test::parse_prometheus(slurp(out / "vnetdiag.prom"));
  CHECK(metrics.error.empty());
  bool counted = false;
  for (const auto& s : metrics.samples)
    counted = counted || (s.name == "vnetdiag_findings" && s.labels.at("code") == "VND-NET-003" && s.value == 1);
  CHECK(counted);
}

TEST_CASE("a run with only warnings exits 2", "[reports][e2e]") {
  // pypi is situational: its intercepted certificate is a warning, not an error.
  LocalVnet vnet({.intercepted_package_repository = true});
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--format", "json"}));
  INFO(r.output.substr(0, 3000));
  CHECK(r.exit_code == 2);
  const auto report = json::parse(json_part(r.output));
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["code"] == "VND-TLS-001");
  CHECK(report["findings"][0]["level"] == "Warning");
}

TEST_CASE("a redacted report holds no workspace ID, resource name, public IP or proxy credential in the report",
          "[reports][e2e][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  LocalVnet vnet({.storage_resolves_publicly = true, .proxy_wants_credentials = true},
                 /*proxy_credentials=*/"svc-ml:Pr0xy-Pa55");
  const auto file = vnet.dir.path() / "redacted.json";
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--redact", "--json", file.string()}));
  INFO(r.output.substr(0, 2000));
  const auto text = slurp(file);
  REQUIRE_FALSE(text.empty());
  CHECK(schema_problems(file).empty());
  for (const std::string& secret : {std::string(kWorkspaceId), std::string("vndtest01"), std::string("vndtestkv"),
                                   std::string("vndtestacr"), std::string("svc-ml"), std::string("Pr0xy-Pa55"),
                                   std::string(kImdsPublicIp), std::string(kImdsSubscription)}) {
    INFO(secret);
    CHECK(text.find(secret) == std::string::npos);
    CHECK(r.output.find(secret) == std::string::npos);
  }
  // The machine's name may be a short word found anywhere, so its own field is checked.
  const auto report = json::parse(text);
  CHECK(report["run"]["hostname"] != LocalVnet::hostname());
  CHECK(report["run"]["hostname"].get<std::string>().starts_with("<"));
  // Still useful: the finding, the zone and the region are there.
  CHECK(text.find("VND-DNS-013") != std::string::npos);
  CHECK(text.find("privatelink.blob.core.windows.net") != std::string::npos);
  CHECK(text.find("eastus") != std::string::npos);
}

TEST_CASE("an interrupted run still writes a complete, valid JSON report marked incomplete, and exits 4",
          "[reports][e2e][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  LocalVnet vnet({.storage_resolves_publicly = true, .smb_black_holed = true});
  const auto file = vnet.dir.path() / "interrupted.json";
  auto args = vnet.with_workspace({VNETDIAG_BINARY, "check", "-v", "--json", file.string(), "--connect-budget", "30000",
                                   "--deadline", "60000"});
  const auto log = vnet.dir.path() / "run.log";
  ChildProcess run(args, log);
  // Once the probes run (the black-holed connects then wait 30 s), however long discovery took on a busy machine.
  const auto started = std::chrono::steady_clock::now();
  while (slurp(log).find("probing ") == std::string::npos && std::chrono::steady_clock::now() - started < 30s)
    std::this_thread::sleep_for(20ms);
  REQUIRE(slurp(log).find("probing ") != std::string::npos);
  std::this_thread::sleep_for(300ms);
  REQUIRE(::kill(run.pid(), SIGTERM) == 0);
  const auto stopped = std::chrono::steady_clock::now();
  while (run.running() && std::chrono::steady_clock::now() - stopped < 5s) std::this_thread::sleep_for(20ms);
  REQUIRE_FALSE(run.running());
  CHECK(std::chrono::steady_clock::now() - stopped < 2s);
  CHECK(run.exit_status() == 4);
  CHECK(schema_problems(file).empty());
  const auto report = json::parse(slurp(file));
  CHECK(report["verdict"]["status"] == "incomplete");
  CHECK(report["run"]["interrupted"] == true);
}

TEST_CASE("the terminal report leads with the verdict, then each finding with its fix, then the targets",
          "[reports][e2e]") {
  LocalVnet vnet({.key_vault_record_missing = true});
  auto r = run_vnetdiag(vnet.with_workspace({"check"}));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.starts_with("FAILED: 1 error"));
  const auto finding = r.output.find("VND-DNS-004");
  const auto fix = r.output.find("fix:", finding);
  const auto table = r.output.find("storage.blob");
  CHECK(finding != std::string::npos);
  CHECK(fix != std::string::npos);
  CHECK(table > fix);
  // The target's row names the finding, not just the phases. On a pipe the text is 80 columns wide, too narrow
  // for the table's columns: each target's first line is its id, its result and its host.
  const auto row = r.output.find("\nkeyvault ");
  REQUIRE(row != std::string::npos);
  CHECK(r.output.substr(row + 1, r.output.find('\n', row + 1) - row - 1) == "keyvault  ERROR VND-DNS-004  vndtestkv.vault.azure.net:443");
  CHECK(r.output.find("\033[") == std::string::npos);  // no colour when the output is not a terminal
}

TEST_CASE("on a terminal the report has colour and progress is shown, and NO_COLOR turns colour off",
          "[reports][e2e][tty]") {
  if (!have_program("script")) FAIL("util-linux 'script' is needed to give vnetdiag a terminal");
  LocalVnet vnet({.key_vault_record_missing = true});
  std::string command = std::string("exec ") + VNETDIAG_BINARY;
  for (const auto& a : vnet.with_workspace({"check"})) command += " '" + a + "'";
  // script(1) runs the command on a pseudo-terminal, so both stdout and stderr are a TTY.
  auto coloured = run_command({"script", "-qec", command, "/dev/null"});
  INFO(coloured.output.substr(0, 2000));
  CHECK(coloured.output.find("\033[1;31m") != std::string::npos);  // the Error in red
  CHECK(coloured.output.find("probing: ") != std::string::npos);
  auto plain = run_command({"script", "-qec", "NO_COLOR=1 " + command, "/dev/null"});
  INFO(plain.output.substr(0, 2000));
  CHECK(plain.output.find("VND-DNS-004") != std::string::npos);
  CHECK(plain.output.find("\033[1") == std::string::npos);
  CHECK(plain.output.find("\033[3") == std::string::npos);
}
