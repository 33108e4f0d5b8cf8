#include "agent/plan/plan.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "agent/plan/azure_names.hpp"
#include "agent/plan/catalog.hpp"

namespace vnetdiag {
namespace {

using nlohmann::json;

/// The values a catalog row's host placeholders are replaced with; empty when unknown.
struct Placeholders {
  std::string wsid, region, sa, kv, acr, nb, discovery, ci, ingest;
  std::string discovery_pattern;  ///< "<region>.api.azureml.ms": shown while the discovery host is unknown
};

/// A host placeholder, where its value comes from, and what to tell the user when it is unknown.
struct Placeholder {
  std::string_view token;
  std::string Placeholders::*value;
  std::string Placeholders::*shown_unknown;  ///< what the host shows while the value is unknown; null: the token
  bool workspace_only;  ///< only a workspace can give it: rows using it are left out without a workspace
  std::string_view missing;
  /// Non-empty: the value names the customer's resource, and `--redact` hides it under this kind of placeholder
  /// wherever the host built from it appears.
  std::string_view identifies = {};
  bool whole_host = false;  ///< the value is a whole host: its first label is what names the resource
};

constexpr std::array<Placeholder, 9> kPlaceholders{{
    {"<wsid>", &Placeholders::wsid, nullptr, true,
     "the workspace ID (GUID) is not known and Azure Resource Manager could not be read for it: give the ARM body "
     "('az resource show --ids <workspace resource ID> -o json') with --workspace-json, --arm-token-file with the "
     "output of 'az account get-access-token', or --workspace-id", "workspace-id"},
    {"<region>", &Placeholders::region, nullptr, false, "the region is not known: give --region or a workspace"},
    {"<sa>", &Placeholders::sa, nullptr, true, "the storage account is not known: give --storage-account", "storage"},
    {"<kv>", &Placeholders::kv, nullptr, true, "the key vault is not known: give --key-vault", "keyvault"},
    {"<acr>", &Placeholders::acr, nullptr, true,
     "the container registry is not known (a workspace gets one at its first image build): give --acr", "acr"},
    {"<nb>", &Placeholders::nb, nullptr, true,
     "the notebooks host is not known: give --notebook-host, or the ARM body or az ml v1 output (notebookInfo.fqdn)",
     // ml-<workspace name, truncated>-<region>-<workspace GUID>: built from the name, so hidden whole.
     "notebooks", true},
    {"<discovery>", &Placeholders::discovery, &Placeholders::discovery_pattern, false, "the region is not known: give --region or a workspace"},
    {"<ci>", &Placeholders::ci, nullptr, true, "no compute instance is named: give --compute-instance", "compute"},
    {"<ingest>", &Placeholders::ingest, nullptr, false,
     "the Application Insights ingestion host is not known: give the component's connection string in the config "
     "(\"app_insights_connection_string\")"},
}};

constexpr std::string_view kImdsRequest = "/metadata/instance?api-version=2021-02-01";

/// A host with its placeholders replaced, or the reason it cannot be.
struct Expanded {
  std::string host;
  std::string missing;
  std::vector<std::pair<std::string, std::string>> identifying;  ///< {value, kind} of the customer's names in it
};

Expanded expand(std::string_view pattern, const Placeholders& values) {
  Expanded out{std::string(pattern), ""};
  for (const auto& p : kPlaceholders) {
    for (auto at = out.host.find(p.token); at != std::string::npos; at = out.host.find(p.token, at)) {
      const auto& value = values.*p.value;
      if (value.empty()) {
        if (out.missing.empty()) out.missing = std::string(p.missing);
        if (p.shown_unknown != nullptr && !(values.*p.shown_unknown).empty()) {
          out.host.replace(at, p.token.size(), values.*p.shown_unknown);
          continue;  // shown as the pattern it would follow; its <region> is unknown too
        }
        at += p.token.size();
        continue;
      }
      out.host.replace(at, p.token.size(), value);
      at += value.size();
      if (!p.identifies.empty())
        out.identifying.emplace_back(p.whole_host ? value.substr(0, value.find('.')) : value, std::string(p.identifies));
    }
  }
  return out;
}

bool uses_workspace_placeholder(std::string_view host) {
  return std::ranges::any_of(kPlaceholders, [&](const Placeholder& p) {
    return p.workspace_only && host.find(p.token) != std::string_view::npos;
  });
}

/// True when `host` is one of the names a wildcard pattern ("*.eastus.batch.azure.com", or "*") allows.
bool matches_wildcard(std::string_view pattern, std::string_view host) {
  if (pattern == "*") return true;
  const auto suffix = pattern.substr(1);  // ".eastus.batch.azure.com"
  return host.size() > suffix.size() && host.ends_with(suffix);
}

/// What the inputs say about private endpoints.
struct Expectations {
  bool private_expected = false;  ///< the workspace (or the config) uses private endpoints
  bool public_known = false;      ///< the workspace is known to have none

