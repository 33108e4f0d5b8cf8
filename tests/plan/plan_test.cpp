// Plans: reviewed expected plans for each document shape, the same plan from every input form, and
// what the config changes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "agent/plan/plan.hpp"
#include "tests/plan/support.hpp"

namespace vnetdiag {
using nlohmann::json;
using test::fixture;
using test::value_of;

namespace {

WorkspaceInfo workspace(const std::string& name) {
  return value_of(parse_workspace_json(fixture("fixtures/" + name + ".json"), name + ".json"));
}

Plan plan_for(const std::string& name, const Config& config = {}) {
  const auto ws = workspace(name);
  return build_plan(ws, config, value_of(choose_cloud(std::nullopt, ws)));
}

Config config_from(const std::string& text) { return value_of(parse_config(text, "test.jsonc")); }

std::vector<const PlannedTarget*> with_id(const Plan& plan, std::string_view id) {
  std::vector<const PlannedTarget*> out;
  for (const auto& t : plan.targets) {
    if (t.id == id) out.push_back(&t);
  }
  return out;
}

const PlannedTarget& only(const Plan& plan, std::string_view id) {
  const auto found = with_id(plan, id);
  if (found.size() != 1) FAIL("expected one target " << id << ", found " << found.size());
  return *found.front();
}

// What must be equal for "the same plan": the cloud and every target, field by field.
json comparable(const Plan& plan) {
  const auto j = plan_to_json(plan);
  return json{{"cloud", j["cloud"]}, {"targets", j["targets"]}};
}

}  // namespace

TEST_CASE("each workspace document shape gives its reviewed expected plan", "[plan][expected]") {
  const char* names[] = {"arm-public-eastus", "arm-private-westeurope", "azml-v1-private-chinaeast2",
                         "azml-v2-usgovvirginia", "azml-v2-private-eastus2"};
  for (const char* name : names) {
    INFO(name);
    const auto mismatch = test::compare_with_expected(plan_to_json(plan_for(name)), name);
    CHECK(mismatch.empty());
    if (!mismatch.empty()) WARN(mismatch);
  }
}

TEST_CASE("with no workspace the plan is the cloud's required endpoints, its repositories and this machine",
          "[plan][expected]") {
  const auto plan = build_plan(std::nullopt, Config{}, Cloud::public_cloud);
  const auto mismatch = test::compare_with_expected(plan_to_json(plan), "no-workspace-public");
  CHECK(mismatch.empty());
  if (!mismatch.empty()) WARN(mismatch);
  for (const auto& t : plan.targets) {
    INFO(t.id);
    // Only the region can be missing: rows naming workspace resources are left out, not listed.
    if (probed(t)) CHECK(t.probe.host.find('<') == std::string::npos);
    for (const char* token : {"<wsid>", "<sa>", "<kv>", "<acr>", "<nb>", "<ci>"}) {
      CHECK(t.probe.host.find(token) == std::string::npos);
    }
    if (t.probe.host.find("<region>") != std::string::npos) CHECK_FALSE(probed(t));
    CHECK((t.required || t.category == "packageRepositories" || t.category == "environment"));
  }
  for (auto cloud : {Cloud::china, Cloud::usgov}) {
    const auto sovereign = build_plan(std::nullopt, Config{}, cloud);
    CHECK(only(sovereign, "arm").probe.host ==
          (cloud == Cloud::china ? "management.chinacloudapi.cn" : "management.usgovcloudapi.net"));
    CHECK(with_id(sovereign, "storage.blob").empty());
  }
}

TEST_CASE("the same workspace as JSON, as flags and as compute-instance environment gives the same plan",
          "[plan][equivalence]") {
  const Config config = config_from(R"({"expect_private_endpoints": false})");

  // JSON: the ARM body; compute instances are not part of a workspace document, so one is named by flag.
  WorkspaceFlags ci_flag;
  ci_flag.compute_instances = {"alice-ci"};
  const auto from_json = value_of(merge_workspace(workspace("arm-public-eastus"), *value_of(workspace_from_flags(ci_flag))));

  // Flags: everything the command line can say.
  WorkspaceFlags flags;
  flags.workspace_id = "0b6e1f2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b";
  flags.region = "eastus";
  flags.storage_account = "contosoml4821";
  flags.key_vault = "kv-contoso-ml-4821";
  flags.acr = "crcontosoml4821";
  flags.app_insights = "appi-contoso-ml";
  flags.notebook_host = "ml-contoso-ml-eastus-0b6e1f2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b.eastus.notebooks.azure.net";
  flags.compute_instances = {"alice-ci"};
  flags.cloud = "public";
  const auto from_flags = *value_of(workspace_from_flags(flags));

  // Environment: what a compute instance exports; the resource names it cannot know come from flags.
  test::g_fake_env = {
      {"CI_WORKSPACE", "contoso-ml"},
      {"CI_RESOURCE_GROUP", "rg-contoso-ml"},
      {"CI_NAME", "alice-ci"},
      {"MLFLOW_TRACKING_URI",
       "azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/"
       "resourceGroups/rg-contoso-ml/providers/Microsoft.MachineLearningServices/workspaces/contoso-ml"},
  };
  WorkspaceFlags rest = flags;
  rest.region.clear();
  rest.compute_instances.clear();
  rest.cloud.clear();
  const auto from_env =
      value_of(merge_workspace(*value_of(workspace_from_environment(&test::fake_env)), *value_of(workspace_from_flags(rest))));

  const auto json_plan = comparable(build_plan(from_json, config, Cloud::public_cloud));
  CHECK(json_plan == comparable(build_plan(from_flags, config, Cloud::public_cloud)));
  CHECK(json_plan == comparable(build_plan(from_env, config, Cloud::public_cloud)));
  // And the ARM body's own verdict (no private endpoint, public access enabled) matches the config's.
  CHECK(json_plan == comparable(build_plan(from_json, Config{}, Cloud::public_cloud)));
}

TEST_CASE("a private workspace in China gives the same plan from az ml v1 output and from flags",
          "[plan][equivalence]") {
  WorkspaceFlags flags;
  flags.workspace_id = "d4c3b2a1-0f9e-4d8c-a7b6-5e4d3c2b1a09";
  flags.region = "chinaeast2";
  flags.storage_account = "wuximlstorage";
  flags.key_vault = "kvwuximl";
  flags.acr = "wuximlacr";
  flags.app_insights = "wuximl-insights";
  flags.notebook_host = "ml-wuxi-ml-chinaeast2-d4c3b2a1-0f9e-4d8c-a7b6-5e4d3c2b1a09.chinaeast2.notebooks.chinacloudapi.cn";
  flags.cloud = "china";
  const auto from_flags = *value_of(workspace_from_flags(flags));
  const auto private_config = config_from(R"({"expect_private_endpoints": true})");
  CHECK(comparable(plan_for("azml-v1-private-chinaeast2")) ==
        comparable(build_plan(from_flags, private_config, value_of(choose_cloud(std::nullopt, from_flags)))));
}

TEST_CASE("a private workspace expects every storage host behind privatelink.blob.core.windows.net and its peers",
          "[plan][expect]") {
  const auto plan = plan_for("arm-private-westeurope");
  const auto& blob = only(plan, "storage.blob");
  CHECK(blob.probe.host == "stfabrikamsecure01.blob.core.windows.net");
  CHECK(blob.expect == PlannedTarget::Expect::private_expected);
  CHECK(blob.privatelink_zone == "privatelink.blob.core.windows.net");
  CHECK(only(plan, "storage.file").expect == PlannedTarget::Expect::private_expected);
  CHECK(only(plan, "storage.file.smb").privatelink_zone == "privatelink.file.core.windows.net");
  CHECK(only(plan, "keyvault").expect == PlannedTarget::Expect::private_expected);
  CHECK(only(plan, "acr.login").expect == PlannedTarget::Expect::private_expected);
  CHECK(only(plan, "workspace.api").expect == PlannedTarget::Expect::private_expected);
  CHECK(only(plan, "notebooks").privatelink_zone == "privatelink.notebooks.azure.net");
  // Queue, table and Data Lake endpoints are optional in the v1 design: either answer is fine.
  CHECK(only(plan, "storage.queue").expect == PlannedTarget::Expect::either);
  // Public services stay public.
  CHECK(only(plan, "mcr").expect == PlannedTarget::Expect::public_expected);
  // Required once a private endpoint is in use.
  CHECK(only(plan, "acr.data").required);
}

TEST_CASE("each host built from a customer's name says which name, in the form the host spells it", "[plan][redact]") {
  using Names = std::vector<std::pair<std::string, std::string>>;
  const auto plan = plan_for("arm-private-westeurope");
  CHECK(only(plan, "storage.blob").identifying == Names{{"stfabrikamsecure01", "storage"}});
  CHECK(only(plan, "acr.data").identifying == Names{{"crfabrikamsecure", "acr"}});
  CHECK(only(plan, "workspace.api").identifying == Names{{"7c1d9e2f-5a4b-4c3d-9e8f-0a1b2c3d4e5f", "workspace-id"}});
  // The notebooks host is Azure's own spelling of the name: "ml-" and the name cut short.
  CHECK(only(plan, "notebooks").identifying ==
        Names{{"ml-fabrikam-sec-westeurope-7c1d9e2f-5a4b-4c3d-9e8f-0a1b2c3d4e5f", "notebooks"}});
  CHECK(only(plan, "mcr").identifying.empty());
}

TEST_CASE("a public workspace expects public answers for its own hosts and does not guess about its resources",
          "[plan][expect]") {
  const auto plan = plan_for("arm-public-eastus");
  CHECK(only(plan, "workspace.api").expect == PlannedTarget::Expect::public_expected);
  CHECK(only(plan, "notebooks").expect == PlannedTarget::Expect::public_expected);
  CHECK(only(plan, "storage.blob").expect == PlannedTarget::Expect::either);
  CHECK_FALSE(only(plan, "acr.data").required);
}

TEST_CASE("public network access disabled means private endpoints even without connection details",
          "[plan][expect]") {
  const auto plan = plan_for("azml-v2-private-eastus2");
  CHECK(only(plan, "storage.blob").expect == PlannedTarget::Expect::private_expected);
  CHECK(only(plan, "keyvault").expect == PlannedTarget::Expect::private_expected);
}

TEST_CASE("the config's private-endpoint setting overrides what the workspace says", "[plan][expect]") {
  const auto ws = workspace("arm-private-westeurope");
  const auto plan = build_plan(ws, config_from(R"({"expect_private_endpoints": false})"), Cloud::public_cloud);
  CHECK(only(plan, "workspace.api").expect == PlannedTarget::Expect::public_expected);
  CHECK(only(plan, "storage.blob").expect == PlannedTarget::Expect::either);
}

TEST_CASE("unknown workspace values become not-testable entries that name the missing input", "[plan][not-testable]") {
  const auto plan = plan_for("azml-v2-usgovvirginia");
  const auto& api = only(plan, "workspace.api");
  CHECK_FALSE(probed(api));
  CHECK(api.not_testable.find("--workspace-id") != std::string::npos);
  CHECK(only(plan, "notebooks").not_testable.find("--notebook-host") != std::string::npos);
  CHECK(only(plan, "ci.api").not_testable.find("--compute-instance") != std::string::npos);
  CHECK(probed(only(plan, "storage.blob")));
  CHECK(only(plan, "storage.blob").probe.host == "tailwindgovstore.blob.core.usgovcloudapi.net");

  const auto no_registry = plan_for("azml-v2-private-eastus2");
  CHECK(only(no_registry, "acr.login").not_testable.find("--acr") != std::string::npos);
  CHECK(only(no_registry, "acr.data").not_testable.find("--acr") != std::string::npos);
}

TEST_CASE("a wildcard is probed at the host its clients use; without one it stays not testable, naming the input",
          "[plan][not-testable]") {
  const auto ws = workspace("arm-private-westeurope");
  const auto plain = build_plan(ws, Config{}, Cloud::public_cloud);
  // [S18]: MCR's data hosts are <region>.data.mcr.microsoft.com; the front end's redirect is followed at run time.
  const auto& mcr_data = only(plain, "mcr.data");
  CHECK(probed(mcr_data));
  CHECK(mcr_data.probe.host == "westeurope.data.mcr.microsoft.com");
  CHECK(mcr_data.required);
  CHECK(only(plain, "mcr").redirect_id == "mcr.data");
  CHECK(only(plain, "mcr").probe.follow_redirect);
  CHECK(only(plain, "batch").probe.host == "westeurope.batch.azure.com");
  CHECK(only(plain, "batch.nodes").probe.host == "westeurope.service.batch.azure.com");
  CHECK(only(plain, "pytorch.more").probe.host == "download.pytorch.org");
  CHECK(only(plain, "tensorflow").probe.host == "www.tensorflow.org");
  CHECK(only(plain, "vscode.gallery").probe.host == "ms-toolsai.gallerycdn.vsassets.io");
  const auto& content = only(plain, "notebooks.content");
  CHECK(content.probe.host == "*.aznbcontent.net");
  CHECK(content.not_testable.find("\"wildcard_hosts\": {\"notebooks.content\"") != std::string::npos);
  // Without a region the regional data host cannot be named: the input is.
  const auto no_ws = build_plan(std::nullopt, Config{}, Cloud::public_cloud);
  CHECK(only(no_ws, "mcr.data").not_testable.find("--region") != std::string::npos);
  CHECK(probed(only(no_ws, "mcr")));

  const auto named = build_plan(ws, config_from(R"({"wildcard_hosts": {
      "mcr.data": ["westeurope.data.mcr.microsoft.com"],
      "batch": ["fabrikambatch.westeurope.batch.azure.com", "other.eastus.batch.azure.com"]}})"),
                                Cloud::public_cloud);
  const auto& concrete = only(named, "mcr.data");
  CHECK(probed(concrete));
  CHECK(concrete.probe.host == "westeurope.data.mcr.microsoft.com");
  CHECK(concrete.required);
  CHECK(only(named, "batch").probe.host == "fabrikambatch.westeurope.batch.azure.com");
  CHECK(std::ranges::count_if(named.warnings, [](const std::string& w) {
          return w.find("other.eastus.batch.azure.com") != std::string::npos;
        }) == 1);
}

