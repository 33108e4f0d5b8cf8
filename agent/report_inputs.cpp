#include "agent/report_inputs.hpp"

#include <pwd.h>
#include <unistd.h>

#include <ctime>

#include "agent/plan/cloud.hpp"
#include "probes/version.hpp"

namespace vnetdiag {

TargetContext context_of(const PlannedTarget& t) {
  using E = PlannedTarget::Expect;
  using C = TargetContext::Expect;
  TargetContext c;
  c.id = t.id;
  c.service = t.service;
  c.category = t.category;
  c.required = t.required;
  c.privatelink_zone = t.privatelink_zone;
  c.expect = t.expect == E::private_expected ? C::private_endpoint : t.expect == E::public_expected ? C::public_endpoint : C::either;
  c.expected_ips = t.expected_ips;
  c.reachable_statuses = t.reachable_statuses;
  c.doc_url = t.doc_url;
  c.identifying = t.identifying;
  return c;
}

EnvironmentFacts facts_of(const Environment& e, const Plan& plan, const CheckSettings& used) {
  EnvironmentFacts f;
  for (const auto& r : e.dns.resolvers) f.resolvers.push_back({r.endpoint.to_string(), r.source, r.used_by_clients});
  f.azure_dns = e.dns.azure_dns.empty() ? plan.azure_dns.to_string() : e.dns.azure_dns;
  f.custom_dns = custom_dns(e.dns);
  f.dns_stub = e.dns.stub;
  f.dns_search = e.dns.search;
  f.dns_options = e.dns.options;
  f.hosts_file = e.hosts_file;
  for (const auto& h : e.hosts_overrides) {
    HostsOverrideFact fact{h.host, h.file, {}};
    for (const auto& a : h.addresses) fact.addresses.push_back(a.ip);
    f.hosts_overrides.push_back(std::move(fact));
  }
  // The proxy the engine used (variables, config file or --proxy, whichever won), masked.
  const auto& proxy = used.engine.proxy;
  f.proxy.https_proxy = proxy.https_proxy ? proxy.https_proxy->masked() : "";
  f.proxy.http_proxy = proxy.http_proxy ? proxy.http_proxy->masked() : "";
  f.proxy.no_proxy = proxy.no_proxy;
  if (!f.proxy.https_proxy.empty() || !f.proxy.http_proxy.empty()) {
    // From the variables: the one that won, as curl picks it.
    f.proxy.origin = proxy.origin != "environment" ? proxy.origin
                     : !f.proxy.https_proxy.empty() ? e.proxy.https_from : e.proxy.http_from;
  }
  for (const auto& v : e.proxy.variables) f.proxy.variables.push_back({v.name, v.value, v.used});
  f.proxy.errors = e.proxy.errors;
  for (const auto& i : e.interfaces.interfaces) f.interfaces.push_back({i.name, i.address, i.prefix, i.up, i.loopback});
  for (const auto& b : e.docker.bridges) f.docker_bridges.push_back({b.interface, b.range.to_string()});
  for (const auto& o : e.docker.overlaps) f.docker_overlaps.push_back({o.bridge.interface, o.bridge.range.to_string(), o.what});
  f.imds.status = std::string(to_string(e.imds.status));
  f.imds.detail = e.imds.detail;
  f.imds.ms = e.imds.ms;
  if (e.imds.info) {
    f.imds.region = e.imds.info->location;
    f.imds.vm_name = e.imds.info->name;
    f.imds.vm_size = e.imds.info->vm_size;
    f.imds.az_environment = e.imds.info->az_environment;
    if (const auto cloud = cloud_of_az_environment(e.imds.info->az_environment)) f.imds.cloud = std::string(to_string(*cloud));
    f.imds.private_ips = e.imds.info->private_ips;
    f.imds.public_ips = e.imds.info->public_ips;
    for (const auto& s : e.imds.info->subnets) f.imds.subnets.push_back(s.to_string());
  }
  if (e.clock_skew) {
    f.clock_skew_seconds = static_cast<double>(e.clock_skew->median.count());
    f.clock_skew_threshold_seconds = static_cast<double>(e.clock_skew->threshold.count());
  }
  for (const auto& r : used.vnet) f.vnet_ranges.push_back({r.range.to_string(), r.source});
  f.resource_names = e.arm.names;
  if (e.imds.info) {
    f.resource_names.emplace_back(e.imds.info->resource_group, "resource-group");
    f.resource_names.emplace_back(e.imds.info->subscription_id, "subscription");
  }
  if (used.vnet.empty()) f.vnet_ranges_note = e.vnet_note;
  for (const auto& u : e.unusable) f.unusable.push_back({u.source, u.problem});
  for (const auto& n : e.notes) f.notes.push_back({n.topic, n.text});
  f.expected_issuers.insert(f.expected_issuers.end(), plan.tls_issuers.begin(), plan.tls_issuers.end());
  return f;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buffer[32] = {};
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

ReportMetadata metadata_of(const Plan& plan, const RunResult& run, std::string started_at) {
  ReportMetadata m;
  m.tool.version = kVersion;
  m.tool.commit = kGitCommit;
  m.run.started_at = std::move(started_at);
  m.run.duration_ms = run.ms;
  m.run.command = "check";
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) m.run.hostname = host;
  if (const passwd* pw = ::getpwuid(::geteuid())) m.run.user = pw->pw_name;
  m.workspace.cloud = std::string(to_string(plan.cloud));
  if (const auto& w = plan.workspace) {
    m.workspace.name = w->name;
    m.workspace.workspace_id = w->workspace_id;
    m.workspace.subscription_id = w->subscription_id;
    m.workspace.resource_group = w->resource_group;
    m.workspace.tenant_id = w->tenant_id;
    m.workspace.region = w->region;
    m.workspace.storage_account = w->storage_account;
    m.workspace.key_vault = w->key_vault;
    m.workspace.acr = w->acr;
    m.workspace.app_insights = w->app_insights;
    m.workspace.compute_instances = w->compute_instances;
  }
  return m;
}

}  // namespace vnetdiag
