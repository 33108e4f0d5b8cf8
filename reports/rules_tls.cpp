// TLS rules: interception, validity, names, cut handshakes, and the limits a chain or a server can break
// (facts F10).
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

/// "host:port: status (detail)": for outcomes whose status says what happened.
Match status_of(const TargetResult& r) {
  const auto& t = *r.tls;
  return Match{"", {}, fmt::format("{}: {}{}", endpoint(r), to_string(t.status), t.detail.empty() ? "" : " (" + t.detail + ")")};
}

std::optional<Match> tls_cut(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t) return std::nullopt;
  using enum TlsStatus;
  if (t->status != reset && t->status != handshake_failed && t->status != handshake_timeout && t->status != not_tls)
    return std::nullopt;
  return status_of(v.result);
}

/// "host: <what>, <n> certificates up to <issuer>": the chain's shape, for the limits that are not about its issuer.
std::string chain_detail(const TargetResult& r, std::string_view what) {
  const auto& t = *r.tls;
  if (t.chain.empty()) return fmt::format("{}: {}", r.host, what);
  return fmt::format("{}: {}, {} certificate{} up to {}", r.host, what, t.chain.size(), t.chain.size() == 1 ? "" : "s",
                     top_issuer(t));
}

std::optional<Match> tls_status_is(const TargetView& v, TlsStatus status) {
  const auto& t = v.result.tls;
  if (!t || t->status != status) return std::nullopt;
  return Match{"", {}, chain_detail(v.result, t->detail.empty() ? to_string(status) : std::string_view(t->detail))};
}

std::optional<Match> tls_chain_too_long(const TargetView& v) { return tls_status_is(v, TlsStatus::chain_too_long); }
std::optional<Match> tls_weak_signature(const TargetView& v) { return tls_status_is(v, TlsStatus::weak_signature); }
std::optional<Match> tls_certificate_invalid(const TargetView& v) {
  return tls_status_is(v, TlsStatus::certificate_invalid);
}

std::optional<Match> tls_protocol_version(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || t->status != TlsStatus::protocol_version) return std::nullopt;
  return status_of(v.result);
}

std::optional<Match> tls_client_cert(const TargetView& v) {
  const auto& t = v.result.tls;
  if (!t || t->status != TlsStatus::client_cert_required) return std::nullopt;
  std::string who = t->chain.empty() ? std::string() : fmt::format(", certificate for {} from {}",
                                                                   common_name(t->chain.front().subject), top_issuer(*t));
  return Match{"", {}, fmt::format("{}{}: {}", endpoint(v.result), who, t->detail.empty() ? "client certificate required" : t->detail)};
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

    // Limits of the chain, not its issuer: never read as interception (the issuer is shown to judge by).
    // "10" is the probe's verify depth (probes/tls/tls_probe.cpp, kVerifyDepth).
    {.code = "VND-TLS-006", .level = error, .category = "tls", .check = "tls",
     .title = "Certificate chains too long to verify: {count} host{s}", .on_target = tls_chain_too_long,
     .evidence = "more than 10 intermediate certificates before a root, so verification stops: {details}",
     .fix = "Azure's endpoints send one or two intermediates. A chain this long comes from a device on the path "
            "that re-signs traffic with a misassembled chain, or from a misconfigured server: have it send only "
            "its certificate and the intermediates that issued it.",
     .doc_url = kDocTlsCertificates, .failure_modes = "F10"},

    {.code = "VND-TLS-007", .level = error, .category = "tls", .check = "tls",
     .title = "Certificates signed with a weak algorithm: {count} host{s}", .on_target = tls_weak_signature,
     .evidence = "a SHA-1 or MD5 signature, or a key too small, that current clients refuse: {details}",
     .fix = "Azure's certificates are signed with SHA-256. A weak signature comes from a device on the path that "
            "re-signs traffic with an old configuration, or from a misconfigured server: have its certificates "
            "reissued with SHA-256 and keys of at least 2048 bits (RSA) or 256 bits (EC), or exempt these hosts "
            "from it. OpenSSL 3 and the Python tools on the compute (pip, conda, the Azure ML SDK) refuse them.",
     .doc_url = kDocTlsCertificates, .failure_modes = "F10"},

    {.code = "VND-TLS-008", .level = error, .category = "tls", .check = "tls",
     .title = "No common TLS version with {count} host{s}", .on_target = tls_protocol_version,
     .evidence = "the server accepts no version from TLS 1.2 up: {details}",
     .fix = "Something answering for these hosts speaks only TLS 1.1 or older: an old proxy, load balancer or "
            "inspecting firewall, or an old server. Azure requires TLS 1.2 and current clients refuse older "
            "versions: upgrade or reconfigure that device, or exempt these hosts from it.",
     .doc_url = kDocTlsVersion, .failure_modes = "F10"},

    {.code = "VND-TLS-009", .level = error, .category = "tls", .check = "tls",
     .title = "A client certificate is demanded by {count} host{s}", .on_target = tls_client_cert,
     .evidence = "{details}",
     .fix = "Azure ML's endpoints do not ask clients for certificates. A proxy or firewall on the path demands "
            "mutual TLS (exempt these hosts, or give this machine the client certificate it expects), or the name "
            "leads to another service that does: check the DNS answer or hosts-file line for the name.",
     .doc_url = kDocFirewall, .failure_modes = "F05 F10"},

    {.code = "VND-TLS-010", .level = error, .category = "tls", .check = "tls",
     .title = "Certificates that fail verification on {count} host{s}", .on_target = tls_certificate_invalid,
     .evidence = "rejected for the reason shown, not for its issuer: {details}",
     .fix = "The certificate presented breaks a rule of certificate verification (its use, its constraints, its "
            "signature). It comes from a device on the path answering for the service, or from a misconfigured "
            "server: compare its issuer with the service's usual one, and have it reissued.",
     .doc_url = kDocFirewall, .failure_modes = "F10"},
};

}  // namespace

std::span<const Rule> tls_rules() { return kRows; }

}  // namespace vnetdiag