  // Facts §1.1/§1.4 [S1][S17]: a workspace with an approved private endpoint connection, or with public
  // network access disabled, is reached through its private endpoint, and the v1 article puts its
  // storage, key vault and registry behind private endpoints in the same VNet. The config wins.
  static Expectations from(const std::optional<WorkspaceInfo>& ws, const Config& config) {
    if (config.expect_private_endpoints) return {*config.expect_private_endpoints, !*config.expect_private_endpoints};
    if (!ws) return {};
    const bool private_expected =
        ws->private_endpoint.value_or(false) || ws->public_network_access == PublicAccess::disabled;
    const bool public_known = ws->private_endpoint == false && ws->public_network_access != PublicAccess::disabled;
    return {private_expected, public_known};
  }

  PlannedTarget::Expect for_link(PrivateLink link) const {
    using Expect = PlannedTarget::Expect;
    switch (link) {
      case PrivateLink::none: return Expect::public_expected;
      case PrivateLink::workspace: return private_expected ? Expect::private_expected
                                          : public_known   ? Expect::public_expected
                                                           : Expect::either;
      case PrivateLink::dependency: return private_expected ? Expect::private_expected : Expect::either;
      case PrivateLink::possible: return Expect::either;
    }
    return Expect::either;
  }
};

Placeholders placeholders_of(const std::optional<WorkspaceInfo>& ws, const Config& config, Cloud cloud) {
  Placeholders p;
  p.discovery_pattern = "<region>." + std::string(api_domain(cloud));
  p.ingest = config.app_insights_ingest_host;
  if (!ws) return p;
  p.wsid = ws->workspace_id;
  p.region = ws->region;
  p.sa = ws->storage_account;
  p.kv = ws->key_vault;
  p.acr = ws->acr;
  p.nb = ws->notebook_host;
  // The workspace's discoveryUrl names the regional API host; without one, <region>.<API domain>
  // (facts §1.2/§1.14 [S40]: https://<region>.api.azureml.ms/discovery).
  if (!ws->discovery_url.empty()) {
    p.discovery = ascii_lower(url_host(ws->discovery_url));
  } else if (!ws->region.empty()) {
    p.discovery = ws->region + "." + std::string(api_domain(cloud));
  }
  return p;
}

PlannedTarget from_row(const TargetTemplate& row, std::string host, const Expectations& expectations) {
  PlannedTarget t;
  t.id = std::string(row.id);
  t.probe.host = std::move(host);
  t.probe.port = row.port;
  t.probe.tls = row.transport == Transport::tls;
  if (row.request != nullptr) {
    HttpRequest request;
    request.method = std::string(row.request->method);
    request.target = std::string(row.request->target);
    if (!row.request->header_name.empty()) {
      request.headers.emplace_back(std::string(row.request->header_name), std::string(row.request->header_value));
    }
    t.probe.http = std::move(request);
    for (int status : row.request->reachable) {
      if (status != 0) t.reachable_statuses.push_back(status);
    }
  }
  t.service = std::string(row.service);
  t.category = std::string(to_string(row.category));
  t.required = row.need == Need::required || (row.need == Need::with_private_endpoint && expectations.private_expected);
  t.privatelink_zone = std::string(row.zone);
  t.expect = expectations.for_link(row.link);
  t.doc_url = std::string(row.doc_url);
  t.facts = std::string(row.facts);
  t.group = std::string(row.group);
  t.redirect_id = std::string(row.redirect_id);
  t.probe.follow_redirect = !row.redirect_id.empty();
  return t;
}

std::string wildcard_reason(std::string_view id) {
  return "a wildcard requirement: name a concrete host in the config (\"wildcard_hosts\": {\"" + std::string(id) +
         "\": [\"...\"]}) to test it";
}

/// The catalog rows of `cloud`, expanded for the workspace (or for no workspace). A wildcard row is probed at
/// the hosts the config names for it, else at its concrete host; with neither, it is "not testable", and the
/// reason names the input that would make it testable.
void add_catalog_targets(const std::optional<WorkspaceInfo>& ws, const Config& config, Cloud cloud,
                         const Expectations& expectations, std::vector<PlannedTarget>& out,
                         std::vector<std::string>& warnings) {
  Placeholders values = placeholders_of(ws, config, cloud);
  for (const auto& row : catalog(cloud)) {
    if (row.hbi_only && !(ws && ws->hbi == true)) continue;
    // Without a workspace: the cloud's required endpoints, the package repositories (facts §1.11) and
    // the environment; rows naming workspace resources have nothing to expand.
    if (!ws && (uses_workspace_placeholder(row.host) ||
                (row.need != Need::required && row.category != Category::package_repositories))) {
      continue;
    }
    std::vector<std::string> instances{""};
    const bool per_instance = row.host.find("<ci>") != std::string_view::npos ||
                              row.concrete.find("<ci>") != std::string_view::npos;
    if (per_instance && ws && !ws->compute_instances.empty()) instances = ws->compute_instances;
    for (const auto& ci : instances) {
      values.ci = ci;
      const auto expanded = expand(row.host, values);
      PlannedTarget t = from_row(row, expanded.host, expectations);
      t.identifying = expanded.identifying;
      if (!row.untestable.empty() && !is_wildcard(row)) {
        t.not_testable = std::string(row.untestable);
        t.manual_check = true;
      } else if (!expanded.missing.empty()) {
        t.not_testable = expanded.missing;
      } else if (is_wildcard(row)) {
        const auto named = config.wildcard_hosts.find(std::string(row.id));
        bool any = false;
        if (named != config.wildcard_hosts.end()) {
          for (const auto& host : named->second) {
            if (!matches_wildcard(expanded.host, host)) {
              warnings.push_back("wildcard_hosts: " + host + " is not a name " + expanded.host + " (" +
                                 std::string(row.id) + ") allows; ignored");
              continue;
            }
            PlannedTarget concrete = t;
            concrete.probe.host = host;
            out.push_back(std::move(concrete));
            any = true;
          }
        }
        if (any) continue;
        const auto concrete = expand(row.concrete, values);
        if (!row.concrete.empty() && concrete.missing.empty()) {
          t.probe.host = concrete.host;
          t.identifying.insert(t.identifying.end(), concrete.identifying.begin(), concrete.identifying.end());
        } else if (row.only_when_known) {
          continue;
        } else {
          t.not_testable = !row.untestable.empty() ? std::string(row.untestable)
                           : !row.concrete.empty() ? concrete.missing
                                                   : wildcard_reason(row.id);
        }
      }
      out.push_back(std::move(t));
    }
  }
}

/// This machine's own dependencies: the instance metadata service and Azure DNS, both reached without a
/// proxy (facts §2.1, §2.5, F39).
void add_environment_targets(const Config& config, std::vector<PlannedTarget>& out) {
  PlannedTarget imds;
  imds.id = "imds";
  imds.service = "Azure Instance Metadata Service";
  imds.category = std::string(to_string(Category::environment));
  imds.facts = "§2.5 [S11]: needs `Metadata: true`, never a proxy";
  imds.doc_url = "https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service";
  imds.probe.allow_proxy = false;
  if (const auto url = parse_http_url(config.metadata_url)) {
    imds.probe.host = url->host;
    imds.probe.port = url->port;
    imds.probe.tls = url->tls;
    imds.probe.http = HttpRequest{"GET", url->path + std::string(kImdsRequest), {{"Metadata", "true"}}};
    imds.reachable_statuses = {200};
  } else {
    imds.probe.host = config.metadata_url;
    imds.not_testable = "the metadata URL is not an http:// URL";
  }
  out.push_back(std::move(imds));

  PlannedTarget dns;
  dns.id = "azure.dns";
  dns.service = "Azure DNS";
  dns.category = std::string(to_string(Category::environment));
  dns.facts = "§2.1 [S12][S41]: TCP 53 of the Azure DNS virtual server, reachable only inside a VNet";
  dns.doc_url = "https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16";
  dns.probe.host = config.azure_dns.address.to_string();
  dns.probe.port = config.azure_dns.port;
  dns.probe.tls = false;
  dns.probe.allow_proxy = false;
  out.push_back(std::move(dns));
}

std::string host_port(const PlannedTarget& t) {
  const bool v6 = t.probe.host.find(':') != std::string::npos;
  return (v6 ? "[" + t.probe.host + "]" : t.probe.host) + ":" + std::to_string(t.probe.port);
}

void append_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& s : from) {
    if (std::ranges::find(to, s) == to.end()) to.push_back(s);
  }
}

