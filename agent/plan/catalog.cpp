#include "agent/plan/catalog.hpp"

#include <algorithm>
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
// MCR serves /v2/ anonymously: 200 {} [S78].
constexpr RequestTemplate kMcrPing{"GET", "/v2/", "", "", {200, 0}};
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
    "the Application Insights ingestion host of this cloud is not in the facts used here; name it in the "
    "config (\"wildcard_hosts\": {\"monitor.ingest\": [\"...\"]}) to test it";

// Columns: id, host, port, transport, category, need, privatelink zone, private link, request, service,
// facts, doc [, untestable, hbi_only].

// ---------------------------------------------------------------------------------------------
// Azure public cloud.
constexpr TargetTemplate kPublic[] = {
    // Workspace private endpoint names: §1.1 [S3]; zones privatelink.api.azureml.ms and
    // privatelink.notebooks.azure.net. aznbcontent.net is among the zones forwarded to Azure DNS for a
    // private workspace, so either answer is accepted for it.
    {"workspace.api", "<wsid>.workspace.<region>.api.azureml.ms", 443, tls, dns_resolution, required,
     "privatelink.api.azureml.ms", workspace, nullptr, "Azure ML workspace API", "§1.1 [S3]", kDocCustomDns},
    {"workspace.cert", "<wsid>.workspace.<region>.cert.api.azureml.ms", 443, tls, dns_resolution, required, "",
     workspace, nullptr, "Azure ML workspace cert API",
     "§1.1 [S3]; same private IP as workspace.api; its CNAME chain is UNCONFIRMED (§6.1), so no zone is asserted",
     kDocCustomDns},
    {"notebooks", "<nb>", 443, tls, dns_resolution, required, "privatelink.notebooks.azure.net", workspace, nullptr,
     "Integrated notebooks", "§1.1 [S3][S40]", kDocCustomDns},
    {"notebooks.content", "*.aznbcontent.net", 443, tls, dns_resolution, required, "", possible, nullptr,
     "Integrated notebooks (content)", "§1.1, §1.2 [S3][S4]", kDocFirewall},
    {"ci.api", "<ci>.<region>.instances.azureml.ms", 443, tls, dns_resolution, required, "", workspace, nullptr,
     "Compute instance (Jupyter, terminal)",
     "§1.1, §1.3 [S3][S4]; resolves to the workspace private endpoint IP; CNAME chain UNCONFIRMED (§6.1)",
     kDocCustomDns},
    {"ci.nodes", "<ci>.<region>.instances.azureml.ms", 18881, tcp, dns_resolution, with_private_endpoint, "",
     workspace, nullptr, "Compute instance IntelliSense (language server)", "§1.3, §1.12 [S2][S4]", kDocFirewall},
    {"ci.rstudio", "<ci>.<region>.instances.azureml.ms", 8787, tcp, dns_resolution, situational, "", workspace,
     nullptr, "Compute instance RStudio", "§1.3, §1.12 [S2][S4]", kDocFirewall},
    {"ci.instances", "*.instances.azureml.net", 443, tls, dns_resolution, required, "", none, nullptr,
     "Compute instance (instances.azureml.net)", "§1.3 [S4]", kDocFirewall},
    {"inference", "*.<region>.inference.ml.azure.com", 443, tls, dns_resolution, situational,
     "privatelink.api.azureml.ms", workspace, nullptr, "Managed online endpoint scoring", "§1.1 [S3][S15]",
     kDocCustomDns},

    // Storage: §1.4 [S5]; blob and file private endpoints are what Azure ML v1 needs [S1], queue and table only
    // for ParallelRunStep; 445 for the file share mount (§1.3, §1.12 [S13]).
    {"storage.blob", "<sa>.blob.core.windows.net", 443, tls, storage_account, required,
     "privatelink.blob.core.windows.net", dependency, &kStorageList, "Storage account (blob)",
     "§1.4, §5 [S1][S5][S54]", kDocStorage},
    {"storage.file", "<sa>.file.core.windows.net", 443, tls, storage_account, required,
     "privatelink.file.core.windows.net", dependency, nullptr, "Storage account (file)", "§1.3, §1.4 [S1][S4][S5]",
     kDocStorage},
    {"storage.file.smb", "<sa>.file.core.windows.net", 445, tcp, storage_account, required,
     "privatelink.file.core.windows.net", dependency, nullptr, "Storage account (file share, SMB)",
     "§1.3, §1.12 [S4][S13]", kDocTraining},
    {"storage.queue", "<sa>.queue.core.windows.net", 443, tls, storage_account, situational,
     "privatelink.queue.core.windows.net", possible, nullptr, "Storage account (queue; ParallelRunStep)",
     "§1.4 [S1][S5]", kDocStorage},
    {"storage.table", "<sa>.table.core.windows.net", 443, tls, storage_account, situational,
     "privatelink.table.core.windows.net", possible, nullptr, "Storage account (table; ParallelRunStep)",
     "§1.4 [S1][S5]", kDocStorage},
    {"storage.dfs", "<sa>.dfs.core.windows.net", 443, tls, storage_account, situational,
     "privatelink.dfs.core.windows.net", possible, nullptr, "Storage account (Data Lake)", "§1.2, §1.4 [S4][S5]",
     kDocStorage},

    // Key Vault: §1.5 [S5]; the Batch key vault only for hbi_workspace (§1.3, §1.12 [S2]).
    {"keyvault", "<kv>.vault.azure.net", 443, tls, key_vault, required, "privatelink.vaultcore.azure.net", dependency,
     &kKeyVaultSecrets, "Key Vault", "§1.5, §5 [S1][S5][S53]", kDocSecureWorkspace},
    {"keyvault.batch", "*.vault.azure.net", 443, tls, key_vault, required, "", none, nullptr,
     "Key Vault of the Batch back end (HBI workspaces)", "§1.3, §1.12 [S2][S4]", kDocFirewall, {}, true},

    // Container registry: §1.6 [S5][S19][S27]. The data endpoint's record may live in
    // <region>.data.privatelink.azurecr.io, which is still inside privatelink.azurecr.io.
    {"acr.login", "<acr>.azurecr.io", 443, tls, container_registry, required, "privatelink.azurecr.io", dependency,
     &kRegistryPing, "Container registry (login server)", "§1.6, §5 [S5][S19][S59]", kDocAcrPrivate},
    {"acr.data", "<acr>.<region>.data.azurecr.io", 443, tls, container_registry, with_private_endpoint,
     "privatelink.azurecr.io", dependency, nullptr, "Container registry (regional data endpoint)",
     "§1.6 [S5][S19][S27][S29]", kDocAcrEndpoints},

    // Application Insights ingestion when Azure Monitor is not behind AMPLS: §1.10 [S2][S4]; the chain
    // passes through privatelink.monitor.azure.com [S34].
    {"monitor.ingest", "dc.applicationinsights.azure.com", 443, tls, application_insights, situational,
     "privatelink.monitor.azure.com", possible, nullptr, "Application Insights ingestion", "§1.10 [S2][S4][S34]",
     kDocMonitor},
    {"monitor.ingest.microsoft", "dc.applicationinsights.microsoft.com", 443, tls, application_insights, situational,
     "privatelink.monitor.azure.com", possible, nullptr, "Application Insights ingestion", "§1.10 [S2][S4][S34]",
     kDocMonitor},
    {"monitor.ingest.legacy", "dc.services.visualstudio.com", 443, tls, application_insights, situational,
     "privatelink.monitor.azure.com", possible, nullptr, "Application Insights ingestion (legacy name)",
     "§1.10 [S2][S4][S34]", kDocMonitor},
    {"monitor.ingest.regional", "*.in.applicationinsights.azure.com", 443, tls, application_insights, situational,
     "privatelink.monitor.azure.com", possible, nullptr, "Application Insights regional ingestion",
     "§1.10 [S2][S4]", kDocMonitor},

    // Control plane and platform: §1.2, §1.3, §1.8, §1.9, §1.12.
    {"discovery", "<discovery>", 443, tls, others, required, "", possible, nullptr,
     "Azure ML regional API (discovery URL)", "§1.2, §1.14 [S40]", kDocFirewall},
    {"studio", "ml.azure.com", 443, tls, others, required, "", none, nullptr, "Azure ML studio (Front Door)",
     "§1.2, §1.12 [S2][S4]", kDocFirewall},
    {"entra", "login.microsoftonline.com", 443, tls, others, required, "", none, &kEntraMetadata,
     "Microsoft Entra ID", "§1.8, §5 [S4][S88]", kDocEntra},
    {"entra.http", "login.microsoftonline.com", 80, tcp, others, required, "", none, nullptr,
     "Microsoft Entra ID (HTTP)", "§1.8, §1.12 [S2][S4]", kDocFirewall},
    {"arm", "management.azure.com", 443, tls, others, required, "", none, &kArmSubscriptions,
     "Azure Resource Manager", "§1.8, §5 [S4][S89]", kDocFirewall},
    {"graph", "graph.microsoft.com", 443, tls, others, required, "", none, nullptr,
     "Microsoft Graph (integrated notebooks)", "§1.2 [S4]", kDocFirewall},
    {"graph.legacy", "graph.windows.net", 443, tls, others, required, "", none, nullptr,
     "Azure AD Graph (compute instances and clusters)", "§1.3 [S4][S13]", kDocFirewall},
    {"batch", "*.<region>.batch.azure.com", 443, tls, others, required, "", none, nullptr,
     "Azure Batch (compute back end)", "§1.3, §1.9 [S2][S13]", kDocTraining},
    {"batch.nodes", "*.<region>.service.batch.azure.com", 443, tls, others, required, "", none, nullptr,
     "Azure Batch node management", "§1.3, §1.9 [S2][S13]", kDocTraining},
    {"batch.storage.blob", "*.blob.core.windows.net", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (blob; also ACR layers without a data endpoint)",
     "§1.3, §1.6 [S4][S27]", kDocFirewall},
    {"batch.storage.queue", "*.queue.core.windows.net", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (queue)", "§1.3 [S4][S13]", kDocFirewall},
    {"batch.storage.table", "*.table.core.windows.net", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (table)", "§1.3 [S4][S13]", kDocFirewall},
    {"ci.management", "<region>.tundra.azureml.ms", 5831, tcp, others, required, "", none, nullptr,
     "Compute instance management (UDP)", "§1.3, §1.12 [S2][S13]", kDocTraining, kUdp},
    {"modelmanagement", "<region>.modelmanagement.azureml.net", 443, tls, others, situational, "", none, nullptr,
     "Model management (SDK v1)", "§1.2 [S4][S52]", kDocFirewall},
    {"experiments", "<region>.experiments.azureml.net", 443, tls, others, situational, "", none, nullptr,
     "Experiments (SDK v1)", "§1.2 [S4][S50]; UNCONFIRMED whether current SDKs still use it (§6.4)", kDocFirewall},
    {"automl", "automlresources-prod.azureedge.net", 443, tls, others, situational, "", none, nullptr,
     "AutoML NLP/Vision resources", "§1.2 [S4] (public cloud only)", kDocFirewall},
    {"automl.aka", "aka.ms", 443, tls, others, situational, "", none, nullptr, "AutoML NLP/Vision (aka.ms links)",
     "§1.2 [S4] (public cloud only)", kDocFirewall},
};

// ---------------------------------------------------------------------------------------------
// Azure operated by 21Vianet (China). Same rows, China names (§1.1–§1.10); no AutoML hosts (public only).
constexpr TargetTemplate kChina[] = {
    {"workspace.api", "<wsid>.workspace.<region>.api.ml.azure.cn", 443, tls, dns_resolution, required,
     "privatelink.api.ml.azure.cn", workspace, nullptr, "Azure ML workspace API", "§1.1 [S3]", kDocCustomDns},
    {"workspace.cert", "<wsid>.workspace.<region>.cert.api.ml.azure.cn", 443, tls, dns_resolution, required, "",
     workspace, nullptr, "Azure ML workspace cert API",
     "§1.1 [S3]; same private IP as workspace.api; its CNAME chain is UNCONFIRMED (§6.1), so no zone is asserted",
     kDocCustomDns},
    {"notebooks", "<nb>", 443, tls, dns_resolution, required, "privatelink.notebooks.chinacloudapi.cn", workspace,
     nullptr, "Integrated notebooks", "§1.1 [S3]", kDocCustomDns},
    {"notebooks.content", "*.aznbcontent.net", 443, tls, dns_resolution, required, "", possible, nullptr,
     "Integrated notebooks (content)", "§1.1, §1.2 [S3][S4]", kDocFirewall},
    {"ci.api", "<ci>.<region>.instances.azureml.cn", 443, tls, dns_resolution, required, "", workspace, nullptr,
     "Compute instance (Jupyter, terminal)",
     "§1.1, §1.3 [S3][S4]; resolves to the workspace private endpoint IP; CNAME chain UNCONFIRMED (§6.1)",
     kDocCustomDns},
    {"ci.nodes", "<ci>.<region>.instances.azureml.cn", 18881, tcp, dns_resolution, with_private_endpoint, "",
     workspace, nullptr, "Compute instance IntelliSense (language server)",
     "§1.3, §1.12 [S2][S4]; ports on the China instance host by analogy (§6.2)", kDocFirewall},
    {"ci.rstudio", "<ci>.<region>.instances.azureml.cn", 8787, tcp, dns_resolution, situational, "", workspace,
     nullptr, "Compute instance RStudio", "§1.3, §1.12 [S2][S4]; ports on the China instance host by analogy (§6.2)",
     kDocFirewall},
    {"inference", "*.<region>.inference.ml.azure.cn", 443, tls, dns_resolution, situational,
     "privatelink.api.ml.azure.cn", workspace, nullptr, "Managed online endpoint scoring", "§1.1 [S3][S15]",
     kDocCustomDns},

    {"storage.blob", "<sa>.blob.core.chinacloudapi.cn", 443, tls, storage_account, required,
     "privatelink.blob.core.chinacloudapi.cn", dependency, &kStorageList, "Storage account (blob)",
     "§1.4, §5 [S1][S5][S54]", kDocStorage},
    {"storage.file", "<sa>.file.core.chinacloudapi.cn", 443, tls, storage_account, required,
     "privatelink.file.core.chinacloudapi.cn", dependency, nullptr, "Storage account (file)",
     "§1.3, §1.4 [S1][S4][S5]", kDocStorage},
    {"storage.file.smb", "<sa>.file.core.chinacloudapi.cn", 445, tcp, storage_account, required,
     "privatelink.file.core.chinacloudapi.cn", dependency, nullptr, "Storage account (file share, SMB)",
     "§1.3, §1.12 [S4][S13]", kDocTraining},
    {"storage.queue", "<sa>.queue.core.chinacloudapi.cn", 443, tls, storage_account, situational,
     "privatelink.queue.core.chinacloudapi.cn", possible, nullptr, "Storage account (queue; ParallelRunStep)",
     "§1.4 [S1][S5]", kDocStorage},
    {"storage.table", "<sa>.table.core.chinacloudapi.cn", 443, tls, storage_account, situational,
     "privatelink.table.core.chinacloudapi.cn", possible, nullptr, "Storage account (table; ParallelRunStep)",
     "§1.4 [S1][S5]", kDocStorage},
    {"storage.dfs", "<sa>.dfs.core.chinacloudapi.cn", 443, tls, storage_account, situational,
     "privatelink.dfs.core.chinacloudapi.cn", possible, nullptr, "Storage account (Data Lake)", "§1.2, §1.4 [S4][S5]",
     kDocStorage},

    {"keyvault", "<kv>.vault.azure.cn", 443, tls, key_vault, required, "privatelink.vaultcore.azure.cn", dependency,
     &kKeyVaultSecrets, "Key Vault", "§1.5, §5 [S1][S4][S5][S53]", kDocSecureWorkspace},
    {"keyvault.batch", "*.vault.azure.cn", 443, tls, key_vault, required, "", none, nullptr,
     "Key Vault of the Batch back end (HBI workspaces)", "§1.3, §1.12 [S2][S4]", kDocFirewall, {}, true},

    // China ACR login zone privatelink.azurecr.cn [S24][S28]; the data endpoint's zone is UNCONFIRMED (§6.3).
    {"acr.login", "<acr>.azurecr.cn", 443, tls, container_registry, required, "privatelink.azurecr.cn", dependency,
     &kRegistryPing, "Container registry (login server)", "§1.6, §5 [S24][S28][S59]", kDocAcrPrivate},
    {"acr.data", "<acr>.<region>.data.azurecr.cn", 443, tls, container_registry, with_private_endpoint, "",
     dependency, nullptr, "Container registry (regional data endpoint)",
     "§1.6 [S27]; privatelink zone UNCONFIRMED (§6.3), none asserted", kDocAcrEndpoints},

    {"monitor.ingest", "*", 443, tls, application_insights, situational, "", possible, nullptr,
     "Application Insights ingestion", "§1.10; China ingestion host and zone UNCONFIRMED (§6.3)", kDocMonitor,
     kIngestUnknown},

    {"discovery", "<discovery>", 443, tls, others, required, "", possible, nullptr,
     "Azure ML regional API (discovery URL)", "§1.14 [S40]; China host by analogy with the public discoveryUrl",
     kDocFirewall},
    {"studio", "studio.ml.azure.cn", 443, tls, others, required, "", none, nullptr, "Azure ML studio",
     "§1.2 [S4]", kDocFirewall},
    {"entra", "login.chinacloudapi.cn", 443, tls, others, required, "", none, &kEntraMetadata, "Microsoft Entra ID",
     "§1.8, §5 [S4][S88]", kDocEntra},
    {"entra.http", "login.chinacloudapi.cn", 80, tcp, others, required, "", none, nullptr,
     "Microsoft Entra ID (HTTP)", "§1.8, §1.12 [S2][S4]", kDocFirewall},
    {"arm", "management.chinacloudapi.cn", 443, tls, others, required, "", none, &kArmSubscriptions,
     "Azure Resource Manager", "§1.8, §5 [S4][S89]", kDocFirewall},
    {"portal", "management.azure.cn", 443, tls, others, situational, "", none, nullptr, "Azure portal",
     "§1.8 [S4]", kDocFirewall},
    {"graph", "graph.chinacloudapi.cn", 443, tls, others, required, "", none, nullptr,
     "Microsoft Graph (notebooks, compute)", "§1.2, §1.3 [S4]", kDocFirewall},
    {"batch", "*.<region>.batch.chinacloudapi.cn", 443, tls, others, required, "", none, nullptr,
     "Azure Batch (compute back end)",
     "§1.9 [S5], §1.12 [S2]; the firewall article lists no China Batch hosts, these follow the China Batch zones",
     kDocTraining},
    {"batch.nodes", "*.<region>.service.batch.chinacloudapi.cn", 443, tls, others, required, "", none, nullptr,
     "Azure Batch node management", "§1.9 [S5], §1.12 [S2]; see batch", kDocTraining},
    {"batch.storage.blob", "*.blob.core.chinacloudapi.cn", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (blob; also ACR layers without a data endpoint)",
     "§1.3, §1.6 [S4][S27]", kDocFirewall},
    {"batch.storage.queue", "*.queue.core.chinacloudapi.cn", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (queue)", "§1.3 [S4]", kDocFirewall},
    {"batch.storage.table", "*.table.core.chinacloudapi.cn", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (table)", "§1.3 [S4]", kDocFirewall},
    {"ci.management", "<region>.tundra.azureml.cn", 5831, tcp, others, required, "", none, nullptr,
     "Compute instance management (UDP)", "§1.3, §1.12 [S2][S4]", kDocTraining, kUdp},
    {"modelmanagement", "*.modelmanagement.ml.azure.cn", 443, tls, others, situational, "", none, nullptr,
     "Model management (SDK v1)", "§1.2 [S4]", kDocFirewall},
};

// ---------------------------------------------------------------------------------------------
// Azure US Government. Same rows, US Gov names (§1.1–§1.10); no AutoML hosts (public only).
constexpr TargetTemplate kUsGov[] = {
    {"workspace.api", "<wsid>.workspace.<region>.api.ml.azure.us", 443, tls, dns_resolution, required,
     "privatelink.api.ml.azure.us", workspace, nullptr, "Azure ML workspace API", "§1.1 [S3]", kDocCustomDns},
    {"workspace.cert", "<wsid>.workspace.<region>.cert.api.ml.azure.us", 443, tls, dns_resolution, required, "",
     workspace, nullptr, "Azure ML workspace cert API",
     "§1.1 [S3]; same private IP as workspace.api; its CNAME chain is UNCONFIRMED (§6.1), so no zone is asserted",
     kDocCustomDns},
    {"notebooks", "<nb>", 443, tls, dns_resolution, required, "privatelink.notebooks.usgovcloudapi.net", workspace,
     nullptr, "Integrated notebooks", "§1.1 [S3]", kDocCustomDns},
    {"notebooks.content", "*.aznbcontent.net", 443, tls, dns_resolution, required, "", possible, nullptr,
     "Integrated notebooks (content)", "§1.1, §1.2 [S3][S4]", kDocFirewall},
    {"ci.api", "<ci>.<region>.instances.azureml.us", 443, tls, dns_resolution, required, "", workspace, nullptr,
     "Compute instance (Jupyter, terminal)",
     "§1.1, §1.3 [S3][S4]; resolves to the workspace private endpoint IP; CNAME chain UNCONFIRMED (§6.1)",
     kDocCustomDns},
    {"ci.nodes", "<ci>.<region>.instances.azureml.us", 18881, tcp, dns_resolution, with_private_endpoint, "",
     workspace, nullptr, "Compute instance IntelliSense (language server)",
     "§1.3, §1.12 [S2][S4]; ports on the US Gov instance host by analogy (§6.2)", kDocFirewall},
    {"ci.rstudio", "<ci>.<region>.instances.azureml.us", 8787, tcp, dns_resolution, situational, "", workspace,
     nullptr, "Compute instance RStudio", "§1.3, §1.12 [S2][S4]; ports on the US Gov instance host by analogy (§6.2)",
     kDocFirewall},
    {"inference", "*.<region>.inference.ml.azure.us", 443, tls, dns_resolution, situational,
     "privatelink.api.ml.azure.us", workspace, nullptr, "Managed online endpoint scoring", "§1.1 [S3][S15]",
     kDocCustomDns},

    {"storage.blob", "<sa>.blob.core.usgovcloudapi.net", 443, tls, storage_account, required,
     "privatelink.blob.core.usgovcloudapi.net", dependency, &kStorageList, "Storage account (blob)",
     "§1.4, §5 [S1][S5][S54]", kDocStorage},
    {"storage.file", "<sa>.file.core.usgovcloudapi.net", 443, tls, storage_account, required,
     "privatelink.file.core.usgovcloudapi.net", dependency, nullptr, "Storage account (file)",
     "§1.3, §1.4 [S1][S4][S5]", kDocStorage},
    {"storage.file.smb", "<sa>.file.core.usgovcloudapi.net", 445, tcp, storage_account, required,
     "privatelink.file.core.usgovcloudapi.net", dependency, nullptr, "Storage account (file share, SMB)",
     "§1.3, §1.12 [S4][S13]", kDocTraining},
    {"storage.queue", "<sa>.queue.core.usgovcloudapi.net", 443, tls, storage_account, situational,
     "privatelink.queue.core.usgovcloudapi.net", possible, nullptr, "Storage account (queue; ParallelRunStep)",
     "§1.4 [S1][S5]", kDocStorage},
    {"storage.table", "<sa>.table.core.usgovcloudapi.net", 443, tls, storage_account, situational,
     "privatelink.table.core.usgovcloudapi.net", possible, nullptr, "Storage account (table; ParallelRunStep)",
     "§1.4 [S1][S5]", kDocStorage},
    {"storage.dfs", "<sa>.dfs.core.usgovcloudapi.net", 443, tls, storage_account, situational,
     "privatelink.dfs.core.usgovcloudapi.net", possible, nullptr, "Storage account (Data Lake)",
     "§1.2, §1.4 [S4][S5]", kDocStorage},

    {"keyvault", "<kv>.vault.usgovcloudapi.net", 443, tls, key_vault, required,
     "privatelink.vaultcore.usgovcloudapi.net", dependency, &kKeyVaultSecrets, "Key Vault", "§1.5, §5 [S1][S5][S53]",
     kDocSecureWorkspace},
    {"keyvault.batch", "*.vault.usgovcloudapi.net", 443, tls, key_vault, required, "", none, nullptr,
     "Key Vault of the Batch back end (HBI workspaces)", "§1.3, §1.12 [S2][S4]", kDocFirewall, {}, true},

    // US Gov data endpoint: the facts list zone {regionName}.privatelink.azurecr.us for {regionName}.azurecr.us;
    // the host below follows the public pattern (UNCONFIRMED), and any such record sits inside privatelink.azurecr.us.
    {"acr.login", "<acr>.azurecr.us", 443, tls, container_registry, required, "privatelink.azurecr.us", dependency,
     &kRegistryPing, "Container registry (login server)", "§1.6, §5 [S5][S59]", kDocAcrPrivate},
    {"acr.data", "<acr>.<region>.data.azurecr.us", 443, tls, container_registry, with_private_endpoint,
     "privatelink.azurecr.us", dependency, nullptr, "Container registry (regional data endpoint)",
     "§1.6 [S5][S27]; US Gov data endpoint host by analogy with the public cloud (UNCONFIRMED)", kDocAcrEndpoints},

    {"monitor.ingest", "*", 443, tls, application_insights, situational, "privatelink.monitor.azure.us", possible,
     nullptr, "Application Insights ingestion", "§1.10 [S5]; US Gov ingestion host not in the facts", kDocMonitor,
     kIngestUnknown},

    {"discovery", "<discovery>", 443, tls, others, required, "", possible, nullptr,
     "Azure ML regional API (discovery URL)", "§1.14 [S40]; US Gov host by analogy with the public discoveryUrl",
     kDocFirewall},
    {"studio", "ml.azure.us", 443, tls, others, required, "", none, nullptr, "Azure ML studio", "§1.2 [S4]",
     kDocFirewall},
    {"entra", "login.microsoftonline.us", 443, tls, others, required, "", none, &kEntraMetadata,
     "Microsoft Entra ID", "§1.8, §5 [S4][S88]", kDocEntra},
    {"entra.http", "login.microsoftonline.us", 80, tcp, others, required, "", none, nullptr,
     "Microsoft Entra ID (HTTP)", "§1.8, §1.12 [S2][S4]", kDocFirewall},
    {"arm", "management.usgovcloudapi.net", 443, tls, others, required, "", none, &kArmSubscriptions,
     "Azure Resource Manager", "§1.8, §5 [S4][S89]", kDocFirewall},
    {"portal", "management.azure.us", 443, tls, others, situational, "", none, nullptr, "Azure portal", "§1.8 [S4]",
     kDocFirewall},
    {"graph", "graph.microsoft.us", 443, tls, others, required, "", none, nullptr,
     "Microsoft Graph (integrated notebooks)", "§1.2 [S4]", kDocFirewall},
    {"graph.legacy", "graph.windows.net", 443, tls, others, required, "", none, nullptr,
     "Azure AD Graph (compute instances and clusters)", "§1.3 [S4]", kDocFirewall},
    {"batch", "*.<region>.batch.usgovcloudapi.net", 443, tls, others, required, "", none, nullptr,
     "Azure Batch (compute back end)",
     "§1.9 [S5], §1.12 [S2]; the firewall article lists no US Gov Batch hosts, these follow the US Gov Batch zones",
     kDocTraining},
    {"batch.nodes", "*.<region>.service.batch.usgovcloudapi.net", 443, tls, others, required, "", none, nullptr,
     "Azure Batch node management", "§1.9 [S5], §1.12 [S2]; see batch", kDocTraining},
    {"batch.storage.blob", "*.blob.core.usgovcloudapi.net", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (blob; also ACR layers without a data endpoint)",
     "§1.3, §1.6 [S4][S27]", kDocFirewall},
    {"batch.storage.queue", "*.queue.core.usgovcloudapi.net", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (queue)", "§1.3 [S4]", kDocFirewall},
    {"batch.storage.table", "*.table.core.usgovcloudapi.net", 443, tls, others, required, "", none, nullptr,
     "Microsoft storage of the Batch back end (table)", "§1.3 [S4]", kDocFirewall},
    {"ci.management", "<region>.tundra.azureml.us", 5831, tcp, others, required, "", none, nullptr,
     "Compute instance management (UDP)", "§1.3, §1.12 [S2][S4]", kDocTraining, kUdp},
    {"modelmanagement", "*.modelmanagement.azureml.us", 443, tls, others, situational, "", none, nullptr,
     "Model management (SDK v1)", "§1.2 [S4]", kDocFirewall},
};

// ---------------------------------------------------------------------------------------------
// Every cloud: Microsoft Container Registry (§1.7 [S18]) and the package repositories and tools of §1.11
// [S2][S22][S4]. Wildcards the facts make concrete (F21: files.pythonhosted.org, conda.anaconda.org,
// repo.anaconda.com) are concrete rows; the others wait for the config to name a host.
constexpr TargetTemplate kShared[] = {
    {"mcr", "mcr.microsoft.com", 443, tls, container_registry, required, "", none, &kMcrPing,
     "Microsoft Container Registry", "§1.7, §5 [S18][S78]", kDocMcr},
    {"mcr.data", "*.data.mcr.microsoft.com", 443, tls, container_registry, required, "", none, nullptr,
     "Microsoft Container Registry (data endpoints)", "§1.7 [S18]; data endpoints change, name one you use",
     kDocMcr},

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
     "PyTorch downloads", "§1.11 [S2]", kDocFirewall},
    {"tensorflow", "*.tensorflow.org", 443, tls, package_repositories, situational, "", none, nullptr,
     "TensorFlow", "§1.11 [S2]", kDocFirewall},
    {"vscode.download", "code.visualstudio.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "VS Code download", "§1.11 [S22]", kDocFirewall},
    {"vscode.update", "update.code.visualstudio.com", 443, tls, package_repositories, situational, "", none,
     nullptr, "VS Code server (compute instance)", "§1.11 [S22]", kDocFirewall},
    {"vscode.cdn", "*.vo.msecnd.net", 443, tls, package_repositories, situational, "", none, nullptr,
     "VS Code server (CDN)", "§1.11 [S22]", kDocFirewall},
    {"vscode.marketplace", "marketplace.visualstudio.com", 443, tls, package_repositories, situational, "", none,
     nullptr, "VS Code extensions (marketplace)", "§1.11 [S22]", kDocFirewall},
    {"vscode.extensions", "vscode.blob.core.windows.net", 443, tls, package_repositories, situational, "", none,
     nullptr, "VS Code extensions (storage)", "§1.11 [S22]", kDocFirewall},
    {"vscode.gallery", "*.gallerycdn.vsassets.io", 443, tls, package_repositories, situational, "", none, nullptr,
     "VS Code extensions (gallery CDN)", "§1.11 [S22]", kDocFirewall},
    {"vscode.websocket", "raw.githubusercontent.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "Azure ML websocket server for VS Code (raw.githubusercontent.com/microsoft/vscode-tools-for-ai/...)",
     "§1.11, F30 [S22][S84]", kDocFirewall},
    {"vscode.web", "*.vscode.dev", 443, tls, package_repositories, situational, "", none, nullptr, "vscode.dev",
     "§1.11 [S4]", kDocFirewall},
    {"vscode.web.unpkg", "*.vscode-unpkg.net", 443, tls, package_repositories, situational, "", none, nullptr,
     "vscode.dev (packages)", "§1.11 [S4]", kDocFirewall},
    {"vscode.web.cdn", "*.vscode-cdn.net", 443, tls, package_repositories, situational, "", none, nullptr,
     "vscode.dev (CDN)", "§1.11 [S4]", kDocFirewall},
    {"vscode.web.experiments", "*.vscodeexperiments.azureedge.net", 443, tls, package_repositories, situational, "",
     none, nullptr, "vscode.dev (experiments)", "§1.11 [S4]", kDocFirewall},
    {"vscode.web.tas", "default.exp-tas.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "vscode.dev (experiment assignment)", "§1.11 [S4]", kDocFirewall},
    {"ghcr", "ghcr.io", 443, tls, package_repositories, situational, "", none, nullptr,
     "GitHub container registry (RStudio image)", "§1.3, §1.11 [S4][S23]", kDocFirewall},
    {"ghcr.packages", "pkg-containers.githubusercontent.com", 443, tls, package_repositories, situational, "", none,
     nullptr, "GitHub container registry packages (RStudio image)", "§1.3, §1.11 [S4][S23]", kDocFirewall},
    {"posit.license", "www.wyday.com", 443, tls, package_repositories, situational, "", none, nullptr,
     "Posit Workbench licensing", "§1.3, §1.11 [S23]", kDocFirewall},
};

std::vector<TargetTemplate> joined(std::span<const TargetTemplate> own) {
  std::vector<TargetTemplate> rows(own.begin(), own.end());
  rows.insert(rows.end(), std::begin(kShared), std::end(kShared));
  return rows;
}

}  // namespace

std::string_view to_string(Category category) { return kCategoryNames[static_cast<std::size_t>(category)]; }

std::optional<Category> parse_category(std::string_view name) {
  const auto it = std::ranges::find(kCategoryNames, name);
  if (it == kCategoryNames.end()) return std::nullopt;
  return static_cast<Category>(it - kCategoryNames.begin());
}

std::span<const TargetTemplate> catalog(Cloud cloud) {
  static const std::vector<TargetTemplate> kPublicRows = joined(kPublic);
  static const std::vector<TargetTemplate> kChinaRows = joined(kChina);
  static const std::vector<TargetTemplate> kUsGovRows = joined(kUsGov);
  switch (cloud) {
    case Cloud::public_cloud: return kPublicRows;
    case Cloud::china: return kChinaRows;
    case Cloud::usgov: return kUsGovRows;
  }
  return kPublicRows;
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