TEST_CASE("UDP 5831 for compute instance management is listed but never claimed as tested", "[plan][not-testable]") {
  const auto plan = plan_for("arm-public-eastus");
  const auto& tundra = only(plan, "ci.management");
  CHECK(tundra.probe.host == "eastus.tundra.azureml.ms");
  CHECK(tundra.not_testable.find("UDP 5831") != std::string::npos);
}

TEST_CASE("each compute instance gets its API, IntelliSense and RStudio targets", "[plan][workspace]") {
  auto ws = workspace("arm-private-westeurope");
  ws.compute_instances = {"alice-ci", "bob-ci"};
  const auto plan = build_plan(ws, Config{}, Cloud::public_cloud);
  const auto api = with_id(plan, "ci.api");
  REQUIRE(api.size() == 2);
  CHECK(api[0]->probe.host == "alice-ci.westeurope.instances.azureml.ms");
  CHECK(api[1]->probe.host == "bob-ci.westeurope.instances.azureml.ms");
  const auto& nodes = *with_id(plan, "ci.nodes").front();
  CHECK(nodes.probe.port == 18881);
  CHECK_FALSE(nodes.probe.tls);
  CHECK(nodes.required);  // the workspace has a private endpoint
  CHECK(with_id(plan, "ci.rstudio").front()->probe.port == 8787);
}

