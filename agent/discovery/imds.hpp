// The Azure Instance Metadata Service (facts §2.5): region, VM identity, private IPs and subnet prefixes,
// asked once with a short timeout so that a machine outside Azure is not slowed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/discovery/settings.hpp"
#include "probes/evidence.hpp"
#include "probes/net/address.hpp"
#include "probes/target.hpp"

namespace vnetdiag {

/// The request path and API version: 2021-02-01 has every field read here and is served in every cloud.
inline constexpr std::string_view kImdsInstancePath = "/metadata/instance?api-version=2021-02-01";

/// What the instance metadata document says about this VM and its network.
struct ImdsInfo {
  std::string location;         ///< ARM region name: "eastus"
  std::string az_environment;   ///< "AzurePublicCloud", "AzureChinaCloud", "AzureUSGovernmentCloud"
  std::string vm_id, vm_size, name, zone;
  std::string subscription_id, resource_group;  ///< identifying: a shared report may want them redacted
  /// The VM's ARM resource ID, "/subscriptions/.../virtualMachines/NAME" (identifying, like the two above):
  /// where its network interfaces, and through them its VNet, are read.
  std::string resource_id;
  std::vector<std::string> private_ips;  ///< IPv4 then IPv6, every interface, in document order
  std::vector<Cidr> subnets;             ///< the subnets of those addresses: ranges of this VM's VNet
  /// Public IPs of the VM: identifying, so a shared report should redact them.
  std::vector<std::string> public_ips;
  std::vector<std::string> warnings;  ///< fields that were present but unusable ("subnet prefix 'x'")
  std::string error;                  ///< non-empty: not a metadata document at all; the rest is empty
};

/// Reads an instance metadata document (all primitives are strings, interfaces in no fixed order).
/// Missing fields stay empty; malformed JSON or a non-object gives `error`.
ImdsInfo parse_imds(std::string_view json);

/// The GET of `kImdsInstancePath` under `settings.imds_base_url`, with `Metadata: true` and never through a
/// proxy (IMDS rejects both a missing header and a proxied request). nullopt when the base URL is not an
/// http(s) URL.
std::optional<ProbeTarget> imds_target(const DiscoverySettings& settings);

/// How the metadata request ended.
enum class ImdsStatus : std::uint8_t {
  ok,             ///< 200 and a document
  not_asked,      ///< no base URL, or an unusable one
  unreachable,    ///< no TCP connection: refused, no route, or no answer within the timeout (not an Azure VM?)
  no_response,    ///< connected, but no complete HTTP response within the timeout
  rejected,       ///< an HTTP status other than 200 (400 header missing, 429 rate limited, ...)
  bad_document,   ///< 200, but not a metadata document (or cut off)
  error,          ///< vnetdiag itself failed to run the request (a bug, named in `detail`)
};

/// "ok", "not_asked", "unreachable", "no_response", "rejected", "bad_document", "error".
std::string_view to_string(ImdsStatus status);

/// The metadata request and what came of it.
struct ImdsResult {
  ImdsStatus status = ImdsStatus::not_asked;  ///< how it ended
  std::string url;           ///< what was asked: base URL plus the instance path
  std::string detail;        ///< why, for the user: "connection refused", "HTTP 400: Required metadata header..."
  int http_status = 0;
  std::optional<ImdsInfo> info;  ///< set for `ok`
  double ms = 0;             ///< the whole request, as the engine measured it
};

/// Judges one engine result for the metadata target. Pure.
ImdsResult judge_imds(const TargetResult& result, std::string url);

/// Asks the metadata service once: `imds_timeout` bounds the connect, the response and the whole run.
ImdsResult fetch_imds(const DiscoverySettings& settings);

}  // namespace vnetdiag
