#include <fmt/format.h>

#include <cmath>

#include "reports/evidence_json.hpp"
#include "reports/findings.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"
#include "reports/render_common.hpp"

namespace vnetdiag {
namespace {

using nlohmann::json;

double round_ms(double ms) { return std::round(ms * 10.0) / 10.0; }

json context_json(const TargetContext& c) {
  return {{"id", c.id},
          {"service", c.service},
          {"category", c.category},
          {"required", c.required},
          {"expect", to_string(c.expect)},
          {"privatelinkZone", c.privatelink_zone},
          {"expectedIps", c.expected_ips},
          {"reachableStatuses", c.reachable_statuses},
          {"docUrl", c.doc_url}};
}

json environment_json(const EnvironmentFacts& e) {
  json resolvers = json::array();
  for (const auto& r : e.resolvers)
    resolvers.push_back({{"address", r.address}, {"source", r.source}, {"usedByClients", r.used_by_clients}});
  json hosts = json::array();
  for (const auto& h : e.hosts_overrides) hosts.push_back({{"host", h.host}, {"file", h.file}, {"addresses", h.addresses}});
  json vnet_ranges = json::array();
  for (const auto& r : e.vnet_ranges) vnet_ranges.push_back({{"range", r.range}, {"source", r.source}});
  json docker = json::array();
  for (const auto& d : e.docker_overlaps) docker.push_back({{"bridge", d.bridge}, {"range", d.range}, {"overlaps", d.overlaps}});
  json bridges = json::array();
  for (const auto& b : e.docker_bridges) bridges.push_back({{"bridge", b.bridge}, {"range", b.range}});
  json interfaces = json::array();
  for (const auto& i : e.interfaces)
    interfaces.push_back({{"name", i.name}, {"address", i.address}, {"prefix", i.prefix}, {"up", i.up}, {"loopback", i.loopback}});
  json variables = json::array();
  for (const auto& v : e.proxy.variables) variables.push_back({{"name", v.name}, {"value", v.value}, {"used", v.used}});
  json unusable = json::array();
  for (const auto& u : e.unusable) unusable.push_back({{"source", u.source}, {"problem", u.problem}});
  json notes = json::array();
  for (const auto& n : e.notes) notes.push_back({{"topic", n.topic}, {"text", n.text}});
  return {{"resolvers", resolvers},
          {"azureDns", e.azure_dns},
          {"customDns", e.custom_dns},
          {"dnsStub", e.dns_stub},
          {"dnsSearch", e.dns_search},
          {"dnsOptions", e.dns_options},
          {"hostsFile", e.hosts_file},
          {"hostsOverrides", hosts},
          {"proxy",
           {{"httpsProxy", e.proxy.https_proxy},
            {"httpProxy", e.proxy.http_proxy},
            {"noProxy", e.proxy.no_proxy},
            {"origin", e.proxy.origin},
            {"variables", variables},
            {"errors", e.proxy.errors}}},
          {"interfaces", interfaces},
          {"dockerBridges", bridges},
          {"dockerOverlaps", docker},
          {"instanceMetadata",
           {{"status", e.imds.status},
            {"detail", e.imds.detail},
            {"ms", round_ms(e.imds.ms)},
            {"region", e.imds.region},
            {"vmName", e.imds.vm_name},
            {"vmSize", e.imds.vm_size},
            {"azEnvironment", e.imds.az_environment},
            {"cloud", e.imds.cloud},
            {"privateIps", e.imds.private_ips},
            {"publicIps", e.imds.public_ips},
            {"subnets", e.imds.subnets}}},
          {"clockSkewSeconds", e.clock_skew_seconds ? json(*e.clock_skew_seconds) : json(nullptr)},
          {"clockSkewThresholdSeconds", e.clock_skew_threshold_seconds},
          {"vnetCidrs", vnet_cidrs(e)},
          {"vnetRanges", vnet_ranges},
          {"vnetRangesNote", e.vnet_ranges_note},
          {"unusableSettings", unusable},
          {"notes", notes},
          {"expectedIssuers", e.expected_issuers}};
}

json finding_json(const Report& report, const Finding& f) {
  return {{"code", f.code},   {"level", to_string(f.level)},          {"category", f.category}, {"check", f.check},
          {"title", f.title}, {"targets", target_names(report, f)}, {"evidence", f.evidence}, {"fix", f.fix},
          {"docUrl", f.doc_url}};
}

std::string diagnose_message(const Finding& f) {
  std::string message = f.title + ": " + f.evidence;
  if (!message.ends_with('.')) message += '.';
  message += " Fix: " + f.fix;
  if (!f.doc_url.empty()) message += " See " + f.doc_url;
  return message;
}

json report_json(const Report& report) {
  const auto& m = report.metadata;
  const auto& w = m.workspace;
  json targets = json::array();
  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    json t = to_json(report.targets[i].result);
    t["context"] = context_json(report.targets[i].context);
    json codes = json::array();
    for (const Finding* f : findings_for(report, i)) codes.push_back(f->code);
    t["findings"] = codes;
    targets.push_back(std::move(t));
  }
  json findings = json::array();
  for (const auto& f : report.findings) findings.push_back(finding_json(report, f));
  json unchecked = json::array();
  for (const auto& u : report.unchecked)
    unchecked.push_back({{"id", u.context.id},
                         {"host", u.host},
                         {"port", u.port},
                         {"service", u.context.service},
                         {"category", u.context.category},
                         {"required", u.context.required},
                         {"manual", u.manual},
                         {"reason", u.reason}});
  const auto counts = count_unchecked(report);
  const Verdict v = verdict(report);
  return {{"schemaVersion", report.schema_version},
          {"tool", {{"name", m.tool.name}, {"version", m.tool.version}, {"commit", m.tool.commit}}},
          {"run",
           {{"startedAt", m.run.started_at},
            {"durationMs", round_ms(m.run.duration_ms > 0 ? m.run.duration_ms : report.run.ms)},
            {"probeMs", round_ms(report.run.ms)},
            {"hostname", m.run.hostname},
            {"user", m.run.user},
            {"command", m.run.command},
            {"incomplete", v == Verdict::incomplete},
            {"deadlineHit", report.run.deadline_hit},
            {"interrupted", report.run.interrupted},
            {"concurrency", report.run.concurrency},
            {"redacted", report.redacted}}},
          {"workspace",
           {{"name", w.name},
            {"workspaceId", w.workspace_id},
            {"subscriptionId", w.subscription_id},
            {"resourceGroup", w.resource_group},
            {"tenantId", w.tenant_id},
            {"region", w.region},
            {"cloud", w.cloud},
            {"storageAccount", w.storage_account},
            {"keyVault", w.key_vault},
            {"containerRegistry", w.acr},
            {"applicationInsights", w.app_insights},
            {"computeInstances", w.compute_instances}}},
          {"verdict",
           {{"status", to_string(v)},
            {"exitCode", exit_code(report)},
            {"errors", count_findings(report, Level::error)},
            {"warnings", count_findings(report, Level::warning)},
            {"information", count_findings(report, Level::information)},
            {"checked", report.targets.size()},
            {"notChecked", {{"required", counts.required}, {"situational", counts.situational}, {"manual", counts.manual}}}}},
          {"environment", environment_json(report.env)},
          {"targets", targets},
          {"notChecked", unchecked},
          {"findings", findings},
          {"diagnose", diagnose_json(report)}};
}

}  // namespace

json diagnose_json(const Report& report) {
  json value = json::object();
  for (const auto& c : categories()) value[std::string(c.results)] = json::array();
  for (const auto& f : report.findings)
    value[std::string(category_info(f.category).results)].push_back(
        {{"code", f.code}, {"level", to_string(f.level)}, {"message", diagnose_message(f)}});
  return {{"value", value}};
}

json report_to_json(const Report& input) {
  Report report = input;
  remove_secrets(report);
  return report_json(report);
}

std::string render_json(const Report& report) {
  // Replace, never throw: a probe may have captured bytes that are not UTF-8 (a body prefix cut mid-character).
  return report_to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace vnetdiag
