// Turning command-line options and the environment into engine options.
#pragma once

#include <string>
#include <variant>

#include "agent/cli.hpp"
#include "probes/proxy/proxy_config.hpp"
#include "probes/target.hpp"

namespace vnetdiag {

/// Bad input found while building options: a message for the user (exit 3).
struct OptionError {
  std::string message;
};

/// Resolvers (explicit, else resolv.conf), VNet ranges, proxy (--proxy, else the environment), budgets.
/// With `read_resolv_conf` false and no --dns-server, the resolver list is left empty for the caller to fill.
std::variant<EngineOptions, OptionError> make_engine_options(const CommonOptions& options, EnvLookup env,
                                                             bool read_resolv_conf = true);

/// The proxy of the options alone: --proxy, else the variables (curl's rules); --no-proxy replaces the
/// bypass list. An unusable variable is an error naming it, never quoting its value.
std::variant<ProxySettings, OptionError> proxy_from_options(const CommonOptions& options, EnvLookup env);

/// The real environment, for `make_engine_options`.
std::optional<std::string> process_env(const char* name);

}  // namespace vnetdiag
