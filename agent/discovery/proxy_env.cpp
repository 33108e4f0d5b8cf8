#include "agent/discovery/proxy_env.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <span>
#include <string_view>

namespace vnetdiag {
namespace {

constexpr std::string_view kTopic = "proxy";

/// curl's order of precedence for each use (proxy_settings_from_env follows the same lists).
constexpr std::array<const char*, 4> kHttpsOrder{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
constexpr std::array<const char*, 3> kHttpOrder{"http_proxy", "all_proxy", "ALL_PROXY"};
constexpr std::array<const char*, 2> kNoProxyOrder{"no_proxy", "NO_PROXY"};

/// Every variable worth showing, in the order they are listed.
struct VariableRule {
  const char* name;
  bool url;                 ///< holds a proxy URL (else a NO_PROXY list)
  const char* lower_twin;   ///< the lowercase spelling that wins over this one, or nullptr
};

constexpr VariableRule kVariables[] = {
    {"https_proxy", true, nullptr},
    {"HTTPS_PROXY", true, "https_proxy"},
    {"http_proxy", true, nullptr},
    // curl refuses the uppercase name because a CGI request header can set it ("httpoxy"); Python's urllib
    // reads it (VND-PXY-007 judges that).
    {"HTTP_PROXY", true, "http_proxy"},
    {"all_proxy", true, nullptr},
    {"ALL_PROXY", true, "all_proxy"},
    {"no_proxy", false, nullptr},
    {"NO_PROXY", false, "no_proxy"},
};

/// The first variable of `order` that is set and not empty, as curl picks it.
std::optional<std::string> winner(EnvLookup env, std::span<const char* const> order) {
  for (const char* name : order) {
    if (auto value = env(name); value && !value->empty()) return std::string(name);
  }
  return std::nullopt;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Everything from the scheme to the last '@' replaced: passwords may contain '@', ':' or '/'.
std::string mask_userinfo(std::string_view raw) {
  const auto scheme_end = raw.find("://");
  const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto at = raw.rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(raw);
  return std::string(raw.substr(0, start)) + "***" + std::string(raw.substr(at));
}

/// ProxyUrl::parse quotes parts of the value in its messages (a port that is not a number may be the
/// end of a password); every quoted part but the scheme is hidden.
std::string scrub(std::string_view reason, std::string_view raw) {
  const auto scheme_end = raw.find("://");
  const std::string scheme = scheme_end == std::string_view::npos ? "" : lower(raw.substr(0, scheme_end));
  std::string out;
  while (!reason.empty()) {
    const auto open = reason.find('\'');
    const auto close = open == std::string_view::npos ? open : reason.find('\'', open + 1);
    if (close == std::string_view::npos) {
      out += reason;
      break;
    }
    const auto quoted = reason.substr(open + 1, close - open - 1);
    out += std::string(reason.substr(0, open + 1)) + (!scheme.empty() && quoted == scheme ? std::string(quoted) : "***") + "'";
    reason.remove_prefix(close + 1);
  }
  return out;
}

bool has_credentials(const std::string& raw) {
  const auto url = ProxyUrl::parse(raw, nullptr);
  return raw.find('@') != std::string::npos || (url && (!url->user.empty() || !url->password.empty()));
}

}  // namespace

std::string mask_proxy_value(const std::string& value) {
  if (!ProxyUrl::parse(value, nullptr)) return {};
  return mask_userinfo(value);
}

ProxyDiscovery describe_proxy(EnvLookup env) {
  ProxyDiscovery out;
  auto note = [&](std::string text) { out.notes.push_back({std::string(kTopic), std::move(text)}); };
  const auto https_winner = winner(env, kHttpsOrder);
  const auto http_winner = winner(env, kHttpOrder);
  const auto no_proxy_winner = winner(env, kNoProxyOrder);
  const auto is = [](const std::optional<std::string>& w, const char* name) { return w && *w == name; };

  for (const auto& rule : kVariables) {
    const auto value = env(rule.name);
    if (!value) continue;
    ProxyVariable variable;
    variable.name = rule.name;
    variable.used = is(https_winner, rule.name) || is(http_winner, rule.name) || is(no_proxy_winner, rule.name);
    if (rule.url) {
      variable.value = mask_proxy_value(*value);
      variable.credentials = has_credentials(*value);
      std::string why;
      if (!value->empty() && !ProxyUrl::parse(*value, &why)) {
        out.errors.push_back(std::string(rule.name) + " is not a usable proxy URL: " + scrub(why, *value) +
                             (variable.used ? "" : " (not used: another variable wins)"));
      } else if (auto url = ProxyUrl::parse(*value, nullptr);
                 url && value->find('@') != std::string::npos && url->user.empty() && url->password.empty()) {
        // curl ends the host part at the first '/', '?' or '#': an unencoded one in a password turns the
        // rest of the URL into a path, and part of the password into the host.
        out.errors.push_back(std::string(rule.name) +
                             ": the user information contains '/', '?' or '#' that is not percent-encoded, "
                             "so curl takes part of it for the proxy host; percent-encode it (%2F, %3F, %23)");
      }
    } else {
      variable.value = *value;
    }
    const auto twin = rule.lower_twin != nullptr ? env(rule.lower_twin) : std::nullopt;
    if (twin && !twin->empty() && *twin != *value)
      note(std::string(rule.lower_twin) + " and " + rule.name + " differ: curl and vnetdiag use " + rule.lower_twin);
    out.variables.push_back(std::move(variable));
  }

  const ProxySettings settings = proxy_settings_from_env(env, nullptr);
  if (settings.https_proxy && https_winner) {
    out.https_proxy = mask_proxy_value(*env(https_winner->c_str()));
    out.https_from = *https_winner;
  }
  if (settings.http_proxy && http_winner) {
    out.http_proxy = mask_proxy_value(*env(http_winner->c_str()));
    out.http_from = *http_winner;
  }
  out.no_proxy = settings.no_proxy;

  return out;
}

}  // namespace vnetdiag
