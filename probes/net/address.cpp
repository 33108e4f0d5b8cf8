#include "probes/net/address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

namespace vnetdiag {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || text.empty() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

/// True when the first `prefix` bits of a and b are equal.
bool same_prefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, int prefix) {
  int whole = prefix / 8;
  if (!std::equal(a.begin(), a.begin() + whole, b.begin())) return false;
  if (int rest = prefix % 8; rest != 0) {
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
  }
  return true;
}

struct Range {
  const char* cidr;
  AddressClass cls;
};

// Order matters only where ranges nest; none of these do.
constexpr Range kRanges[] = {
    {"127.0.0.0/8", AddressClass::loopback},     {"::1/128", AddressClass::loopback},
    {"10.0.0.0/8", AddressClass::private_ip},    {"172.16.0.0/12", AddressClass::private_ip},
    {"192.168.0.0/16", AddressClass::private_ip}, {"fc00::/7", AddressClass::private_ip},
    {"100.64.0.0/10", AddressClass::shared},     {"169.254.0.0/16", AddressClass::link_local},
    {"fe80::/10", AddressClass::link_local},     {"0.0.0.0/8", AddressClass::other},
    {"224.0.0.0/3", AddressClass::other},        {"192.0.2.0/24", AddressClass::other},
    {"198.51.100.0/24", AddressClass::other},    {"203.0.113.0/24", AddressClass::other},
    {"::/128", AddressClass::other},             {"ff00::/8", AddressClass::other},
    {"2001:db8::/32", AddressClass::other},
};

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (auto pct = text.find('%'); pct != std::string_view::npos) text = text.substr(0, pct);  // drop a zone id
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  IpAddress out;
  if (::inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) return out;
  if (::inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    out.v6 = true;
    return out;
  }
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer);
  return buffer;
}

std::optional<Endpoint> Endpoint::parse(std::string_view text, std::uint16_t default_port) {
  Endpoint out;
  out.port = default_port;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    auto address = IpAddress::parse(text.substr(1, close - 1));
    if (!address || !address->v6) return std::nullopt;
    out.address = *address;
    auto rest = text.substr(close + 1);
    if (rest.empty()) return out;
    if (!rest.starts_with(':')) return std::nullopt;
    auto port = parse_port(rest.substr(1));
    if (!port) return std::nullopt;
    out.port = *port;
    return out;
  }
  if (auto address = IpAddress::parse(text)) {  // "10.0.0.4" or a bare IPv6 literal
    out.address = *address;
    return out;
  }
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto address = IpAddress::parse(text.substr(0, colon));
  auto port = parse_port(text.substr(colon + 1));
  if (!address || address->v6 || !port) return std::nullopt;  // IPv6 with a port needs brackets
  out.address = *address;
  out.port = *port;
  return out;
}

std::string Endpoint::to_string() const {
  return address.v6 ? "[" + address.to_string() + "]:" + std::to_string(port)
                    : address.to_string() + ":" + std::to_string(port);
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  auto slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address || text.substr(0, slash).find('%') != std::string_view::npos) return std::nullopt;
  const int max = address->v6 ? 128 : 32;
  int prefix = max;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || digits.empty() || prefix < 0 || prefix > max)
      return std::nullopt;
  }
  return Cidr{*address, prefix};
}

bool Cidr::contains(const IpAddress& address) const {
  return address.v6 == network.v6 && same_prefix(network.bytes, address.bytes, prefix);
}

bool Cidr::overlaps(const Cidr& other) const {
  return network.v6 == other.network.v6 && same_prefix(network.bytes, other.network.bytes, std::min(prefix, other.prefix));
}

std::string Cidr::to_string() const { return network.to_string() + "/" + std::to_string(prefix); }

AddressClass classify(const IpAddress& address) {
  static const auto ranges = [] {
    std::vector<std::pair<Cidr, AddressClass>> parsed;
    for (const auto& range : kRanges) parsed.emplace_back(*Cidr::parse(range.cidr), range.cls);
    return parsed;
  }();
  for (const auto& [cidr, cls] : ranges) {
    if (cidr.contains(address)) return cls;
  }
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is classified as the IPv4 address it carries.
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (address.v6 && std::memcmp(address.bytes.data(), kMapped, 12) == 0) {
    IpAddress v4;
    std::copy_n(address.bytes.begin() + 12, 4, v4.bytes.begin());
    return classify(v4);
  }
  return AddressClass::public_ip;
}

ResolvedAddress classify(std::string ip, std::uint32_t ttl, std::span<const Cidr> vnet) {
  ResolvedAddress out{std::move(ip), ttl, AddressClass::other, false};
  if (auto address = IpAddress::parse(out.ip)) {
    out.cls = classify(*address);
    out.in_vnet = std::ranges::any_of(vnet, [&](const Cidr& c) { return c.contains(*address); });
  }
  return out;
}

bool is_ip_literal(std::string_view text) { return IpAddress::parse(text).has_value(); }

bool is_valid_hostname(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!allowed || ++label > 63) return false;
  }
  return label > 0;
}

std::optional<HostPort> parse_host_port(std::string_view text, std::uint16_t default_port) {
  if (auto ip = IpAddress::parse(text); ip && text.find('%') == std::string_view::npos) return HostPort{ip->to_string(), default_port};
  if (text.starts_with('[')) {
    auto endpoint = Endpoint::parse(text, default_port);
    if (!endpoint) return std::nullopt;
    return HostPort{endpoint->address.to_string(), endpoint->port};
  }
  HostPort out{std::string(text), default_port};
  if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    auto port = parse_port(text.substr(colon + 1));
    if (!port) return std::nullopt;
    out.host = std::string(text.substr(0, colon));
    out.port = *port;
  }
  if (!is_ip_literal(out.host) && !is_valid_hostname(out.host)) return std::nullopt;
  return out;
}

}  // namespace vnetdiag
