// The config file (--config FILE): what the workspace inputs cannot know. JSON with comments; the
// format is documented for users in docs/config.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/plan/input_error.hpp"
#include "probes/net/address.hpp"
#include "probes/proxy/proxy_config.hpp"
#include "probes/target.hpp"

namespace vnetdiag {

/// A host the catalog does not know: a private package mirror, a proxy, a custom service.
struct ExtraHost {
  std::string id;                        ///< "extra.<host>" unless the config names one
  std::string host;                      ///< lowercase host name or IP literal
  std::vector<std::uint16_t> ports{443};
  std::string category = "others";       ///< one of the catalog categories
  std::string service;                   ///< human name; the host when not given
  bool required = true;
  bool tls = true;                       ///< false: TCP only (or plain HTTP with `http`)
  std::optional<bool> private_endpoint;  ///< true: a private address is expected; false: a public one
  std::string privatelink_zone;
  std::vector<std::string> expected_ips;
  std::optional<HttpRequest> http;       ///< an unauthenticated request to send
  std::vector<int> reachable_statuses;   ///< statuses of `http` meaning "reachable and allowed"
};

/// An http(s) URL split for probing: the instance metadata or Resource Manager base URL.
struct HttpUrl {
  bool tls = false;
  std::string host;
  std::uint16_t port = 80;
  std::string path;  ///< without a trailing '/'; "" for the root
};

/// Parses "http://host[:port][/path]" or "https://..."; host is a name or IP literal ("[v6]").
std::optional<HttpUrl> parse_http_url(std::string_view url);

/// Everything the config file can say; a default-constructed Config is "no config file".
struct Config {
  std::string source;                          ///< the file name; empty for defaults
  std::vector<Cidr> vnet;                      ///< the VNet's (and peered networks') address ranges
  std::vector<ExtraHost> extra_hosts;
  std::map<std::string, std::vector<std::string>> expected_ips;    ///< host → private endpoint IPs
  std::vector<std::string> skip;               ///< target ids or hosts not to probe
  std::map<std::string, std::vector<std::string>> wildcard_hosts;  ///< wildcard target id → concrete hosts
  std::optional<bool> expect_private_endpoints;  ///< overrides what the workspace says
  /// The IngestionEndpoint host of the Application Insights connection string ("app_insights_connection_string").
  std::string app_insights_ingest_host;
  Budgets budgets;
  std::vector<Endpoint> dns_servers;           ///< resolvers asked besides the system's
  Endpoint azure_dns = default_azure_dns();    ///< 168.63.129.16:53 (facts §2.1)
  std::string metadata_url = "http://169.254.169.254";  ///< the instance metadata service (facts §2.5)
  /// Azure Resource Manager, where the VNet's address space is read; empty: the cloud's own.
  std::string arm_url;
  std::string resolv_conf = "/etc/resolv.conf";
  std::string hosts_file = "/etc/hosts";       ///< empty: no hosts file
  std::string ca_file;                         ///< empty: the system trust store
  /// Issuer names (substrings) accepted on Azure hosts besides Microsoft and DigiCert: a TLS-inspecting
  /// proxy the organisation runs on purpose.
  std::vector<std::string> tls_issuers;
  std::optional<ProxySettings> proxy;          ///< set: replaces the proxy environment variables

  /// 168.63.129.16 port 53, the same address in every region and national cloud (facts §2.1 [S12]).
  static Endpoint default_azure_dns();
};

/// The host of a connection string's IngestionEndpoint (an https URL), lowercase; "" when it has none.
std::string ingestion_host(std::string_view connection_string);

/// Parses a config file. Unknown keys (typos) and wrong types are errors naming the JSON pointer;
/// syntax errors name the line and column.
Parsed<Config> parse_config(std::string_view text, std::string_view source_name);

}  // namespace vnetdiag
