#include "agent/plan/workspace.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "agent/plan/azure_names.hpp"

namespace vnetdiag {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Names and resource IDs, shared by documents, flags and the environment.

/// A resource reference: a workspace document holds resource IDs, flags may hold either.
struct ResourceSpec {
  NameKind kind;
  std::string_view provider_type;  ///< the only resource type the field may name
  std::string_view label;          ///< for messages
  bool host_label;                 ///< becomes part of a host name: lowercased
};

constexpr ResourceSpec kStorage{NameKind::storage_account, "Microsoft.Storage/storageAccounts", "storage account", true};
constexpr ResourceSpec kKeyVault{NameKind::key_vault, "Microsoft.KeyVault/vaults", "Key Vault", true};
constexpr ResourceSpec kRegistry{NameKind::container_registry, "Microsoft.ContainerRegistry/registries",
                                 "container registry", true};
constexpr ResourceSpec kInsights{NameKind::app_insights, "Microsoft.Insights/components", "Application Insights",
                                 false};
constexpr ResourceSpec kWorkspace{NameKind::workspace_name, "Microsoft.MachineLearningServices/workspaces",
                                  "Azure ML workspace", false};

/// A name, or why the text does not give one.
struct NameResult {
  std::string name;
  std::string problem;
  std::optional<ResourceId> id;
};

// Resource IDs are turned into names: ARM IDs are case-insensitive and the CLIs print them in either
// case, so the type comparison ignores case and host-bound names are lowercased.
NameResult resource_name(std::string_view text, const ResourceSpec& spec) {
  NameResult out;
  std::string name(text);
  if (!text.empty() && text.front() == '/') {
    out.id = parse_resource_id(text);
    if (!out.id) {
      out.problem = "is not a resource ID; expected /subscriptions/<id>/resourceGroups/<group>/providers/" +
                    std::string(spec.provider_type) + "/<name>, got " + quote_value(text);
      return out;
    }
    if (!has_type(*out.id, spec.provider_type)) {
      out.problem = "expected a " + std::string(spec.label) + " resource ID (" + std::string(spec.provider_type) +
                    "), got a " + quote_value(out.id->provider + "/" + out.id->type) + " ID";
      return out;
    }
    name = out.id->name;
  }
  if (spec.host_label) name = ascii_lower(name);
  if (auto why = name_problem(spec.kind, name); !why.empty()) {
    out.problem = "the " + std::string(spec.label) + " name " + quote_value(name) + " " + why;
    return out;
  }
  out.name = std::move(name);
  return out;
}

/// A plain (non-resource) name checked against its rule; `lower` for host-bound names.
std::string checked_name(std::string_view text, NameKind kind, bool lower, std::string* problem) {
  std::string name = lower ? ascii_lower(text) : std::string(text);
  if (auto why = name_problem(kind, name); !why.empty()) {
    *problem = quote_value(text) + " " + why;
    return "";
  }
  return name;
}

bool printable_ascii(std::string_view text) {
  return std::ranges::all_of(text, [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

/// One statement about the cloud, and which field made it, so conflicts can name both.
struct CloudEvidence {
  Cloud cloud;
  std::string field;
};

/// The single cloud all evidence agrees on, or an error naming the field that disagrees.
std::optional<InputError> settle_cloud(const std::vector<CloudEvidence>& evidence, const std::string& source,
                                       std::optional<Cloud>* cloud) {
  for (const auto& e : evidence) {
    if (!*cloud) {
      *cloud = e.cloud;
      continue;
    }
    if (**cloud != e.cloud) {
      const auto& first = *std::ranges::find(evidence, **cloud, &CloudEvidence::cloud);
      return InputError{source, 0, 0, e.field,
                        "belongs to the " + std::string(to_string(e.cloud)) + " cloud, but " + first.field +
                            " belongs to the " + std::string(to_string(first.cloud)) + " cloud"};
    }
  }
  return std::nullopt;
}

/// Checks a discovery URL (https://<region>.<api domain>/discovery); "" when fine.
std::string discovery_problem(std::string_view url) {
  const std::string expected =
      "expected https://<region>.api.azureml.ms/discovery (or the api.ml.azure.cn / api.ml.azure.us equivalent)";
  if (!printable_ascii(url) || ascii_lower(url.substr(0, 8)) != "https://") return expected + ", got " + quote_value(url);
  const auto host = ascii_lower(url_host(url));
  if (!is_host_name(host) || !cloud_of_api_host(host)) return expected + ", got " + quote_value(url);
  return "";
}

// ---------------------------------------------------------------------------------------------
// Workspace documents.

enum class Shape { arm, cli_v1, cli_v2 };

enum class Field {
  type, id, name, location, resource_group, workspace_id, storage, key_vault, acr, app_insights, discovery_url,
  mlflow_uri, notebook_host, public_access, private_endpoints, private_link_count, hbi, image_build_compute, tenant_id,
};

/// Where a field lives in each document shape, as JSON pointers; the second is an alternative.
struct FieldPaths {
  Field field;
  std::array<std::string_view, 2> arm, cli_v1, cli_v2;
};

// ARM: top-level id/name/location, camelCase `properties` (the RP's Workspace model, facts §1.14 [S40]).
// az ml v1 (azureml-core Workspace.get_details): the same camelCase names at top level, the GUID as
// `workspaceid` (some versions `workspaceId`), the tenant as `identityTenantId`.
// az ml v2 (azure-ai-ml WorkspaceSchema): snake_case at top level; no workspace GUID, notebook host
// or private endpoint list (those stay unknown).
constexpr std::array<FieldPaths, 19> kPaths{{
    {Field::type, {"/type"}, {"/type"}, {}},
    {Field::id, {"/id"}, {"/id"}, {"/id"}},
    {Field::name, {"/name"}, {"/name"}, {"/name"}},
    {Field::location, {"/location"}, {"/location"}, {"/location"}},
    {Field::resource_group, {}, {}, {"/resource_group"}},
    {Field::workspace_id, {"/properties/workspaceId"}, {"/workspaceid", "/workspaceId"}, {"/workspace_id"}},
    {Field::storage, {"/properties/storageAccount"}, {"/storageAccount"}, {"/storage_account"}},
    {Field::key_vault, {"/properties/keyVault"}, {"/keyVault"}, {"/key_vault"}},
    {Field::acr, {"/properties/containerRegistry"}, {"/containerRegistry"}, {"/container_registry"}},
    {Field::app_insights, {"/properties/applicationInsights"}, {"/applicationInsights"}, {"/application_insights"}},
    {Field::discovery_url, {"/properties/discoveryUrl"}, {"/discoveryUrl"}, {"/discovery_url"}},
    {Field::mlflow_uri, {"/properties/mlFlowTrackingUri"}, {"/mlFlowTrackingUri"}, {"/mlflow_tracking_uri"}},
    {Field::notebook_host, {"/properties/notebookInfo/fqdn"}, {"/notebookInfo/fqdn"}, {}},
    {Field::public_access, {"/properties/publicNetworkAccess"}, {"/publicNetworkAccess"}, {"/public_network_access"}},
    {Field::private_endpoints, {"/properties/privateEndpointConnections"}, {"/privateEndpointConnections"}, {}},
    {Field::private_link_count, {"/properties/privateLinkCount"}, {"/privateLinkCount"}, {}},
    {Field::hbi, {"/properties/hbiWorkspace"}, {"/hbiWorkspace"}, {"/hbi_workspace"}},
    {Field::image_build_compute, {"/properties/imageBuildCompute"}, {"/imageBuildCompute"}, {"/image_build_compute"}},
    {Field::tenant_id, {"/properties/tenantId", "/identity/tenantId"}, {"/identityTenantId", "/tenantId"},
     {"/identity/tenant_id"}},
}};

/// A value found in the document, and its JSON pointer for messages.
struct Found {
  const json* value = nullptr;
  std::string path;
};

/// Reads typed fields from a document of a known shape. The first error wins and later reads return
/// nothing, so the parser reads straight down without checking after every field.
class DocumentReader {
 public:
  DocumentReader(const json& doc, Shape shape, std::string source) : doc_(doc), shape_(shape), source_(std::move(source)) {}

  bool failed() const { return error_.has_value(); }
  const InputError& error() const { return *error_; }
  const std::string& source() const { return source_; }

  void fail(std::string path, std::string message) {
    if (!error_) error_ = InputError{source_, 0, 0, std::move(path), std::move(message)};
  }

  /// The field's value (null counts as absent), or its preferred path with no value.
  Found find(Field field) {
    const auto& entry = *std::ranges::find(kPaths, field, &FieldPaths::field);
    const auto& paths = shape_ == Shape::arm ? entry.arm : shape_ == Shape::cli_v1 ? entry.cli_v1 : entry.cli_v2;
    for (auto path : paths) {
      if (path.empty() || failed()) continue;
      if (const json* v = walk(doc_, path, ""); v != nullptr && !v->is_null()) return {v, std::string(path)};
    }
    return {nullptr, std::string(paths[0])};
  }

  /// Follows a JSON pointer below `from`; an intermediate that is not an object is an error, a
  /// missing or null one means absent.
  const json* walk(const json& from, std::string_view pointer, const std::string& base) {
    const json* at = &from;
    std::string walked = base;
    std::size_t start = 1;
    while (start <= pointer.size()) {
      const auto end = std::min(pointer.find('/', start), pointer.size());
      const std::string key(pointer.substr(start, end - start));
      if (at->is_null()) return nullptr;
      if (!at->is_object()) {
        fail(walked.empty() ? "/" : walked, std::string("expected an object, got ") + std::string(json_type_name(*at)));
        return nullptr;
      }
      const auto it = at->find(key);
      if (it == at->end()) return nullptr;
      walked += "/" + key;
      at = &*it;
      start = end + 1;
    }
    return at;
  }

  /// A string field; wrong types are errors. Empty when absent.
  std::string text(Field field, std::string_view expected, std::string* path = nullptr) {
    const auto f = find(field);
    if (path != nullptr) *path = f.path;
    if (f.value == nullptr) return "";
    if (!f.value->is_string()) {
      fail(f.path, "expected " + std::string(expected) + ", got " + std::string(json_type_name(*f.value)));
      return "";
    }
    return f.value->get<std::string>();
  }

  std::optional<bool> boolean(Field field) {
    const auto f = find(field);
    if (f.value == nullptr) return std::nullopt;
    if (!f.value->is_boolean()) {
      fail(f.path, "expected true or false, got " + std::string(json_type_name(*f.value)));
      return std::nullopt;
    }
    return f.value->get<bool>();
  }

  /// A resource reference field turned into a name.
  std::string resource(Field field, const ResourceSpec& spec, std::optional<ResourceId>* id = nullptr) {
    std::string path;
    const auto value = text(field, "a resource ID", &path);
    if (value.empty()) return "";
    auto result = resource_name(value, spec);
    if (!result.problem.empty()) fail(path, result.problem);
    if (id != nullptr) *id = result.id;
    return result.name;
  }

  /// An approved private endpoint connection exists; unknown when the document does not list them.
  std::optional<bool> private_endpoint() {
    const auto list = find(Field::private_endpoints);
    if (list.value != nullptr) {
      if (!list.value->is_array()) {
        fail(list.path, "expected an array of private endpoint connections, got " +
                            std::string(json_type_name(*list.value)));
        return std::nullopt;
      }
      bool approved = false;
      for (std::size_t i = 0; i < list.value->size() && !failed(); ++i) {
        const auto& connection = (*list.value)[i];
        const auto at = list.path + "/" + std::to_string(i);
        if (!connection.is_object()) {
          fail(at, "expected a private endpoint connection object, got " + std::string(json_type_name(connection)));
          return std::nullopt;
        }
        // A connection only carries traffic once approved; one listed without a state is counted.
        const json* status = walk(connection, "/properties/privateLinkServiceConnectionState/status", at);
        if (status == nullptr || status->is_null()) {
          approved = true;
        } else if (!status->is_string()) {
          fail(at + "/properties/privateLinkServiceConnectionState/status",
               "expected a string such as \"Approved\", got " + std::string(json_type_name(*status)));
        } else if (ascii_lower(status->get<std::string>()) == "approved") {
          approved = true;
        }
      }
      return failed() ? std::nullopt : std::optional<bool>(approved);
    }
    const auto count = find(Field::private_link_count);
    if (count.value == nullptr) return std::nullopt;
    if (!count.value->is_number_integer() || count.value->get<long long>() < 0) {
      fail(count.path, "expected a count (a non-negative integer), got " + std::string(json_type_name(*count.value)));
      return std::nullopt;
    }
    return count.value->get<long long>() > 0;
  }

 private:
  const json& doc_;
  Shape shape_;
  std::string source_;
  std::optional<InputError> error_;
};

constexpr std::array<std::string_view, 10> kCliV2Keys{
    "storage_account", "key_vault", "container_registry", "application_insights", "mlflow_tracking_uri",
    "discovery_url", "resource_group", "public_network_access", "hbi_workspace", "image_build_compute"};
constexpr std::array<std::string_view, 9> kCliV1Keys{
    "workspaceid", "workspaceId", "storageAccount", "keyVault", "containerRegistry", "applicationInsights",
    "discoveryUrl", "notebookInfo", "privateEndpointConnections"};

Parsed<Shape> detect_shape(const json& doc, const std::string& source) {
  if (const auto it = doc.find("properties"); it != doc.end()) {
    if (it->is_object()) return Shape::arm;
    return InputError{source, 0, 0, "/properties",
                      "expected an object (the ARM workspace body), got " + std::string(json_type_name(*it))};
  }
  auto has_any = [&](const auto& keys) { return std::ranges::any_of(keys, [&](auto k) { return doc.contains(std::string(k)); }); };
  if (has_any(kCliV2Keys)) return Shape::cli_v2;
  if (has_any(kCliV1Keys)) return Shape::cli_v1;
  return InputError{source, 0, 0, "",
                    "not a workspace document: expected the output of `az ml workspace show` (CLI v1 or v2) or the ARM "
                    "GET body of Microsoft.MachineLearningServices/workspaces"};
}

void read_identity(DocumentReader& r, WorkspaceInfo& ws) {
  std::string path;
  if (const auto type = r.text(Field::type, "a resource type", &path);
      !type.empty() && ascii_lower(type) != "microsoft.machinelearningservices/workspaces") {
    r.fail(path, "expected \"Microsoft.MachineLearningServices/workspaces\", got " + quote_value(type));
  }
  if (const auto name = r.text(Field::name, "the workspace name", &path); !name.empty()) {
    std::string why;
    ws.name = checked_name(name, NameKind::workspace_name, false, &why);
    if (!why.empty()) r.fail(path, "the workspace name " + why);
  }
  std::optional<ResourceId> id;
  const auto id_name = r.resource(Field::id, kWorkspace, &id);
  if (id) {
    std::string why;
    ws.subscription_id = checked_name(ascii_lower(id->subscription), NameKind::guid, false, &why);
    if (why.empty()) ws.resource_group = checked_name(id->resource_group, NameKind::resource_group, false, &why);
    if (!why.empty()) r.fail(r.find(Field::id).path, "the resource ID's subscription or resource group " + why);
    if (!ws.name.empty() && ascii_lower(id_name) != ascii_lower(ws.name)) {
      r.fail(r.find(Field::id).path, "names workspace " + quote_value(id_name) + " but /name is " + quote_value(ws.name));
    }
    if (ws.name.empty()) ws.name = id_name;
  }
  if (const auto group = r.text(Field::resource_group, "the resource group name", &path); !group.empty()) {
    std::string why;
    const auto checked = checked_name(group, NameKind::resource_group, false, &why);
    if (!why.empty()) {
      r.fail(path, "the resource group " + why);
    } else if (!ws.resource_group.empty() && ascii_lower(checked) != ascii_lower(ws.resource_group)) {
      r.fail(path, "is " + quote_value(checked) + " but the resource ID says " + quote_value(ws.resource_group));
    } else {
      ws.resource_group = checked;
    }
  }
}

}  // namespace

std::string_view to_string(PublicAccess access) {
  static constexpr std::array<std::string_view, 3> kNames{"enabled", "disabled", "unknown"};
  return kNames[static_cast<std::size_t>(access)];
}

Parsed<WorkspaceInfo> parse_workspace_json(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  auto parsed = parse_json_text(text, source_name, /*comments=*/false);
  if (auto* e = std::get_if<InputError>(&parsed)) return std::move(*e);
  const json& doc = std::get<json>(parsed);
  if (!doc.is_object()) {
    return InputError{source, 0, 0, "",
                      "expected a JSON object (one workspace), got " + std::string(json_type_name(doc))};
  }
  auto shape = detect_shape(doc, source);
  if (auto* e = std::get_if<InputError>(&shape)) return std::move(*e);

  DocumentReader r(doc, std::get<Shape>(shape), source);
  WorkspaceInfo ws;
  ws.source = source;
  std::vector<CloudEvidence> clouds;
  std::string path;

  read_identity(r, ws);

  if (const auto location = r.text(Field::location, "the Azure region name", &path); location.empty()) {
    r.fail(path, "missing; expected the workspace's Azure region, such as \"eastus\"");
  } else {
    std::string why;
    ws.region = checked_name(location, NameKind::region, true, &why);
    if (!why.empty()) r.fail(path, "the region " + why);
    if (auto c = cloud_of_region(ws.region)) clouds.push_back({*c, path});
  }

  if (const auto guid = r.text(Field::workspace_id, "the workspace GUID", &path); !guid.empty()) {
    std::string why;
    ws.workspace_id = checked_name(guid, NameKind::guid, true, &why);
    if (!why.empty()) r.fail(path, "the workspace ID " + why);
  }

  ws.storage_account = r.resource(Field::storage, kStorage);
  ws.key_vault = r.resource(Field::key_vault, kKeyVault);
  ws.acr = r.resource(Field::acr, kRegistry);
  ws.app_insights = r.resource(Field::app_insights, kInsights);

  if (const auto url = r.text(Field::discovery_url, "a URL", &path); !url.empty()) {
    if (auto why = discovery_problem(url); !why.empty()) {
      r.fail(path, why);
    } else {
      ws.discovery_url = url;
      clouds.push_back({*cloud_of_api_host(url_host(url)), path});
    }
  }

  if (const auto uri = r.text(Field::mlflow_uri, "a URI", &path); !uri.empty()) {
    auto mlflow = parse_mlflow_tracking_uri(uri);
    if (const auto* e = std::get_if<InputError>(&mlflow)) {
      r.fail(path, e->message);
    } else {
      clouds.push_back({std::get<MlflowTrackingUri>(mlflow).cloud, path});
    }
  }

  if (const auto fqdn = r.text(Field::notebook_host, "a host name", &path); !fqdn.empty()) {
    const auto host = ascii_lower(fqdn);
    const auto cloud = cloud_of_notebook_host(host);
    if (!is_host_name(host) || !cloud) {
      r.fail(path, "expected the workspace's notebooks host (...notebooks.azure.net, ...notebooks.chinacloudapi.cn or "
                   "...notebooks.usgovcloudapi.net), got " + quote_value(fqdn));
    } else {
      ws.notebook_host = host;
      clouds.push_back({*cloud, path});
    }
  }

  if (const auto access = r.text(Field::public_access, "\"Enabled\" or \"Disabled\"", &path); !access.empty()) {
    const auto lower = ascii_lower(access);
    if (lower == "enabled") {
      ws.public_network_access = PublicAccess::enabled;
    } else if (lower == "disabled") {
      ws.public_network_access = PublicAccess::disabled;
    } else {
      r.fail(path, "expected \"Enabled\" or \"Disabled\", got " + quote_value(access));
    }
  }

  ws.private_endpoint = r.private_endpoint();
  ws.hbi = r.boolean(Field::hbi);

  if (const auto compute = r.text(Field::image_build_compute, "a compute name", &path); !compute.empty()) {
    std::string why;
    ws.image_build_compute = checked_name(compute, NameKind::compute, false, &why);
    if (!why.empty()) r.fail(path, "the image build compute " + why);
  }
  if (const auto tenant = r.text(Field::tenant_id, "the tenant GUID", &path); !tenant.empty()) {
    std::string why;
    ws.tenant_id = checked_name(tenant, NameKind::guid, true, &why);
    if (!why.empty()) r.fail(path, "the tenant ID " + why);
  }

  if (r.failed()) return r.error();
  if (auto conflict = settle_cloud(clouds, source, &ws.cloud)) return std::move(*conflict);
  return ws;
}

Parsed<std::optional<WorkspaceInfo>> workspace_from_flags(const WorkspaceFlags& flags) {
  const bool any = !flags.workspace_id.empty() || !flags.region.empty() || !flags.storage_account.empty() ||
                   !flags.key_vault.empty() || !flags.acr.empty() || !flags.app_insights.empty() ||
                   !flags.notebook_host.empty() || !flags.compute_instances.empty();
  if (!any) return std::optional<WorkspaceInfo>{};

  WorkspaceInfo ws;
  ws.source = "flags";
  std::vector<CloudEvidence> clouds;
  auto error = [](std::string flag, std::string message) { return InputError{std::move(flag), 0, 0, "", std::move(message)}; };

  if (!flags.cloud.empty()) {
    const auto cloud = parse_cloud(flags.cloud);
    if (!cloud) return error("--cloud", "expected public, china or usgov, got " + quote_value(flags.cloud));
    clouds.push_back({*cloud, "--cloud"});
  }
  std::string why;
  if (!flags.workspace_id.empty()) {
    ws.workspace_id = checked_name(flags.workspace_id, NameKind::guid, true, &why);
    if (!why.empty()) return error("--workspace-id", "the workspace ID " + why);
  }
  if (!flags.region.empty()) {
    ws.region = checked_name(flags.region, NameKind::region, true, &why);
    if (!why.empty()) return error("--region", "the region " + why);
    clouds.push_back({*cloud_of_region(ws.region), "--region"});
  }

  struct ResourceFlag {
    const std::string& value;
    std::string_view flag;
    const ResourceSpec& spec;
    std::string WorkspaceInfo::*member;
  };
  const std::array<ResourceFlag, 4> resources{{
      {flags.storage_account, "--storage-account", kStorage, &WorkspaceInfo::storage_account},
      {flags.key_vault, "--key-vault", kKeyVault, &WorkspaceInfo::key_vault},
      {flags.acr, "--acr", kRegistry, &WorkspaceInfo::acr},
      {flags.app_insights, "--app-insights", kInsights, &WorkspaceInfo::app_insights},
  }};
  for (const auto& r : resources) {
    if (r.value.empty()) continue;
    auto result = resource_name(r.value, r.spec);
    if (!result.problem.empty()) return error(std::string(r.flag), result.problem);
    ws.*r.member = std::move(result.name);
  }

  if (!flags.notebook_host.empty()) {
    const auto host = ascii_lower(flags.notebook_host);
    const auto cloud = cloud_of_notebook_host(host);
    if (!is_host_name(host) || !cloud) {
      return error("--notebook-host", "expected the workspace's notebooks host (ml-...notebooks.azure.net or the "
                                      "China/US Gov equivalent), got " + quote_value(flags.notebook_host));
    }
    ws.notebook_host = host;
    clouds.push_back({*cloud, "--notebook-host"});
  }
  for (const auto& ci : flags.compute_instances) {
    auto name = checked_name(ci, NameKind::compute, true, &why);
    if (!why.empty()) return error("--compute-instance", "the compute instance name " + why);
    if (std::ranges::find(ws.compute_instances, name) == ws.compute_instances.end()) ws.compute_instances.push_back(name);
  }
  if (auto conflict = settle_cloud(clouds, "flags", &ws.cloud)) {
    conflict->source = conflict->field;
    conflict->field.clear();
    return std::move(*conflict);
  }
  return std::optional<WorkspaceInfo>(std::move(ws));
}

Parsed<MlflowTrackingUri> parse_mlflow_tracking_uri(std::string_view uri) {
  const std::string expected =
      "expected azureml://<region>.api.azureml.ms/mlflow/v1.0/subscriptions/<id>/resourceGroups/<group>/providers/"
      "Microsoft.MachineLearningServices/workspaces/<name>, got " + quote_value(uri);
  auto fail = [&](std::string message) { return InputError{"", 0, 0, "", std::move(message)}; };
  constexpr std::string_view kScheme = "azureml://";
  if (!printable_ascii(uri) || ascii_lower(uri.substr(0, kScheme.size())) != kScheme) return fail(expected);
  const auto rest = uri.substr(kScheme.size());
  const auto host = ascii_lower(rest.substr(0, rest.find('/')));
  const auto cloud = cloud_of_api_host(host);
  if (!is_host_name(host) || !cloud) return fail(expected);

  MlflowTrackingUri out;
  out.cloud = *cloud;
  std::string why;
  out.region = checked_name(host.substr(0, host.find('.')), NameKind::region, true, &why);
  if (!why.empty()) return fail("the region in the host " + why);

  const auto path = rest.substr(std::min(rest.size(), host.size()));
  const auto subscriptions = ascii_lower(path).find("/subscriptions/");
  if (ascii_lower(path.substr(0, 8)) != "/mlflow/" || subscriptions == std::string::npos) return fail(expected);
  auto id_text = path.substr(subscriptions);
  if (id_text.ends_with('/')) id_text.remove_suffix(1);
  const auto id = parse_resource_id(id_text);
  if (!id || !has_type(*id, kWorkspace.provider_type)) return fail(expected);
  out.subscription_id = checked_name(id->subscription, NameKind::guid, true, &why);
  if (why.empty()) out.resource_group = checked_name(id->resource_group, NameKind::resource_group, false, &why);
  if (why.empty()) out.workspace = checked_name(id->name, NameKind::workspace_name, false, &why);
  if (!why.empty()) return fail("a name in the workspace path " + why);
  return out;
}

Parsed<std::optional<WorkspaceInfo>> workspace_from_environment(EnvLookup env) {
  // Facts §1.14 [S36]: compute instances export CI_WORKSPACE, CI_RESOURCE_GROUP and MLFLOW_TRACKING_URI.
  // CI_NAME (the instance's own name) is UNCONFIRMED by the facts; it is used when present.
  const auto value = [&](const char* name) { return env(name).value_or(""); };
  const auto workspace = value("CI_WORKSPACE");
  const auto group = value("CI_RESOURCE_GROUP");
  const auto tracking = value("MLFLOW_TRACKING_URI");
  const auto instance = value("CI_NAME");
  const bool azureml_tracking = ascii_lower(std::string_view(tracking).substr(0, 10)) == "azureml://";
  if (workspace.empty() && group.empty() && !azureml_tracking) return std::optional<WorkspaceInfo>{};

  auto error = [](std::string variable, std::string message) {
    return InputError{"environment", 0, 0, std::move(variable), std::move(message)};
  };
  WorkspaceInfo ws;
  ws.source = "environment";
  std::string why;
  if (azureml_tracking) {
    auto parsed = parse_mlflow_tracking_uri(tracking);
    if (auto* e = std::get_if<InputError>(&parsed)) return error("MLFLOW_TRACKING_URI", e->message);
    auto& uri = std::get<MlflowTrackingUri>(parsed);
    ws.region = uri.region;
    ws.subscription_id = uri.subscription_id;
    ws.resource_group = uri.resource_group;
    ws.name = uri.workspace;
    ws.cloud = uri.cloud;
  }
  if (!workspace.empty()) {
    const auto name = checked_name(workspace, NameKind::workspace_name, false, &why);
    if (!why.empty()) return error("CI_WORKSPACE", "the workspace name " + why);
    if (!ws.name.empty() && ascii_lower(name) != ascii_lower(ws.name)) {
      return error("CI_WORKSPACE", "is " + quote_value(name) + " but MLFLOW_TRACKING_URI names workspace " + quote_value(ws.name));
    }
    ws.name = name;
  }
  if (!group.empty()) {
    const auto name = checked_name(group, NameKind::resource_group, false, &why);
    if (!why.empty()) return error("CI_RESOURCE_GROUP", "the resource group " + why);
    if (!ws.resource_group.empty() && ascii_lower(name) != ascii_lower(ws.resource_group)) {
      return error("CI_RESOURCE_GROUP",
                   "is " + quote_value(name) + " but MLFLOW_TRACKING_URI names resource group " + quote_value(ws.resource_group));
    }
    ws.resource_group = name;
  }
  if (!instance.empty()) {
    auto name = checked_name(instance, NameKind::compute, true, &why);
    if (!why.empty()) return error("CI_NAME", "the compute instance name " + why);
    ws.compute_instances.push_back(std::move(name));
  }
  return std::optional<WorkspaceInfo>(std::move(ws));
}

Parsed<WorkspaceInfo> merge_workspace(WorkspaceInfo base, const WorkspaceInfo& more) {
  struct TextField {
    std::string WorkspaceInfo::*member;
    std::string_view label;
  };
  static constexpr std::array<TextField, 13> kTextFields{{
      {&WorkspaceInfo::name, "workspace name"},
      {&WorkspaceInfo::workspace_id, "workspace ID"},
      {&WorkspaceInfo::region, "region"},
      {&WorkspaceInfo::subscription_id, "subscription ID"},
      {&WorkspaceInfo::resource_group, "resource group"},
      {&WorkspaceInfo::storage_account, "storage account"},
      {&WorkspaceInfo::key_vault, "key vault"},
      {&WorkspaceInfo::acr, "container registry"},
      {&WorkspaceInfo::app_insights, "application insights"},
      {&WorkspaceInfo::notebook_host, "notebook host"},
      {&WorkspaceInfo::discovery_url, "discovery URL"},
      {&WorkspaceInfo::image_build_compute, "image build compute"},
      {&WorkspaceInfo::tenant_id, "tenant ID"},
  }};
  auto conflict = [&](std::string_view label, const std::string& theirs, const std::string& ours) {
    return InputError{more.source, 0, 0, std::string(label),
                      "is " + quote_value(theirs) + " but " + base.source + " says " + quote_value(ours)};
  };
  for (const auto& f : kTextFields) {
    auto& ours = base.*f.member;
    const auto& theirs = more.*f.member;
    if (ours.empty()) {
      ours = theirs;
    } else if (!theirs.empty() && ascii_lower(ours) != ascii_lower(theirs)) {
      return conflict(f.label, theirs, ours);
    }
  }
  for (const auto& ci : more.compute_instances) {
    if (std::ranges::find(base.compute_instances, ci) == base.compute_instances.end()) base.compute_instances.push_back(ci);
  }
  if (!base.cloud) {
    base.cloud = more.cloud;
  } else if (more.cloud && *more.cloud != *base.cloud) {
    return conflict("cloud", std::string(to_string(*more.cloud)), std::string(to_string(*base.cloud)));
  }
  if (base.public_network_access == PublicAccess::unknown) {
    base.public_network_access = more.public_network_access;
  } else if (more.public_network_access != PublicAccess::unknown && more.public_network_access != base.public_network_access) {
    return conflict("public network access", std::string(to_string(more.public_network_access)),
                    std::string(to_string(base.public_network_access)));
  }
  for (auto member : {&WorkspaceInfo::private_endpoint, &WorkspaceInfo::hbi}) {
    auto& ours = base.*member;
    const auto& theirs = more.*member;
    if (!ours) {
      ours = theirs;
    } else if (theirs && *theirs != *ours) {
      return conflict(member == &WorkspaceInfo::hbi ? "hbi" : "private endpoint", *theirs ? "true" : "false",
                      *ours ? "true" : "false");
    }
  }
  base.source += " + " + more.source;
  return base;
}

Parsed<Cloud> choose_cloud(std::optional<Cloud> requested, const std::optional<WorkspaceInfo>& workspace) {
  const auto stated = workspace ? workspace->cloud : std::nullopt;
  if (requested && stated && *requested != *stated) {
    return InputError{"--cloud", 0, 0, "",
                      "is " + std::string(to_string(*requested)) + " but the workspace (" + workspace->source +
                          ") is in the " + std::string(to_string(*stated)) + " cloud"};
  }
  return requested.value_or(stated.value_or(Cloud::public_cloud));
}

nlohmann::json workspace_to_json(const WorkspaceInfo& ws) {
  auto optional_bool = [](std::optional<bool> b) { return b ? json(*b) : json(nullptr); };
  return json{
      {"source", ws.source},
      {"name", ws.name},
      {"workspace_id", ws.workspace_id},
      {"region", ws.region},
      {"cloud", ws.cloud ? json(std::string(to_string(*ws.cloud))) : json(nullptr)},
      {"subscription_id", ws.subscription_id},
      {"resource_group", ws.resource_group},
      {"storage_account", ws.storage_account},
      {"key_vault", ws.key_vault},
      {"acr", ws.acr},
      {"app_insights", ws.app_insights},
      {"compute_instances", ws.compute_instances},
      {"notebook_host", ws.notebook_host},
      {"discovery_url", ws.discovery_url},
      {"public_network_access", std::string(to_string(ws.public_network_access))},
      {"private_endpoint", optional_bool(ws.private_endpoint)},
      {"hbi", optional_bool(ws.hbi)},
      {"image_build_compute", ws.image_build_compute},
      {"tenant_id", ws.tenant_id},
  };
}

std::string workspace_resource_id(const WorkspaceInfo& ws) {
  if (ws.subscription_id.empty() || ws.resource_group.empty() || ws.name.empty()) return "";
  return "/subscriptions/" + ws.subscription_id + "/resourceGroups/" + ws.resource_group +
         "/providers/Microsoft.MachineLearningServices/workspaces/" + ws.name;
}

}  // namespace vnetdiag
