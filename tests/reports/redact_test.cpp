// Redaction: identifying values become stable placeholders in every format; secrets never appear at all.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

#include "builders.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;

namespace {

const std::string kWorkspaceId = "0f3c6a7e-1b2d-4c5e-9f8a-1234567890ab";
const std::string kSubscription = "aaaabbbb-cccc-dddd-eeee-ffff00001111";
const std::string kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/// A report that holds every kind of identifying value and secret in the places they really turn up.
Report sensitive_report() {
  Scenario s;
  s.workspace = {.name = "contoso-ml-ws", .workspace_id = kWorkspaceId, .subscription_id = kSubscription,
                 .resource_group = "rg-contoso-ml", .tenant_id = kTenant, .region = "eastus", .cloud = "public",
                 .storage_account = "contosostorage01", .key_vault = "contoso-kv-01", .acr = "contosoacr01",
                 .app_insights = "contoso-insights", .compute_instances = {"alice-ci-01"}};
  s.env.imds = {.status = "ok", .region = "eastus", .vm_name = "jumpbox-contoso-7", .private_ips = {"10.0.2.4"},
                .public_ips = {"52.168.10.79"}};
  s.env.proxy.https_proxy = "http://alice:***@proxy.corp:3128";
  s.env.proxy.no_proxy = {"169.254.169.254"};
  s.env.proxy.variables = {{"https_proxy", "http://alice:***@proxy.corp:3128", true}};
  s.env.interfaces = {{"eth0", "10.0.2.4", 24, true, false}, {"eth1", "52.168.10.80", 28, true, false}};
  s.env.hosts_file = "/etc/hosts";
  s.env.notes = {{"dns", "nameserver 10.0.0.4 answers for contosostorage01.blob.core.windows.net"}};
  s.env.unusable = {{"/home/alice/hosts", "cannot be read (missing or not readable)"}};

  const std::string ws_host = kWorkspaceId + ".workspace.eastus.api.azureml.ms";
  s.add(target(ws_host).id("workspace.api").expect_private("privatelink.api.azureml.ms")
            .custom_dns().cname(kWorkspaceId + ".workspace.eastus.privatelink.api.azureml.ms").address("20.43.1.1")
            .connected().tls(TlsStatus::ok));
  s.add(target("contosostorage01.blob.core.windows.net").id("storage.blob").category("storageAccount")
            .expect_private("privatelink.blob.core.windows.net").reachable({401})
            .custom_dns().cname("contosostorage01.privatelink.blob.core.windows.net").address("10.0.1.5")
            .connected().tls(TlsStatus::ok)
            .http(403,
                  {{"WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/" + kTenant +
                                            "/oauth2/authorize resource_id=https://storage.azure.com"},
                   {"Set-Cookie", "session=abc123secret; Secure"},
                   {"x-ms-error-code", "AuthorizationFailure"}},
                  "<Error><Code>AuthorizationFailure</Code><Url>https://contosostorage01.blob.core.windows.net/c?sv=2022&sig=SECRETSIG%2B&se=x</Url>"
                  "<Tenant>" + [] { std::string t = kTenant; std::ranges::transform(t, t.begin(), ::toupper); return t; }() +
                      "</Tenant></Error>"));
  s.add(target("contosoacr01.azurecr.io").id("acr.login").category("containerRegistry").expect_private("privatelink.azurecr.io")
            .reachable({401}).custom_dns().cname("contosoacr01.privatelink.azurecr.io").address("10.0.1.8").connected()
            .tls(TlsStatus::ok)
            .http(403, {}, R"({"errors":[{"code":"DENIED","message":"client with IP '52.168.10.77' is not allowed access."}]})"));
  s.add(target("contoso-kv-01.vault.azure.net").id("keyvault").category("keyVault").expect_private("privatelink.vaultcore.azure.net")
            .reachable({401}).custom_dns().cname("contoso-kv-01.privatelink.vaultcore.azure.net").address("10.0.1.7").connected()
            .tls(TlsStatus::ok).http(401, {{"x-ms-keyvault-network-info", "conn_type=Ipv4;addr=52.168.10.78;act_addr_fam=InterNetwork;"}}));
  s.add(target("alice-ci-01.eastus.instances.azureml.ms", 18881).id("ci.nodes").expect_private().custom_dns().address("10.0.1.4")
            .tcp(TcpStatus::timeout));
  s.add(target("pypi.org").id("pypi").category("packageRepositories").custom_dns().address("151.101.0.223")
            .via_proxy(ProxyStatus::auth_required, 407, "http://alice:Sup3rS3cret@proxy.corp:3128"));

  Report report = s.report();
  report.metadata.run.hostname = "jumpbox-contoso-7";
  report.metadata.run.user = "alice";
  report.targets.back().result.proxy->headers = {{"Proxy-Authenticate", "Basic realm=\"corp\""},
                                                     {"Proxy-Authorization", "Basic YWxpY2U6U3VwM3JTM2NyZXQ="}};
  return report;
}

std::vector<std::string> every_format(const Report& report) {
  return {render_json(report), render_terminal(report), render_markdown(report), render_junit(report),
          render_prometheus(report)};
}

bool contains_nocase(std::string text, std::string needle) {
  auto lower = [](std::string& s) { std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); }); };
  lower(text);
  lower(needle);
  return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a redacted report holds none of the IDs, names, egress IPs, users or credentials, in any format", "[redact]") {
  const Report redacted = redact(sensitive_report());
  for (const auto& text : every_format(redacted)) {
    for (const std::string& value :
         {kWorkspaceId, kSubscription, kTenant, std::string("contoso-ml-ws"), std::string("rg-contoso-ml"),
          std::string("contosostorage01"), std::string("contoso-kv-01"), std::string("contosoacr01"),
          std::string("contoso-insights"), std::string("alice"), std::string("jumpbox-contoso-7"),
          std::string("52.168.10.77"), std::string("52.168.10.78"), std::string("52.168.10.79"), std::string("52.168.10.80"),
          std::string("Sup3rS3cret"), std::string("SECRETSIG"), std::string("abc123secret"),
          std::string("YWxpY2U6U3VwM3JTM2NyZXQ")}) {
      INFO(value);
      CHECK_FALSE(contains_nocase(text, value));
    }
  }
}