TEST_CASE("HBI workspaces add the Batch key vault requirement", "[plan][workspace]") {
  CHECK(with_id(plan_for("arm-private-westeurope"), "keyvault.batch").size() == 1);
  CHECK(with_id(plan_for("arm-public-eastus"), "keyvault.batch").empty());
}

TEST_CASE("config skips remove targets by id or host and are listed, and a skip that matches nothing is a warning",
          "[plan][config]") {
  const auto plan = plan_for("arm-private-westeurope",
                             config_from(R"({"skip": ["vscode.web", "pypi.org", "storage.file.smb", "no.such.target"]})"));
  CHECK(with_id(plan, "vscode.web").empty());
  CHECK(with_id(plan, "pypi").empty());
  CHECK(with_id(plan, "storage.file.smb").empty());
  CHECK(with_id(plan, "storage.file").size() == 1);
  CHECK(plan.skipped == std::vector<std::string>{"storage.file.smb stfabrikamsecure01.file.core.windows.net:445",
                                                 "pypi pypi.org:443", "vscode.web vscode.dev:443"});
  CHECK(plan.warnings == std::vector<std::string>{"skip: no.such.target matches no planned target"});
}

TEST_CASE("extra hosts are planned on every port, and one the catalog has already gets the extra expectation",
          "[plan][config]") {
  const auto plan = plan_for("arm-public-eastus", config_from(R"({"extra_hosts": [
      {"host": "pypi.contoso.internal", "ports": [443, 8443], "category": "packageRepositories",
       "private_endpoint": true, "expected_ips": ["10.0.4.10"]},
      {"host": "contosoml4821.queue.core.windows.net", "private_endpoint": true, "expected_ips": ["10.0.1.7"]}]})"));
  const auto mirror = with_id(plan, "extra.pypi.contoso.internal");
  REQUIRE(mirror.size() == 2);
  CHECK(mirror[0]->probe.port == 443);
  CHECK(mirror[1]->probe.port == 8443);
  CHECK(mirror[0]->category == "packageRepositories");
  CHECK(mirror[0]->expect == PlannedTarget::Expect::private_expected);
  CHECK(mirror[0]->expected_ips == std::vector<std::string>{"10.0.4.10"});
  CHECK(with_id(plan, "extra.contosoml4821.queue.core.windows.net").empty());
  const auto& queue = only(plan, "storage.queue");
  CHECK(queue.expect == PlannedTarget::Expect::private_expected);
  CHECK(queue.expected_ips == std::vector<std::string>{"10.0.1.7"});
}