/// Adds the config's extra hosts; one already planned (same host and port) takes the extra host's
/// private-endpoint expectation and IPs instead of being planned twice.
void add_extra_hosts(const Config& config, std::vector<PlannedTarget>& out) {
  for (const auto& extra : config.extra_hosts) {
    for (auto port : extra.ports) {
      PlannedTarget t;
      t.id = extra.id;
      t.probe.host = extra.host;
      t.probe.port = port;
      t.probe.tls = extra.tls;
      t.probe.http = extra.http;
      t.reachable_statuses = extra.reachable_statuses;
      t.service = extra.service;
      t.category = extra.category;
      t.required = extra.required;
      t.privatelink_zone = extra.privatelink_zone;
      t.expect = !extra.private_endpoint ? PlannedTarget::Expect::either
                 : *extra.private_endpoint ? PlannedTarget::Expect::private_expected
                                           : PlannedTarget::Expect::public_expected;
      t.expected_ips = extra.expected_ips;
      t.facts = "config " + config.source;
      const auto same = std::ranges::find_if(out, [&](const PlannedTarget& o) {
        return probed(o) && o.probe.host == t.probe.host && o.probe.port == t.probe.port;
      });
      if (same == out.end()) {
        out.push_back(std::move(t));
        continue;
      }
      if (extra.private_endpoint) same->expect = t.expect;
      if (!extra.privatelink_zone.empty()) same->privatelink_zone = extra.privatelink_zone;
      append_unique(same->expected_ips, extra.expected_ips);
    }
  }
}

