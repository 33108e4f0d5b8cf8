// Evidence built the way a report line reads:
//   target("sa.blob.core.windows.net").id("storage.blob").expect_private("privatelink.blob.core.windows.net")
//       .custom_dns().cname("sa.privatelink.blob.core.windows.net").address("20.60.1.4")
//       .azure_dns().cname("sa.privatelink.blob.core.windows.net").address("10.0.1.5")
//       .tcp(TcpStatus::timeout)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "probes/evidence.hpp"
#include "reports/findings.hpp"
#include "reports/report_model.hpp"

namespace vnetdiag::test {

inline constexpr std::string_view kCustomDns = "10.0.0.4:53";
inline constexpr std::string_view kAzureDns = "168.63.129.16:53";
inline constexpr std::string_view kMicrosoftIssuer = "CN=Microsoft Azure RSA TLS Issuing CA 03,O=Microsoft Corporation,C=US";
inline constexpr std::string_view kInspectionIssuer = "CN=Contoso Inspection CA,O=Contoso,C=US";

/// One target's evidence and what the plan expects of it.
class TargetBuilder {
 public:
  explicit TargetBuilder(std::string host, std::uint16_t port = 443);

  // What the plan expects.
  TargetBuilder& id(std::string id);
  TargetBuilder& service(std::string service);
  TargetBuilder& category(std::string category);
  TargetBuilder& situational();
  TargetBuilder& expect_private(std::string zone = "");
  TargetBuilder& expect_public();
  TargetBuilder& expected_ips(std::vector<std::string> ips);
  TargetBuilder& reachable(std::vector<int> statuses);

  // DNS: each dns_via starts one resolver's answer; cname/address/nxdomain add to it.
  TargetBuilder& dns_via(std::string resolver, std::string source);
  TargetBuilder& custom_dns() { return dns_via(std::string(kCustomDns), "resolv.conf"); }
  TargetBuilder& azure_dns() { return dns_via(std::string(kAzureDns), "azure-dns"); }
  TargetBuilder& cname(std::string target);
  TargetBuilder& address(std::string ip);
  TargetBuilder& nxdomain();
  TargetBuilder& no_data();
  TargetBuilder& dns_status(DnsStatus status);
  TargetBuilder& hosts_file(std::string ip, std::string file = "/etc/hosts");

  // The path.
  TargetBuilder& tcp(TcpStatus status, std::string address = "");
  TargetBuilder& connected() { return tcp(TcpStatus::connected); }
  TargetBuilder& via_proxy(ProxyStatus status, int http_status = 0, std::string proxy = "http://proxy.corp:3128");
  TargetBuilder& tls(TlsStatus status, std::string issuer = std::string(kMicrosoftIssuer));
  TargetBuilder& http(int code, std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "");
  TargetBuilder& http_failed(HttpStatus status);
  TargetBuilder& internal_error(std::string what);
  /// Connected, TLS from Microsoft, and (when statuses are set) the first reachable status.
  TargetBuilder& works();

  TargetResult result;
  TargetContext context;

 private:
  DnsAnswer& answer();
  std::string first_address() const;
};

/// Shorthand: target("pypi.org").
inline TargetBuilder target(std::string host, std::uint16_t port = 443) { return TargetBuilder(std::move(host), port); }

/// A storage blob target that works: private endpoint 10.0.1.5 through privatelink, via custom DNS and Azure DNS.
TargetBuilder healthy_storage(std::string account = "sa");
/// A public package repository that works.
TargetBuilder healthy_pypi();

/// Several targets and the machine they ran on.
struct Scenario {
  EnvironmentFacts env;
  WorkspaceMetadata workspace;
  std::vector<TargetBuilder> targets;
  std::vector<UncheckedTarget> unchecked;  ///< planned targets no probe ran for
  bool deadline_hit = false;

  Scenario& add(TargetBuilder t);
  RunResult run() const;
  std::vector<TargetContext> contexts() const;
  std::vector<Finding> findings() const;
  /// The names a report gives the targets of `finding` (their ids, else host:port).
  std::vector<std::string> names(const Finding& finding) const;
  Report report() const;
};

/// Runs the rules over one target on a default machine.
std::vector<Finding> findings_of(const TargetBuilder& t, const EnvironmentFacts& env = {});

/// The codes, in report order.
std::vector<std::string> codes(const std::vector<Finding>& findings);

/// The finding with this code, or nullptr.
const Finding* with_code(const std::vector<Finding>& findings, std::string_view code);

/// Every template placeholder was filled: no "{name}" left in title, evidence or fix.
bool fully_expanded(const Finding& f);

}  // namespace vnetdiag::test
