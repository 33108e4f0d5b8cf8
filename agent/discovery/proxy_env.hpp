// The proxy variables of this process's environment, described without ever showing a credential.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/discovery/notes.hpp"
#include "probes/proxy/proxy_config.hpp"

namespace vnetdiag {

/// One proxy variable that is set.
struct ProxyVariable {
  std::string name;          ///< as spelled in the environment: "https_proxy", "NO_PROXY"
  std::string value;         ///< masked: user and password of a URL become "***"; an unusable URL is not shown
  bool credentials = false;  ///< the URL carries a user name or password (masked in `value`)
  bool used = false;         ///< curl (and vnetdiag) take this variable; false when another one wins
};

/// Which proxy variables are set and what curl (and vnetdiag) make of them. Holds no secret: it is safe
/// to print, log and put in a report as it is.
struct ProxyDiscovery {
  std::vector<ProxyVariable> variables;  ///< the set variables, in curl's order of precedence
  std::string https_proxy;               ///< effective proxy for HTTPS, masked; empty: direct
  std::string https_from;                ///< the variable it came from
  std::string http_proxy;                ///< effective proxy for plain HTTP, masked; empty: direct
  std::string http_from;
  std::vector<std::string> no_proxy;     ///< NO_PROXY entries in effect
  std::vector<std::string> errors;       ///< unusable values, by variable name; never quoting the value
  std::vector<EnvironmentNote> notes;    ///< spellings that disagree (https_proxy and HTTPS_PROXY)
};

/// "http://***@proxy.corp:3128" for "http://user:secret@proxy.corp:3128": the URL as written, with every
/// character of its user information replaced. A value that is not a usable proxy URL gives "".
std::string mask_proxy_value(const std::string& value);

/// Reads the proxy variables through `env` (curl's rules: lowercase first, uppercase HTTP_PROXY ignored)
/// and describes them; credentials never appear in the result.
ProxyDiscovery describe_proxy(EnvLookup env);

}  // namespace vnetdiag