/// Untested for one reason, the rows of one requirement (the compute instance's ports and hosts) are one
/// entry: a user has one thing to give, and the reason names every check it would add.
void merge_untested_groups(std::vector<PlannedTarget>& targets) {
  for (auto first = targets.begin(); first != targets.end(); ++first) {
    if (probed(*first) || first->group.empty()) continue;
    std::string others;
    for (auto it = std::next(first); it != targets.end();) {
      if (probed(*it) || it->group != first->group || it->not_testable != first->not_testable) {
        ++it;
        continue;
      }
      others += (others.empty() ? "" : ", ") + it->id + " (" + host_port(*it) + ")";
      first->required = first->required || it->required;
      first->merged_untested.push_back(std::move(*it));
      it = targets.erase(it);
    }
    if (!others.empty()) first->not_testable += "; the same holds for " + others;
  }
}

std::vector<std::string> merged_ids(const PlannedTarget& t) {
  std::vector<std::string> out;
  for (const auto& m : t.merged_untested) out.push_back(m.id);
  return out;
}

std::size_t category_rank(const std::string& category) {
  const auto parsed = parse_category(category);
  return parsed ? static_cast<std::size_t>(*parsed) : 99;
}

json target_to_json(const PlannedTarget& t) {
  json request = nullptr;
  if (t.probe.http) {
    json headers = json::object();
    for (const auto& [name, value] : t.probe.http->headers) headers[name] = value;
    request = {{"method", t.probe.http->method}, {"target", t.probe.http->target}, {"headers", headers}};
  }
  json out{
      {"id", t.id},
      {"host", t.probe.host},
      {"port", t.probe.port},
      {"transport", t.probe.tls ? "tls" : t.probe.http ? "http" : "tcp"},
      {"allow_proxy", t.probe.allow_proxy},
      {"service", t.service},
      {"category", t.category},
      {"required", t.required},
      {"expect", std::string(to_string(t.expect))},
      {"privatelink_zone", t.privatelink_zone},
      {"expected_ips", t.expected_ips},
      {"request", request},
      {"reachable_statuses", t.reachable_statuses},
      {"not_testable", t.not_testable},
      {"doc_url", t.doc_url},
      {"facts", t.facts},
  };
  // The rows an untested entry stands for, each a target of its own (see PlannedTarget::merged_untested).
  if (!t.merged_untested.empty()) out["merged_untested"] = merged_ids(t);
  return out;
}

