#include "agent/plan/catalog.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "reports/doc_links.hpp"

namespace vnetdiag {
namespace {

using enum Category;
using enum Need;
using enum PrivateLink;
using enum Transport;

constexpr std::array<std::string_view, 8> kCategoryNames{
    "dnsResolution", "storageAccount", "keyVault", "containerRegistry",
    "applicationInsights", "others", "packageRepositories", "environment"};

// ---------------------------------------------------------------------------------------------
// Unauthenticated requests, facts §5. Only services whose anonymous answer is sourced get one; the
// others (workspace API, notebooks, instances, ACR data endpoint: §6.7 UNCONFIRMED) are TLS-only.

// Storage answers 401 NoAuthenticationInformation to x-ms-version >= 2019-12-12 [S54][S55]; the
// firewall's 403 AuthorizationFailure is UNCONFIRMED for anonymous requests, so only 401 means "allowed".
constexpr RequestTemplate kStorageList{"GET", "/?comp=list", "x-ms-version", "2019-12-12", {401, 0}};
// Key Vault: 401 AKV10000 "Request is missing a Bearer or PoP token" [S53].
constexpr RequestTemplate kKeyVaultSecrets{"GET", "/secrets?api-version=7.4", "", "", {401, 0}};
// ACR: 401 UNAUTHORIZED when allowed, 403 DENIED "client with IP ... is not allowed access" [S59][S75].
constexpr RequestTemplate kRegistryPing{"GET", "/v2/", "", "", {401, 0}};
// MCR's own test blob [S18]: the registry answers a blob request with a 307 to the data host
// ([region].data.mcr.microsoft.com) that this client is sent to, which is what a container client does next.
// Anonymous, like /v2/ [S78]; 200 would be the blob served from the front end itself.
constexpr RequestTemplate kMcrBlob{
    "GET", "/v2/mcrlabscdnone/hello-world-linux/blobs/sha256:fce289e99eb9bca977dae136fbe2a82b6b7d4c372474c9235adc1741675f587e",
    "", "", {307, 200}};
// ARM: 401 AuthenticationFailed "The 'Authorization' header is missing." [S89][S90].
constexpr RequestTemplate kArmSubscriptions{"GET", "/subscriptions?api-version=2020-01-01", "", "", {401, 0}};
// Entra ID: the OpenID Connect metadata document, 200 [S88]. The same path serves the China and US Gov
// authorities (INFERENCE: the facts cite the public authority only).
constexpr RequestTemplate kEntraMetadata{"GET", "/common/v2.0/.well-known/openid-configuration", "", "", {200, 0}};

// Compute instance management uses UDP 5831 (facts §1.3, §1.12, F22): a TCP/TLS probe cannot show it.
constexpr std::string_view kUdp =
    "UDP 5831 cannot be checked without the service's own protocol; check that outbound UDP 5831 to "
    "AzureMachineLearning (or this host) is allowed by the NSG and firewall";
// Facts §1.10 list the Application Insights ingestion hosts for the public cloud only.
constexpr std::string_view kIngestUnknown =
    "the Application Insights ingestion host of this cloud is not in the facts used here; give the component's "
    "connection string in the config (\"app_insights_connection_string\") to test its IngestionEndpoint";
// Facts §1.3: the Batch back end's storage accounts live in a Microsoft subscription; their names are not published.
constexpr std::string_view kBatchStorage =
    "the Batch back end's storage accounts are Microsoft's and their names are not published; name one in the "
    "config (\"wildcard_hosts\": {\"batch.storage.blob\": [\"...\"]}, and .queue, .table) to test it";

// Columns: id, host, port, transport, category, need, privatelink zone, private link, request, service,
// facts, doc [, untestable, hbi_only, clouds, concrete, group, only_when_known, redirect_id].
// `{name}` tokens are the cloud's suffixes (CloudFacts in cloud.cpp).
constexpr TargetTemplate kRows[] = {
    // Workspace private endpoint names: §1.1 [S3]; zones privatelink.{api} and privatelink.{notebooks}.
    // aznbcontent.net is among the zones forwarded to Azure DNS for a private workspace, so either answer is
    // accepted for it.
    {"workspace.api", "<wsid>.workspace.<region>.{api}", 443, tls, dns_resolution, required, "privatelink.{api}",
     workspace, nullptr, "Azure ML workspace API", "§1.1 [S3]", kDocCustomDns},
    {"workspace.cert", "<wsid>.workspace.<region>.cert.{api}", 443, tls, dns_resolution, required, "", workspace,
     nullptr, "Azure ML workspace cert API",
     "§1.1 [S3]; same private IP as workspace.api; its CNAME chain is UNCONFIRMED (§6.1), so no zone is asserted",
     kDocCustomDns},
    {"notebooks", "<nb>", 443, tls, dns_resolution, required, "privatelink.{notebooks}", workspace, nullptr,
     "Integrated notebooks", "§1.1 [S3][S40]", kDocCustomDns},
    {"notebooks.content", "*.aznbcontent.net", 443, tls, dns_resolution, required, "", possible, nullptr,
     "Integrated notebooks (content)", "§1.1, §1.2 [S3][S4]; no concrete host is published", kDocFirewall},
    // Compute instances: the names come from --compute-instance, the workspace document or the instance's
    // environment. Untested for want of a name, the four rows are one entry.
    {"ci.api", "<ci>.<region>.{instances}", 443, tls, dns_resolution, required, "", workspace, nullptr,
     "Compute instance (Jupyter, terminal)",
     "§1.1, §1.3 [S3][S4]; resolves to the workspace private endpoint IP; CNAME chain UNCONFIRMED (§6.1)",
     kDocCustomDns, {}, false, kEveryCloud, {}, "ci"},
    {"ci.nodes", "<ci>.<region>.{instances}", 18881, tcp, dns_resolution, with_private_endpoint, "", workspace,
     nullptr, "Compute instance IntelliSense (language server)", "§1.3, §1.12 [S2][S4]{analogy_note}", kDocFirewall,
     {}, false, kEveryCloud, {}, "ci"},
    {"ci.rstudio", "<ci>.<region>.{instances}", 8787, tcp, dns_resolution, situational, "", workspace, nullptr,
     "Compute instance RStudio", "§1.3, §1.12 [S2][S4]{analogy_note}", kDocFirewall, {}, false, kEveryCloud, {},
     "ci"},
    // The public cloud lists *.instances.azureml.net beside *.instances.azureml.ms (§1.3 [S4]); in China and
    // US Gov the instances domain above is the one listed.
    {"ci.instances", "*.instances.azureml.net", 443, tls, dns_resolution, required, "", none, nullptr,
     "Compute instance (instances.azureml.net)",
     "§1.3 [S4]; concrete: <ci>.<region>.instances.azureml.net (INFERENCE, not in the facts: Azure ML's "
     "deploy-to-compute-instance article names instance services <ci>-<port>.<region>.instances.azureml.net)",
     kDocFirewall, {}, false, kPublicOnly, "<ci>.<region>.instances.azureml.net", "ci"},
    {"inference", "*.<region>.{inference}", 443, tls, dns_resolution, situational, "privatelink.{api}", workspace,
     nullptr, "Managed online endpoint scoring",
     "§1.1 [S3][S15]; the host is <endpoint>.<region>.{inference}: name the endpoint in wildcard_hosts",
     kDocCustomDns},

    // Storage: §1.4 [S5]; blob and file private endpoints are what Azure ML v1 needs [S1], queue and table only
    // for ParallelRunStep; 445 for the file share mount (§1.3, §1.12 [S13]).
    {"storage.blob", "<sa>.blob.{storage}", 443, tls, storage_account, required, "privatelink.blob.{storage}",
     dependency, &kStorageList, "Storage account (blob)", "§1.4, §5 [S1][S5][S54]", kDocStorage},
    {"storage.file", "<sa>.file.{storage}", 443, tls, storage_account, required, "privatelink.file.{storage}",
     dependency, nullptr, "Storage account (file)", "§1.3, §1.4 [S1][S4][S5]", kDocStorage},
    {"storage.file.smb", "<sa>.file.{storage}", 445, tcp, storage_account, required, "privatelink.file.{storage}",
     dependency, nullptr, "Storage account (file share, SMB)", "§1.3, §1.12 [S4][S13]", kDocTraining},
    {"storage.queue", "<sa>.queue.{storage}", 443, tls, storage_account, situational, "privatelink.queue.{storage}",
     possible, nullptr, "Storage account (queue; ParallelRunStep)", "§1.4 [S1][S5]", kDocStorage},
    {"storage.table", "<sa>.table.{storage}", 443, tls, storage_account, situational, "privatelink.table.{storage}",
     possible, nullptr, "Storage account (table; ParallelRunStep)", "§1.4 [S1][S5]", kDocStorage},
    {"storage.dfs", "<sa>.dfs.{storage}", 443, tls, storage_account, situational, "privatelink.dfs.{storage}",
     possible, nullptr, "Storage account (Data Lake)", "§1.2, §1.4 [S4][S5]", kDocStorage},

    // Key Vault: §1.5 [S5]; the Batch key vault only for hbi_workspace (§1.3, §1.12 [S2]).
    {"keyvault", "<kv>.{vault}", 443, tls, key_vault, required, "privatelink.{vaultcore}", dependency,
     &kKeyVaultSecrets, "Key Vault", "§1.5, §5 [S1][S4][S5][S53]", kDocSecureWorkspace},
    {"keyvault.batch", "*.{vault}", 443, tls, key_vault, required, "", none, nullptr,
     "Key Vault of the Batch back end (HBI workspaces)",
     "§1.3, §1.12 [S2][S4]; the vault is Microsoft's, its name is not published", kDocFirewall, {}, true},

    // Container registry: §1.6 [S5][S19][S27]. The data endpoint's record may live in
    // <region>.data.privatelink.azurecr.io, which is still inside privatelink.azurecr.io.
    {"acr.login", "<acr>.{acr}", 443, tls, container_registry, required, "privatelink.{acr}", dependency,
     &kRegistryPing, "Container registry (login server)", "§1.6, §5 {acr_sources}", kDocAcrPrivate},
    {"acr.data", "<acr>.<region>.data.{acr}", 443, tls, container_registry, with_private_endpoint, "{acr_data_zone}",
     dependency, nullptr, "Container registry (regional data endpoint)", "{acr_data_note}", kDocAcrEndpoints},

    // Microsoft Container Registry (§1.7 [S18]): the front end, and the data host image layers come from.
    // [S18] gives the data hosts' convention, [region].data.mcr.microsoft.com, and the blob request whose
    // redirect shows the one this client is sent to: that host is probed too when it is another.
    {"mcr", "mcr.microsoft.com", 443, tls, container_registry, required, "", none, &kMcrBlob,
     "Microsoft Container Registry", "§1.7, §5 [S18][S78]", kDocMcr, {}, false, kEveryCloud, {}, {}, false,
     "mcr.data"},
    {"mcr.data", "*.data.mcr.microsoft.com", 443, tls, container_registry, required, "", none, nullptr,
     "Microsoft Container Registry (data endpoint)",
     "§1.7 [S18]: data hosts are [region].data.mcr.microsoft.com; the workspace's region is the one its computes "
     "pull from (INFERENCE), and the host mcr.microsoft.com redirects to is probed as well",
     kDocMcr, {}, false, kEveryCloud, "<region>.data.mcr.microsoft.com"},

    // Application Insights ingestion when Azure Monitor is not behind AMPLS: §1.10 [S2][S4]; the chain
    // passes through privatelink.monitor.azure.com [S34]. The component's own ingestion host is the
    // IngestionEndpoint of its connection string (config); without it the global hosts stand for it.
    {"monitor.ingest", "dc.applicationinsights.azure.com", 443, tls, application_insights, situational,
     "{monitor_zone}", possible, nullptr, "Application Insights ingestion", "§1.10 [S2][S4][S34]", kDocMonitor, {},
     false, kPublicOnly},
    {"monitor.ingest.microsoft", "dc.applicationinsights.microsoft.com", 443, tls, application_insights, situational,
     "{monitor_zone}", possible, nullptr, "Application Insights ingestion", "§1.10 [S2][S4][S34]", kDocMonitor, {},
     false, kPublicOnly},
    {"monitor.ingest.legacy", "dc.services.visualstudio.com", 443, tls, application_insights, situational,
     "{monitor_zone}", possible, nullptr, "Application Insights ingestion (legacy name)", "§1.10 [S2][S4][S34]",
     kDocMonitor, {}, false, kPublicOnly},
    {"monitor.ingest.regional", "*.in.applicationinsights.azure.com", 443, tls, application_insights, situational,
     "{monitor_zone}", possible, nullptr, "Application Insights regional ingestion",
     "§1.10 [S2][S4]; concrete: the IngestionEndpoint of the component's connection string (config)", kDocMonitor,
     {}, false, kPublicOnly, "<ingest>", {}, true},
    {"monitor.ingest", "*", 443, tls, application_insights, situational, "{monitor_zone}", possible, nullptr,
     "Application Insights ingestion",
     "§1.10 [S5]; this cloud's ingestion host is not in the facts: the IngestionEndpoint of the component's "
     "connection string (config)", kDocMonitor, kIngestUnknown, false, kSovereign, "<ingest>"},

    // Control plane and platform: §1.2, §1.3, §1.8, §1.9, §1.12.
    {"discovery", "<discovery>", 443, tls, others, required, "", possible, nullptr,
     "Azure ML regional API (discovery URL)", "§1.2, §1.14 [S40]{analogy_note}", kDocFirewall},
    {"studio", "{studio}", 443, tls, others, required, "", none, nullptr, "Azure ML studio",
     "§1.2, §1.12 [S2][S4]", kDocFirewall},
    {"entra", "{login}", 443, tls, others, required, "", none, &kEntraMetadata, "Microsoft Entra ID",
     "§1.8, §5 [S4][S88]", kDocEntra},
    {"entra.http", "{login}", 80, tcp, others, required, "", none, nullptr, "Microsoft Entra ID (HTTP)",
     "§1.8, §1.12 [S2][S4]", kDocFirewall},
    {"arm", "{arm}", 443, tls, others, required, "", none, &kArmSubscriptions, "Azure Resource Manager",
     "§1.8, §5 [S4][S89]", kDocFirewall},
    {"portal", "{portal}", 443, tls, others, situational, "", none, nullptr, "Azure portal", "§1.8 [S4]",
     kDocFirewall, {}, false, kSovereign},
    {"graph", "{graph}", 443, tls, others, required, "", none, nullptr, "Microsoft Graph (integrated notebooks)",
     "§1.2, §1.3 [S4]", kDocFirewall},
    {"graph.legacy", "{graph_legacy}", 443, tls, others, required, "", none, nullptr,
     "Azure AD Graph (compute instances and clusters)", "§1.3 [S4][S13]", kDocFirewall, {}, false,
     kPublicOnly | kUsGovOnly},
    // Batch (§1.3, §1.9): the firewall lists *.<region>.batch... and *.<region>.service.batch...; the
    // regional names below are the public names of the Batch private link zones (§1.9 [S5]), the region's
    // own front ends under those wildcards (INFERENCE: the per-account names are Microsoft's).
    {"batch", "*.<region>.{batch}", 443, tls, others, required, "", none, nullptr, "Azure Batch (compute back end)",
     "{batch_sources}; concrete: <region>.{batch} (INFERENCE from §1.9 [S5])", kDocTraining, {}, false,
     kEveryCloud, "<region>.{batch}"},
    {"batch.nodes", "*.<region>.service.{batch}", 443, tls, others, required, "", none, nullptr,
     "Azure Batch node management",
     "{batch_sources}; concrete: <region>.service.{batch} (INFERENCE from §1.9 [S5])", kDocTraining, {}, false,
     kEveryCloud, "<region>.service.{batch}"},
    {"batch.storage.blob", "*.blob.{storage}", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (blob; also ACR layers without a data endpoint)",
     "§1.3, §1.6 [S4][S27]", kDocFirewall, kBatchStorage, false, kEveryCloud, {}, "batch.storage"},
    {"batch.storage.queue", "*.queue.{storage}", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (queue)", "§1.3 [S4][S13]", kDocFirewall, kBatchStorage, false,
     kEveryCloud, {}, "batch.storage"},
    {"batch.storage.table", "*.table.{storage}", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (table)", "§1.3 [S4][S13]", kDocFirewall, kBatchStorage, false,
     kEveryCloud, {}, "batch.storage"},
    {"ci.management", "<region>.{tundra}", 5831, tcp, others, required, "", none, nullptr,
     "Compute instance management (UDP)", "§1.3, §1.12 [S2][S4][S13]", kDocTraining, kUdp},
    {"modelmanagement", "{modelmanagement}", 443, tls, others, situational, "", none, nullptr,
     "Model management (SDK v1)", "§1.2 [S4][S52]", kDocFirewall},
    {"experiments", "<region>.experiments.azureml.net", 443, tls, others, situational, "", none, nullptr,
     "Experiments (SDK v1)", "§1.2 [S4][S50]; UNCONFIRMED whether current SDKs still use it (§6.4)", kDocFirewall,
     {}, false, kPublicOnly},
    {"automl", "automlresources-prod.azureedge.net", 443, tls, others, situational, "", none, nullptr,
     "AutoML NLP/Vision resources", "§1.2 [S4] (public cloud only)", kDocFirewall, {}, false, kPublicOnly},
    {"automl.aka", "aka.ms", 443, tls, others, situational, "", none, nullptr, "AutoML NLP/Vision (aka.ms links)",
     "§1.2 [S4] (public cloud only)", kDocFirewall, {}, false, kPublicOnly},

    // Package repositories and tools of §1.11 [S2][S22][S4], the same in every cloud. A wildcard's concrete
    // host is the one its client fetches from; where the facts do not name it, the row says so (INFERENCE).
    {"pypi", "pypi.org", 443, tls, package_repositories, situational, "", none, nullptr, "PyPI (pip index)",
     "§1.11 [S2][S22]", kDocFirewall},
    {"pypi.files", "files.pythonhosted.org", 443, tls, package_repositories, situational, "", none, nullptr,
     "PyPI package files", "§1.11, F21 [S2]", kDocFirewall},
    {"conda", "conda.anaconda.org", 443, tls, package_repositories, situational, "", none, nullptr,
     "conda channels (anaconda.org)", "§1.11, F21 [S2]", kDocFirewall},
    {"conda.repo", "repo.anaconda.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "conda default packages", "§1.11, F21 [S2]", kDocFirewall},
    {"conda.site", "anaconda.com", 443, tls, package_repositories, situational, "", none, nullptr, "Anaconda",
     "§1.11 [S2]", kDocFirewall},
    {"cran", "cloud.r-project.org", 443, tls, package_repositories, situational, "", none, nullptr, "CRAN",
     "§1.3, §1.11 [S2][S4]", kDocFirewall},
    {"pytorch", "pytorch.org", 443, tls, package_repositories, situational, "", none, nullptr, "PyTorch",
     "§1.11 [S2]", kDocFirewall},
    {"pytorch.more", "*.pytorch.org", 443, tls, package_repositories, situational, "", none, nullptr,
     "PyTorch downloads",
     "§1.11 [S2]; concrete: download.pytorch.org, the index pip installs PyTorch wheels from (INFERENCE: "
     "PyTorch's install command, not in the facts)", kDocFirewall, {}, false, kEveryCloud, "download.pytorch.org"},
    {"tensorflow", "*.tensorflow.org", 443, tls, package_repositories, situational, "", none, nullptr,
     "TensorFlow",
     "§1.11 [S2]; concrete: www.tensorflow.org, where the TensorFlow examples live (INFERENCE, not in the facts)",
     kDocFirewall, {}, false, kEveryCloud, "www.tensorflow.org"},
    {"vscode.download", "code.visualstudio.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "VS Code download", "§1.11 [S22]", kDocFirewall},
    {"vscode.update", "update.code.visualstudio.com", 443, tls, package_repositories, situational, "", none,
     nullptr, "VS Code server (compute instance)", "§1.11 [S22]", kDocFirewall},
    {"vscode.cdn", "*.vo.msecnd.net", 443, tls, package_repositories, situational, "", none, nullptr,
     "VS Code server (CDN)",
     "§1.11 [S22]; concrete: az764295.vo.msecnd.net, VS Code's download CDN host (INFERENCE: named in VS Code's "
     "own server connect-src list, not in the facts)", kDocFirewall, {}, false, kEveryCloud, "az764295.vo.msecnd.net"},
    {"vscode.marketplace", "marketplace.visualstudio.com", 443, tls, package_repositories, situational, "", none,
     nullptr, "VS Code extensions (marketplace)", "§1.11 [S22]", kDocFirewall},
    {"vscode.extensions", "vscode.blob.core.windows.net", 443, tls, package_repositories, situational, "", none,
     nullptr, "VS Code extensions (storage)", "§1.11 [S22]", kDocFirewall},
    {"vscode.gallery", "*.gallerycdn.vsassets.io", 443, tls, package_repositories, situational, "", none, nullptr,
     "VS Code extensions (gallery CDN)",
     "§1.11 [S22]; concrete: ms-toolsai.gallerycdn.vsassets.io, the gallery CDN host of the Azure ML extension's "
     "publisher (INFERENCE: the CDN names hosts <publisher>.gallerycdn.vsassets.io)", kDocFirewall, {}, false,
     kEveryCloud, "ms-toolsai.gallerycdn.vsassets.io"},
    {"vscode.websocket", "raw.githubusercontent.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "Azure ML websocket server for VS Code (raw.githubusercontent.com/microsoft/vscode-tools-for-ai/...)",
     "§1.11, F30 [S22][S84]", kDocFirewall},
    {"vscode.web", "*.vscode.dev", 443, tls, package_repositories, situational, "", none, nullptr, "vscode.dev",
     "§1.11 [S4]; concrete: vscode.dev, where the web editor is served (INFERENCE, not in the facts)", kDocFirewall,
     {}, false, kEveryCloud, "vscode.dev"},
    {"vscode.web.unpkg", "*.vscode-unpkg.net", 443, tls, package_repositories, situational, "", none, nullptr,
     "vscode.dev (packages)",
     "§1.11 [S4]; concrete: ms-toolsai.vscode-unpkg.net, the Azure ML extension publisher's host (INFERENCE: "
     "web extensions are served from <publisher>.vscode-unpkg.net)", kDocFirewall, {}, false, kEveryCloud,
     "ms-toolsai.vscode-unpkg.net"},
    {"vscode.web.cdn", "*.vscode-cdn.net", 443, tls, package_repositories, situational, "", none, nullptr,
     "vscode.dev (CDN)",
     "§1.11 [S4]; concrete: main.vscode-cdn.net (INFERENCE: named in VS Code's own connect-src list, not in the "
     "facts)", kDocFirewall, {}, false, kEveryCloud, "main.vscode-cdn.net"},
    {"vscode.web.experiments", "*.vscodeexperiments.azureedge.net", 443, tls, package_repositories, situational, "",
     none, nullptr, "vscode.dev (experiments)",
     "§1.11 [S4]; no concrete host is published: planned only when the config names one, since VS Code's "
     "experiment assignment is default.exp-tas.com (vscode.web.tas; INFERENCE)", kDocFirewall, {}, false,
     kEveryCloud, {}, {}, true},
    {"vscode.web.tas", "default.exp-tas.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "vscode.dev (experiment assignment)", "§1.11 [S4]", kDocFirewall},
    {"ghcr", "ghcr.io", 443, tls, package_repositories, situational, "", none, nullptr,
     "GitHub container registry (RStudio image)", "§1.3, §1.11 [S4][S23]", kDocFirewall},
    {"ghcr.packages", "pkg-containers.githubusercontent.com", 443, tls, package_repositories, situational, "", none,
     nullptr, "GitHub container registry packages (RStudio image)", "§1.3, §1.11 [S4][S23]", kDocFirewall},
    {"posit.license", "www.wyday.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "Posit Workbench licensing", "§1.3, §1.11 [S23]", kDocFirewall},
};

/// A `{name}` token and the cloud's value for it.
struct Suffix {
  std::string_view token;
  std::string_view CloudFacts::*value;
};

constexpr Suffix kSuffixes[] = {
    {"{api}", &CloudFacts::api},
    {"{notebooks}", &CloudFacts::notebooks},
    {"{instances}", &CloudFacts::instances},
    {"{inference}", &CloudFacts::inference},
    {"{modelmanagement}", &CloudFacts::modelmanagement},
    {"{studio}", &CloudFacts::studio},
    {"{graph}", &CloudFacts::graph},
    {"{graph_legacy}", &CloudFacts::graph_legacy},
    {"{tundra}", &CloudFacts::tundra},
    {"{storage}", &CloudFacts::storage},
    {"{vault}", &CloudFacts::vault},
    {"{vaultcore}", &CloudFacts::vaultcore},
    {"{acr}", &CloudFacts::acr},
    {"{acr_data_zone}", &CloudFacts::acr_data_zone},
    {"{login}", &CloudFacts::login},
    {"{arm}", &CloudFacts::arm},
    {"{portal}", &CloudFacts::portal},
    {"{batch}", &CloudFacts::batch},
    {"{monitor_zone}", &CloudFacts::monitor_zone},
    {"{acr_sources}", &CloudFacts::acr_sources},
    {"{acr_data_note}", &CloudFacts::acr_data_note},
    {"{analogy_note}", &CloudFacts::analogy_note},
    {"{batch_sources}", &CloudFacts::batch_sources},
};

/// One cloud's rows with its suffixes in place; the texts live as long as the program.
struct CloudCatalog {
  std::deque<std::string> texts;
  std::vector<TargetTemplate> rows;

  std::string_view fill(std::string_view text, const CloudFacts& facts) {
    if (text.find('{') == std::string_view::npos) return text;
    std::string out(text);
    for (const auto& s : kSuffixes) {
      for (auto at = out.find(s.token); at != std::string::npos; at = out.find(s.token, at)) {
        const auto value = facts.*s.value;
        out.replace(at, s.token.size(), value);
        at += value.size();
      }
    }
    return texts.emplace_back(std::move(out));
  }

  explicit CloudCatalog(Cloud cloud) {
    const auto& facts = facts_of(cloud);
    const auto bit = static_cast<std::uint8_t>(1u << static_cast<unsigned>(cloud));
    for (const auto& row : kRows) {
      if ((row.clouds & bit) == 0) continue;
      TargetTemplate r = row;
      r.host = fill(row.host, facts);
      r.zone = fill(row.zone, facts);
      r.facts = fill(row.facts, facts);
      r.concrete = fill(row.concrete, facts);
      rows.push_back(r);
    }
  }
};

}  // namespace

std::string_view to_string(Category category) { return kCategoryNames[static_cast<std::size_t>(category)]; }

std::optional<Category> parse_category(std::string_view name) {
  const auto it = std::ranges::find(kCategoryNames, name);
  if (it == kCategoryNames.end()) return std::nullopt;
  return static_cast<Category>(it - kCategoryNames.begin());
}

std::span<const TargetTemplate> catalog(Cloud cloud) {
  static const std::array<CloudCatalog, 3> kCatalogs{CloudCatalog(Cloud::public_cloud), CloudCatalog(Cloud::china),
                                                     CloudCatalog(Cloud::usgov)};
  return kCatalogs[static_cast<std::size_t>(cloud)].rows;
}

bool is_wildcard(const TargetTemplate& row) { return row.host.starts_with('*'); }

bool is_catalog_id(std::string_view id) {
  for (auto cloud : {Cloud::public_cloud, Cloud::china, Cloud::usgov}) {
    if (std::ranges::any_of(catalog(cloud), [&](const auto& row) { return row.id == id; })) return true;
  }
  return false;
}

bool is_wildcard_id(std::string_view id) {
  for (auto cloud : {Cloud::public_cloud, Cloud::china, Cloud::usgov}) {
    if (std::ranges::any_of(catalog(cloud), [&](const auto& row) { return row.id == id && is_wildcard(row); })) {
      return true;
    }
  }
  return false;
}

}  // namespace vnetdiag
