#include "agent/discovery/arm_vnet.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <exception>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "agent/discovery/resolvers.hpp"
#include "agent/plan/azure_names.hpp"
#include "agent/plan/config.hpp"
#include "probes/engine.hpp"

namespace vnetdiag {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

/// A token response is about 2 KiB; room for a long token and extra fields.
constexpr std::size_t kTokenBodyCap = 64 * 1024;
/// A VNet document lists every IP configuration of every subnet: a large VNet runs to megabytes.
constexpr std::size_t kArmBodyCap = 8 * 1024 * 1024;
/// How much of a foreign value is quoted back in a message.
constexpr std::size_t kQuoted = 120;
/// Resource IDs are at most a few hundred characters; anything longer is not one.
constexpr std::size_t kMaxIdLength = 2048;

const json& member(const json& object, const char* key) {
  static const json null;
  if (!object.is_object()) return null;
  const auto it = object.find(key);
  return it != object.end() ? *it : null;
}

const json& path_of(const json& doc, std::initializer_list<const char*> keys) {
  const json* at = &doc;
  for (const char* key : keys) at = &member(*at, key);
  return *at;
}

std::optional<std::string> string_at(const json& doc, std::initializer_list<const char*> keys) {
  const auto& value = path_of(doc, keys);
  if (!value.is_string()) return std::nullopt;
  return value.get<std::string>();
}

bool iequals(std::string_view a, std::string_view b) { return ascii_lower(a) == ascii_lower(b); }

/// A foreign value for a message: printable ASCII only, cut short.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kQuoted)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (text.size() > kQuoted) out += "...";
  return out;
}

std::string quote(std::string_view text) { return "'" + printable(text) + "'"; }

/// Parses without exceptions; nullopt (and `error`) for text that is not one JSON object.
std::optional<json> parse_object(std::string_view text, std::string& error) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    error = "not JSON";
    return std::nullopt;
  }
  if (!doc.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  return doc;
}

std::vector<std::string_view> segments(std::string_view id) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto slash = id.find('/', start);
    out.push_back(id.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

/// True for "/subscriptions/..." with non-empty segments, none of them "." or "..", no control characters:
/// such an ID can only name a path under Resource Manager's root, whatever a document put in it.
bool is_arm_path(std::string_view id) {
  if (id.size() > kMaxIdLength || !ascii_lower(id.substr(0, 15)).starts_with("/subscriptions/")) return false;
  if (std::ranges::any_of(id, [](unsigned char c) { return c < 0x20 || c == 0x7f; })) return false;
  const auto parts = segments(id);
  return std::all_of(parts.begin() + 1, parts.end(),
                     [](std::string_view s) { return !s.empty() && s != "." && s != ".."; });
}

/// An ARM path whose next-to-last segment is `type` ("networkInterfaces"): the ID of such a resource.
bool is_arm_id_of(std::string_view id, std::string_view type) {
  if (!is_arm_path(id)) return false;
  const auto parts = segments(id);
  return parts.size() >= 9 && iequals(parts[parts.size() - 2], type);
}

/// The name at the end of a resource ID, printable: it goes into messages and reports.
std::string last_segment(std::string_view id) {
  while (id.ends_with('/')) id.remove_suffix(1);
  return printable(id.substr(id.rfind('/') + 1));
}

/// Percent-encodes all but RFC 3986's unreserved characters (and '/' and "()" when `path`).
std::string percent_encode(std::string_view text, bool path) {
  std::string out;
  for (const unsigned char c : text) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool keep =
        alnum || c == '-' || c == '.' || c == '_' || c == '~' || (path && (c == '/' || c == '(' || c == ')'));
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      std::array<char, 4> hex{};
      std::snprintf(hex.data(), hex.size(), "%%%02X", c);
      out += hex.data();
    }
  }
  return out;
}

/// The ranges of one addressPrefixes array; unusable entries become warnings.
std::vector<Cidr> read_prefixes(const json& prefixes, const std::string& where, std::vector<std::string>& warnings) {
  std::vector<Cidr> out;
  if (!prefixes.is_array()) return out;
  for (const auto& prefix : prefixes) {
    const auto range = prefix.is_string() ? Cidr::parse(prefix.get_ref<const std::string&>()) : std::nullopt;
    if (!range) {
      warnings.push_back(where + ": " +
                         (prefix.is_string() ? quote(prefix.get_ref<const std::string&>()) : "a non-string") +
                         " is not an address range");
    } else if (std::ranges::find(out, *range) == out.end()) {
      out.push_back(*range);
    }
  }
  return out;
}