TEST_CASE("redaction keeps the report useful: placeholders stable within it, services, regions and private IPs kept", "[redact]") {
  const Report redacted = redact(sensitive_report());
  const std::string json = render_json(redacted);
  CHECK_THAT(json, Catch::Contains("<storage-1>.blob.core.windows.net"));
  CHECK_THAT(json, Catch::Contains("<storage-1>.privatelink.blob.core.windows.net"));
  CHECK_THAT(json, Catch::Contains("<workspace-id-1>.workspace.eastus.api.azureml.ms"));
  CHECK_THAT(json, Catch::Contains("<compute-1>.eastus.instances.azureml.ms"));
  CHECK_THAT(json, Catch::Contains("client with IP '<egress-ip-"));
  CHECK_THAT(json, Catch::Contains("login.microsoftonline.com/<tenant-1>/oauth2"));
  CHECK_THAT(json, Catch::Contains("\"10.0.1.5\""));
  CHECK_THAT(json, Catch::Contains("\"20.43.1.1\""));  // a service's public address is not this machine's
  CHECK(json.find("<storage-2>") == std::string::npos);
  CHECK(json.find("<tenant-2>") == std::string::npos);
  CHECK(redacted.metadata.workspace.storage_account == "<storage-1>");
  CHECK(redacted.metadata.workspace.region == "eastus");
  CHECK(redacted.metadata.run.user == "<user-1>");
  CHECK(redacted.redacted);
  // The same findings, with the same placeholders in their text.
  REQUIRE(redacted.findings.size() == sensitive_report().findings.size());
  for (const auto& f : redacted.findings) CHECK_FALSE(contains_nocase(f.evidence + f.title + f.fix, "contoso"));
}

TEST_CASE("an unredacted report still never holds a password, a SAS signature or a credential header", "[redact]") {
  const Report report = sensitive_report();
  for (const auto& text : every_format(report)) {
    CHECK_FALSE(contains_nocase(text, "Sup3rS3cret"));
    CHECK_FALSE(contains_nocase(text, "SECRETSIG"));
    CHECK_FALSE(contains_nocase(text, "abc123secret"));
    CHECK_FALSE(contains_nocase(text, "YWxpY2U6U3VwM3JTM2NyZXQ"));
  }
  // ...but names stay: only --redact hides them.
  CHECK_THAT(render_json(report), Catch::Contains("contosostorage01.blob.core.windows.net"));
  // Renderers scrub too, for a Report built by hand without build_report.
  Report by_hand = report;
  by_hand.env.proxy.https_proxy = "http://bob:hunter2@proxy.corp:3128";
  for (const auto& text : every_format(by_hand)) CHECK_FALSE(contains_nocase(text, "hunter2"));
}

