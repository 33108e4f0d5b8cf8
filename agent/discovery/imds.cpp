#include "agent/discovery/imds.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include <nlohmann/json.hpp>

#include "agent/discovery/resolvers.hpp"
#include "agent/plan/config.hpp"
#include "probes/engine.hpp"

namespace vnetdiag {
namespace {

using nlohmann::json;

/// A metadata document is a few KiB; this leaves room for many interfaces and tags.
constexpr std::size_t kImdsBodyCap = 64 * 1024;
/// How much of an error body is quoted back ("Required metadata header not specified").
constexpr std::size_t kQuotedBody = 160;

/// The compute fields read, and where each goes.
struct ComputeField {
  const char* key;
  std::string ImdsInfo::*field;
};

constexpr ComputeField kComputeFields[] = {
    {"location", &ImdsInfo::location},          {"azEnvironment", &ImdsInfo::az_environment},
    {"vmId", &ImdsInfo::vm_id},                 {"vmSize", &ImdsInfo::vm_size},
    {"name", &ImdsInfo::name},                  {"zone", &ImdsInfo::zone},
    {"subscriptionId", &ImdsInfo::subscription_id}, {"resourceGroupName", &ImdsInfo::resource_group},
    {"resourceId", &ImdsInfo::resource_id},
};

/// IMDS writes every primitive as a string; a number is accepted too, anything else is a warning.
std::optional<std::string> text_of(const json& object, const char* key, const std::string& where,
                                   std::vector<std::string>& warnings) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  warnings.push_back(where + "." + key + " is not a string");
  return std::nullopt;
}

/// The array at `object[key]`, or an empty one.
const json& array_at(const json& object, const char* key) {
  static const json empty = json::array();
  if (!object.is_object()) return empty;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

const json& object_at(const json& object, const char* key) {
  static const json empty = json::object();
  if (!object.is_object()) return empty;
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : empty;
}

void add_unique(std::vector<std::string>& to, const std::string& value) {
  if (!value.empty() && std::ranges::find(to, value) == to.end()) to.push_back(value);
}

/// One address family of one interface: its addresses and its subnets.
void read_family(const json& family, const std::string& where, ImdsInfo& out) {
  for (const auto& address : array_at(family, "ipAddress")) {
    if (auto ip = text_of(address, "privateIpAddress", where + ".ipAddress[]", out.warnings)) {
      if (IpAddress::parse(*ip)) {
        add_unique(out.private_ips, *ip);
      } else if (!ip->empty()) {
        out.warnings.push_back(where + ": private address '" + *ip + "' is not an IP address");
      }
    }
    if (auto ip = text_of(address, "publicIpAddress", where + ".ipAddress[]", out.warnings); ip && IpAddress::parse(*ip))
      add_unique(out.public_ips, *ip);
  }
  for (const auto& subnet : array_at(family, "subnet")) {
    const auto address = text_of(subnet, "address", where + ".subnet[]", out.warnings);
    const auto prefix = text_of(subnet, "prefix", where + ".subnet[]", out.warnings);
    if (!address || !prefix || address->empty()) continue;
    const auto range = Cidr::parse(*address + "/" + *prefix);
    if (!range) {
      out.warnings.push_back(where + ": subnet '" + *address + "/" + *prefix + "' is not an address range");
    } else if (std::ranges::find(out.subnets, *range) == out.subnets.end()) {
      out.subnets.push_back(*range);
    }
  }
}

struct TcpPhrase {
  TcpStatus status;
  std::string_view phrase;
};

/// Why no connection was made, in the user's terms.
constexpr TcpPhrase kTcpPhrases[] = {
    {TcpStatus::refused, "connection refused: nothing listens there (not an Azure VM?)"},
    {TcpStatus::timeout, "no answer: packets are dropped (not an Azure VM, or no route to the metadata address)"},
    {TcpStatus::deadline, "no answer within the metadata timeout (not an Azure VM, or no route to the metadata address)"},
    {TcpStatus::host_unreachable, "host unreachable: no route to the metadata address"},
    {TcpStatus::network_unreachable, "network unreachable: no route to the metadata address"},
};

/// The first line of an error body, printable characters only.
std::string quote_body(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, std::min(body.find('\n'), kQuotedBody))) {
    if (c >= 0x20 && c < 0x7f) out.push_back(c);
  }
  return out;
}

std::string base_url_of(const std::string& base) {
  std::string out = base;
  while (out.ends_with('/')) out.pop_back();
  return out;
}

}  // namespace

std::string_view to_string(ImdsStatus status) {
  constexpr std::string_view kNames[] = {"ok", "not_asked", "unreachable", "no_response", "rejected", "bad_document", "error"};
  return kNames[static_cast<std::size_t>(status)];
}

