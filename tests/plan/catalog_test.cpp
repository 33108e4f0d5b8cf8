// The catalog tables: invariants every row must keep, and the facts they encode.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "agent/plan/catalog.hpp"
#include "tests/plan/support.hpp"

namespace vnetdiag {

namespace {

const TargetTemplate& row(Cloud cloud, std::string_view id) {
  const auto rows = catalog(cloud);
  const auto it = std::ranges::find(rows, id, &TargetTemplate::id);
  if (it == rows.end()) FAIL("no row " << id << " in the " << to_string(cloud) << " catalog");
  return *it;
}

std::set<std::string> ids(Cloud cloud) {
  std::set<std::string> out;
  for (const auto& r : catalog(cloud)) out.insert(std::string(r.id));
  return out;
}

constexpr Cloud kClouds[] = {Cloud::public_cloud, Cloud::china, Cloud::usgov};

}  // namespace

TEST_CASE("every catalog row has a unique id, a service, its facts and a documentation link", "[plan][catalog]") {
  for (auto cloud : kClouds) {
    INFO("cloud " << to_string(cloud));
    std::set<std::string_view> seen_ids;
    std::set<std::string> seen_endpoints;
    for (const auto& r : catalog(cloud)) {
      INFO("row " << r.id);
      CHECK(seen_ids.insert(r.id).second);
      CHECK_FALSE(r.service.empty());
      CHECK_FALSE(r.facts.empty());
      CHECK(r.doc_url.starts_with("https://"));
      CHECK(r.port > 0);
      if (!r.zone.empty()) CHECK(r.zone.starts_with("privatelink."));
      if (!is_wildcard(r)) CHECK(seen_endpoints.insert(std::string(r.host) + ":" + std::to_string(r.port)).second);
      if (is_wildcard(r)) CHECK(is_wildcard_id(r.id));
      CHECK(is_catalog_id(r.id));
    }
  }
}

TEST_CASE("the clouds share ids, except the hosts only one cloud has", "[plan][catalog]") {
  std::set<std::string> public_only, sovereign_only;
  std::ranges::set_difference(ids(Cloud::public_cloud), ids(Cloud::china), std::inserter(public_only, public_only.end()));
  std::ranges::set_difference(ids(Cloud::china), ids(Cloud::public_cloud),
                              std::inserter(sovereign_only, sovereign_only.end()));
  CHECK(public_only == std::set<std::string>{"automl", "automl.aka", "ci.instances", "experiments", "graph.legacy",
                                             "monitor.ingest.legacy", "monitor.ingest.microsoft",
                                             "monitor.ingest.regional"});
  CHECK(sovereign_only == std::set<std::string>{"portal"});
  CHECK(ids(Cloud::usgov) == [] {
    auto s = ids(Cloud::china);
    s.insert("graph.legacy");  // US Gov compute still lists graph.windows.net (facts §1.3)
    return s;
  }());
}

TEST_CASE("China and US Gov rows use their own cloud's names", "[plan][catalog]") {
  // Hosts every cloud shares: third-party repositories, MCR, the notebook content CDN and (US Gov) AAD Graph.
  const std::set<std::string_view> shared{"mcr", "mcr.data", "notebooks.content", "graph.legacy", "vscode.extensions"};
  for (auto cloud : {Cloud::china, Cloud::usgov}) {
    for (const auto& r : catalog(cloud)) {
      if (shared.contains(r.id) || r.category == Category::package_repositories) continue;
      INFO(to_string(cloud) << " row " << r.id << " host " << r.host);
      for (std::string_view public_suffix : {"azureml.ms", "azureml.net", ".azure.com", "windows.net", "azure.net", "azurecr.io"}) {
        CHECK(r.host.find(public_suffix) == std::string_view::npos);
        CHECK(r.zone.find(public_suffix) == std::string_view::npos);
      }
    }
  }
}

TEST_CASE("the privatelink zones are the documented ones for each cloud", "[plan][catalog]") {
  struct Expected {
    Cloud cloud;
    std::string_view id, host, zone;
  };
  // Facts §1.1, §1.4, §1.5, §1.6.
  const Expected expected[] = {
      {Cloud::public_cloud, "workspace.api", "<wsid>.workspace.<region>.api.azureml.ms", "privatelink.api.azureml.ms"},
      {Cloud::public_cloud, "notebooks", "<nb>", "privatelink.notebooks.azure.net"},
      {Cloud::public_cloud, "storage.blob", "<sa>.blob.core.windows.net", "privatelink.blob.core.windows.net"},
      {Cloud::public_cloud, "storage.file.smb", "<sa>.file.core.windows.net", "privatelink.file.core.windows.net"},
      {Cloud::public_cloud, "keyvault", "<kv>.vault.azure.net", "privatelink.vaultcore.azure.net"},
      {Cloud::public_cloud, "acr.login", "<acr>.azurecr.io", "privatelink.azurecr.io"},
      {Cloud::public_cloud, "acr.data", "<acr>.<region>.data.azurecr.io", "privatelink.azurecr.io"},
      {Cloud::china, "workspace.api", "<wsid>.workspace.<region>.api.ml.azure.cn", "privatelink.api.ml.azure.cn"},
      {Cloud::china, "notebooks", "<nb>", "privatelink.notebooks.chinacloudapi.cn"},
      {Cloud::china, "storage.blob", "<sa>.blob.core.chinacloudapi.cn", "privatelink.blob.core.chinacloudapi.cn"},
      {Cloud::china, "keyvault", "<kv>.vault.azure.cn", "privatelink.vaultcore.azure.cn"},
      {Cloud::china, "acr.login", "<acr>.azurecr.cn", "privatelink.azurecr.cn"},
      {Cloud::china, "acr.data", "<acr>.<region>.data.azurecr.cn", ""},
      {Cloud::usgov, "workspace.api", "<wsid>.workspace.<region>.api.ml.azure.us", "privatelink.api.ml.azure.us"},
      {Cloud::usgov, "notebooks", "<nb>", "privatelink.notebooks.usgovcloudapi.net"},
      {Cloud::usgov, "storage.file", "<sa>.file.core.usgovcloudapi.net", "privatelink.file.core.usgovcloudapi.net"},
      {Cloud::usgov, "keyvault", "<kv>.vault.usgovcloudapi.net", "privatelink.vaultcore.usgovcloudapi.net"},
      {Cloud::usgov, "acr.login", "<acr>.azurecr.us", "privatelink.azurecr.us"},
  };
  for (const auto& e : expected) {
    INFO(to_string(e.cloud) << " " << e.id);
    const auto& r = row(e.cloud, e.id);
    CHECK(r.host == e.host);
    CHECK(r.zone == e.zone);
  }
}

TEST_CASE("file shares use 445, compute instances 18881 and 8787, Entra ID also 80", "[plan][catalog]") {
  for (auto cloud : kClouds) {
    CHECK(row(cloud, "storage.file.smb").port == 445);
    CHECK(row(cloud, "storage.file.smb").transport == Transport::tcp);
    CHECK(row(cloud, "ci.nodes").port == 18881);
    CHECK(row(cloud, "ci.nodes").need == Need::with_private_endpoint);
    CHECK(row(cloud, "ci.rstudio").port == 8787);
    CHECK(row(cloud, "entra.http").port == 80);
    CHECK(row(cloud, "ci.management").port == 5831);
    CHECK_FALSE(row(cloud, "ci.management").untestable.empty());
  }
}

TEST_CASE("storage, Key Vault, ACR, MCR, ARM and Entra ID get the unauthenticated requests of facts §5",
          "[plan][catalog]") {
  struct Expected {
    std::string_view id, method, target, header;
    int reachable;
  };
  const Expected expected[] = {
      {"storage.blob", "GET", "/?comp=list", "x-ms-version", 401},
      {"keyvault", "GET", "/secrets?api-version=7.4", "", 401},
      {"acr.login", "GET", "/v2/", "", 401},
      // [S18]: MCR's test blob, answered with a 307 to the data host the client is sent to.
      {"mcr", "GET",
       "/v2/mcrlabscdnone/hello-world-linux/blobs/sha256:fce289e99eb9bca977dae136fbe2a82b6b7d4c372474c9235adc1741675f587e",
       "", 307},
      {"arm", "GET", "/subscriptions?api-version=2020-01-01", "", 401},
      {"entra", "GET", "/common/v2.0/.well-known/openid-configuration", "", 200},
  };
  for (auto cloud : kClouds) {
    for (const auto& e : expected) {
      INFO(to_string(cloud) << " " << e.id);
      const auto& r = row(cloud, e.id);
      REQUIRE(r.request != nullptr);
      CHECK(r.request->method == e.method);
      CHECK(r.request->target == e.target);
      CHECK(r.request->header_name == e.header);
      CHECK(r.request->reachable[0] == e.reachable);
    }
    // The workspace API's anonymous answer is UNCONFIRMED (§6.7): TLS only.
    CHECK(row(cloud, "workspace.api").request == nullptr);
  }
}

TEST_CASE("one row list serves every cloud: each token is the cloud's suffix, and masked rows stay in their cloud",
          "[plan][catalog]") {
  for (auto cloud : kClouds) {
    for (const auto& r : catalog(cloud)) {
      INFO(to_string(cloud) << " " << r.id << " " << r.host);
      CHECK(r.host.find('{') == std::string_view::npos);
      CHECK(r.zone.find('{') == std::string_view::npos);
      CHECK(r.facts.find('{') == std::string_view::npos);
      CHECK(r.concrete.find('{') == std::string_view::npos);
      CHECK_FALSE(r.host.empty());
    }
  }
  CHECK(row(Cloud::public_cloud, "storage.blob").host == "<sa>.blob.core.windows.net");
  CHECK(row(Cloud::china, "storage.blob").zone == "privatelink.blob.core.chinacloudapi.cn");
  CHECK(row(Cloud::usgov, "keyvault").zone == "privatelink.vaultcore.usgovcloudapi.net");
  CHECK(row(Cloud::usgov, "batch").concrete == "<region>.batch.usgovcloudapi.net");
  CHECK(row(Cloud::china, "acr.data").zone.empty());  // unconfirmed (§6.3): no zone asserted
  auto has = [](Cloud cloud, std::string_view id) {
    return std::ranges::any_of(catalog(cloud), [&](const TargetTemplate& r) { return r.id == id; });
  };
  for (auto id : {"automl", "automl.aka", "experiments", "ci.instances", "monitor.ingest.regional"}) {
    INFO(id);
    CHECK(has(Cloud::public_cloud, id));
    CHECK_FALSE(has(Cloud::china, id));
    CHECK_FALSE(has(Cloud::usgov, id));
  }
  CHECK_FALSE(has(Cloud::public_cloud, "portal"));
  CHECK(row(Cloud::china, "portal").host == "management.azure.cn");
  CHECK_FALSE(has(Cloud::china, "graph.legacy"));
  CHECK(row(Cloud::usgov, "graph.legacy").host == "graph.windows.net");
  // The names that identify a cloud come from the same table.
  CHECK(facts_of(Cloud::usgov).az_environment == "AzureUSGovernmentCloud");
  CHECK(cloud_of_az_environment("azurechinacloud") == Cloud::china);
  CHECK(resource_manager_url(Cloud::china) == "https://management.chinacloudapi.cn/");
}

TEST_CASE("category names are the workspace-diagnostics names", "[plan][catalog]") {
  CHECK(to_string(Category::dns_resolution) == "dnsResolution");
  CHECK(to_string(Category::application_insights) == "applicationInsights");
  CHECK(to_string(Category::package_repositories) == "packageRepositories");
  CHECK(parse_category("keyVault") == Category::key_vault);
  CHECK_FALSE(parse_category("keyvault"));
}

}  // namespace vnetdiag

namespace vnetdiag {

TEST_CASE("the user documentation lists every target of every cloud", "[plan][catalog][docs]") {
  const auto doc = test::fixture("../../docs/catalog.md");
  for (auto cloud : kClouds) {
    for (const auto& r : catalog(cloud)) {
      INFO(to_string(cloud) << " " << r.id << " " << r.host);
      CHECK(doc.find("| `" + std::string(r.id) + "` |") != std::string::npos);
      if (r.host != "<discovery>") CHECK(doc.find("`" + std::string(r.host) + "`") != std::string::npos);
    }
  }
}

}  // namespace vnetdiag
