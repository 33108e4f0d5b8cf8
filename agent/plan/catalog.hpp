// The target catalog: per cloud, a table of every host an Azure ML workspace (v1 network isolation)
// depends on, with the expectations a probe result is judged against. Data, not code: adding a host
// is one row. Sources: azureml-network-facts.md §1 (hosts, zones, ports), §2 and §5 (requests).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "agent/plan/cloud.hpp"

namespace vnetdiag {

/// The workspace-diagnostics categories (facts §3.3), plus package repositories and this machine.
enum class Category {
  dns_resolution,        ///< the workspace's own private-endpoint names: API, notebooks, compute instances
  storage_account,
  key_vault,
  container_registry,
  application_insights,
  others,                ///< control plane, Entra ID, Batch and other platform hosts
  package_repositories,  ///< PyPI, conda, CRAN, VS Code and other third-party hosts
  environment,           ///< the machine's own dependencies: instance metadata, Azure DNS
};

/// The name used in plans and reports, as the diagnose API spells it: "dnsResolution", "storageAccount",
/// "keyVault", "containerRegistry", "applicationInsights", "others", "packageRepositories", "environment".
std::string_view to_string(Category category);

/// Parses a category name as `to_string` writes it. nullopt for anything else.
std::optional<Category> parse_category(std::string_view name);

/// Whether the target must work for the workspace to work.
enum class Need {
  required,               ///< in the "required" lists of the facts
  situational,            ///< needed for one feature (RStudio, AutoML, VS Code, ParallelRunStep...)
  with_private_endpoint,  ///< required once the workspace uses a private endpoint (ports 18881, ACR data)
};

/// How a private endpoint applies to the host.
enum class PrivateLink {
  none,        ///< a public service: a public address is expected
  workspace,   ///< behind the workspace's own private endpoint
  dependency,  ///< a workspace resource given its own private endpoint when the workspace is private (v1 article)
  possible,    ///< may have one, but the workspace does not tell: either answer is fine
};

/// How deep the probe goes.
enum class Transport {
  tls,  ///< TCP, then a TLS handshake with SNI, then the request if the row has one
  tcp,  ///< TCP connect only (SMB 445, 18881, 8787, DNS 53)
};

/// An unauthenticated request whose status tells "reachable" from "denied by the service's firewall".
struct RequestTemplate {
  std::string_view method;
  std::string_view target;
  std::string_view header_name;   ///< one header at most; empty for none
  std::string_view header_value;
  std::array<int, 2> reachable;   ///< statuses meaning "reached the service and allowed by its network rules"; 0 = unused
};

/// The clouds a row exists in (a bit per Cloud).
enum CloudMask : std::uint8_t { kPublicOnly = 1, kChinaOnly = 2, kUsGovOnly = 4, kSovereign = 6, kEveryCloud = 7 };

/// One row of the catalog, for every cloud its mask names. Host, zone and facts may hold the cloud's
/// suffixes as `{name}` tokens (CloudFacts: "<sa>.blob.{storage}"), so a row is written once.
/// Host placeholders: <wsid> workspace GUID, <region>, <sa> storage account, <kv> key vault, <acr> registry,
/// <ci> compute instance, <nb> notebooks FQDN, <discovery> discovery host, <ingest> the Application
/// Insights ingestion host (connection string). A host starting with "*." (or "*") is a wildcard
/// requirement: probed at `concrete` (or at the hosts the config names), else "not testable".
struct TargetTemplate {
  std::string_view id;       ///< stable across clouds: "storage.blob"
  std::string_view host;
  std::uint16_t port;
  Transport transport;
  Category category;
  Need need;
  std::string_view zone;     ///< the privatelink zone the name's CNAME chain should pass through; "" if none or unconfirmed
  PrivateLink link;
  const RequestTemplate* request;  ///< nullptr: TLS (or TCP) only
  std::string_view service;  ///< human name
  std::string_view facts;    ///< where in azureml-network-facts.md the row (and its concrete host) comes from
  std::string_view doc_url;  ///< Microsoft documentation for the fix
  std::string_view untestable = {};  ///< non-empty: why no probe can check it (e.g. UDP); for wildcards, a better hint
  bool hbi_only = false;     ///< only for high-business-impact (hbiWorkspace) workspaces
  std::uint8_t clouds = kEveryCloud;  ///< CloudMask
  std::string_view concrete = {};     ///< for a wildcard: the host real clients use, probed when the config names none
  std::string_view group = {};        ///< rows of one requirement: untestable for one reason, they are one entry
  bool only_when_known = false;       ///< planned only when its host is known; other rows cover the need otherwise
  std::string_view redirect_id = {};  ///< the answer's redirect is followed; the host it names gets this row's record
};

/// The catalog of `cloud`: the rows its mask includes, with the cloud's suffixes in place of the tokens.
std::span<const TargetTemplate> catalog(Cloud cloud);

/// True when the row's host is a wildcard ("*.data.mcr.microsoft.com").
bool is_wildcard(const TargetTemplate& row);

/// True when some cloud's catalog has a row with this id.
bool is_catalog_id(std::string_view id);

/// True when some cloud's catalog has a wildcard row with this id (the config may name hosts for it).
bool is_wildcard_id(std::string_view id);

}  // namespace vnetdiag
