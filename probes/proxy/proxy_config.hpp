// Which proxy a client would use for a URL: curl's environment rules, as pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vnetdiag {

/// An HTTP proxy, "http://user:password@host:port". The password never leaves this struct unmasked
/// except in the Proxy-Authorization header.
struct ProxyUrl {
  std::string host;
  std::uint16_t port = 1080;  ///< curl's default proxy port
  std::string user, password;

  /// Parses a proxy URL as curl does: scheme optional ("http://"), port defaults to 1080,
  /// user and password percent-decoded. nullopt with `error` set on anything else.
  static std::optional<ProxyUrl> parse(std::string_view text, std::string* error);
  /// "http://***@host:port" (no user name either): safe for logs and reports.
  std::string masked() const;
  /// "Basic ..." for Proxy-Authorization, or "" without credentials.
  std::string basic_authorization() const;
};

/// Proxy settings as the process environment (or the command line) gives them.
struct ProxySettings {
  std::optional<ProxyUrl> https_proxy;  ///< used for TLS targets
  std::optional<ProxyUrl> http_proxy;   ///< used for plain-HTTP targets
  std::vector<std::string> no_proxy;    ///< curl NO_PROXY entries: "*", host, .domain, IP, CIDR
  std::string origin;                   ///< where these came from: "environment", "--proxy", "none"
};

/// Looks up `name` in the environment: returns the value or nullopt.
using EnvLookup = std::optional<std::string> (*)(const char* name);

/// Reads https_proxy/HTTPS_PROXY, http_proxy, all_proxy/ALL_PROXY and no_proxy/NO_PROXY the way curl does:
/// lowercase wins; uppercase HTTP_PROXY is ignored (curl refuses it: "httpoxy").
/// Malformed URLs are reported in `errors` and ignored.
ProxySettings proxy_settings_from_env(EnvLookup env, std::vector<std::string>* errors);

/// Splits a NO_PROXY list (comma or space separated) into entries.
std::vector<std::string> parse_no_proxy(std::string_view list);

/// True when curl would bypass the proxy for `host` given `no_proxy`.
bool bypasses_proxy(std::string_view host, const std::vector<std::string>& no_proxy);

/// The proxy a client would use for this host, or nullopt for a direct connection.
std::optional<ProxyUrl> choose_proxy(const ProxySettings& settings, std::string_view host, bool tls);

}  // namespace vnetdiag