json proxy_to_json(const std::optional<ProxySettings>& proxy) {
  if (!proxy) return nullptr;
  auto masked = [](const std::optional<ProxyUrl>& url) { return url ? json(url->masked()) : json(nullptr); };
  return json{{"https_proxy", masked(proxy->https_proxy)},
              {"http_proxy", masked(proxy->http_proxy)},
              {"no_proxy", proxy->no_proxy},
              {"origin", proxy->origin}};
}

std::string check_text(const PlannedTarget& t) {
  if (!t.not_testable.empty()) return "not testable: " + t.not_testable;
  if (t.probe.http) {
    std::string out = t.probe.http->method + " " + t.probe.http->target + " -> ";
    if (t.reachable_statuses.empty()) return out + "any status";
    for (std::size_t i = 0; i < t.reachable_statuses.size(); ++i) {
      out += (i == 0 ? "" : "/") + std::to_string(t.reachable_statuses[i]);
    }
    return out;
  }
  return t.probe.tls ? "TLS" : "TCP";
}

}  // namespace

std::string_view to_string(PlannedTarget::Expect expect) {
  static constexpr std::array<std::string_view, 3> kNames{"private", "public", "either"};
  return kNames[static_cast<std::size_t>(expect)];
}

bool probed(const PlannedTarget& target) { return target.not_testable.empty(); }

PlannedTarget redirected_target(const Plan& plan, const PlannedTarget& origin, const std::string& host,
                                std::uint16_t port) {
  const auto row = std::ranges::find(plan.targets, origin.redirect_id, &PlannedTarget::id);
  PlannedTarget t = row != plan.targets.end() ? *row : origin;
  t.id = origin.redirect_id.empty() ? origin.id : origin.redirect_id;
  t.probe = ProbeTarget{host, port, true, std::nullopt, origin.probe.allow_proxy};
  t.reachable_statuses.clear();
  t.expected_ips.clear();
  t.not_testable.clear();
  t.redirect_id.clear();
  t.facts += "; " + host + " is where " + origin.probe.host + " redirected this run's " +
             (origin.probe.http ? origin.probe.http->method + " " + origin.probe.http->target : std::string("request"));
  return t;
}

Plan build_plan(const std::optional<WorkspaceInfo>& workspace, const Config& config, Cloud cloud) {
  Plan plan;
  plan.cloud = cloud;
  plan.workspace = workspace;
  plan.vnet = config.vnet;
  plan.dns_servers = config.dns_servers;
  plan.azure_dns = config.azure_dns;
  plan.metadata_url = config.metadata_url;
  plan.arm_url = config.arm_url;
  plan.resolv_conf = config.resolv_conf;
  plan.hosts_file = config.hosts_file;
  plan.ca_file = config.ca_file;
  plan.tls_issuers = config.tls_issuers;
  plan.budgets = config.budgets;
  plan.proxy = config.proxy;

  const auto expectations = Expectations::from(workspace, config);
  std::vector<PlannedTarget> targets;
  add_catalog_targets(workspace, config, cloud, expectations, targets, plan.warnings);
  add_environment_targets(config, targets);
  add_extra_hosts(config, targets);

  // One probe per host:port: the first row wins (catalog order, then the config's).
  std::set<std::string> seen;
  std::erase_if(targets, [&](const PlannedTarget& t) {
    if (!probed(t)) return false;
    if (seen.insert(ascii_lower(host_port(t))).second) return false;
    plan.warnings.push_back(host_port(t) + " (" + t.id + ") is already planned; planned once");
    return true;
  });

  for (const auto& [host, ips] : config.expected_ips) {
    bool used = false;
    for (auto& t : targets) {
      if (probed(t) && t.probe.host == host) {
        append_unique(t.expected_ips, ips);
        used = true;
      }
    }
    if (!used) plan.warnings.push_back("expected_ips: " + host + " is not a planned host");
  }

  std::set<std::string> used_skips;
  std::erase_if(targets, [&](const PlannedTarget& t) {
    const auto entry = std::ranges::find_if(config.skip, [&](const std::string& s) { return s == t.id || s == t.probe.host; });
    if (entry == config.skip.end()) return false;
    used_skips.insert(*entry);
    plan.skipped.push_back(t.id + " " + host_port(t));
    return true;
  });
  for (const auto& entry : config.skip) {
    if (!used_skips.contains(entry)) plan.warnings.push_back("skip: " + entry + " matches no planned target");
  }
  merge_untested_groups(targets);

  std::ranges::sort(targets, [](const PlannedTarget& a, const PlannedTarget& b) {
    return std::tuple(category_rank(a.category), a.id, a.probe.host, a.probe.port) <
           std::tuple(category_rank(b.category), b.id, b.probe.host, b.probe.port);
  });
  plan.targets = std::move(targets);
  return plan;
}

