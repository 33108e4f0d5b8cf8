#include "agent/plan/azure_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace vnetdiag {
namespace {

enum CharClass : unsigned {
  kLower = 1,
  kUpper = 2,
  kDigit = 4,
  kHyphen = 8,
  kUnderscore = 16,
  kPeriod = 32,
  kParens = 64,
  kAlnum = kLower | kUpper | kDigit,
};

unsigned class_of(char c) {
  if (c >= 'a' && c <= 'z') return kLower;
  if (c >= 'A' && c <= 'Z') return kUpper;
  if (c >= '0' && c <= '9') return kDigit;
  switch (c) {
    case '-': return kHyphen;
    case '_': return kUnderscore;
    case '.': return kPeriod;
    case '(':
    case ')': return kParens;
    default: return 0;
  }
}

struct NameRule {
  NameKind kind;
  std::size_t min, max;
  unsigned allowed, first, last;
  bool no_double_hyphen;
  bool guid;
  std::string_view text;
};

// Azure resource naming rules ("Naming rules and restrictions for Azure resources"); the storage,
// Key Vault and ACR names become host labels (azureml-network-facts.md §1.4–§1.6), the region and
// workspace GUID become labels of the workspace FQDNs (§1.1), so nothing outside these classes can
// reach a host name, a report or a shell.
constexpr std::array<NameRule, 9> kRules{{
    {NameKind::guid, 36, 36, 0, 0, 0, false, true, "a GUID: 8-4-4-4-12 hexadecimal digits"},
    {NameKind::region, 2, 40, kLower | kDigit, kLower, kLower | kDigit, false, false,
     "an Azure location name such as eastus (lowercase letters and digits)"},
    {NameKind::storage_account, 3, 24, kLower | kDigit, kLower | kDigit, kLower | kDigit, false, false,
     "3-24 lowercase letters and digits"},
    {NameKind::key_vault, 3, 24, kAlnum | kHyphen, kLower | kUpper, kAlnum, true, false,
     "3-24 letters, digits and hyphens, starting with a letter, not ending with a hyphen, no double hyphens"},
    {NameKind::container_registry, 5, 50, kAlnum, kAlnum, kAlnum, false, false, "5-50 letters and digits"},
    {NameKind::app_insights, 1, 255, kAlnum | kHyphen | kUnderscore | kPeriod | kParens,
     kAlnum | kHyphen | kUnderscore | kPeriod | kParens, kAlnum | kHyphen | kUnderscore | kParens, false, false,
     "1-255 letters, digits, hyphens, underscores, periods and parentheses, not ending with a period"},
    {NameKind::compute, 2, 24, kAlnum | kHyphen, kLower | kUpper, kAlnum, false, false,
     "2-24 letters, digits and hyphens, starting with a letter and ending with a letter or digit"},
    {NameKind::workspace_name, 3, 33, kAlnum | kHyphen | kUnderscore, kAlnum, kAlnum | kHyphen | kUnderscore, false,
     false, "3-33 letters, digits, hyphens and underscores, starting with a letter or digit"},
    {NameKind::resource_group, 1, 90, kAlnum | kHyphen | kUnderscore | kPeriod | kParens,
     kAlnum | kHyphen | kUnderscore | kPeriod | kParens, kAlnum | kHyphen | kUnderscore | kParens, false, false,
     "1-90 letters, digits, hyphens, underscores, periods and parentheses, not ending with a period"},
}};

const NameRule& rule_for(NameKind kind) { return *std::ranges::find(kRules, kind, &NameRule::kind); }

bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position != (s[i] == '-')) return false;
    if (!dash_position && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto at = s.find(sep, start);
    parts.push_back(s.substr(start, at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

}  // namespace

std::string_view name_rule(NameKind kind) { return rule_for(kind).text; }

std::string name_problem(NameKind kind, std::string_view name) {
  const auto& rule = rule_for(kind);
  if (name.empty()) return "is empty; expected " + std::string(rule.text);
  if (rule.guid) return is_guid(name) ? "" : "is not " + std::string(rule.text);
  for (char c : name) {
    if ((class_of(c) & rule.allowed) == 0) {
      const auto u = static_cast<unsigned char>(c);
      const std::string what = u < 0x20 || u == 0x7f ? "a control character"
                               : u >= 0x80           ? "a non-ASCII byte"
                               : c == ' '            ? "a space"
                                                     : std::string("'") + c + "'";
      return "contains " + what + "; expected " + std::string(rule.text);
    }
  }
  if (name.size() < rule.min || name.size() > rule.max) {
    return "has " + std::to_string(name.size()) + " characters; expected " + std::string(rule.text);
  }
  if ((class_of(name.front()) & rule.first) == 0 || (class_of(name.back()) & rule.last) == 0 ||
      (rule.no_double_hyphen && name.find("--") != std::string_view::npos)) {
    return "is not " + std::string(rule.text);
  }
  return "";
}

std::optional<ResourceId> parse_resource_id(std::string_view id) {
  // "/subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME" splits into 9 parts, the first empty.
  const auto parts = split(id, '/');
  if (parts.size() != 9 || !parts[0].empty() || !iequals(parts[1], "subscriptions") ||
      !iequals(parts[3], "resourceGroups") || !iequals(parts[5], "providers")) {
    return std::nullopt;
  }
  for (std::size_t i = 2; i < parts.size(); ++i) {
    if (parts[i].empty()) return std::nullopt;
  }
  return ResourceId{std::string(parts[2]), std::string(parts[4]), std::string(parts[6]), std::string(parts[7]),
                    std::string(parts[8])};
}

bool has_type(const ResourceId& id, std::string_view provider_type) {
  return iequals(id.provider + "/" + id.type, provider_type);
}

bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (auto label : split(host, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if ((class_of(c) & (kAlnum | kHyphen)) == 0) return false;
    }
  }
  return true;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view url_host(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const auto rest = url.substr(scheme_end + 3);
  return rest.substr(0, rest.find_first_of("/:?#"));
}

}  // namespace vnetdiag
