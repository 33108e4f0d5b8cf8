// The report: what the agent knew before probing (plan and discovery, as plain data), what the probes
// saw, and the findings drawn from both. reports/ cannot see agent/ types (floors flow one way), so the
// agent copies what the rules need into TargetContext and EnvironmentFacts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/evidence.hpp"

namespace vnetdiag {

/// The version of the JSON report format (docs/report-format.md): major changes break readers.
inline constexpr std::string_view kReportSchemaVersion = "1.1";

/// What the plan expects of one target.
struct TargetContext {
  /// Where the name should resolve.
  enum class Expect : std::uint8_t {
    private_endpoint,  ///< a private endpoint serves it: a private address, through the privatelink zone
    public_endpoint,   ///< a public service: a public address
    either,            ///< the inputs do not say
  };

  std::string id;                         ///< catalog id ("storage.blob"); in a Report never empty (host:port when none)
  std::string service;                    ///< human name ("Storage account (blob)")
  std::string category = "others";        ///< "storageAccount", "packageRepositories", ...
  bool required = true;                   ///< false: situational; its errors are reported as warnings
  std::string privatelink_zone;           ///< the zone the CNAME chain should pass through; "" when not asserted
  Expect expect = Expect::either;
  std::vector<std::string> expected_ips;  ///< the private endpoint's IPs, when the config names them
  std::vector<int> reachable_statuses;    ///< HTTP statuses meaning "reached and allowed"; empty: any response
  std::string doc_url;                    ///< the catalog's documentation for this target
  /// The customer's names the host was built from, {value, kind} ("ml-ws-eastus-…"/"notebooks"): what
  /// `--redact` hides in every form the report shows. Not written in any report.
  std::vector<std::pair<std::string, std::string>> identifying;
};

/// "private", "public", "either".
std::string_view to_string(TargetContext::Expect expect);

/// One DNS server this machine was configured with (or asked only for comparison).
struct ResolverFact {
  std::string address;          ///< as the evidence writes it: "10.0.0.4:53"
  std::string source;           ///< "resolv.conf", "systemd-resolved", "config", "azure-dns"
  bool used_by_clients = true;  ///< false: asked only to compare with (Azure DNS beside a custom server)
};

/// A hosts-file line that answers for a planned host before any DNS server.
struct HostsOverrideFact {
  std::string host;
  std::string file;                    ///< "/etc/hosts"
  std::vector<std::string> addresses;
};

/// One proxy variable set in this process's environment.
struct ProxyVariableFact {
  std::string name;   ///< as spelled: "https_proxy", "HTTP_PROXY", "no_proxy"
  std::string value;  ///< masked ("http://***@proxy:3128"); "" for a value that is not a usable URL
  bool used = false;  ///< curl and vnetdiag take it; false when another spelling wins
};

/// The proxy vnetdiag used, already masked (no password ever reaches the report), and the variables that
/// other tools on this machine follow.
struct ProxyFacts {
  std::string https_proxy;             ///< masked URL; empty: direct
  std::string http_proxy;              ///< masked URL; empty: direct
  std::vector<std::string> no_proxy;   ///< NO_PROXY entries in effect
  /// Where the proxy above came from: the variable ("https_proxy"), "config", "--proxy"; empty: direct.
  std::string origin;
  std::vector<ProxyVariableFact> variables;  ///< every proxy variable set, in curl's order of precedence
  std::vector<std::string> errors;     ///< unusable variables, by name ("https_proxy: not a URL"), never the value
};

/// A Docker bridge range that shadows an address the workspace needs.
struct DockerOverlapFact {
  std::string bridge;    ///< "docker0"; "" for Docker's default range not yet claimed
  std::string range;     ///< "172.17.0.0/16"
  std::string overlaps;  ///< "VNet range 172.17.0.0/16 (config vnet)", "172.17.0.5 (expected IP of storage.blob)"
};

/// A Docker bridge network on this machine (or Docker's default range, which it takes when it starts).
struct DockerBridgeFact {
  std::string bridge;  ///< "docker0"; "" for Docker's default range not yet claimed
  std::string range;   ///< "172.17.0.0/16"
};

/// One address of one network interface.
struct InterfaceFact {
  std::string name;     ///< "eth0"
  std::string address;  ///< "10.0.1.4", "fe80::1"
  int prefix = 0;
  bool up = true;
  bool loopback = false;
};

/// A setting of this machine vnetdiag could not read or use: what the checks cannot stand on.
struct UnusableSettingFact {
  std::string source;   ///< "/etc/resolv.conf", "/etc/hosts", "instance metadata", "network interfaces"
  std::string problem;  ///< "cannot be read (missing or not readable)", "line 4: nameserver 'dns1' is not an IP address"
};

/// Something discovery saw that explains the results, in words ("clients ask 10.0.0.4:53, not Azure DNS ...").
/// Observations only: every judgement of the machine is a finding.
struct EnvironmentNoteFact {
  std::string topic;  ///< "dns", "proxy", "docker", "metadata"
  std::string text;
};

/// An address range of the VNet (or of a VNet peered with it), and who said so.
struct VnetRangeFact {
  std::string range;   ///< "10.0.0.0/16"
  std::string source;  ///< "--vnet-cidr", "config", "Azure Resource Manager: VNet vnet-ml", "peering with vnet-hub"
};

/// What the instance metadata service said, if it was asked.
struct ImdsFacts {
  std::string status = "not_asked";  ///< "ok", "not_asked", "unreachable", "no_response", "rejected", "bad_document", "error"
  std::string detail;                ///< why, for the user
  double ms = 0;                     ///< how long the request took
  std::string region;                ///< "eastus"
  std::string vm_name;
  std::string vm_size;               ///< "Standard_D4s_v3"
  std::string az_environment;        ///< as the service spells it: "AzurePublicCloud", "AzureUSGovernmentCloud"
  /// The cloud vnetdiag names that environment ("public", "china", "usgov"); "" when it knows no such cloud.
  std::string cloud;
  std::vector<std::string> private_ips;
  std::vector<std::string> public_ips;  ///< this VM's public IPs: redacted with --redact
  std::vector<std::string> subnets;     ///< "10.0.1.0/24"
};

/// What discovery found on this machine that the rules need. Empty fields mean "not known".
struct EnvironmentFacts {
  std::vector<ResolverFact> resolvers;          ///< in the order clients ask them, then comparison-only ones
  std::string azure_dns = "168.63.129.16:53";   ///< the Azure DNS address that was asked (tests use loopback)
  std::vector<std::string> custom_dns;          ///< client resolvers that are neither Azure DNS nor a local stub
  std::string dns_stub;                         ///< the local stub clients send queries to ("127.0.0.53"), read through
  std::vector<std::string> dns_search;          ///< resolv.conf search domains
  std::vector<std::string> dns_options;         ///< resolv.conf options, as written ("ndots:5", "rotate")
  std::string hosts_file;                       ///< the hosts file read; empty: none
  std::vector<HostsOverrideFact> hosts_overrides;
  ProxyFacts proxy;
  std::vector<InterfaceFact> interfaces;
  std::vector<DockerBridgeFact> docker_bridges;
  std::vector<DockerOverlapFact> docker_overlaps;
  ImdsFacts imds;
  std::optional<double> clock_skew_seconds;     ///< servers' median clock minus ours, when over the threshold
  double clock_skew_threshold_seconds = 300;
  /// The ranges known to be the VNet's (and its peerings'), each with its source; empty: unknown. Never this
  /// machine's subnet alone (see imds.subnets): private endpoints usually live in another subnet.
  std::vector<VnetRangeFact> vnet_ranges;
  std::string vnet_ranges_note;                 ///< where the ranges came from, or why they are unknown
  std::vector<UnusableSettingFact> unusable;    ///< settings that could not be read or used
  std::vector<EnvironmentNoteFact> notes;       ///< what discovery saw that explains the results
  /// Substrings of a certificate issuer that mark a certificate as the service's own for Azure hosts
  /// (facts §5: Microsoft and DigiCert). Tests with their own CA add its name here.
  std::vector<std::string> expected_issuers{"Microsoft", "DigiCert"};
  /// {name, kind} of the Azure resources discovery read or named (this VM's resource group, its VNet and the
  /// peered ones): what `--redact` hides wherever the report mentions them. Not written in any report.
  std::vector<std::pair<std::string, std::string>> resource_names;
};

/// The VNet's ranges as plain CIDRs.
std::vector<std::string> vnet_cidrs(const EnvironmentFacts& env);

/// The tool that wrote the report.
struct ToolInfo {
  std::string name = "vnetdiag";
  std::string version;
  std::string commit;
};

/// When and where the run happened.
struct RunInfo {
  std::string started_at;   ///< ISO 8601 UTC: "2026-11-29T05:00:00Z"
  double duration_ms = 0;
  std::string hostname;     ///< redacted with --redact
  std::string user;         ///< the login running vnetdiag; redacted with --redact
  std::string command;      ///< "check" (never the full command line: it may hold a proxy password)
};

/// The workspace under test, as the inputs named it. Every value here is redacted with --redact.
struct WorkspaceMetadata {
  std::string name, workspace_id, subscription_id, resource_group, tenant_id;
  std::string region, cloud;
  std::string storage_account, key_vault, acr, app_insights;
  std::vector<std::string> compute_instances;
};

/// The report header: the tool, the run and the workspace.
struct ReportMetadata {
  ToolInfo tool;
  RunInfo run;
  WorkspaceMetadata workspace;
};

/// How bad a finding is, in the workspace-diagnostics vocabulary.
enum class Level : std::uint8_t { error, warning, information };

/// "Error", "Warning", "Information" (as the diagnose API spells them).
std::string_view to_string(Level level);

/// One problem, with its probable cause and fix. One cause gives one finding, listing every target it hurts.
struct Finding {
  std::string code;                  ///< stable, documented in docs/findings.md, never reused: "VND-DNS-001"
  Level level = Level::error;
  std::string category;              ///< a diagnose category ("dnsResolution", ...) or "proxy", "tls", "packageRepositories", "environment"
  std::string check;                 ///< the phase it is seen in: "dns", "proxy", "tcp", "tls", "http"; "environment" for machine-wide ones
  std::string title;
  std::vector<std::size_t> targets;  ///< the affected targets: indices into Report::targets
  std::string evidence;              ///< one line
  std::string fix;
  std::string doc_url;
};

/// The overall outcome, in exit-code order.
enum class Verdict : std::uint8_t {
  healthy = 0,     ///< no Error or Warning, and every required target checked
  errors = 1,      ///< at least one Error
  warnings = 2,    ///< Warnings only, every required target checked
  incomplete = 4,  ///< the deadline was hit or the run was interrupted (takes precedence)
  unchecked = 5,   ///< no Error, but required targets were not checked for want of an input
};

/// "healthy", "errors", "warnings", "incomplete".
std::string_view to_string(Verdict verdict);

/// One target as the report holds it: what the plan expected of it and what the probes saw, as one record.
struct ReportTarget {
  TargetContext context;  ///< its id is the target's name in findings and renderers
  TargetResult result;
};

/// A planned target no probe ran for, and why: what the verdict cannot vouch for.
struct UncheckedTarget {
  TargetContext context;
  std::string host;         ///< may be a wildcard or hold a placeholder ("*.data.mcr.microsoft.com", "<ci>.…")
  std::uint16_t port = 0;
  std::string reason;       ///< "no compute instance is named: give --compute-instance"
  /// No probe can check it whatever the inputs (UDP 5831): a check left to the user, not a missing input.
  bool manual = false;
};

/// How the probing went as a whole (each target's evidence is in its ReportTarget).
struct RunStats {
  bool deadline_hit = false;    ///< some work was cut short by the global deadline
  bool interrupted = false;     ///< the run was stopped (Ctrl-C, SIGTERM)
  std::size_t concurrency = 0;  ///< targets in flight at once
  double ms = 0;                ///< the probes' wall time
};

/// Everything one run produced, ready for any renderer.
struct Report {
  std::string schema_version{kReportSchemaVersion};
  ReportMetadata metadata;
  EnvironmentFacts env;
  RunStats run;
  std::vector<ReportTarget> targets;    ///< in plan order
  std::vector<UncheckedTarget> unchecked;  ///< planned but not probed, in plan order
  std::vector<Finding> findings;        ///< errors first, then warnings, then information
  bool incomplete = false;              ///< the deadline was hit or the run was interrupted
  bool redacted = false;                ///< `redact` has replaced identifying values with placeholders
};

/// The verdict of a report: incomplete, else errors, else unchecked (a required target not checked for
/// want of an input), else warnings, else healthy. A check no probe can make (UDP) never stands in the way.
Verdict verdict(const Report& report);

/// The process exit code: 0 healthy, 1 at least one Error, 2 Warnings only, 4 incomplete, 5 required
/// targets not checked. (3, usage or input error, is the agent's: no report exists then.)
int exit_code(const Report& report);

/// How many planned targets were not checked.
struct UncheckedCounts {
  std::size_t required = 0;     ///< required, for want of an input: these keep the verdict from OK
  std::size_t situational = 0;  ///< situational, for want of an input
  std::size_t manual = 0;       ///< no probe can check them: left to the user
};
UncheckedCounts count_unchecked(const Report& report);

/// The names (ids) of the targets a finding names, in its order.
std::vector<std::string> target_names(const Report& report, const Finding& finding);

}  // namespace vnetdiag