nlohmann::json plan_to_json(const Plan& plan) {
  json targets = json::array();
  for (const auto& t : plan.targets) targets.push_back(target_to_json(t));
  json vnet = json::array();
  for (const auto& c : plan.vnet) vnet.push_back(c.to_string());
  json dns = json::array();
  for (const auto& e : plan.dns_servers) dns.push_back(e.to_string());
  const auto& b = plan.budgets;
  return json{
      {"cloud", std::string(to_string(plan.cloud))},
      {"workspace", plan.workspace ? workspace_to_json(*plan.workspace) : json(nullptr)},
      {"targets", targets},
      {"skipped", plan.skipped},
      {"warnings", plan.warnings},
      {"settings",
       {{"vnet", vnet},
        {"dns_servers", dns},
        {"azure_dns", plan.azure_dns.to_string()},
        {"metadata_url", plan.metadata_url},
        {"resolv_conf", plan.resolv_conf},
        {"hosts_file", plan.hosts_file},
        {"ca_file", plan.ca_file},
        {"budgets_ms",
         {{"dns", b.dns.count()},
          {"connect", b.connect.count()},
          {"proxy", b.proxy.count()},
          {"tls", b.tls.count()},
          {"http", b.http.count()},
          {"deadline", b.deadline.count()}}},
        {"proxy", proxy_to_json(plan.proxy)}}},
  };
}

std::string render_plan_table(const Plan& plan) {
  std::string out = "cloud: " + std::string(to_string(plan.cloud));
  if (plan.workspace) {
    const auto& ws = *plan.workspace;
    out += "   workspace: " + (ws.name.empty() ? std::string("(unnamed)") : ws.name);
    if (!ws.workspace_id.empty()) out += " (" + ws.workspace_id + ")";
    if (!ws.region.empty()) out += " in " + ws.region;
    out += ", from " + ws.source;
  } else {
    out += "   no workspace: the cloud's required endpoints, package repositories and this machine";
  }
  out += "\n\n";

  const std::array<std::string, 7> header{"ID", "HOST:PORT", "CATEGORY", "REQUIRED", "EXPECT", "ZONE", "CHECK"};
  std::vector<std::array<std::string, 7>> rows{header};
  for (const auto& t : plan.targets) {
    rows.push_back({t.id, host_port(t), t.category, t.required ? "yes" : "no", std::string(to_string(t.expect)),
                    t.privatelink_zone.empty() ? "-" : t.privatelink_zone, check_text(t)});
  }
  std::array<std::size_t, 7> width{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    for (std::size_t i = 0; i + 1 < row.size(); ++i) out += row[i] + std::string(width[i] - row[i].size() + 2, ' ');
    out += row.back() + "\n";
  }
  const auto untestable = std::ranges::count_if(plan.targets, [](const PlannedTarget& t) { return !probed(t); });
  out += "\n" + std::to_string(plan.targets.size()) + " targets: " +
         std::to_string(plan.targets.size() - static_cast<std::size_t>(untestable)) + " to probe, " +
         std::to_string(untestable) + " not testable, " + std::to_string(plan.skipped.size()) + " skipped\n";
  for (const auto& w : plan.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace vnetdiag
