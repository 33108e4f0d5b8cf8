#include "probes/proxy/proxy_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "probes/net/address.hpp"

namespace vnetdiag {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}


std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned value = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16).ptr == s.data() + i + 3) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string host_for_url(const std::string& host) { return is_ip_literal(host) && host.find(':') != std::string::npos ? "[" + host + "]" : host; }

}  // namespace

std::optional<ProxyUrl> ProxyUrl::parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<ProxyUrl> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  std::string_view rest = text;
  if (auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    const std::string scheme = lower(rest.substr(0, scheme_end));
    if (scheme != "http") return fail(scheme.size() <= 8 ? "proxy scheme '" + scheme + "' is not supported (only http:// proxies)"
                                                         : "only http:// proxies are supported");
    rest.remove_prefix(scheme_end + 3);
  }
  if (auto slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(0, slash);
  ProxyUrl out;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    auto userinfo = rest.substr(0, at);
    auto colon = userinfo.find(':');
    out.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) out.password = percent_decode(userinfo.substr(colon + 1));
    rest.remove_prefix(at + 1);
  }
  std::string_view port_text;
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("unterminated [IPv6] host in proxy URL");
    out.host = std::string(rest.substr(1, close - 1));
    // Brackets hold an IPv6 literal and nothing else, as in curl. Taken as a host, "[proxy:1]" would be
    // connected to, and printed by masked(), as a name with a colon in it (found by fuzzing).
    if (const auto ip = IpAddress::parse(out.host); !ip || !ip->v6)
      return fail("the [bracketed] proxy host is not an IPv6 address");
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return fail("unexpected text after ] in proxy URL");
      port_text = after.substr(1);
    }
  } else {
    auto colon = rest.find(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (out.host.empty()) return fail("proxy URL has no host");
  if (std::ranges::any_of(out.host, [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); }))
    return fail("proxy host contains spaces or control characters");
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port == 0 || port > 65535)
      return fail("the proxy port is not a number from 1 to 65535");  // the text may be a misplaced password
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

std::string ProxyUrl::masked() const {
  // The user name goes too: tokens are often passed as the user part ("http://TOKEN@proxy").
  const std::string credentials = user.empty() && password.empty() ? "" : "***@";
  return "http://" + credentials + host_for_url(host) + ":" + std::to_string(port);
}

std::string ProxyUrl::basic_authorization() const {
  if (user.empty() && password.empty()) return {};
  return "Basic " + base64(user + ":" + password);
}

std::vector<std::string> parse_no_proxy(std::string_view list) {
  std::vector<std::string> out;
  std::string current;
  for (char c : list) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) out.push_back(std::exchange(current, {}));
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

bool bypasses_proxy(std::string_view host_in, const std::vector<std::string>& no_proxy) {
  std::string host = lower(host_in);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.ends_with('.')) host.pop_back();
  const auto ip = IpAddress::parse(host);
  for (std::string entry : no_proxy) {
    entry = lower(entry);
    if (entry == "*") return true;
    if (entry.starts_with('[')) {
      auto close = entry.find(']');
      entry = entry.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    }
    if (ip) {
      // curl compares IP hosts with IP or CIDR entries only, never by name suffix.
      if (auto range = Cidr::parse(entry); range && range->contains(*ip)) return true;
      continue;
    }
    if (entry.starts_with('.')) entry.erase(0, 1);
    if (entry.ends_with('.')) entry.pop_back();
    if (entry.empty()) continue;
    if (host == entry) return true;
    if (host.size() > entry.size() && host.ends_with(entry) && host[host.size() - entry.size() - 1] == '.') return true;
  }
  return false;
}

ProxySettings proxy_settings_from_env(EnvLookup env, std::vector<std::string>* errors) {
  auto first = [&](std::initializer_list<const char*> names) -> std::optional<std::pair<std::string, std::string>> {
    for (const char* name : names) {
      if (auto value = env(name); value && !value->empty()) return std::pair{std::string(name), *value};
    }
    return std::nullopt;
  };
  auto url = [&](std::initializer_list<const char*> names) -> std::optional<ProxyUrl> {
    auto found = first(names);
    if (!found) return std::nullopt;
    std::string why;
    if (auto parsed = ProxyUrl::parse(found->second, &why)) return parsed;
    if (errors != nullptr) errors->push_back(found->first + ": " + why);
    return std::nullopt;
  };
  ProxySettings out;
  // curl: lowercase first; for plain http only the lowercase name (uppercase HTTP_PROXY can be set by a
  // CGI request header, "httpoxy"); ALL_PROXY is the fallback for both.
  out.https_proxy = url({"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"});
  out.http_proxy = url({"http_proxy", "all_proxy", "ALL_PROXY"});
  if (auto list = first({"no_proxy", "NO_PROXY"})) out.no_proxy = parse_no_proxy(list->second);
  out.origin = (out.https_proxy || out.http_proxy) ? "environment" : "none";
  return out;
}

std::optional<ProxyUrl> choose_proxy(const ProxySettings& settings, std::string_view host, bool tls) {
  const auto& proxy = tls ? settings.https_proxy : settings.http_proxy;
  if (!proxy || bypasses_proxy(host, settings.no_proxy)) return std::nullopt;
  return proxy;
}

}  // namespace vnetdiag
