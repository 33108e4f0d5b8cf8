#include "agent/plan/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <span>
#include <utility>

#include "agent/plan/azure_names.hpp"
#include "agent/plan/catalog.hpp"

namespace vnetdiag {
namespace {

using nlohmann::json;

// The edit distance between two keys, counting a swap of neighbours as one edit ("prot" → "port"),
// to suggest the key a typo meant.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

/// A JSON pointer step for `key`: RFC 6901 escapes, and bytes a terminal should not see as \xNN.
std::string child(const std::string& path, std::string_view key) {
  std::string step;
  for (char c : key) {
    if (c == '~') step += "~0";
    else if (c == '/') step += "~1";
    else step += c;
  }
  return path + "/" + escaped(step, 64);
}

std::string child(const std::string& path, std::size_t index) { return path + "/" + std::to_string(index); }

bool has_control(std::string_view text) {
  return std::ranges::any_of(text, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

/// Reads typed values and reports the first problem with its JSON pointer; later reads do nothing.
class ConfigReader {
 public:
  explicit ConfigReader(std::string source) : source_(std::move(source)) {}

  bool failed() const { return error_.has_value(); }
  const InputError& error() const { return *error_; }

  void fail(const std::string& path, std::string message) {
    if (!error_) error_ = InputError{source_, 0, 0, path.empty() ? "/" : path, std::move(message)};
  }

  void type_error(const json& value, const std::string& path, std::string_view expected) {
    fail(path, "expected " + std::string(expected) + ", got " + std::string(json_type_name(value)));
  }

  std::optional<std::string> string(const json& value, const std::string& path, std::string_view expected) {
    if (failed()) return std::nullopt;
    if (!value.is_string()) {
      type_error(value, path, expected);
      return std::nullopt;
    }
    return value.get<std::string>();
  }

  /// A string without control characters (paths, service names).
  std::optional<std::string> plain_string(const json& value, const std::string& path, std::string_view expected) {
    auto s = string(value, path, expected);
    if (s && has_control(*s)) {
      fail(path, "contains control characters: " + quote_value(*s));
      return std::nullopt;
    }
    return s;
  }

  std::optional<bool> boolean(const json& value, const std::string& path) {
    if (failed()) return std::nullopt;
    if (!value.is_boolean()) {
      type_error(value, path, "true or false");
      return std::nullopt;
    }
    return value.get<bool>();
  }

  std::optional<long long> integer(const json& value, const std::string& path, long long min, long long max,
                                   std::string_view what) {
    if (failed()) return std::nullopt;
    const std::string expected = std::string(what) + " from " + std::to_string(min) + " to " + std::to_string(max);
    if (!value.is_number_integer()) {
      type_error(value, path, expected);
      return std::nullopt;
    }
    // Unsigned values above LLONG_MAX are integers too; compare before converting.
    if (value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(max)) {
      fail(path, "expected " + expected + ", got " + value.dump());
      return std::nullopt;
    }
    const auto n = value.get<long long>();
    if (n < min || n > max) {
      fail(path, "expected " + expected + ", got " + std::to_string(n));
      return std::nullopt;
    }
    return n;
  }

  /// Calls `each(element, path)` for every element of an array.
  template <class Each>
  void array(const json& value, const std::string& path, std::string_view expected, Each each) {
    if (failed()) return;
    if (!value.is_array()) {
      type_error(value, path, expected);
      return;
    }
    for (std::size_t i = 0; i < value.size() && !failed(); ++i) each(value[i], child(path, i));
  }

  /// A host name or IP literal, lowercased.
  std::optional<std::string> host(const json& value, const std::string& path, bool allow_ip) {
    auto s = string(value, path, "a host name");
    if (!s) return std::nullopt;
    auto lower = ascii_lower(*s);
    if (is_host_name(lower) || (allow_ip && is_ip_literal(lower))) return lower;
    fail(path, std::string("expected a host name") + (allow_ip ? " or IP address" : "") + ", got " + quote_value(*s));
    return std::nullopt;
  }

  /// An IP literal, normalised.
  std::optional<std::string> ip(const json& value, const std::string& path) {
    auto s = string(value, path, "an IP address");
    if (!s) return std::nullopt;
    if (auto address = IpAddress::parse(*s); address && s->find('%') == std::string::npos) return address->to_string();
    fail(path, "expected an IP address such as \"10.0.0.5\", got " + quote_value(*s));
    return std::nullopt;
  }

 private:
  std::string source_;
  std::optional<InputError> error_;
};

/// One allowed key of an object and how to read its value into a T.
template <class T>
struct Key {
  std::string_view name;
  void (*read)(ConfigReader&, const json&, const std::string&, T&);
};

/// Reads an object through its key table; a key not in the table is a typo and an error, with the
/// nearest known key suggested.
template <class T>
void read_object(ConfigReader& r, const json& value, const std::string& path, std::span<const Key<T>> keys, T& out) {
  if (r.failed()) return;
  if (!value.is_object()) {
    r.type_error(value, path, "an object");
    return;
  }
  for (const auto& [name, element] : value.items()) {
    if (r.failed()) return;
    const auto key = std::ranges::find(keys, std::string_view(name), &Key<T>::name);
    if (key != keys.end()) {
      key->read(r, element, child(path, name), out);
      continue;
    }
    std::string message = "unknown key " + quote_value(name);
    const Key<T>* best = nullptr;
    std::size_t best_distance = 3;
    for (const auto& k : keys) {
      if (const auto d = distance(name, k.name); d < best_distance && d <= k.name.size() / 2) {
        best = &k;
        best_distance = d;
      }
    }
    if (best != nullptr) {
      message += "; did you mean \"" + std::string(best->name) + "\"?";
    } else {
      message += "; expected one of:";
      for (const auto& k : keys) message += (&k == keys.data() ? " " : ", ") + std::string(k.name);
    }
    r.fail(child(path, name), message);
  }
}

// ---------------------------------------------------------------------------------------------
// extra_hosts[].http

struct HttpSpec {
  HttpRequest request;
  std::vector<int> reachable;
};

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+.^_`|~-").find(c) != std::string_view::npos;
}

constexpr Key<HttpSpec> kHttpKeys[] = {
    {"method",
     [](ConfigReader& r, const json& v, const std::string& p, HttpSpec& out) {
       auto s = r.string(v, p, "an HTTP method such as \"GET\"");
       if (!s) return;
       if (s->empty() || s->size() > 16 || !std::ranges::all_of(*s, [](char c) { return c >= 'A' && c <= 'Z'; })) {
         return r.fail(p, "expected an HTTP method such as \"GET\" or \"HEAD\", got " + quote_value(*s));
       }
       out.request.method = *s;
     }},
    {"target",
     [](ConfigReader& r, const json& v, const std::string& p, HttpSpec& out) {
       auto s = r.string(v, p, "a request target such as \"/health\"");
       if (!s) return;
       const bool printable = std::ranges::all_of(*s, [](unsigned char c) { return c > 0x20 && c < 0x7f; });
       if (!s->starts_with('/') || !printable || s->size() > 2048) {
         return r.fail(p, "expected a request target starting with '/' (no spaces or control characters), got " +
                              quote_value(*s));
       }
       out.request.target = *s;
     }},
    {"headers",
     [](ConfigReader& r, const json& v, const std::string& p, HttpSpec& out) {
       if (!v.is_object()) return r.type_error(v, p, "an object of header names to values");
       for (const auto& [name, value] : v.items()) {
         const auto at = child(p, name);
         if (name.empty() || !std::ranges::all_of(name, token_char)) {
           return r.fail(at, "is not a valid header name");
         }
         auto s = r.string(value, at, "a header value");
         if (!s) return;
         // CR or LF in a value would let a config inject headers or a second request.
         if (!std::ranges::all_of(*s, [](unsigned char c) { return c >= 0x20 && c < 0x7f; })) {
           return r.fail(at, "header values must be printable ASCII (no CR, LF or control characters)");
         }
         out.request.headers.emplace_back(name, *s);
       }
     }},
    {"reachable_statuses",
     [](ConfigReader& r, const json& v, const std::string& p, HttpSpec& out) {
       r.array(v, p, "an array of HTTP statuses", [&](const json& e, const std::string& at) {
         if (auto n = r.integer(e, at, 100, 599, "an HTTP status")) out.reachable.push_back(static_cast<int>(*n));
       });
     }},
};

// ---------------------------------------------------------------------------------------------
// extra_hosts[]

bool valid_extra_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         std::ranges::all_of(id, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'; });
}

constexpr Key<ExtraHost> kExtraHostKeys[] = {
    {"id",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       auto s = r.string(v, p, "an id");
       if (!s) return;
       if (!valid_extra_id(*s)) return r.fail(p, "expected lowercase letters, digits, '.', '-' or '_', got " + quote_value(*s));
       if (is_catalog_id(*s)) return r.fail(p, quote_value(*s) + " is a catalog target id; choose another");
       out.id = *s;
     }},
    {"host",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       if (auto h = r.host(v, p, /*allow_ip=*/true)) out.host = *h;
     }},
    {"ports",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       out.ports.clear();
       r.array(v, p, "an array of ports", [&](const json& e, const std::string& at) {
         if (auto n = r.integer(e, at, 1, 65535, "a port")) {
           const auto port = static_cast<std::uint16_t>(*n);
           if (std::ranges::find(out.ports, port) == out.ports.end()) out.ports.push_back(port);
         }
       });
       if (!r.failed() && out.ports.empty()) r.fail(p, "expected at least one port");
     }},
    {"category",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       auto s = r.string(v, p, "a category name");
       if (!s) return;
       if (!parse_category(*s)) {
         return r.fail(p, "expected one of dnsResolution, storageAccount, keyVault, containerRegistry, "
                          "applicationInsights, others, packageRepositories, environment; got " + quote_value(*s));
       }
       out.category = *s;
     }},
    {"service",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       if (auto s = r.plain_string(v, p, "a service name")) out.service = *s;
     }},
    {"required",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       if (auto b = r.boolean(v, p)) out.required = *b;
     }},
    {"tls",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       if (auto b = r.boolean(v, p)) out.tls = *b;
     }},
    {"private_endpoint",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       if (auto b = r.boolean(v, p)) out.private_endpoint = *b;
     }},
    {"privatelink_zone",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       if (auto h = r.host(v, p, /*allow_ip=*/false)) out.privatelink_zone = *h;
     }},
    {"expected_ips",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       r.array(v, p, "an array of IP addresses", [&](const json& e, const std::string& at) {
         if (auto ip = r.ip(e, at)) out.expected_ips.push_back(*ip);
       });
     }},
    {"http",
     [](ConfigReader& r, const json& v, const std::string& p, ExtraHost& out) {
       HttpSpec spec;
       read_object<HttpSpec>(r, v, p, kHttpKeys, spec);
       out.http = std::move(spec.request);
       out.reachable_statuses = std::move(spec.reachable);
     }},
};

// ---------------------------------------------------------------------------------------------
// Budgets and proxy

template <std::chrono::milliseconds Budgets::*Member>
void read_budget(ConfigReader& r, const json& v, const std::string& p, Budgets& out) {
  if (auto n = r.integer(v, p, 1, 3'600'000, "milliseconds")) out.*Member = std::chrono::milliseconds(*n);
}

constexpr Key<Budgets> kBudgetKeys[] = {
    {"dns", read_budget<&Budgets::dns>},         {"connect", read_budget<&Budgets::connect>},
    {"proxy", read_budget<&Budgets::proxy>},     {"tls", read_budget<&Budgets::tls>},
    {"http", read_budget<&Budgets::http>},       {"deadline", read_budget<&Budgets::deadline>},
};

constexpr Key<ProxySettings> kProxyKeys[] = {
    {"url",
     [](ConfigReader& r, const json& v, const std::string& p, ProxySettings& out) {
       auto s = r.string(v, p, "a proxy URL such as \"http://proxy.contoso.com:3128\"");
       if (!s || s->empty()) return;  // "" means: connect directly
       std::string why;
       auto url = ProxyUrl::parse(*s, &why);
       // The URL may carry a password: the message never repeats it.
       if (!url) return r.fail(p, sanitized(why));
       out.https_proxy = *url;
       out.http_proxy = *url;
     }},
    {"no_proxy",
     [](ConfigReader& r, const json& v, const std::string& p, ProxySettings& out) {
       if (v.is_string()) {
         if (auto s = r.plain_string(v, p, "a list")) out.no_proxy = parse_no_proxy(*s);
         return;
       }
       r.array(v, p, "a comma-separated string or an array of host names", [&](const json& e, const std::string& at) {
         if (auto s = r.plain_string(e, at, "a host, domain, IP or CIDR")) {
           for (auto& entry : parse_no_proxy(*s)) out.no_proxy.push_back(std::move(entry));
         }
       });
     }},
};

// ---------------------------------------------------------------------------------------------
// Top level

bool valid_skip(std::string_view entry) {
  return !entry.empty() && entry.size() <= 253 && std::ranges::all_of(entry, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '*';
  });
}

void read_path(ConfigReader& r, const json& v, const std::string& p, std::string& out) {
  if (auto s = r.plain_string(v, p, "a file path")) out = *s;
}

constexpr Key<Config> kTopKeys[] = {
    {"$schema", [](ConfigReader& r, const json& v, const std::string& p, Config&) { r.string(v, p, "a URL"); }},
    {"vnet",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       r.array(v, p, "an array of CIDR ranges", [&](const json& e, const std::string& at) {
         auto s = r.string(e, at, "a CIDR range such as \"10.0.0.0/16\"");
         if (!s) return;
         if (auto cidr = Cidr::parse(*s)) return out.vnet.push_back(*cidr);
         r.fail(at, "expected a CIDR range such as \"10.0.0.0/16\", got " + quote_value(*s));
       });
     }},
    {"extra_hosts",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       r.array(v, p, "an array of host objects", [&](const json& e, const std::string& at) {
         ExtraHost host;
         read_object<ExtraHost>(r, e, at, kExtraHostKeys, host);
         if (r.failed()) return;
         if (host.host.empty()) return r.fail(at, "missing \"host\"");
         if (host.id.empty()) host.id = "extra." + host.host;
         if (host.service.empty()) host.service = host.host;
         out.extra_hosts.push_back(std::move(host));
       });
     }},
    {"expected_ips",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       if (!v.is_object()) return r.type_error(v, p, "an object of host names to arrays of IP addresses");
       for (const auto& [name, ips] : v.items()) {
         const auto at = child(p, name);
         const auto host = ascii_lower(name);
         if (!is_host_name(host) && !is_ip_literal(host)) return r.fail(at, "is not a host name");
         auto& list = out.expected_ips[host];
         r.array(ips, at, "an array of IP addresses", [&](const json& e, const std::string& eat) {
           if (auto ip = r.ip(e, eat)) list.push_back(*ip);
         });
       }
     }},
    {"skip",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       r.array(v, p, "an array of target ids or host names", [&](const json& e, const std::string& at) {
         auto s = r.string(e, at, "a target id or host name");
         if (!s) return;
         if (!valid_skip(*s)) return r.fail(at, "expected a target id (\"vscode.web\") or host name, got " + quote_value(*s));
         out.skip.push_back(ascii_lower(*s));
       });
     }},
    {"wildcard_hosts",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       if (!v.is_object()) return r.type_error(v, p, "an object of target ids to arrays of host names");
       for (const auto& [id, hosts] : v.items()) {
         const auto at = child(p, id);
         if (!is_wildcard_id(id)) {
           return r.fail(at, quote_value(id) + " is not a wildcard target of the catalog (see docs/catalog.md)");
         }
         auto& list = out.wildcard_hosts[id];
         r.array(hosts, at, "an array of host names", [&](const json& e, const std::string& eat) {
           if (auto h = r.host(e, eat, /*allow_ip=*/false)) list.push_back(*h);
         });
       }
     }},
    {"app_insights_connection_string",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       auto s = r.string(v, p, "the Application Insights component's connection string");
       if (!s) return;
       // "InstrumentationKey=...;IngestionEndpoint=https://<region>-N.in.applicationinsights.azure.com/;..."
       // Only the ingestion host is kept: the key identifies the component and never reaches a report.
       const auto host = ingestion_host(*s);
       if (host.empty()) {
         return r.fail(p, "expected a connection string with IngestionEndpoint=https://<host>/ (the component's "
                          "Overview page shows it)");
       }
       out.app_insights_ingest_host = host;
     }},
    {"expect_private_endpoints",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       if (auto b = r.boolean(v, p)) out.expect_private_endpoints = *b;
     }},
    {"budgets_ms",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       read_object<Budgets>(r, v, p, kBudgetKeys, out.budgets);
     }},
    {"dns_servers",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       r.array(v, p, "an array of DNS server addresses", [&](const json& e, const std::string& at) {
         auto s = r.string(e, at, "a DNS server address such as \"10.0.0.4\" or \"10.0.0.4:53\"");
         if (!s) return;
         if (auto endpoint = Endpoint::parse(*s, 53)) return out.dns_servers.push_back(*endpoint);
         r.fail(at, "expected a DNS server address such as \"10.0.0.4\" or \"[fd00::4]:53\", got " + quote_value(*s));
       });
     }},
    {"azure_dns",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       auto s = r.string(v, p, "an address such as \"168.63.129.16\"");
       if (!s) return;
       if (auto endpoint = Endpoint::parse(*s, 53)) {
         out.azure_dns = *endpoint;
         return;
       }
       r.fail(p, "expected an address such as \"168.63.129.16\" or \"127.0.0.1:5353\", got " + quote_value(*s));
     }},
    {"metadata_url",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       auto s = r.string(v, p, "a URL such as \"http://169.254.169.254\"");
       if (!s) return;
       if (!parse_http_url(*s)) {
         return r.fail(p, "expected an http:// URL such as \"http://169.254.169.254\", got " + quote_value(*s));
       }
       out.metadata_url = *s;
     }},
    {"arm_url",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       auto s = r.string(v, p, "a URL such as \"https://management.azure.com\"");
       if (!s) return;
       // The VM's bearer token goes there: never over plain HTTP.
       if (const auto url = parse_http_url(*s); !url || !url->tls) {
         return r.fail(p, "expected an https:// URL such as \"https://management.azure.com\", got " + quote_value(*s));
       }
       out.arm_url = *s;
     }},
    {"resolv_conf", [](ConfigReader& r, const json& v, const std::string& p, Config& out) { read_path(r, v, p, out.resolv_conf); }},
    {"hosts_file", [](ConfigReader& r, const json& v, const std::string& p, Config& out) { read_path(r, v, p, out.hosts_file); }},
    {"ca_file", [](ConfigReader& r, const json& v, const std::string& p, Config& out) { read_path(r, v, p, out.ca_file); }},
    {"tls_issuers",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       r.array(v, p, "an array of certificate issuer names", [&](const json& e, const std::string& at) {
         auto s = r.string(e, at, "part of a certificate issuer's name, such as \"Contoso Root CA\"");
         if (s && !s->empty()) out.tls_issuers.push_back(*s);
       });
     }},
    {"proxy",
     [](ConfigReader& r, const json& v, const std::string& p, Config& out) {
       ProxySettings proxy;
       proxy.origin = "config";
       read_object<ProxySettings>(r, v, p, kProxyKeys, proxy);
       out.proxy = std::move(proxy);
     }},
};

}  // namespace

std::string ingestion_host(std::string_view connection_string) {
  std::string_view rest = connection_string;
  while (!rest.empty()) {
    const auto end = std::min(rest.find(';'), rest.size());
    const auto part = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    const auto eq = part.find('=');
    if (eq == std::string_view::npos || ascii_lower(part.substr(0, eq)) != "ingestionendpoint") continue;
    const auto url = parse_http_url(part.substr(eq + 1));
    if (!url || !url->tls || !is_host_name(ascii_lower(url->host))) return "";
    return ascii_lower(url->host);
  }
  return "";
}

Endpoint Config::default_azure_dns() { return Endpoint{*IpAddress::parse("168.63.129.16"), 53}; }

std::optional<HttpUrl> parse_http_url(std::string_view url) {
  if (!std::ranges::all_of(url, [](unsigned char c) { return c > 0x20 && c < 0x7f; })) return std::nullopt;
  HttpUrl out;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const auto scheme = ascii_lower(url.substr(0, scheme_end));
  if (scheme == "https") {
    out.tls = true;
    out.port = 443;
  } else if (scheme != "http") {
    return std::nullopt;
  }
  auto rest = url.substr(scheme_end + 3);
  const auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  auto path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (path.find_first_of("?#") != std::string_view::npos || authority.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  out.path = std::string(path);
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return std::nullopt;
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  out.host = ascii_lower(out.host);
  if (!is_ip_literal(out.host) && !is_host_name(out.host)) return std::nullopt;
  if (authority.starts_with('[') && out.host.find(':') == std::string::npos) return std::nullopt;
  if (!port_text.empty() || authority.ends_with(':')) {
    unsigned port = 0;
    const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

Parsed<Config> parse_config(std::string_view text, std::string_view source_name) {
  auto parsed = parse_json_text(text, source_name, /*comments=*/true);
  if (auto* e = std::get_if<InputError>(&parsed)) return std::move(*e);
  Config config;
  config.source = std::string(source_name);
  ConfigReader reader(config.source);
  read_object<Config>(reader, std::get<json>(parsed), "", kTopKeys, config);
  if (reader.failed()) return reader.error();
  return config;
}

}  // namespace vnetdiag
