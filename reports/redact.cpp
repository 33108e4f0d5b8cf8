#include "reports/redact.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "probes/net/address.hpp"
#include "reports/rules.hpp"

namespace vnetdiag {
namespace {

// ---------------------------------------------------------------------------------------------
// Every string of a report, once. Both passes use it, so a field added to the model and forgotten here
// is forgotten by both: the redaction test fills every field and checks the whole JSON.

template <class F>
void visit_headers(std::vector<std::pair<std::string, std::string>>& headers, F& f) {
  for (auto& [name, value] : headers) {
    f(name);
    f(value);
  }
}

template <class F>
void visit_addresses(std::vector<ResolvedAddress>& list, F& f) {
  for (auto& a : list) f(a.ip);
}

template <class F>
void visit_tcp(TcpAttempt& t, F& f) {
  f(t.address);
  f(t.detail);
}

template <class F>
void visit_target(TargetResult& r, F& f) {
  f(r.host);
  if (r.hosts) {
    f(r.hosts->file);
    visit_addresses(r.hosts->addresses, f);
  }
  for (auto& a : r.dns) {
    for (auto* s : {&a.resolver, &a.source, &a.detail, &a.rcode_a, &a.rcode_aaaa}) f(*s);
    for (auto& hop : a.cnames) {
      f(hop.owner);
      f(hop.target);
    }
    for (auto& name : a.chain) f(name);
    visit_addresses(a.addresses, f);
  }
  for (auto& t : r.tcp) visit_tcp(t, f);
  if (r.proxy) {
    for (auto* s : {&r.proxy->proxy, &r.proxy->reason, &r.proxy->detail}) f(*s);
    visit_tcp(r.proxy->tcp, f);
    visit_headers(r.proxy->headers, f);
  }
  if (r.tls) {
    for (auto* s : {&r.tls->detail, &r.tls->sni, &r.tls->protocol, &r.tls->cipher, &r.tls->alpn}) f(*s);
    for (auto& c : r.tls->chain) {
      for (auto* s : {&c.subject, &c.issuer, &c.not_before, &c.not_after, &c.serial, &c.sha256}) f(*s);
      for (auto& n : c.dns_names) f(n);
      for (auto& n : c.ip_addresses) f(n);
    }
    for (auto& i : r.tls->issues) f(i.text);
  }
  if (r.http) {
    for (auto* s : {&r.http->detail, &r.http->method, &r.http->target, &r.http->reason, &r.http->body_prefix}) f(*s);
    visit_headers(r.http->headers, f);
  }
  f(r.used_address);
  f(r.internal_error);
}

template <class F>
void visit_strings(Report& report, F&& f) {
  auto& m = report.metadata;
  for (auto* s : {&m.tool.name, &m.tool.version, &m.tool.commit, &m.run.started_at, &m.run.hostname, &m.run.user,
                  &m.run.command})
    f(*s);
  auto& w = m.workspace;
  for (auto* s : {&w.name, &w.workspace_id, &w.subscription_id, &w.resource_group, &w.tenant_id, &w.region, &w.cloud,
                  &w.storage_account, &w.key_vault, &w.acr, &w.app_insights})
    f(*s);
  for (auto& ci : w.compute_instances) f(ci);

  auto& e = report.env;
  for (auto& r : e.resolvers) {
    f(r.address);
    f(r.source);
  }
  f(e.azure_dns);
  for (auto& s : e.custom_dns) f(s);
  f(e.dns_stub);
  for (auto* list : {&e.dns_search, &e.dns_options})
    for (auto& s : *list) f(s);
  f(e.hosts_file);
  for (auto& h : e.hosts_overrides) {
    f(h.host);
    f(h.file);
    for (auto& a : h.addresses) f(a);
  }
  f(e.proxy.https_proxy);
  f(e.proxy.http_proxy);
  for (auto& s : e.proxy.no_proxy) f(s);
  for (auto& s : e.proxy.errors) f(s);
  f(e.proxy.origin);
  for (auto& v : e.proxy.variables)
    for (auto* s : {&v.name, &v.value}) f(*s);
  for (auto& i : e.interfaces)
    for (auto* s : {&i.name, &i.address}) f(*s);
  for (auto& b : e.docker_bridges)
    for (auto* s : {&b.bridge, &b.range}) f(*s);
  for (auto& d : e.docker_overlaps)
    for (auto* s : {&d.bridge, &d.range, &d.overlaps}) f(*s);
  for (auto* s : {&e.imds.status, &e.imds.detail, &e.imds.region, &e.imds.vm_name, &e.imds.vm_size, &e.imds.az_environment,
                  &e.imds.cloud})
    f(*s);
  for (auto* list : {&e.imds.private_ips, &e.imds.public_ips, &e.imds.subnets, &e.expected_issuers})
    for (auto& s : *list) f(s);
  for (auto& r : e.vnet_ranges)
    for (auto* s : {&r.range, &r.source}) f(*s);
  f(e.vnet_ranges_note);
  for (auto& u : e.unusable)
    for (auto* s : {&u.source, &u.problem}) f(*s);
  for (auto& n : e.notes)
    for (auto* s : {&n.topic, &n.text}) f(*s);

  for (auto& [c, t] : report.targets) {
    visit_target(t, f);
    for (auto* s : {&c.id, &c.service, &c.category, &c.privatelink_zone, &c.doc_url}) f(*s);
    for (auto& ip : c.expected_ips) f(ip);
  }
  for (auto& u : report.unchecked) {
    for (auto* s : {&u.context.id, &u.context.service, &u.context.category, &u.context.privatelink_zone,
                    &u.context.doc_url, &u.host, &u.reason})
      f(*s);
  }
  for (auto& finding : report.findings) {
    for (auto* s : {&finding.code, &finding.category, &finding.check, &finding.title, &finding.evidence, &finding.fix,
                    &finding.doc_url})
      f(*s);
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets.

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from) {
  if (needle.empty() || text.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= text.size(); ++i)
    if (iequals(text.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

bool ends_value(char c) {
  return c == '&' || c == '"' || c == '\'' || c == '<' || c == '>' || c == ',' || c == ';' ||
         std::isspace(static_cast<unsigned char>(c));
}

/// "scheme://user:password@host": the password becomes "***" (proxy URLs, URLs in bodies).
std::string mask_url_passwords(std::string text) {
  for (std::size_t at = text.find("://"); at != std::string::npos; at = text.find("://", at + 3)) {
    const std::size_t start = at + 3;
    std::size_t end = start;
    while (end < text.size() && text[end] != '/' && text[end] != '@' && !ends_value(text[end])) ++end;
    if (end >= text.size() || text[end] != '@') continue;
    const auto colon = text.find(':', start);
    if (colon == std::string::npos || colon >= end) continue;
    if (std::string_view(text).substr(colon + 1, end - colon - 1) == "***") continue;
    text.replace(colon + 1, end - colon - 1, "***");
  }
  return text;
}

/// SAS tokens authorise by their signature: "sig=..." is dropped wherever it appears.
std::string drop_signatures(std::string text) {
  for (std::size_t at = ifind(text, "sig=", 0); at != std::string::npos; at = ifind(text, "sig=", at + 4)) {
    if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;  // "xsig=" is another parameter
    const std::size_t start = at + 4;
    std::size_t end = start;
    while (end < text.size() && !ends_value(text[end])) ++end;
    if (std::string_view(text).substr(start, end - start) == "<removed>") continue;
    text.replace(start, end - start, "<removed>");
  }
  return text;
}

constexpr std::string_view kCredentialHeaders[] = {"authorization", "proxy-authorization", "cookie", "set-cookie"};

void drop_credential_headers(std::vector<std::pair<std::string, std::string>>& headers) {
  for (auto& [name, value] : headers)
    if (std::ranges::any_of(kCredentialHeaders, [&](std::string_view h) { return iequals(name, h); }))
      value = "<removed>";
}

// ---------------------------------------------------------------------------------------------
// Redaction.

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

bool hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

/// True when text[at..] is a GUID: 8-4-4-4-12 hex digits.
bool guid_at(std::string_view text, std::size_t at) {
  static constexpr std::size_t kGroups[] = {8, 4, 4, 4, 12};
  std::size_t i = at;
  for (std::size_t g = 0; g < 5; ++g) {
    for (std::size_t n = 0; n < kGroups[g]; ++n, ++i)
      if (i >= text.size() || !hex(text[i])) return false;
    if (g < 4) {
      if (i >= text.size() || text[i] != '-') return false;
      ++i;
    }
  }
  return true;
}

/// Accounts and host names every machine has identify nobody, and "root" would also hit "DigiCert Global Root G2".
bool generic_name(std::string_view value) {
  static constexpr std::string_view kGeneric[] = {"root", "azureuser", "ubuntu", "admin", "user", "localhost"};
  return std::ranges::any_of(kGeneric, [&](std::string_view g) { return iequals(g, value); });
}

class Redactor {
 public:
  explicit Redactor(const Report& report) {
    const auto& w = report.metadata.workspace;
    add(w.subscription_id, "subscription");
    add(w.tenant_id, "tenant");
    add(w.workspace_id, "workspace-id");
    add(w.name, "workspace");
    add(w.resource_group, "resource-group");
    add(w.storage_account, "storage");
    add(w.key_vault, "keyvault");
    add(w.acr, "acr");
    add(w.app_insights, "appinsights");
    for (const auto& ci : w.compute_instances) add(ci, "compute");
    add(report.metadata.run.hostname, "host");
    add(report.metadata.run.user, "user");
    add(report.env.imds.vm_name, "vm");
    for (const auto& ip : report.env.imds.public_ips) add(ip, "egress-ip");
    // An interface holding a public address (a machine outside Azure) names this machine as well.
    for (const auto& i : report.env.interfaces)
      if (const auto ip = IpAddress::parse(i.address); ip && classify(*ip) == AddressClass::public_ip)
        add(i.address, "egress-ip");
    add_proxy_user(report.env.proxy.https_proxy);
    add_proxy_user(report.env.proxy.http_proxy);
    for (const auto& [context, t] : report.targets) {
      if (t.http) add(reported_egress_ip(*t.http), "egress-ip");
      if (t.proxy) add_proxy_user(t.proxy->proxy);
    }
    // By structure: the names each host was built from, in the form the host uses (the notebooks host's
    // "ml-<name, truncated>-<region>-<GUID>"), not only as the inputs spell them.
    for (const auto& [context, t] : report.targets)
      for (const auto& [value, kind] : context.identifying) add(value, kind);
    for (const auto& u : report.unchecked)
      for (const auto& [value, kind] : u.context.identifying) add(value, kind);
    for (const auto& [value, kind] : report.env.resource_names) add(value, kind);
    // Longest first, so that "ws-prod" is replaced before "ws" could cut it in two.
    std::ranges::stable_sort(values_, std::greater{}, [](const Value& v) { return v.text.size(); });
  }

  std::string operator()(std::string text) {
    for (const auto& v : values_) text = replace_all(std::move(text), v);
    return replace_guids(std::move(text));
  }

 private:
  struct Value {
    std::string text;
    std::string placeholder;
    bool ip = false;
  };

  void add(const std::string& value, std::string_view kind) {
    // Shorter values are too likely to be ordinary words of the report.
    if (value.size() < 3 || value.starts_with('<')) return;
    if ((kind == "user" || kind == "host") && generic_name(value)) return;
    if (std::ranges::any_of(values_, [&](const Value& v) { return iequals(v.text, value); })) return;
    const bool ip = kind == "egress-ip";
    values_.push_back({value, placeholder(value, kind), ip});
  }

  std::string placeholder(const std::string& value, std::string_view kind) {
    std::string key = value;
    std::ranges::transform(key, key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto [it, inserted] = assigned_.try_emplace(key);
    if (inserted) it->second = fmt::format("<{}-{}>", kind, ++counts_[std::string(kind)]);
    return it->second;
  }

  /// "user@" of "http://user:***@proxy:3128".
  void add_proxy_user(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string::npos ? 0 : scheme + 3;
    const auto at = url.find('@', start);
    if (at == std::string::npos) return;
    auto user = url.substr(start, at - start);
    if (auto colon = user.find(':'); colon != std::string::npos) user.resize(colon);
    if (!user.empty() && user != "***") add(user, "user");
  }

  static bool bounded(std::string_view text, std::size_t at, std::size_t length, bool ip) {
    const char before = at > 0 ? text[at - 1] : ' ';
    const char after = at + length < text.size() ? text[at + length] : ' ';
    if (ip) {
      const bool digit_after = std::isdigit(static_cast<unsigned char>(after)) ||
                               (after == '.' && at + length + 1 < text.size() &&
                                std::isdigit(static_cast<unsigned char>(text[at + length + 1])));
      return !std::isdigit(static_cast<unsigned char>(before)) && before != '.' && !digit_after;
    }
    return !name_char(before) && !name_char(after);
  }

  static std::string replace_all(std::string text, const Value& v) {
    for (std::size_t at = ifind(text, v.text, 0); at != std::string::npos; at = ifind(text, v.text, at)) {
      if (bounded(text, at, v.text.size(), v.ip)) {
        text.replace(at, v.text.size(), v.placeholder);
        at += v.placeholder.size();
      } else {
        at += 1;
      }
    }
    return text;
  }

  std::string replace_guids(std::string text) {
    for (std::size_t at = 0; at + 36 <= text.size(); ++at) {
      if ((at > 0 && hex(text[at - 1])) || !guid_at(text, at)) continue;
      const std::string p = placeholder(text.substr(at, 36), "id");
      text.replace(at, 36, p);
      at += p.size() - 1;
    }
    return text;
  }

  std::vector<Value> values_;
  std::map<std::string, std::string> assigned_;  ///< lowercase value → placeholder
  std::map<std::string, int> counts_;            ///< per kind
};

}  // namespace

std::string without_secrets(std::string_view text) { return drop_signatures(mask_url_passwords(std::string(text))); }

void remove_secrets(Report& report) {
  for (auto& [context, t] : report.targets) {
    if (t.http) drop_credential_headers(t.http->headers);
    if (t.proxy) drop_credential_headers(t.proxy->headers);
  }
  visit_strings(report, [](std::string& s) {
    if (s.find("://") != std::string::npos || ifind(s, "sig=", 0) != std::string::npos) s = without_secrets(s);
  });
}

Report redact(Report report) {
  remove_secrets(report);
  Redactor redactor(report);
  // Names too short to replace inside other text ("vm", "ml") are still replaced where they are the whole value.
  auto& run = report.metadata.run;
  const std::string host = run.hostname, user = run.user;
  visit_strings(report, [&](std::string& s) { s = redactor(std::move(s)); });
  if (!host.empty() && run.hostname == host && !generic_name(host)) run.hostname = "<host-1>";
  if (!user.empty() && run.user == user && !generic_name(user)) run.user = "<user-1>";
  report.redacted = true;
  for (auto& [context, t] : report.targets) context.identifying.clear();
  for (auto& u : report.unchecked) u.context.identifying.clear();
  report.env.resource_names.clear();
  return report;
}

}  // namespace vnetdiag
