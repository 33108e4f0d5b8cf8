// The plan: every target to probe for this workspace (or, without one, this cloud), with what each
// answer should look like, plus the settings the engine and discovery need. Built without probing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/plan/cloud.hpp"
#include "agent/plan/config.hpp"
#include "agent/plan/workspace.hpp"
#include "probes/net/address.hpp"
#include "probes/proxy/proxy_config.hpp"
#include "probes/target.hpp"

namespace vnetdiag {

/// One target of the plan: what to probe and how to judge the answer.
struct PlannedTarget {
  /// Where the name should resolve. (Not named `Endpoint`: vnetdiag::Endpoint is an address and port.)
  enum class Expect {
    private_expected,  ///< a private endpoint serves it: a private (or in-VNet) address, through the privatelink zone
    public_expected,   ///< a public service: a public address
    either,            ///< the inputs do not say
  };

  std::string id;                ///< catalog id ("storage.blob"), or "extra.<host>" from the config
  ProbeTarget probe;             ///< host, port, TLS, request; for a not-testable entry the host may be a wildcard
  std::string service;           ///< human name
  std::string category;          ///< "storageAccount", ... (see Category)
  bool required = false;         ///< false: situational
  std::string privatelink_zone;  ///< the zone the CNAME chain should pass through; "" when none is asserted
  Expect expect = Expect::either;
  std::vector<std::string> expected_ips;  ///< from the config: the private endpoint's IPs
  std::vector<int> reachable_statuses;    ///< statuses of `probe.http` meaning "reachable and allowed"
  std::string not_testable;      ///< non-empty: not probed; the reason, shown to the user
  /// With `not_testable`: no probe can check it whatever the inputs (UDP 5831), so it is a check left to the
  /// user rather than an input missing from this run.
  bool manual_check = false;
  std::string doc_url;
  std::string facts;             ///< where the row comes from in azureml-network-facts.md
  std::string group;             ///< catalog rows of one requirement ("ci"): untested for one reason, one entry
  /// The rows this untested entry stands for (same group, same reason): shown as one, each still counted.
  std::vector<PlannedTarget> merged_untested;
  std::string redirect_id;       ///< set: the probe follows a redirect, and the host it names is a `redirect_id` target
  /// The customer's names the host was built from, {value, kind}: "vndtest01"/"storage", the notebooks
  /// host's first label/"notebooks". `--redact` hides each wherever it appears, however the host spells it.
  std::vector<std::pair<std::string, std::string>> identifying;
};

/// "private", "public", "either".
std::string_view to_string(PlannedTarget::Expect expect);

/// The plan and the settings (from the config, or defaults) that the run needs.
struct Plan {
  Cloud cloud = Cloud::public_cloud;
  std::optional<WorkspaceInfo> workspace;
  std::vector<PlannedTarget> targets;   ///< sorted by category, id, host, port; no duplicate host:port
  std::vector<Cidr> vnet;
  std::vector<Endpoint> dns_servers;    ///< resolvers to ask besides the system's
  Endpoint azure_dns = Config::default_azure_dns();
  std::string metadata_url;
  std::string arm_url;                  ///< Azure Resource Manager; empty: the cloud's own
  std::string resolv_conf, hosts_file, ca_file;
  std::vector<std::string> tls_issuers;  ///< from the config: issuers accepted besides Microsoft and DigiCert
  Budgets budgets;
  std::optional<ProxySettings> proxy;   ///< set: use instead of the environment's proxy variables
  std::vector<std::string> skipped;     ///< "id host:port" of targets the config skipped
  std::vector<std::string> warnings;    ///< config entries that matched nothing, and similar
};

/// Builds the plan. With a workspace: every host it needs (unknown names give "not testable" entries that
/// say which input is missing). Without: the cloud's required endpoints, the package repositories and this
/// machine's environment. Pass `choose_cloud()`'s answer as `cloud`.
Plan build_plan(const std::optional<WorkspaceInfo>& workspace, const Config& config, Cloud cloud);

/// The record of a host the engine added because `origin`'s answer redirected to it (MCR's blob request
/// to its data host): the plan's `origin.redirect_id` target (its service, category, need and facts) at
/// `host`:`port`, TLS only.
PlannedTarget redirected_target(const Plan& plan, const PlannedTarget& origin, const std::string& host,
                                std::uint16_t port);

/// True when the engine should probe the target (it is testable).
bool probed(const PlannedTarget& target);

/// The plan as JSON (`vnetdiag targets --json`); proxy passwords are masked.
nlohmann::json plan_to_json(const Plan& plan);

/// The plan as an aligned text table: id, host:port, category, required, expectation, zone, check.
std::string render_plan_table(const Plan& plan);

}  // namespace vnetdiag
