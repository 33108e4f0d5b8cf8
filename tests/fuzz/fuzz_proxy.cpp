// Proxy settings from the environment: a proxy URL (https_proxy, http_proxy, all_proxy, --proxy) through
// ProxyUrl::parse() and its printers, and a NO_PROXY list through parse_no_proxy() and bypasses_proxy().
// The input is "URL\nNO_PROXY\nHOST": each line is fed to its own parser.
#include <cstddef>
#include <cstdint>

#include <algorithm>

#include "probes/net/address.hpp"
#include "probes/proxy/proxy_config.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;

namespace {

std::string_view next_line(std::string_view& text) {
  const auto nl = text.find('\n');
  const auto line = text.substr(0, nl);
  text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  return line;
}

std::string base64_decode(std::string_view in) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    buffer = (buffer << 6) | static_cast<unsigned>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

void check_url(std::string_view text) {
  std::string error;
  const auto url = ProxyUrl::parse(text, &error);
  if (!url) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  FUZZ_CHECK(!url->host.empty() && url->port != 0);
  // The masked form carries no credential, and reads back as the same proxy.
  const auto masked = url->masked();
  const bool credentials = !url->user.empty() || !url->password.empty();
  FUZZ_CHECK(masked.starts_with(credentials ? "http://***@" : "http://") && masked.ends_with(":" + std::to_string(url->port)));
  const auto again = ProxyUrl::parse(masked, nullptr);
  FUZZ_CHECK(again && again->port == url->port);
  if (is_ip_literal(url->host) || url->host.find_first_of(":@/[]") == std::string::npos) FUZZ_CHECK(again->host == url->host);
  // Proxy-Authorization decodes to exactly "user:password".
  const auto authorization = url->basic_authorization();
  if (url->user.empty() && url->password.empty()) {
    FUZZ_CHECK(authorization.empty());
  } else {
    FUZZ_CHECK(authorization.starts_with("Basic "));
    FUZZ_CHECK(base64_decode(std::string_view(authorization).substr(6)) == url->user + ":" + url->password);
  }
}

void check_no_proxy(std::string_view list, std::string_view host) {
  const auto entries = parse_no_proxy(list);
  for (const auto& entry : entries) FUZZ_CHECK(!entry.empty() && entry.find_first_of(", \t\n") == std::string::npos);
  const bool bypass = bypasses_proxy(host, entries);
  // "*" bypasses every host, and the letter case of the host never matters.
  FUZZ_CHECK(bypasses_proxy(host, {"*"}));
  std::string upper(host);
  std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  FUZZ_CHECK(bypasses_proxy(upper, entries) == bypass);
  // A host is bypassed by its own name as an entry (names only: an IP host matches IP and CIDR entries).
  if (!host.empty() && !host.ends_with('.') && !host.starts_with('.') && !host.starts_with('[') &&
      host.find_first_of(", \t\n") == std::string_view::npos && !IpAddress::parse(host))
    FUZZ_CHECK(bypasses_proxy(host, {std::string(host)}));
  // choose_proxy agrees with bypasses_proxy.
  ProxySettings settings;
  settings.https_proxy = ProxyUrl{"proxy.example", 3128, {}, {}};
  settings.no_proxy = entries;
  FUZZ_CHECK(choose_proxy(settings, host, true).has_value() == !bypass);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = as_text(data, size);
  const auto url = next_line(text);
  const auto no_proxy = next_line(text);
  const auto host = next_line(text);
  check_url(url);
  check_no_proxy(no_proxy, host);
  return 0;
}