TEST_CASE("expected IPs attach to every port of their host, and an unplanned host is a warning", "[plan][config]") {
  const auto plan = plan_for("arm-private-westeurope", config_from(R"({"expected_ips": {
      "stfabrikamsecure01.file.core.windows.net": ["10.20.1.6", "10.20.1.6"],
      "unknown.example.com": ["10.9.9.9"]}})"));
  CHECK(only(plan, "storage.file").expected_ips == std::vector<std::string>{"10.20.1.6"});
  CHECK(only(plan, "storage.file.smb").expected_ips == std::vector<std::string>{"10.20.1.6"});
  CHECK(only(plan, "storage.blob").expected_ips.empty());
  CHECK(plan.warnings == std::vector<std::string>{"expected_ips: unknown.example.com is not a planned host"});
}

TEST_CASE("budgets, resolvers, paths and the proxy from the config reach the plan, password masked", "[plan][config]") {
  const auto config = value_of(parse_config(fixture("fixtures/config-full.jsonc"), "vnetdiag.jsonc"));
  const auto plan = build_plan(workspace("arm-private-westeurope"), config, Cloud::public_cloud);
  CHECK(plan.budgets.dns.count() == 1500);
  CHECK(plan.budgets.deadline.count() == 20000);
  CHECK(plan.vnet.size() == 2);
  CHECK(plan.dns_servers.size() == 2);
  CHECK(plan.ca_file == "/etc/ssl/certs/fabrikam-root.pem");
  const auto j = plan_to_json(plan);
  CHECK(j["settings"]["budgets_ms"] == json{{"dns", 1500}, {"connect", 2000}, {"proxy", 4000},
                                            {"tls", 3000}, {"http", 3500}, {"deadline", 20000}});
  CHECK(j["settings"]["proxy"]["https_proxy"] == "http://***@10.20.0.8:3128");
  CHECK(j.dump().find("s3cret") == std::string::npos);
  CHECK(render_plan_table(plan).find("s3cret") == std::string::npos);
  // The config also fixes expectations, names wildcards, adds hosts and skips others.
  CHECK(only(plan, "workspace.api").expected_ips == std::vector<std::string>{"10.20.1.4"});
  CHECK(probed(only(plan, "mcr.data")));
  CHECK(with_id(plan, "corp.proxy").size() == 2);
  CHECK(with_id(plan, "automl.aka").empty());
}