// ---- the requests ----

struct StatusName {
  ArmVnetStatus status;
  std::string_view name;
};

constexpr StatusName kStatusNames[] = {
    {ArmVnetStatus::ok, "ok"},
    {ArmVnetStatus::not_asked, "not_asked"},
    {ArmVnetStatus::no_identity, "no_identity"},
    {ArmVnetStatus::denied, "denied"},
    {ArmVnetStatus::rejected, "rejected"},
    {ArmVnetStatus::unreachable, "unreachable"},
    {ArmVnetStatus::timeout, "timeout"},
    {ArmVnetStatus::bad_document, "bad_document"},
    {ArmVnetStatus::error, "error"},
};
static_assert(std::size(kStatusNames) == static_cast<std::size_t>(ArmVnetStatus::error) + 1);

/// How an HTTP status of each step is read: the identity endpoint answers 400 "Identity not found" (and
/// 404 while it has none to give); Resource Manager answers 401 for a bad token and 403 without a role.
ArmVnetStatus status_of_code(ArmStep step, int code) {
  if (step == ArmStep::token) return code == 400 || code == 404 ? ArmVnetStatus::no_identity : ArmVnetStatus::rejected;
  return code == 401 || code == 403 ? ArmVnetStatus::denied : ArmVnetStatus::rejected;
}

/// What an error body says, briefly: Resource Manager's error.code, the identity endpoint's error_description.
std::string error_of_body(std::string_view body) {
  const json doc = json::parse(body.begin(), body.end(), nullptr, false);
  auto said = string_at(doc, {"error", "code"});
  if (!said || said->empty()) said = string_at(doc, {"error_description"});
  if (!said || said->empty()) said = string_at(doc, {"error"});
  return said ? printable(*said) : "";
}

/// Time left of the whole read, and the steps against it.
class Reader {
 public:
  Reader(const DiscoverySettings& settings, ArmVnetResult& out, Clock::time_point started)
      : settings_(settings), out_(out), started_(started) {}

  /// The body of a 200 answer to `target`, or nullopt with the result set to why not. `what` names the step
  /// for the user ("read virtual network vnet-hub").
  std::optional<std::string> get(ArmStep step, const std::string& what, const ProbeTarget& target) {
    out_.step = step;
    out_.http_status = 0;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(settings_.arm.timeout - (Clock::now() - started_));
    if (left.count() <= 0) return fail(ArmVnetStatus::timeout, what, "no time left");
    EngineOptions options;
    options.hosts_file = settings_.paths.hosts_file;
    if (!is_ip_literal(target.host)) options.resolvers = discover_resolvers(settings_.paths, "").resolvers;
    options.budgets = Budgets{left, left, left, left, left, left};
    options.concurrency = 1;
    if (step == ArmStep::token) {
      options.body_cap = kTokenBodyCap;
      options.proxy.origin = "none";  // the identity endpoint is never reached through a proxy
    } else {
      options.body_cap = kArmBodyCap;
      options.ca_file = settings_.arm.ca_file;
      options.proxy = settings_.arm.proxy;
    }
    RunResult run;
    try {
      run = run_probes({target}, std::move(options));
    } catch (const std::exception& e) {
      return fail(ArmVnetStatus::error, what, e.what());
    }
    if (run.targets.empty()) return fail(ArmVnetStatus::error, what, "the engine returned no result");
    return judge(step, what, run.targets.front(), run.deadline_hit);
  }

  /// Sets the result to a failure of `what`; nullopt, for `get`.
  std::nullopt_t fail(ArmVnetStatus status, const std::string& what, const std::string& why) {
    out_.status = status;
    out_.detail = status == ArmVnetStatus::timeout
                      ? "could not " + what + " within the " + std::to_string(settings_.arm.timeout.count()) +
                            " ms limit (" + why + ")"
                      : "could not " + what + ": " + why;
    return std::nullopt;
  }

