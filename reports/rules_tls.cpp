// TLS rules: interception, validity, names and cut handshakes (facts F10).
#include <fmt/format.h>

#include <algorithm>

#include "reports/doc_links.hpp"
#include "reports/rules_common.hpp"

namespace vnetdiag {
namespace {

using namespace rule_facts;

std::optional<Match> tls_untrusted(const TargetView& v) {
  if (!v.result.tls || v.result.tls->status != TlsStatus::untrusted_issuer) return std::nullopt;
  const std::string issuer = top_issuer(*v.result.tls);
  return Match{issuer,
               {{"issuer", common_name(issuer)}, {"consequences", interception_consequence(v)}},
               fmt::format("{} issued by {}", v.result.host, issuer)};
}

std::optional<Match> tls_inspected_but_trusted(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || t->status != TlsStatus::ok || t->chain.empty() || !is_azure_host(v.result.host)) return std::nullopt;
  if (issued_as_expected(*t, v.env)) return std::nullopt;
  const std::string issuer = top_issuer(*t);
  return Match{issuer, {{"issuer", common_name(issuer)}}, fmt::format("{} issued by {}", v.result.host, issuer)};
}

std::optional<Match> tls_validity(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || (t->status != TlsStatus::expired && t->status != TlsStatus::not_yet_valid)) return std::nullopt;
  if (clock_skewed(v.env)) return std::nullopt;  // the clock explains it: see the clock finding
  std::string when;
  if (!t->chain.empty()) when = fmt::format(", valid {} to {}", t->chain.front().not_before, t->chain.front().not_after);
  return Match{"", {}, fmt::format("{}: {}{}", v.result.host, to_string(t->status), when)};
}

std::optional<Match> tls_name_mismatch(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || t->status != TlsStatus::hostname_mismatch) return std::nullopt;
  std::string names = t->chain.empty() ? std::string("no certificate") : fmt::format("{}", fmt::join(t->chain.front().dns_names, " "));
  return Match{"", {}, fmt::format("{} at {}: certificate for {}", v.result.host,
                                   v.result.used_address.empty() ? std::string("the proxy's peer") : v.result.used_address, names)};
}

std::optional<Match> tls_cut(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t) return std::nullopt;
  using enum TlsStatus;
  if (t->status != reset && t->status != handshake_failed && t->status != handshake_timeout && t->status != not_tls)
    return std::nullopt;
  return Match{"", {}, fmt::format("{}: {}{}", endpoint(v.result), to_string(t->status), t->detail.empty() ? "" : " (" + t->detail + ")")};
}

using enum Level;

constexpr Rule kRows[] = {

    // F10: an untrusted chain, almost always TLS inspection.
    {.code = "VND-TLS-001", .level = error, .category = "tls", .check = "tls",
     .title = "TLS is intercepted by {issuer} for {count} host{s}", .on_target = tls_untrusted,
     .evidence = "the chain ends at an issuer this machine does not trust: {details}. Consequences: {consequences}.",
     .fix = "Exempt these hosts from TLS inspection on the firewall or proxy (\"bypass HTTPS inspection\"), or trust "
            "the inspecting CA everywhere: the system store (update-ca-certificates), pip (PIP_CERT or "
            "REQUESTS_CA_BUNDLE), conda (conda config --set ssl_verify <bundle>), the az CLI and the Azure ML SDK "
            "(REQUESTS_CA_BUNDLE).",
     .doc_url = kDocFirewall, .failure_modes = "F10"},

    // F10, the quiet form: this machine trusts the inspecting CA, the tools with their own bundles do not.
    {.code = "VND-TLS-002", .level = warning, .category = "tls", .check = "tls",
     .title = "TLS to Azure hosts is inspected by {issuer}", .on_target = tls_inspected_but_trusted,
     .evidence = "not a Microsoft or DigiCert certificate, though this machine trusts it: {details}",
     .fix = "Tools with their own CA bundles fail here: pip and the Azure ML SDK (certifi), conda, the az CLI, and "
            "dataset access (rslex ignores custom bundles). Exempt Azure hosts from inspection, or point "
            "REQUESTS_CA_BUNDLE, PIP_CERT and conda's ssl_verify at a bundle holding this CA.",
     .doc_url = kDocFirewall, .failure_modes = "F10", .also = true},

    {.code = "VND-TLS-003", .level = error, .category = "tls", .check = "tls",
     .title = "Expired or not yet valid certificates on {count} host{s}", .on_target = tls_validity,
     .evidence = "{details}",
     .fix = "A device on the path (an inspecting firewall or proxy) presents an out-of-date certificate, or the "
            "server's own certificate lapsed: renew it, or exempt these hosts from inspection.",
     .doc_url = kDocFirewall, .failure_modes = "F10"},

    {.code = "VND-TLS-004", .level = error, .category = "tls", .check = "tls",
     .title = "Certificates that do not cover the host name: {count} host{s}", .on_target = tls_name_mismatch,
     .evidence = "{details}",
     .fix = "The address reached is not the service named: check that the DNS answer or hosts line points at this "
            "service's private endpoint and not another resource's, and that no proxy or firewall answers in its place.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F05 F10"},

    {.code = "VND-TLS-005", .level = error, .category = "tls", .check = "tls",
     .title = "TLS handshake with {count} host{s} fails after TCP connects", .on_target = tls_cut,
     .evidence = "{details}",
     .fix = "TCP is allowed but the TLS session is cut: a firewall filtering by server name (add an application "
            "rule for these FQDNs), a device answering in the service's place, or a path MTU problem (the handshake "
            "stalls after the ClientHello).",
     .doc_url = kDocFirewall, .failure_modes = "F10 F20 F24"},
};

}  // namespace

std::span<const Rule> tls_rules() { return kRows; }

}  // namespace vnetdiag
