// Azure naming rules and resource IDs: everything a workspace document names is checked here before
// it becomes part of a host name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vnetdiag {

/// The kinds of names vnetdiag reads from workspace documents, flags and the environment.
enum class NameKind {
  guid,               ///< workspace ID, subscription ID, tenant ID
  region,             ///< ARM location name: "eastus"
  storage_account,    ///< 3–24 lowercase letters and digits
  key_vault,          ///< 3–24 letters, digits and hyphens; starts with a letter
  container_registry, ///< 5–50 letters and digits
  app_insights,       ///< 1–255 letters, digits, - _ . ( )
  compute,            ///< compute instance or cluster: 2–24 letters, digits, hyphens; starts with a letter
  workspace_name,     ///< 3–33 letters, digits, hyphens, underscores
  resource_group,     ///< 1–90 letters, digits, - _ . ( ); does not end with a period
};

/// Why `name` breaks Azure's rule for `kind` (control and shell characters included), or "" when it
/// is valid. Host-bound kinds are checked as given: callers lowercase them first.
std::string name_problem(NameKind kind, std::string_view name);

/// The rule for `kind` in words, for messages: "3-24 lowercase letters and digits".
std::string_view name_rule(NameKind kind);

/// An ARM resource ID, split: /subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME.
struct ResourceId {
  std::string subscription, resource_group;
  std::string provider;  ///< "Microsoft.Storage", as written
  std::string type;      ///< "storageAccounts", as written
  std::string name;
};

/// Parses a top-level resource ID; keywords, provider and type compare without case (ARM IDs are
/// case-insensitive and CLI output often lowercases them). nullopt if it is not that shape.
std::optional<ResourceId> parse_resource_id(std::string_view id);

/// True when provider/type of `id` is `provider_type` ("Microsoft.Storage/storageAccounts"), ignoring case.
bool has_type(const ResourceId& id, std::string_view provider_type);

/// True for a DNS host name: dot-separated labels of 1–63 letters, digits or hyphens (not at either end),
/// 253 characters at most. A leading "*." is not accepted.
bool is_host_name(std::string_view host);

/// ASCII lowercase copy; DNS names and ARM identifiers compare without case.
std::string ascii_lower(std::string_view text);

/// The host of an absolute URL ("https://eastus.api.azureml.ms/discovery" → "eastus.api.azureml.ms"):
/// what follows "scheme://" up to a '/', ':', '?' or the end. Empty when there is no "://".
std::string_view url_host(std::string_view url);

}  // namespace vnetdiag
