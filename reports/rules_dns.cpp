// DNS rules: hosts pins, custom resolvers against Azure DNS, private link zones and records (facts §2).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "reports/doc_links.hpp"
#include "reports/rules_common.hpp"

namespace vnetdiag {
namespace {

using namespace rule_facts;

std::optional<Match> hosts_pin_wrong(const TargetView& v) {
  const auto& pin = v.result.hosts;
  if (!pin || pin->addresses.empty()) return std::nullopt;
  const auto pinned = [&](const std::string& ip) {
    return std::ranges::any_of(pin->addresses, [&](const ResolvedAddress& a) { return a.ip == ip; });
  };
  std::string why;
  if (expected_private(v) && !all_private(pin->addresses)) {
    why = "a private endpoint is expected";
  } else if (!v.context.expected_ips.empty() && std::ranges::none_of(v.context.expected_ips, pinned)) {
    why = "the private endpoint is " + fmt::format("{}", fmt::join(v.context.expected_ips, " "));
  } else {
    // A pin that disagrees with DNS goes stale when the endpoint moves (facts §2.4, F05).
    const DnsAnswer* reference = ok(v.azure) ? v.azure : ok(v.client) ? v.client : nullptr;
    if (reference && all_private(reference->addresses) &&
        std::ranges::none_of(reference->addresses, [&](const ResolvedAddress& a) { return pinned(a.ip); }))
      why = fmt::format("DNS ({}) answers {}", reference->source.empty() ? reference->resolver : reference->source,
                        ips(reference->addresses));
  }
  if (why.empty() && works(v)) return std::nullopt;
  if (why.empty()) why = "the target fails at that address";
  return Match{pin->file,
               {{"file", pin->file}},
               fmt::format("{} pinned to {}; {}", v.result.host, ips(pin->addresses), why)};
}

std::optional<Match> custom_dns_not_forwarding(const TargetView& v) {
  if (!v.client || !ok(v.azure) || v.client == v.azure || !all_private(v.azure->addresses)) return std::nullopt;
  if (!missing(v.client) && !(ok(v.client) && !all_private(v.client->addresses))) return std::nullopt;
  const std::string zone = public_zone(privatelink_zone(v.azure, v.context));
  return Match{v.client->resolver,
               {{"resolver", resolver_label(*v.client)}, {"zones", zone.empty() ? v.result.host : zone}},
               fmt::format("{} → {}, Azure DNS → {}", v.result.host, said(*v.client), ips(v.azure->addresses))};
}

std::optional<Match> custom_dns_stale_copy(const TargetView& v) {
  if (!ok(v.client) || !ok(v.azure) || v.client == v.azure) return std::nullopt;
  if (!all_private(v.client->addresses) || !all_private(v.azure->addresses)) return std::nullopt;
  const bool shared_ip = std::ranges::any_of(v.client->addresses, [&](const ResolvedAddress& a) {
    return std::ranges::any_of(v.azure->addresses, [&](const ResolvedAddress& b) { return a.ip == b.ip; });
  });
  if (shared_ip) return std::nullopt;
  return Match{v.client->resolver,
               {{"resolver", resolver_label(*v.client)}},
               fmt::format("{} → {}, Azure DNS → {}", v.result.host, ips(v.client->addresses), ips(v.azure->addresses))};
}

std::optional<Match> client_resolvers_disagree(const TargetView& v) {
  auto kind = [](const DnsAnswer* a) -> std::string_view {
    if (ok(a)) return all_private(a->addresses) ? "private" : "public";
    if (missing(a)) return "missing";
    return "";
  };
  const DnsAnswer* first = nullptr;
  for (const DnsAnswer* a : v.clients) {
    if (kind(a).empty()) continue;
    if (!first) {
      first = a;
    } else if (kind(a) != kind(first)) {
      return Match{first->resolver + " " + a->resolver,
                   {{"resolvers", fmt::format("{} and {}", first->resolver, a->resolver)}},
                   fmt::format("{}: {} → {}, {} → {}", v.result.host, first->resolver, said(*first), a->resolver, said(*a))};
    }
  }
  return std::nullopt;
}

std::optional<Match> public_behind_privatelink(const TargetView& v) {
  if (!expected_private(v) || !ok(v.client) || all_private(v.client->addresses)) return std::nullopt;
  if (!through_privatelink(*v.client, v.context)) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  return Match{zone,
               {{"zone", zone}, {"public_zone", public_zone(zone)}},
               fmt::format("{} → {}", v.result.host, ips_with_class(v.client->addresses))};
}

std::optional<Match> public_without_privatelink(const TargetView& v) {
  if (!expected_private(v) || !ok(v.client) || all_private(v.client->addresses)) return std::nullopt;
  return Match{"",
               {{"services", v.context.service.empty() ? v.result.host : v.context.service}},
               fmt::format("{} → {}", v.result.host, ips_with_class(v.client->addresses))};
}

std::optional<Match> privatelink_record_missing(const TargetView& v) {
  if (!expected_private(v) || !missing(v.client) || !through_privatelink(*v.client, v.context)) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  const std::string last = v.client->chain.empty() ? v.result.host : v.client->chain.back();
  return Match{zone, {{"zone", zone}, {"names", last}}, fmt::format("{} → {} ({})", v.result.host, last, said(*v.client))};
}

std::optional<Match> linked_zone_hides_resource(const TargetView& v) {
  if (expected_private(v) || !missing(v.client) || !through_privatelink(*v.client, v.context)) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  const std::string last = v.client->chain.empty() ? v.result.host : v.client->chain.back();
  return Match{zone, {{"zone", zone}, {"names", last}}, fmt::format("{} → {} ({})", v.result.host, last, said(*v.client))};
}

std::optional<Match> wrong_private_ip(const TargetView& v) {
  if (v.context.expected_ips.empty() || !ok(v.client) || v.result.hosts) return std::nullopt;
  const bool expected = std::ranges::any_of(v.client->addresses, [&](const ResolvedAddress& a) {
    return std::ranges::find(v.context.expected_ips, a.ip) != v.context.expected_ips.end();
  });
  if (expected) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  return Match{zone,
               {{"zone", zone.empty() ? std::string("its DNS zone") : zone}},
               fmt::format("{} → {}, expected {}", v.result.host, ips(v.client->addresses),
                           fmt::join(v.context.expected_ips, " "))};
}

std::optional<Match> outside_vnet(const TargetView& v) {
  // Only ranges known to be the VNet's (config, flags, Azure Resource Manager) can place an address
  // outside it: this machine's subnet alone says nothing about where the private endpoints live.
  if (!expected_private(v) || !v.context.expected_ips.empty() || v.env.vnet_ranges.empty() || v.result.hosts)
    return std::nullopt;
  if (!ok(v.client) || !all_private(v.client->addresses)) return std::nullopt;
  if (std::ranges::any_of(v.client->addresses, [](const ResolvedAddress& a) { return a.in_vnet; })) return std::nullopt;
  // A private address that answers works wherever it lives; one that does not is the path rule's Error.
  if (!std::ranges::any_of(v.result.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::connected; }))
    return std::nullopt;
  return Match{"",
               {{"vnet", fmt::format("{}", fmt::join(vnet_cidrs(v.env), " "))}},
               fmt::format("{} → {}", v.result.host, ips(v.client->addresses))};
}

std::optional<Match> zone_not_linked(const TargetView& v) {
  // Azure DNS answers from the private zones linked to the VNet it is asked from: when it too follows the
  // privatelink alias to a public address, no forwarder can help; the zone (or its link) is missing.
  if (!expected_private(v) || !ok(v.client) || all_private(v.client->addresses)) return std::nullopt;
  if (!through_privatelink(*v.client, v.context)) return std::nullopt;
  const bool azure_public = v.azure == v.client || (ok(v.azure) && !all_private(v.azure->addresses));
  if (!azure_public) return std::nullopt;
  const std::string zone = privatelink_zone(v.client, v.context);
  std::string detail = fmt::format("{} → {}", v.result.host, ips_with_class(v.client->addresses));
  if (v.azure && v.azure != v.client) detail += fmt::format(", Azure DNS → {}", ips_with_class(v.azure->addresses));
  return Match{zone, {{"zone", zone}}, detail};
}

std::optional<Match> resolver_fails(const TargetView& v) {
  // Through a proxy the client does not resolve the name; without a client resolver there is nothing to blame.
  if (v.result.route != Route::direct || v.result.hosts || v.client || v.clients.empty()) return std::nullopt;
  std::string resolvers, detail;
  for (const DnsAnswer* a : v.clients) {
    if (a->status == DnsStatus::deadline) return std::nullopt;
    resolvers += (resolvers.empty() ? "" : " ") + a->resolver;
    detail += fmt::format("{}{} {}", detail.empty() ? "" : ", ", a->resolver, to_string(a->status));
  }
  return Match{resolvers, {{"resolver", resolvers}}, fmt::format("{}: {}", v.result.host, detail)};
}

std::optional<Match> name_missing(const TargetView& v) {
  if (v.result.route != Route::direct || v.result.hosts || !missing(v.client)) return std::nullopt;
  return Match{"", {{"resolver", resolver_label(*v.client)}}, fmt::format("{} → {}", v.result.host, said(*v.client))};
}


/// The client resolvers that gave no answer at all (timeouts, unreachable) to any name they were asked.
std::optional<Match> silent_resolvers(const RunView& v) {
  auto silent = [](DnsStatus s) { return s == DnsStatus::timeout || s == DnsStatus::server_unreachable; };
  std::vector<const ResolverFact*> client_resolvers;
  for (const auto& r : v.env.resolvers)
    if (r.used_by_clients) client_resolvers.push_back(&r);
  Match m;
  std::vector<std::string> names;
  bool first_silent = false;
  for (std::size_t n = 0; n < client_resolvers.size(); ++n) {
    const auto& resolver = *client_resolvers[n];
    std::size_t asked = 0, unanswered = 0;
    std::string how;
    for (const auto& t : v.targets)
      for (const auto& a : t.result.dns) {
        if (!same_server(a.resolver, resolver.address)) continue;
        ++asked;
        if (silent(a.status)) {
          ++unanswered;
          how = std::string(to_string(a.status));
        }
      }
    if (asked == 0 || unanswered != asked) continue;
    if (n == 0) first_silent = true;
    names.push_back(resolver.address);
    m.values.push_back({"resolver", fmt::format("{} ({})", resolver.address, resolver.source)});
    m.detail += fmt::format("{}{} gave no answer to any of {} name{} ({})", m.detail.empty() ? "" : "; ", resolver.address,
                            asked, asked == 1 ? "" : "s", how);
  }
  if (names.empty()) return std::nullopt;
  // What still answered, so the reader sees the server is the fault and not the names.
  std::size_t rescued = 0, azure_answered = 0, lost = 0;
  for (std::size_t i = 0; i < v.targets.size(); ++i) {
    const auto& t = v.targets[i].result;
    if (t.dns.empty() || t.route != Route::direct || t.hosts) continue;
    if (i < v.client_answers.size() && v.client_answers[i]) {
      ++rescued;
    } else {
      ++lost;
      // Names that no client resolver answered are this finding's; nothing else is said of them.
      m.targets.push_back(i);
    }
    if (std::ranges::any_of(t.dns, [&](const DnsAnswer& a) {
          return is_azure_dns(a, v.env) && (a.status == DnsStatus::ok || a.status == DnsStatus::nxdomain);
        }))
      ++azure_answered;
  }
  if (rescued > 0) m.detail += fmt::format("; the next server answered {} of them, after the client's timeout", rescued);
  if (azure_answered > 0) m.detail += fmt::format("; Azure DNS answered {}", azure_answered);
  m.claims = true;
  m.key = fmt::format("{}", fmt::join(names, " "));
  // Clients ask the first server first: when it is silent, every lookup waits for its timeout, and fails
  // when no other server answers. A silent later server only matters when the first one fails.
  m.level = first_silent || lost > 0 ? Level::error : Level::warning;
  return m;
}
/// resolv.conf options that change which server answers or which name is asked (resolv.conf(5)).
struct ResolverOption {
  std::string_view name;
  std::string_view effect;
};

constexpr ResolverOption kResolverOptions[] = {
    {"rotate", "queries are spread over all servers, so one server that answers differently fails a share of lookups at random"},
    {"use-vc", "every query goes over TCP, so TCP 53 must be open to each server"},
    {"inet6", "deprecated: IPv6 answers are preferred"},
};

/// Catalog hosts by their number of dots, to name one a high ndots sends through the search list first.
constexpr std::pair<std::string_view, int> kNdotsExamples[] = {
    {"contoso.blob.core.windows.net", 4}, {"eastus.api.azureml.ms", 3}, {"management.azure.com", 2}, {"pypi.org", 1}};

std::optional<Match> resolver_options(const RunView& v) {
  Match m;
  std::vector<std::string> names;
  for (const auto& option : v.env.dns_options) {
    const auto name = std::string_view(option).substr(0, option.find(':'));
    if (const auto* known = std::ranges::find(kResolverOptions, name, &ResolverOption::name); known != std::end(kResolverOptions)) {
      m.detail += fmt::format("{}{}: {}", m.detail.empty() ? "" : "; ", option, known->effect);
      names.push_back(option);
      continue;
    }
    // glibc's default is ndots:1, under which every catalog host is asked as written first. A higher value
    // (Kubernetes uses 5) sends shorter names through the search list first: extra queries, and a wrong
    // answer where a search domain has a wildcard record.
    int ndots = 0;
    if (name != "ndots" || v.env.dns_search.empty() ||
        std::from_chars(option.data() + 6, option.data() + option.size(), ndots).ec != std::errc{} || ndots <= 1)
      continue;
    const auto example = std::ranges::find_if(kNdotsExamples, [&](const auto& e) { return e.second < ndots; });
    m.detail += fmt::format("{}{} with search domains: {} is first asked as {}.{}", m.detail.empty() ? "" : "; ", option,
                            example->first, example->first, v.env.dns_search.front());
    names.push_back(option);
  }
  if (names.empty()) return std::nullopt;
  m.values = {{"options", fmt::format("{}", fmt::join(names, " "))}};
  return m;
}

using enum Level;

constexpr Rule kRows[] = {

    // §2.4, F05: a hosts-file line answers before DNS ever does.
    {.code = "VND-DNS-008", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "The hosts file {file} overrides DNS for {count} host{s}", .on_target = hosts_pin_wrong,
     .evidence = "{details}",
     .fix = "Remove or correct these lines in {file}: names behind private endpoints must come from DNS so that "
            "they follow the endpoint's address.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F05 (§2.4)"},

    // F01, F03, F15, F19, F42, §2.1: the client resolver is a custom server that answers publicly where
    // Azure DNS, asked beside it, answers privately.
    {.code = "VND-DNS-001", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "DNS server {resolver} does not forward private link zones to Azure DNS", .on_target = custom_dns_not_forwarding,
     .evidence = "names resolving publicly (or not at all) through {resolver} but privately through Azure DNS ({count}): {details}",
     .fix = "On {resolver}, add conditional forwarders to 168.63.129.16 for {zones} (forward the public zone names, "
            "not the privatelink ones), or use Azure DNS or an Azure DNS Private Resolver for this VNet.",
     .doc_url = kDocCustomDns, .failure_modes = "F01 F03 F15 F19 F42"},

    // §2.4 stale record: the custom server hosts its own copy of a privatelink zone.
    {.code = "VND-DNS-012", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "DNS server {resolver} answers different private addresses than Azure DNS", .on_target = custom_dns_stale_copy,
     .evidence = "{details}",
     .fix = "{resolver} holds its own copy of the private link records; replace that zone with a conditional "
            "forwarder to 168.63.129.16 so that it follows the private endpoints.",
     .doc_url = kDocCustomDns, .failure_modes = "F05 (§2.4)"},

    // peer-tools (c) 1(d): split brain between the resolvers clients rotate through.
    {.code = "VND-DNS-011", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "This machine's DNS servers disagree: {resolvers}", .on_target = client_resolvers_disagree,
     .evidence = "{details}",
     .fix = "Configure every DNS server this machine uses the same way (the same conditional forwarders to "
            "168.63.129.16): clients move to the next server when one is slow, so names resolve differently from "
            "one lookup to the next.",
     .doc_url = kDocCustomDns, .failure_modes = "F42 (§2.4)"},

    // F01, F15, §2.4: Azure DNS itself answers publicly, so the VNet has no linked zone for this name: the fix
    // is the zone's virtual network link, not a forwarder.
    {.code = "VND-DNS-013", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Private DNS zone {zone} is not linked to this VNet", .on_target = zone_not_linked,
     .evidence = "this machine's DNS and Azure DNS both follow the privatelink alias to a public address ({count}): "
                 "{details}",
     .fix = "Link the private DNS zone {zone} to this VNet (a virtual network link; with a custom DNS server, link it "
            "to the DNS server's VNet too). If the zone does not exist, create it and add it to the private "
            "endpoint's DNS zone group. A DNS forwarder does not help: Azure DNS answers publicly here too.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F01 F15 (§2.4)"},

    // F01, F15, F19, §2.4: the chain reaches the privatelink zone, but nothing private answers for it.
    {.code = "VND-DNS-002", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Private link zone {zone} is not answered here: names resolve to public addresses",
     .on_target = public_behind_privatelink,
     .evidence = "names going through {zone} end in a public address ({count}): {details}",
     .fix = "Link the private DNS zone {zone} to this VNet and check that each private endpoint has a DNS zone "
            "group with its record; with a custom DNS server, forward {public_zone} to 168.63.129.16.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F01 F15 F19 (§2.4)"},

    // §2.4 row 2: a plain public answer with no privatelink alias.
    {.code = "VND-DNS-003", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Public addresses where a private endpoint is expected: {count} host{s}",
     .on_target = public_without_privatelink,
     .evidence = "no privatelink alias in the answer: {details}",
     .fix = "Create a private endpoint for {services} in this VNet (or a peered one) with private DNS zone "
            "integration; if one exists, a DNS server or hosts entry here answers for the public name itself. If the "
            "resource is meant to be public, say so in the config file.",
     .doc_url = kDocPeDns, .failure_modes = "F01 F19 (§2.4)"},

    // F02, F04: the zone is linked and answers, but has no record for this resource.
    {.code = "VND-DNS-004", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Private link zone {zone} has no record for {count} name{s}", .on_target = privatelink_record_missing,
     .evidence = "{details}",
     .fix = "Add the A records for {names} to {zone}: recreate the private endpoint with private DNS zone "
            "integration so that its DNS zone group keeps them, and check the zone's virtual network link to this VNet.",
     .doc_url = kDocTroubleshootPe, .failure_modes = "F02 F04"},

    // F06: a zone linked for one resource hides every other resource of that type that has no record.
    {.code = "VND-DNS-005", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Linked private link zone {zone} hides {count} resource{s} without a private endpoint here",
     .on_target = linked_zone_hides_resource,
     .evidence = "{details}",
     .fix = "Enable fallback to internet (resolutionPolicy NxDomainRedirect) on the virtual network link of {zone}, "
            "or add records for {names}.",
     .doc_url = kDocFallback, .failure_modes = "F06"},

    // F05: two endpoints sharing one zone overwrite each other's record, or the endpoint moved.
    {.code = "VND-DNS-006", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "Private addresses that are not the private endpoint's: {count} host{s}",
     .on_target = wrong_private_ip,
     .evidence = "{details}",
     .fix = "Correct the A records in {zone}: a private endpoint was recreated, or two endpoints of like services "
            "share one zone and overwrite each other's record (give each set its own zone).",
     .doc_url = kDocPeDns, .failure_modes = "F05"},

    // §2.4: a private address outside every range known to be the VNet's. It answers (else the path rule
    // speaks), so this is information: a peering or route reaches it.
    {.code = "VND-DNS-007", .level = information, .category = "dnsResolution", .check = "dns",
     .title = "Private addresses outside the VNet's known ranges ({vnet}): {count} host{s}", .on_target = outside_vnet,
     .evidence = "they answer, so a peering, VPN or route reaches them: {details}",
     .fix = "Nothing to do if these private endpoints live in a peered VNet or on premises (name those ranges with "
            "--vnet-cidr or in the config file to say so).",
     .doc_url = kDocPeDns, .failure_modes = "F05 (§2.4)"},

    {.code = "VND-DNS-009", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "DNS server {resolver} does not answer", .on_target = resolver_fails,
     .evidence = "{count} name{s} got no usable answer: {details}",
     .fix = "Allow UDP and TCP 53 from this subnet to {resolver}; check that the DNS server runs and reaches its "
            "forwarders (168.63.129.16 for private link zones).",
     .doc_url = kDocAzureDns, .failure_modes = "F40 (§2.1)"},

    {.code = "VND-DNS-010", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "{count} name{s} not found in DNS", .on_target = name_missing,
     .evidence = "through {resolver}: {details}",
     .fix = "Check the names (the workspace inputs) and that the DNS server resolves internet names: it must forward "
            "public zones to 168.63.129.16 or to an internet resolver.",
     .doc_url = kDocCustomDns, .failure_modes = "F19 F41"},

    // §2.1, F40: a resolv.conf server that answers nothing: one finding for the server, not one per name.
    {.code = "VND-DNS-014", .level = error, .category = "dnsResolution", .check = "dns",
     .title = "DNS server {resolver} does not answer at all", .on_run = silent_resolvers,
     .evidence = "{details}",
     .fix = "Remove {resolver} from this machine's DNS settings (the VNet's DNS servers, or resolv.conf), or bring it "
            "back: check that it runs, that UDP and TCP 53 from this subnet reach it, and that it forwards to "
            "168.63.129.16.",
     .doc_url = kDocAzureDns, .failure_modes = "F40 (§2.1)"},

    // Context for other DNS findings rather than a fault: it changes nothing while every server answers alike.
    {.code = "VND-DNS-015", .level = information, .category = "dnsResolution", .check = "environment",
     .title = "resolv.conf options change how clients resolve: {options}", .on_run = resolver_options,
     .evidence = "{details}",
     .fix = "Nothing to change while every DNS server answers the private link zones alike. If lookups fail at "
            "random, remove rotate or the server that answers differently; with ndots above 1, make sure no search "
            "domain has a wildcard record.",
     .doc_url = kDocCustomDns, .failure_modes = "(§2.1)"},
};

}  // namespace

std::span<const Rule> dns_rules() { return kRows; }

}  // namespace vnetdiag