ImdsInfo parse_imds(std::string_view text) {
  ImdsInfo out;
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    out.error = "not JSON";
    return out;
  }
  if (!doc.is_object() || (!doc.contains("compute") && !doc.contains("network"))) {
    out.error = "a JSON document without 'compute' or 'network': not instance metadata";
    return out;
  }
  const json& compute = object_at(doc, "compute");
  for (const auto& field : kComputeFields) {
    if (auto value = text_of(compute, field.key, "compute", out.warnings)) out.*field.field = *value;
  }
  int index = 0;
  for (const auto& nic : array_at(object_at(doc, "network"), "interface")) {
    const std::string where = "network.interface[" + std::to_string(index++) + "]";
    read_family(object_at(nic, "ipv4"), where + ".ipv4", out);
    read_family(object_at(nic, "ipv6"), where + ".ipv6", out);
  }
  return out;
}

std::optional<ProbeTarget> imds_target(const DiscoverySettings& settings) {
  const auto url = parse_http_url(settings.imds_base_url);
  if (!url) return std::nullopt;
  ProbeTarget target;
  target.host = url->host;
  target.port = url->port;
  target.tls = url->tls;
  target.http = HttpRequest{"GET", url->path + std::string(kImdsInstancePath), {{"Metadata", "true"}}};
  target.allow_proxy = false;  // facts §2.5: IMDS is never reached through a proxy
  return target;
}

ImdsResult judge_imds(const TargetResult& r, std::string url) {
  ImdsResult out;
  out.url = std::move(url);
  out.ms = r.ms;
  if (!r.internal_error.empty()) {
    out.status = ImdsStatus::error;
    out.detail = r.internal_error;
    return out;
  }
  if (r.http && r.http->status == HttpStatus::response) {
    const auto& http = *r.http;
    out.http_status = http.code;
    if (http.code != 200) {
      out.status = ImdsStatus::rejected;
      const auto body = quote_body(http.body_prefix);
      out.detail = "HTTP " + std::to_string(http.code) + (http.reason.empty() ? "" : " " + http.reason) +
                   (body.empty() ? "" : ": " + body);
      return out;
    }
    if (!http.body_complete) {
      out.status = ImdsStatus::bad_document;
      out.detail = "the document was cut off after " + std::to_string(http.body_prefix.size()) + " bytes";
      return out;
    }
    auto info = parse_imds(http.body_prefix);
    if (!info.error.empty()) {
      out.status = ImdsStatus::bad_document;
      out.detail = info.error;
      return out;
    }
    out.status = ImdsStatus::ok;
    out.info = std::move(info);
    return out;
  }
  if (r.http) {
    out.status = ImdsStatus::no_response;
    out.detail = "connected, then " + std::string(to_string(r.http->status)) +
                 (r.http->detail.empty() ? "" : ": " + r.http->detail);
    return out;
  }
  if (r.tls && r.tls->status != TlsStatus::ok) {
    out.status = ImdsStatus::no_response;
    out.detail = "TLS " + std::string(to_string(r.tls->status)) + (r.tls->detail.empty() ? "" : ": " + r.tls->detail);
    return out;
  }
  out.status = ImdsStatus::unreachable;
  if (r.tcp.empty()) {
    out.detail = r.deadline ? "no answer within the metadata timeout" : "the metadata host did not resolve";
    return out;
  }
  const auto& attempt = r.tcp.front();
  const auto* phrase = std::ranges::find(kTcpPhrases, attempt.status, &TcpPhrase::status);
  out.detail = phrase != std::end(kTcpPhrases) ? std::string(phrase->phrase)
                                               : std::string(to_string(attempt.status)) + ": " + attempt.detail;
  return out;
}

ImdsResult fetch_imds(const DiscoverySettings& settings) {
  ImdsResult out;
  if (settings.imds_base_url.empty()) {
    out.detail = "no metadata URL is set";
    return out;
  }
  out.url = base_url_of(settings.imds_base_url) + std::string(kImdsInstancePath);
  const auto target = imds_target(settings);
  if (!target) {
    out.detail = "'" + settings.imds_base_url + "' is not an http:// URL";
    return out;
  }
  EngineOptions options;
  options.hosts_file = settings.paths.hosts_file;
  // Only a base URL that names a host needs DNS; the real one is an IP literal.
  if (!is_ip_literal(target->host)) options.resolvers = discover_resolvers(settings.paths, "").resolvers;
  const auto budget = settings.imds_timeout;
  options.budgets = Budgets{budget, budget, budget, budget, budget, budget};
  options.concurrency = 1;
  options.body_cap = kImdsBodyCap;
  options.proxy.origin = "none";
  try {
    const auto run = run_probes({*target}, std::move(options));
    if (run.targets.empty()) {
      out.status = ImdsStatus::error;
      out.detail = "the engine returned no result";
      return out;
    }
    return judge_imds(run.targets.front(), out.url);
  } catch (const std::exception& e) {
    out.status = ImdsStatus::error;
    out.detail = e.what();
    return out;
  }
}

}  // namespace vnetdiag
