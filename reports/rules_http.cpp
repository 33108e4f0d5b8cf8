// HTTP rules: the service-aware answers (storage, Key Vault and ACR firewalls) and unexpected statuses.
#include <fmt/format.h>

#include <algorithm>

#include "reports/doc_links.hpp"
#include "reports/rules_common.hpp"
#include "probes/net/address.hpp"

namespace vnetdiag {
namespace {

using namespace rule_facts;

bool forbidden(const TargetView& v) {
  return v.result.http && v.result.http->status == HttpStatus::response && v.result.http->code == 403;
}

std::string egress_note(const HttpEvidence& h) {
  const std::string ip = reported_egress_ip(h);
  return ip.empty() ? std::string() : "; the service saw this machine as " + ip;
}

std::optional<Match> storage_firewall(const TargetView& v) {
  if (!forbidden(v)) return std::nullopt;
  const auto& h = *v.result.http;
  const std::string code = header(h.headers, "x-ms-error-code");
  if (lower(code) != "authorizationfailure" && !icontains(h.body_prefix, "AuthorizationFailure")) return std::nullopt;
  return Match{"", {}, fmt::format("{}: 403 AuthorizationFailure", endpoint(v.result))};
}

std::optional<Match> key_vault_firewall(const TargetView& v) {
  if (!forbidden(v)) return std::nullopt;
  const auto& h = *v.result.http;
  const bool firewall = icontains(h.body_prefix, "ForbiddenByFirewall");
  const bool connection = icontains(h.body_prefix, "ForbiddenByConnection");
  if (!firewall && !connection) return std::nullopt;
  return Match{"", {}, fmt::format("{}: 403 {}{}", endpoint(v.result), firewall ? "ForbiddenByFirewall" : "ForbiddenByConnection",
                                   egress_note(h))};
}

std::optional<Match> registry_firewall(const TargetView& v) {
  if (!forbidden(v)) return std::nullopt;
  const auto& h = *v.result.http;
  if (!icontains(h.body_prefix, "DENIED") && !icontains(h.body_prefix, "not allowed access")) return std::nullopt;
  return Match{"", {}, fmt::format("{}: 403 DENIED{}", endpoint(v.result), egress_note(h))};
}

std::optional<Match> key_vault_public_path(const TargetView& v) {
  const auto& h = v.result.http;
  if (!expected_private(v) || !h || h->status != HttpStatus::response) return std::nullopt;
  const std::string info = header(h->headers, "x-ms-keyvault-network-info");
  const std::string ip = reported_egress_ip(*h);
  if (info.empty() || ip.empty()) return std::nullopt;
  const auto parsed = IpAddress::parse(ip);
  if (!parsed || classify(*parsed) != AddressClass::public_ip) return std::nullopt;
  return Match{"", {{"egress_ip", ip}}, fmt::format("{}: x-ms-keyvault-network-info addr={}", v.result.host, ip)};
}

std::optional<Match> unexpected_status(const TargetView& v) {
  if (http_acceptable(v)) return std::nullopt;
  const auto& h = *v.result.http;
  return Match{"", {}, fmt::format("{}: HTTP {} {}, expected {}", endpoint(v.result), h.code, h.reason,
                                   fmt::join(v.context.reachable_statuses, " or "))};
}

std::optional<Match> no_http_answer(const TargetView& v) {
  const auto& h = v.result.http;
  using enum HttpStatus;
  if (!h || (h->status != timeout && h->status != closed && h->status != bad_response && h->status != error))
    return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}{}", endpoint(v.result), to_string(h->status), h->detail.empty() ? "" : " (" + h->detail + ")")};
}

using enum Level;

constexpr Rule kRows[] = {

    // F11.
    {.code = "VND-STO-001", .level = error, .category = "storageAccount", .check = "http",
     .title = "The storage account's firewall denies this machine", .on_target = storage_firewall,
     .evidence = "{details}",
     .fix = "Reach the storage account through its private endpoint (its name must resolve privately here), or "
            "allow this subnet in the storage firewall; also allow the workspace as a resource instance or trusted "
            "service.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F11"},

    // F14, F15.
    {.code = "VND-KV-001", .level = error, .category = "keyVault", .check = "http",
     .title = "The key vault's firewall denies this machine", .on_target = key_vault_firewall,
     .evidence = "{details}",
     .fix = "Reach the vault through its private endpoint (link privatelink.vaultcore.azure.net to this VNet, or "
            "forward vault.azure.net to 168.63.129.16), or allow this subnet in the vault's firewall; keep trusted "
            "services allowed.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F14 F15"},

    // F16.
    {.code = "VND-ACR-001", .level = error, .category = "containerRegistry", .check = "http",
     .title = "The container registry's firewall denies this machine", .on_target = registry_firewall,
     .evidence = "{details}",
     .fix = "Give the registry a private endpoint in this VNet and resolve its name privately (privatelink.azurecr.io), "
            "or allow this egress address in the registry firewall.",
     .doc_url = kDocAcrPrivate, .failure_modes = "F16"},

    // F14 (INFERENCE in facts §5): the vault answers, but sees a public source address.
    {.code = "VND-KV-002", .level = warning, .category = "keyVault", .check = "http",
     .title = "The key vault sees this machine at public address {egress_ip}", .on_target = key_vault_public_path,
     .evidence = "a private endpoint is expected, but the request arrived over a public path: {details}",
     .fix = "Traffic to the vault leaves through a public address (a proxy, or a route through a firewall with SNAT "
            "to the internet): send it to the vault's private endpoint instead.",
     .doc_url = kDocSecureWorkspace, .failure_modes = "F14"},

    {.code = "VND-HTTP-001", .level = warning, .category = "", .check = "http",
     .title = "{count} host{s} answered with an unexpected HTTP status", .on_target = unexpected_status,
     .evidence = "{details}",
     .fix = "The path works up to a server, but not the one expected or not as expected: a proxy, firewall or "
            "captive portal may answer in the service's place, or the service denies this client. The JSON report "
            "has the response headers and body.",
     .doc_url = "", .failure_modes = "F01 F13"},

    {.code = "VND-HTTP-002", .level = warning, .category = "", .check = "http",
     .title = "No HTTP answer from {count} host{s} after the TLS handshake", .on_target = no_http_answer,
     .evidence = "{details}",
     .fix = "Something on the path accepts the TLS session, then stalls or drops the request: an inspecting "
            "firewall or proxy. Check its logs for these hosts.",
     .doc_url = kDocFirewall, .failure_modes = "F10 F30"},
};

}  // namespace

std::span<const Rule> http_rules() { return kRows; }

}  // namespace vnetdiag