TEST_CASE("the environment targets use the configured metadata URL and Azure DNS, never a proxy", "[plan][config]") {
  const auto plan = build_plan(std::nullopt,
                               config_from(R"({"metadata_url": "http://127.0.0.1:8080/imds", "azure_dns": "127.0.0.1:5353"})"),
                               Cloud::public_cloud);
  const auto& imds = only(plan, "imds");
  CHECK(imds.probe.host == "127.0.0.1");
  CHECK(imds.probe.port == 8080);
  CHECK_FALSE(imds.probe.tls);
  CHECK_FALSE(imds.probe.allow_proxy);
  REQUIRE(imds.probe.http);
  CHECK(imds.probe.http->target == "/imds/metadata/instance?api-version=2021-02-01");
  CHECK(imds.probe.http->headers == std::vector<std::pair<std::string, std::string>>{{"Metadata", "true"}});
  const auto& dns = only(plan, "azure.dns");
  CHECK(dns.probe.host == "127.0.0.1");
  CHECK(dns.probe.port == 5353);
  CHECK_FALSE(dns.probe.allow_proxy);
}

TEST_CASE("the configured Resource Manager URL travels in the plan, and without one the cloud's own is meant",
          "[plan][config]") {
  CHECK(build_plan(std::nullopt, config_from(R"({"arm_url": "https://127.0.0.1:8443"})"), Cloud::public_cloud).arm_url ==
        "https://127.0.0.1:8443");
  CHECK(build_plan(std::nullopt, config_from("{}"), Cloud::china).arm_url.empty());
}

TEST_CASE("no two planned targets share a host and port, and they are ordered by category then id", "[plan][order]") {
  const char* names[] = {"arm-public-eastus", "arm-private-westeurope", "azml-v1-private-chinaeast2",
                         "azml-v2-usgovvirginia", "azml-v2-private-eastus2"};
  const std::vector<std::string> order{"dnsResolution", "storageAccount", "keyVault", "containerRegistry",
                                       "applicationInsights", "others", "packageRepositories", "environment"};
  for (const char* name : names) {
    INFO(name);
    auto ws = workspace(name);
    ws.compute_instances = {"alice-ci"};
    const auto plan = build_plan(ws, Config{}, value_of(choose_cloud(std::nullopt, ws)));
    std::set<std::string> endpoints;
    for (const auto& t : plan.targets) {
      if (probed(t)) CHECK(endpoints.insert(t.probe.host + ":" + std::to_string(t.probe.port)).second);
      CHECK(std::ranges::find(order, t.category) != order.end());
    }
    CHECK(std::ranges::is_sorted(plan.targets, [&](const PlannedTarget& a, const PlannedTarget& b) {
      const auto ra = std::ranges::find(order, a.category) - order.begin();
      const auto rb = std::ranges::find(order, b.category) - order.begin();
      return ra != rb ? ra < rb : a.id < b.id;
    }));
  }
}

TEST_CASE("the plan table aligns its columns and says why a target is not testable", "[plan][render]") {
  const auto text = render_plan_table(plan_for("arm-private-westeurope"));
  CHECK(text.starts_with("cloud: public   workspace: fabrikam-secure-ws (7c1d9e2f-5a4b-4c3d-9e8f-0a1b2c3d4e5f) in "
                         "westeurope, from arm-private-westeurope.json\n"));
  const auto header = text.find("ID ");
  REQUIRE(header != std::string::npos);
  const auto line_of = [&](std::string_view needle) {
    const auto at = text.find(needle);
    REQUIRE(at != std::string::npos);
    const auto start = text.rfind('\n', at) + 1;
    return text.substr(start, text.find('\n', at) - start);
  };
  const auto header_line = line_of("HOST:PORT");
  const auto blob_line = line_of("storage.blob ");
  CHECK(blob_line.find("stfabrikamsecure01.blob.core.windows.net:443") == header_line.find("HOST:PORT"));
  CHECK(blob_line.find("storageAccount") == header_line.find("CATEGORY"));
  CHECK(blob_line.find("privatelink.blob.core.windows.net") == header_line.find("ZONE"));
  CHECK(blob_line.ends_with("GET /?comp=list -> 401"));
  CHECK(line_of("ci.management").find("not testable: UDP 5831") != std::string::npos);
  CHECK(text.find(" targets: ") != std::string::npos);
}

}  // namespace vnetdiag

namespace vnetdiag {

TEST_CASE("a private-link ARM body leaves at most 6 targets untested, each with the input or reason it lacks",
          "[plan][not-testable]") {
  const auto plan = plan_for("arm-private-westeurope");
  std::vector<const PlannedTarget*> untested;
  for (const auto& t : plan.targets)
    if (!probed(t)) untested.push_back(&t);
  std::string listed;
  for (const auto* t : untested) listed += t->id + " " + t->probe.host + ": " + t->not_testable + "\n";
  INFO(listed);
  CHECK(untested.size() <= 6);
  for (const auto* t : untested) CHECK(t->not_testable.size() > 20);
  // The compute instance is one thing to give: one entry naming every check it would add.
  const auto& ci = only(plan, "ci.api");
  CHECK(ci.not_testable.find("--compute-instance") != std::string::npos);
  for (auto other : {"ci.nodes (<ci>.westeurope.instances.azureml.ms:18881)", "ci.rstudio", "ci.instances"})
    CHECK(ci.not_testable.find(other) != std::string::npos);
  CHECK(ci.required);
  CHECK(std::ranges::none_of(plan.targets, [](const PlannedTarget& t) { return t.id == "ci.nodes"; }));
  CHECK(only(plan, "batch.storage.blob").not_testable.find("batch.storage.queue") != std::string::npos);
  CHECK(only(plan, "ci.management").not_testable.find("UDP 5831") != std::string::npos);
}

TEST_CASE("named compute instances give each instance's hosts on 443, 18881 and 8787", "[plan][compute-instance]") {
  auto ws = workspace("arm-private-westeurope");
  ws.compute_instances = {"ci-alice", "ci-bob"};
  const auto plan = build_plan(ws, Config{}, Cloud::public_cloud);
  std::set<std::string> planned;
  for (const auto& t : plan.targets)
    if (t.id.starts_with("ci.") && probed(t)) planned.insert(t.id + " " + t.probe.host + ":" + std::to_string(t.probe.port));
  CHECK(planned == std::set<std::string>{
                       "ci.api ci-alice.westeurope.instances.azureml.ms:443",
                       "ci.api ci-bob.westeurope.instances.azureml.ms:443",
                       "ci.nodes ci-alice.westeurope.instances.azureml.ms:18881",
                       "ci.nodes ci-bob.westeurope.instances.azureml.ms:18881",
                       "ci.rstudio ci-alice.westeurope.instances.azureml.ms:8787",
                       "ci.rstudio ci-bob.westeurope.instances.azureml.ms:8787",
                       "ci.instances ci-alice.westeurope.instances.azureml.net:443",
                       "ci.instances ci-bob.westeurope.instances.azureml.net:443",
                   });
}

TEST_CASE("the connection string's IngestionEndpoint is the regional ingestion target; without it the global hosts stand",
          "[plan][monitor]") {
  const auto ws = workspace("arm-private-westeurope");
  const auto without = build_plan(ws, Config{}, Cloud::public_cloud);
  CHECK(std::ranges::none_of(without.targets, [](const PlannedTarget& t) { return t.id == "monitor.ingest.regional"; }));
  CHECK(probed(only(without, "monitor.ingest")));
  CHECK(only(without, "monitor.ingest").probe.host == "dc.applicationinsights.azure.com");

  const auto config = config_from(R"({"app_insights_connection_string":
      "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/"})");
  const auto with = build_plan(ws, config, Cloud::public_cloud);
  const auto& regional = only(with, "monitor.ingest.regional");
  CHECK(probed(regional));
  CHECK(regional.probe.host == "westeurope-5.in.applicationinsights.azure.com");
  CHECK(plan_to_json(with).dump().find("00000000-0000-0000-0000-000000000000") == std::string::npos);

  // A cloud whose ingestion host the facts do not give: not testable, naming the config key, until it is given.
  auto gov = workspace("azml-v2-usgovvirginia");
  const auto gov_plain = build_plan(gov, Config{}, Cloud::usgov);
  CHECK(only(gov_plain, "monitor.ingest").not_testable.find("app_insights_connection_string") != std::string::npos);
  const auto gov_named = build_plan(
      gov, config_from(R"({"app_insights_connection_string": "InstrumentationKey=x;IngestionEndpoint=https://usgovvirginia-1.in.applicationinsights.azure.us/"})"),
      Cloud::usgov);
  CHECK(only(gov_named, "monitor.ingest").probe.host == "usgovvirginia-1.in.applicationinsights.azure.us");

  CHECK(ingestion_host("IngestionEndpoint=http://plain.example/") == "");
  CHECK(ingestion_host("InstrumentationKey=abc") == "");
  CHECK(ingestion_host("ingestionendpoint=https://EastUS-8.in.applicationinsights.azure.com") ==
        "eastus-8.in.applicationinsights.azure.com");
}

TEST_CASE("the host MCR redirected to gets the data endpoint's record, naming the redirect", "[plan][redirect]") {
  const auto plan = plan_for("arm-private-westeurope");
  const auto& mcr = only(plan, "mcr");
  const auto t = redirected_target(plan, mcr, "westcentralus.data.mcr.microsoft.com", 443);
  CHECK(t.id == "mcr.data");
  CHECK(t.probe.host == "westcentralus.data.mcr.microsoft.com");
  CHECK(t.probe.tls);
  CHECK_FALSE(t.probe.http);
  CHECK_FALSE(t.probe.follow_redirect);
  CHECK(t.required);
  CHECK(t.category == "containerRegistry");
  CHECK(t.not_testable.empty());
  CHECK(t.facts.find("mcr.microsoft.com redirected") != std::string::npos);
}

}  // namespace vnetdiag