 private:
  std::optional<std::string> judge(ArmStep step, const std::string& what, TargetResult& r, bool deadline_hit) {
    const std::string peer = r.host.find(':') != std::string::npos ? "[" + r.host + "]:" + std::to_string(r.port)
                                                                   : r.host + ":" + std::to_string(r.port);
    if (!r.internal_error.empty()) return fail(ArmVnetStatus::error, what, r.internal_error);
    if (r.http && r.http->status == HttpStatus::response) {
      auto& http = *r.http;
      out_.http_status = http.code;
      if (http.code != 200) {
        const auto status = status_of_code(step, http.code);
        const auto said = error_of_body(http.body_prefix);
        if (status == ArmVnetStatus::no_identity) {
          out_.status = status;
          out_.detail = "this VM has no managed identity: the identity endpoint answered " + std::to_string(http.code) +
                        (said.empty() ? "" : " " + said);
          return std::nullopt;
        }
        const auto& why = said.empty() ? http.reason : said;
        return fail(status, what, std::to_string(http.code) + (why.empty() ? "" : " " + why));
      }
      if (!http.body_complete) {
        return fail(deadline_hit || r.deadline ? ArmVnetStatus::timeout : ArmVnetStatus::bad_document, what,
                    "the document was cut off after " + std::to_string(http.body_prefix.size()) + " bytes");
      }
      return std::move(http.body_prefix);
    }
    const bool late = deadline_hit || r.deadline;
    if (r.http) {
      const bool slow = late || r.http->status == HttpStatus::timeout;
      return fail(slow ? ArmVnetStatus::timeout : ArmVnetStatus::unreachable, what,
                  "connected to " + peer + ", then " + std::string(to_string(r.http->status)) +
                      (r.http->detail.empty() ? "" : ": " + r.http->detail));
    }
    if (r.tls && r.tls->status != TlsStatus::ok) {
      const bool slow = late || r.tls->status == TlsStatus::handshake_timeout;
      return fail(slow ? ArmVnetStatus::timeout : ArmVnetStatus::unreachable, what,
                  "TLS with " + peer + ": " + std::string(to_string(r.tls->status)) +
                      (r.tls->detail.empty() ? "" : " (" + r.tls->detail + ")"));
    }
    if (r.proxy && r.proxy->status != ProxyStatus::tunnel) {
      const bool slow = late || r.proxy->status == ProxyStatus::timeout;
      return fail(slow ? ArmVnetStatus::timeout : ArmVnetStatus::unreachable, what,
                  "proxy " + r.proxy->proxy + ": " + std::string(to_string(r.proxy->status)) +
                      (r.proxy->detail.empty() ? "" : " (" + r.proxy->detail + ")"));
    }
    if (r.tcp.empty()) {
      return fail(late ? ArmVnetStatus::timeout : ArmVnetStatus::unreachable, what,
                  late ? "no address for " + r.host + " in time" : r.host + " did not resolve");
    }
    const auto& attempt = r.tcp.front();
    const bool slow = late || attempt.status == TcpStatus::timeout || attempt.status == TcpStatus::deadline;
    return fail(slow ? ArmVnetStatus::timeout : ArmVnetStatus::unreachable, what,
                "no connection to " + peer + ": " + std::string(to_string(attempt.status)) +
                    (attempt.detail.empty() ? "" : " (" + attempt.detail + ")"));
  }

  const DiscoverySettings& settings_;
  ArmVnetResult& out_;
  Clock::time_point started_;
};

ProbeTarget get_target(const HttpUrl& url, std::string request_target,
                       std::vector<std::pair<std::string, std::string>> headers) {
  ProbeTarget target;
  target.host = url.host;
  target.port = url.port;
  target.tls = url.tls;
  target.http = HttpRequest{"GET", url.path + request_target, std::move(headers)};
  return target;
}

std::string arm_request(std::string_view id) {
  return percent_encode(id, /*path=*/true) + "?api-version=" + std::string(kArmApiVersion);
}

}  // namespace

std::string identity_token_target(Cloud cloud) {
  return std::string(kIdentityTokenPath) + "&resource=" + percent_encode(resource_manager_url(cloud), /*path=*/false);
}

namespace {

/// The token under `key` of a JSON document, checked to be usable in a header; `what` names the document.
std::optional<std::string> token_at(std::string_view text, const char* key, std::string_view what, std::string& error) {
  const auto doc = parse_object(text, error);
  if (!doc) return std::nullopt;
  const auto token = string_at(*doc, {key});
  if (!token || token->empty()) {
    error = std::string(what) + " has no " + key;
    return std::nullopt;
  }
  // It goes into a header: a value with spaces or control characters is not a bearer token (RFC 6750
  // token68), and is never quoted back, since it may be one after all.
  if (!std::ranges::all_of(*token, [](unsigned char c) { return c > 0x20 && c < 0x7f; })) {
    error = std::string(what) + "'s " + key + " is not a bearer token";
    return std::nullopt;
  }
  return token;
}

}  // namespace

