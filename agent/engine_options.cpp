#include "agent/engine_options.hpp"

#include <cstdlib>

#include "probes/dns/system_files.hpp"

namespace vnetdiag {

std::optional<std::string> process_env(const char* name) {
  if (const char* value = std::getenv(name)) return std::string(value);
  return std::nullopt;
}

std::variant<EngineOptions, OptionError> make_engine_options(const CommonOptions& o, EnvLookup env,
                                                             bool read_resolv_conf) {
  EngineOptions out;
  out.hosts_file = o.hosts_file;
  out.ca_file = o.ca_file;
  out.budgets = o.budgets;
  out.concurrency = o.concurrency;

  for (const auto& text : o.dns_servers) {
    auto endpoint = Endpoint::parse(text, 53);
    if (!endpoint) return OptionError{"--dns-server '" + text + "': expected IP, IP:PORT or [IPv6]:PORT"};
    out.resolvers.push_back({*endpoint, "--dns-server"});
  }
  if (out.resolvers.empty() && read_resolv_conf) {
    auto text = dns::read_text_file(o.resolv_conf);
    if (!text) return OptionError{"cannot read '" + o.resolv_conf + "'; name a DNS server with --dns-server"};
    auto conf = dns::parse_resolv_conf(*text);
    if (conf.nameservers.empty())
      return OptionError{"'" + o.resolv_conf + "' lists no nameserver; name a DNS server with --dns-server"};
    for (const auto& ns : conf.nameservers) out.resolvers.push_back({ns, "resolv.conf"});
  }

  for (const auto& text : o.vnet_cidrs) {
    auto cidr = Cidr::parse(text);
    if (!cidr) return OptionError{"--vnet-cidr '" + text + "': expected an address range such as 10.0.0.0/16"};
    out.vnet.push_back(*cidr);
  }

  auto proxy = proxy_from_options(o, env);
  if (auto* error = std::get_if<OptionError>(&proxy)) return *error;
  out.proxy = std::get<ProxySettings>(std::move(proxy));
  return out;
}

std::variant<ProxySettings, OptionError> proxy_from_options(const CommonOptions& o, EnvLookup env) {
  std::vector<std::string> errors;
  ProxySettings out = proxy_settings_from_env(env, &errors);
  // The variable is named, its value is not: a malformed proxy URL often holds a password.
  if (!errors.empty()) {
    const auto& error = errors.front();
    return OptionError{"proxy environment variable " + error.substr(0, error.find(':')) + " is not a usable http:// proxy URL"};
  }
  if (!o.proxy.empty()) {
    std::string why;
    auto url = ProxyUrl::parse(o.proxy, &why);
    if (!url) return OptionError{"--proxy: " + why};
    out.https_proxy = out.http_proxy = *url;
    out.origin = "--proxy";
  }
  if (o.no_proxy) out.no_proxy = parse_no_proxy(*o.no_proxy);
  return out;
}

}  // namespace vnetdiag
