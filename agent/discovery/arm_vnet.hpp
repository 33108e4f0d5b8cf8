// The VNet's real address ranges, read from Azure Resource Manager with the VM's managed identity: the
// metadata service's subnet is only where this NIC sits, and private endpoints usually sit elsewhere.
// VM → primary NIC → its subnet → the VNet: address space, plus the ranges of Connected peerings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/discovery/imds.hpp"
#include "agent/discovery/settings.hpp"
#include "agent/plan/cloud.hpp"
#include "probes/net/address.hpp"

namespace vnetdiag {

/// The metadata service's managed-identity token endpoint and its API version; the audience is appended.
inline constexpr std::string_view kIdentityTokenPath = "/metadata/identity/oauth2/token?api-version=2018-02-01";
/// The Microsoft.Compute and Microsoft.Network API version of every Resource Manager read.
inline constexpr std::string_view kArmApiVersion = "2023-09-01";

/// The Microsoft.MachineLearningServices API version of the workspace read.
inline constexpr std::string_view kWorkspaceApiVersion = "2023-10-01";

/// The request target of a token for `cloud`'s Resource Manager:
/// "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F".
std::string identity_token_target(Cloud cloud);

/// The bearer token of a token response (`access_token`). A secret: never log, print or keep it.
/// nullopt, with `error` set (never quoting the document), when there is none.
std::optional<std::string> parse_token_response(std::string_view json, std::string& error);

/// The bearer token of `az account get-access-token` output (`accessToken`). A secret: never log, print
/// or keep it. nullopt, with `error` set (never quoting the document), when there is none.
std::optional<std::string> parse_az_access_token(std::string_view json, std::string& error);

/// The primary network interface of a VM document: the `networkInterfaces[]` entry with
/// `properties.primary` true, else the first. nullopt, with `error` set, when none is usable.
std::optional<std::string> parse_primary_nic(std::string_view vm_json, std::string& error);

/// The subnet IDs of a network interface document's IP configurations, the primary one first, no repeats.
/// nullopt, with `error` set, when none is usable.
std::optional<std::vector<std::string>> parse_nic_subnets(std::string_view nic_json, std::string& error);

/// The VNet ID of a subnet ID: everything before "/subnets/" (any case), when that is a
/// Microsoft.Network/virtualNetworks resource ID and one subnet name follows. nullopt otherwise.
std::optional<std::string> vnet_id_of_subnet(std::string_view subnet_id);

/// One range of a network peered with the VNet.
struct PeeredRange {
  Cidr range;
  std::string remote_vnet;  ///< the peered network's name: "vnet-hub"
  friend bool operator==(const PeeredRange&, const PeeredRange&) = default;
};

/// What a virtual network document says about its ranges.
struct VnetRanges {
  std::string name;                   ///< the VNet's name
  std::vector<Cidr> address_space;    ///< properties.addressSpace.addressPrefixes
  std::vector<PeeredRange> peered;    ///< the remote ranges of Connected peerings only
  std::vector<std::string> warnings;  ///< entries present but unusable ("peering 'x': 'y' is not an address range")
};

/// Reads a virtual network document. Hostile or missing fields become warnings or `error`, never an exception.
std::optional<VnetRanges> parse_vnet(std::string_view vnet_json, std::string& error);

/// How reading the VNet's ranges ended.
enum class ArmVnetStatus : std::uint8_t {
  ok,            ///< the VNet's address space (and its Connected peerings' ranges) are known
  not_asked,     ///< no metadata (not an Azure VM?), no resourceId in it, or no usable URL
  no_identity,   ///< the identity endpoint has no token for this VM (400/404: no managed identity)
  denied,        ///< Resource Manager answered 401/403: the identity may not read the resource
  rejected,      ///< another HTTP status (404 not found, 429 throttled, 5xx)
  unreachable,   ///< no connection, TLS failure, proxy refusal, or the connection closed
  timeout,       ///< the steps together did not finish within `ArmSettings::timeout`
  bad_document,  ///< 200, but not the document expected (or cut off)
  error,         ///< vnetdiag itself failed to run the request (an unreadable CA file, a bug)
};

/// "ok", "not_asked", "no_identity", "denied", "rejected", "unreachable", "timeout", "bad_document", "error".
std::string_view to_string(ArmVnetStatus status);

/// The steps of the read, in order.
enum class ArmStep : std::uint8_t { none, token, vm, nic, vnet };

/// "none", "token", "vm", "nic", "vnet".
std::string_view to_string(ArmStep step);

/// What Resource Manager said about the VNet. Holds no credential: safe to print and report.
struct ArmVnetResult {
  ArmVnetStatus status = ArmVnetStatus::not_asked;  ///< how it ended
  ArmStep step = ArmStep::none;                     ///< the step that ended it (`vnet` when ok)
  std::string detail;   ///< one line for the user naming that step: "could not read virtual network x: 403 ..."
  int http_status = 0;  ///< that step's HTTP status, 0 without one
  std::string arm_url;  ///< the Resource Manager asked: "https://management.azure.com"
  std::string vnet_name;
  std::vector<Cidr> address_space;    ///< the VNet's own ranges
  std::vector<PeeredRange> peered;    ///< ranges of Connected peerings, with the peered network's name
  std::vector<std::string> warnings;  ///< unusable entries of the documents
  double ms = 0;                      ///< all steps together
  /// {name, kind} of every resource asked for or named ("jumpbox"/"vm", "vnet-hub"/"vnet"): what the report
  /// may say, and `--redact` must hide.
  std::vector<std::pair<std::string, std::string>> names;
};

/// Reads the VNet's ranges: a token from the identity endpoint under `settings.imds_base_url` (never
/// through a proxy), then the VM named by `imds.resource_id`, its primary NIC and that NIC's VNet from
/// Resource Manager (`settings.arm`). All of it within `settings.arm.timeout`. Never throws.
ArmVnetResult read_vnet_ranges(const DiscoverySettings& settings, const ImdsInfo& imds);

/// The same, given the metadata request's result: without a metadata document nothing is asked.
ArmVnetResult read_vnet_ranges(const DiscoverySettings& settings, const ImdsResult& imds);

/// What Resource Manager said about the workspace, read when the inputs lack its GUID.
struct ArmWorkspaceResult {
  ArmVnetStatus status = ArmVnetStatus::not_asked;  ///< how it ended (`ok`: `body` is the ARM document)
  std::string detail;   ///< one line for the user: "could not read workspace ws: 403 AuthorizationFailed"
  std::string body;     ///< the ARM GET body of Microsoft.MachineLearningServices/workspaces, on `ok`
  double ms = 0;
};

/// Reads the workspace `resource_id` (".../providers/Microsoft.MachineLearningServices/workspaces/NAME") from
/// `cloud`'s Resource Manager (`settings.arm`), with `settings.arm.token` or else a managed identity token.
/// Within `settings.arm.timeout`. Never throws.
ArmWorkspaceResult read_workspace(const DiscoverySettings& settings, Cloud cloud, std::string_view resource_id);

}  // namespace vnetdiag