std::optional<std::string> parse_token_response(std::string_view text, std::string& error) {
  return token_at(text, "access_token", "the token response", error);
}

std::optional<std::string> parse_az_access_token(std::string_view text, std::string& error) {
  return token_at(text, "accessToken", "the token file", error);
}

std::optional<std::string> parse_primary_nic(std::string_view text, std::string& error) {
  const auto doc = parse_object(text, error);
  if (!doc) return std::nullopt;
  const auto& nics = path_of(*doc, {"properties", "networkProfile", "networkInterfaces"});
  if (!nics.is_array()) {
    error = "the VM document has no properties.networkProfile.networkInterfaces list";
    return std::nullopt;
  }
  std::optional<std::string> first, primary;
  for (const auto& nic : nics) {
    auto id = string_at(nic, {"id"});
    if (!id) continue;
    if (!first) first = id;
    if (!primary && path_of(nic, {"properties", "primary"}) == true) primary = id;
  }
  auto chosen = primary ? primary : first;
  if (!chosen) {
    error = "the VM document lists no network interface ID";
    return std::nullopt;
  }
  if (!is_arm_id_of(*chosen, "networkInterfaces")) {
    error = "the VM document's network interface " + quote(*chosen) + " is not a network interface ID";
    return std::nullopt;
  }
  return chosen;
}