TEST_CASE("secret scrubbing of single strings", "[redact]") {
  CHECK(without_secrets("http://u:p%40ss@proxy:3128") == "http://u:***@proxy:3128");
  CHECK(without_secrets("http://***@proxy:3128") == "http://***@proxy:3128");
  CHECK(without_secrets("https://a.blob.core.windows.net/c/b?sv=1&sig=abc%2Bdef&se=2") ==
        "https://a.blob.core.windows.net/c/b?sv=1&sig=<removed>&se=2");
  CHECK(without_secrets("SIG=abc") == "SIG=<removed>");
  CHECK(without_secrets("xsig=keep") == "xsig=keep");
  CHECK(without_secrets("no secrets here: 10.0.0.4:53") == "no secrets here: 10.0.0.4:53");
}

TEST_CASE("accounts every machine has are not treated as identifying", "[redact]") {
  Report report = sensitive_report();
  report.metadata.run.user = "root";
  report.targets[0].result.tls->chain[0].issuer = "CN=DigiCert Global Root G2,O=DigiCert Inc,C=US";
  const auto json = render_json(redact(report));
  CHECK_THAT(json, Catch::Contains("DigiCert Global Root G2"));
  CHECK_THAT(json, Catch::Contains("\"user\": \"root\""));
}

TEST_CASE("redaction replaces whole names only, not parts of other words", "[redact]") {
  Scenario s;
  s.workspace.storage_account = "data";
  s.add(target("data.blob.core.windows.net").id("storage.blob").custom_dns().address("10.0.1.5").works());
  s.add(target("metadata.example").id("extra.metadata").custom_dns().address("10.0.1.6").works());
  const auto json = render_json(redact(s.report()));
  CHECK_THAT(json, Catch::Contains("<storage-1>.blob.core.windows.net"));
  CHECK_THAT(json, Catch::Contains("metadata.example"));
}

TEST_CASE("hosts built from a name are redacted in the form the host uses: the notebooks host's truncated name",
          "[redact]") {
  // The notebooks host is Azure's: "ml-" + the workspace name cut short + region + GUID. The name as given
  // ("contoso-ml-ws-production") appears nowhere in it, so spelling alone would miss it.
  const std::string label = "ml-contoso-ml-ws-pr-eastus-" + kWorkspaceId;
  Scenario s;
  s.workspace = {.name = "contoso-ml-ws-production", .workspace_id = kWorkspaceId, .region = "eastus"};
  s.env.resource_names = {{"vnet-contoso-hub", "vnet"}, {"rg-contoso-net", "resource-group"}};
  s.env.vnet_ranges = {{"10.1.0.0/16", "Azure Resource Manager: peering with vnet-contoso-hub"}};
  s.add(target(label + ".eastus.notebooks.azure.net").id("notebooks").expect_private("privatelink.notebooks.azure.net")
            .custom_dns().cname(label + ".privatelink.notebooks.azure.net").address("10.0.1.9").tcp(TcpStatus::timeout));
  Report report = s.report();
  report.targets.back().context.identifying = {{label, "notebooks"}};
  const Report redacted = redact(report);
  for (const auto& text : every_format(redacted)) {
    CHECK_FALSE(contains_nocase(text, "contoso"));
    CHECK_FALSE(contains_nocase(text, kWorkspaceId.substr(0, 8)));
  }
  const std::string json = render_json(redacted);
  CHECK_THAT(json, Catch::Contains("<notebooks-1>.eastus.notebooks.azure.net"));
  CHECK_THAT(json, Catch::Contains("<notebooks-1>.privatelink.notebooks.azure.net"));
  CHECK_THAT(json, Catch::Contains("peering with <vnet-1>"));
  // What it was built from is not kept in the redacted report itself.
  CHECK(redacted.targets.back().context.identifying.empty());
  CHECK(redacted.env.resource_names.empty());
}