std::optional<std::vector<std::string>> parse_nic_subnets(std::string_view text, std::string& error) {
  const auto doc = parse_object(text, error);
  if (!doc) return std::nullopt;
  const auto& configurations = path_of(*doc, {"properties", "ipConfigurations"});
  if (!configurations.is_array()) {
    error = "the network interface document has no properties.ipConfigurations list";
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& configuration : configurations) {
    auto id = string_at(configuration, {"properties", "subnet", "id"});
    if (!id || id->empty()) continue;
    if (std::ranges::any_of(out, [&](const std::string& s) { return iequals(s, *id); })) continue;
    const bool primary = path_of(configuration, {"properties", "primary"}) == true;
    out.insert(primary ? out.begin() : out.end(), std::move(*id));
  }
  if (out.empty()) {
    error = "the network interface document's IP configurations name no subnet";
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> vnet_id_of_subnet(std::string_view subnet_id) {
  const auto lower = ascii_lower(subnet_id);
  const auto cut = lower.find("/subnets/");
  if (cut == std::string::npos) return std::nullopt;
  const auto vnet = subnet_id.substr(0, cut);
  const auto subnet = subnet_id.substr(cut + 9);
  const auto id = parse_resource_id(vnet);
  if (!id || !has_type(*id, "Microsoft.Network/virtualNetworks") || !is_arm_path(vnet)) return std::nullopt;
  if (subnet.empty() || subnet.find('/') != std::string_view::npos || subnet == "." || subnet == "..")
    return std::nullopt;
  return std::string(vnet);
}

std::optional<VnetRanges> parse_vnet(std::string_view text, std::string& error) {
  const auto doc = parse_object(text, error);
  if (!doc) return std::nullopt;
  const auto& properties = member(*doc, "properties");
  if (!properties.is_object()) {
    error = "the virtual network document has no properties";
    return std::nullopt;
  }
  VnetRanges out;
  if (auto name = string_at(*doc, {"name"})) {
    out.name = *name;
  } else if (auto id = string_at(*doc, {"id"})) {
    out.name = last_segment(*id);
  }
  const auto& prefixes = path_of(properties, {"addressSpace", "addressPrefixes"});
  out.address_space = read_prefixes(prefixes, "addressSpace", out.warnings);
  if (out.address_space.empty()) {
    error = prefixes.is_array() ? "the virtual network document lists no usable address range"
                                : "the virtual network document has no properties.addressSpace.addressPrefixes list";
    return std::nullopt;
  }
  const auto& peerings = member(properties, "virtualNetworkPeerings");
  if (!peerings.is_array()) return out;
  for (const auto& peering : peerings) {
    const auto state = string_at(peering, {"properties", "peeringState"});
    if (!state || !iequals(*state, "Connected")) continue;
    const auto name = string_at(peering, {"name"}).value_or("");
    const auto where = "peering " + quote(name);
    const auto remote = string_at(peering, {"properties", "remoteVirtualNetwork", "id"});
    const std::string remote_name = remote ? last_segment(*remote) : "";
    if (remote_name.empty()) out.warnings.push_back(where + " names no remote virtual network");
    auto ranges =
        read_prefixes(path_of(peering, {"properties", "remoteAddressSpace", "addressPrefixes"}), where, out.warnings);
    if (ranges.empty()) {
      ranges = read_prefixes(path_of(peering, {"properties", "remoteVirtualNetworkAddressSpace", "addressPrefixes"}),
                             where, out.warnings);
    }
    if (ranges.empty()) out.warnings.push_back(where + " is Connected but lists no remote address range");
    for (const auto& range : ranges) {
      PeeredRange peered{range, remote_name};
      if (std::ranges::find(out.peered, peered) == out.peered.end()) out.peered.push_back(std::move(peered));
    }
  }
  return out;
}

std::string_view to_string(ArmVnetStatus status) {
  return std::ranges::find(kStatusNames, status, &StatusName::status)->name;
}

std::string_view to_string(ArmStep step) {
  constexpr std::string_view kNames[] = {"none", "token", "vm", "nic", "vnet"};
  return kNames[static_cast<std::size_t>(step)];
}

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// The Authorization header of the reads: the user's token, else one from the managed identity endpoint.
/// nullopt, with the reason written by the reader, when there is none.
std::optional<Headers> authorization(Reader& reader, const DiscoverySettings& settings, const std::optional<HttpUrl>& identity,
                                     Cloud cloud) {
  if (!settings.arm.token.empty()) return Headers{{"Authorization", "Bearer " + settings.arm.token}};
  const std::string what = "get a managed identity token";
  if (!identity) {
    reader.fail(ArmVnetStatus::not_asked, what,
                settings.imds_base_url.empty() ? "no metadata URL is set" : quote(settings.imds_base_url) + " is not an http:// URL");
    return std::nullopt;
  }
  auto target = get_target(*identity, identity_token_target(cloud), {{"Metadata", "true"}});
  target.allow_proxy = false;  // like the instance document, never through a proxy
  const auto body = reader.get(ArmStep::token, what, target);
  if (!body) return std::nullopt;
  std::string error;
  auto token = parse_token_response(*body, error);
  if (!token) {
    reader.fail(ArmVnetStatus::bad_document, what, error);
    return std::nullopt;
  }
  return Headers{{"Authorization", "Bearer " + *token}};
}

/// The four steps, each one's failure already written to `out` by the reader.
void read_steps(Reader& reader, const DiscoverySettings& settings, const ImdsInfo& imds, const HttpUrl& identity,
                const HttpUrl& arm, Cloud cloud, ArmVnetResult& out) {
  std::string error;
  const auto header = authorization(reader, settings, identity, cloud);
  if (!header) return;
  const Headers& authorization = *header;

  out.names.emplace_back(last_segment(imds.resource_id), "vm");
  const auto vm_what = "read virtual machine " + last_segment(imds.resource_id);
  const auto vm = reader.get(ArmStep::vm, vm_what, get_target(arm, arm_request(imds.resource_id), authorization));
  if (!vm) return;
  const auto nic_id = parse_primary_nic(*vm, error);
  if (!nic_id) {
    reader.fail(ArmVnetStatus::bad_document, vm_what, error);
    return;
  }

  out.names.emplace_back(last_segment(*nic_id), "nic");
  const auto nic_what = "read network interface " + last_segment(*nic_id);
  const auto nic = reader.get(ArmStep::nic, nic_what, get_target(arm, arm_request(*nic_id), authorization));
  if (!nic) return;
  const auto subnets = parse_nic_subnets(*nic, error);
  if (!subnets) {
    reader.fail(ArmVnetStatus::bad_document, nic_what, error);
    return;
  }
  std::optional<std::string> vnet_id;
  for (const auto& subnet : *subnets) {
    if ((vnet_id = vnet_id_of_subnet(subnet))) break;
  }
  if (!vnet_id) {
    reader.fail(ArmVnetStatus::bad_document, nic_what,
                "its subnet " + quote(subnets->front()) + " is not a subnet of a virtual network");
    return;
  }

  out.names.emplace_back(last_segment(*vnet_id), "vnet");
  const auto vnet_what = "read virtual network " + last_segment(*vnet_id);
  const auto vnet = reader.get(ArmStep::vnet, vnet_what, get_target(arm, arm_request(*vnet_id), authorization));
  if (!vnet) return;
  auto ranges = parse_vnet(*vnet, error);
  if (!ranges) {
    reader.fail(ArmVnetStatus::bad_document, vnet_what, error);
    return;
  }

  out.status = ArmVnetStatus::ok;
  out.vnet_name = ranges->name.empty() ? last_segment(*vnet_id) : printable(ranges->name);
  out.address_space = std::move(ranges->address_space);
  out.peered = std::move(ranges->peered);
  out.warnings = std::move(ranges->warnings);
  out.names.emplace_back(out.vnet_name, "vnet");
  for (const auto& peer : out.peered) out.names.emplace_back(peer.remote_vnet, "vnet");
  out.detail = "virtual network " + out.vnet_name + ": " + std::to_string(out.address_space.size()) +
               (out.address_space.size() == 1 ? " range" : " ranges") + ", and " + std::to_string(out.peered.size()) +
               (out.peered.size() == 1 ? " range" : " ranges") + " of connected peerings";
}

}  // namespace

ArmVnetResult read_vnet_ranges(const DiscoverySettings& settings, const ImdsInfo& imds) {
  ArmVnetResult out;
  const auto started = Clock::now();
  const auto cloud = cloud_of_az_environment(imds.az_environment).value_or(settings.arm.cloud);
  const std::string base =
      settings.arm.base_url.empty() ? std::string(resource_manager_url(cloud)) : settings.arm.base_url;
  out.arm_url = base.ends_with('/') ? base.substr(0, base.size() - 1) : base;
  if (!imds.error.empty()) {
    out.detail = "the instance metadata is unusable: " + imds.error;
    return out;
  }
  if (imds.resource_id.empty()) {
    out.detail = "the instance metadata names no compute.resourceId";
    return out;
  }
  const auto identity = parse_http_url(settings.imds_base_url);
  if (!identity) {
    out.detail = settings.imds_base_url.empty() ? "no metadata URL is set"
                                                : quote(settings.imds_base_url) + " is not an http:// URL";
    return out;
  }
  const auto arm = parse_http_url(base);
  if (!arm || !arm->tls) {
    // The token would travel in clear over plain HTTP.
    out.detail = "the Resource Manager URL " + quote(base) + " is not an https:// URL";
    return out;
  }
  if (!is_arm_id_of(imds.resource_id, "virtualMachines")) {
    out.status = ArmVnetStatus::bad_document;
    out.detail = "the instance metadata's resourceId " + quote(imds.resource_id) + " is not a virtual machine ID";
    return out;
  }
  try {
    Reader reader(settings, out, started);
    read_steps(reader, settings, imds, *identity, *arm, cloud, out);
  } catch (const std::exception& e) {
    out.status = ArmVnetStatus::error;
    out.detail = std::string("reading the virtual network failed: ") + e.what();
  }
  out.ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  return out;
}

ArmVnetResult read_vnet_ranges(const DiscoverySettings& settings, const ImdsResult& imds) {
  if (imds.status != ImdsStatus::ok || !imds.info) {
    ArmVnetResult out;
    out.detail = "no instance metadata (" + std::string(to_string(imds.status)) +
                 (imds.detail.empty() ? "" : ": " + imds.detail) + "), so no managed identity to ask with";
    return out;
  }
  return read_vnet_ranges(settings, *imds.info);
}

ArmWorkspaceResult read_workspace(const DiscoverySettings& settings, Cloud cloud, std::string_view resource_id) {
  ArmWorkspaceResult out;
  const auto started = Clock::now();
  const std::string base =
      settings.arm.base_url.empty() ? std::string(resource_manager_url(cloud)) : settings.arm.base_url;
  const auto arm = parse_http_url(base);
  if (!arm || !arm->tls) {
    out.detail = "the Resource Manager URL " + quote(base) + " is not an https:// URL";  // a token never goes in clear
    return out;
  }
  if (!is_arm_id_of(resource_id, "workspaces")) {
    out.detail = quote(resource_id) + " is not a workspace resource ID";
    return out;
  }
  ArmVnetResult steps;
  try {
    Reader reader(settings, steps, started);
    if (const auto header = authorization(reader, settings, parse_http_url(settings.imds_base_url), cloud)) {
      const auto what = "read workspace " + last_segment(resource_id);
      const auto request = percent_encode(resource_id, /*path=*/true) + "?api-version=" + std::string(kWorkspaceApiVersion);
      if (auto body = reader.get(ArmStep::vm, what, get_target(*arm, request, *header))) {
        steps.status = ArmVnetStatus::ok;
        out.body = std::move(*body);
      }
    }
  } catch (const std::exception& e) {
    steps.status = ArmVnetStatus::error;
    steps.detail = std::string("reading the workspace failed: ") + e.what();
  }
  out.status = steps.status;
  out.detail = steps.detail;
  out.ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  return out;
}

}  // namespace vnetdiag
