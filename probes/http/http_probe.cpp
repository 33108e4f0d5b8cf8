#include "probes/http/http_probe.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

#include "probes/version.hpp"

namespace vnetdiag::http {

namespace {
constexpr std::string_view kCapturedHeaders[] = {
    "Server", "WWW-Authenticate", "x-ms-error-code", "x-ms-keyvault-network-info", "x-ms-keyvault-region",
    "x-ms-request-id", "Date", "Location", "Content-Type", "Content-Length", "Docker-Distribution-Api-Version",
    "Via", "Proxy-Authenticate", "X-Squid-Error", "X-Cache",
};
}  // namespace

bool is_captured_header(std::string_view name) {
  for (auto wanted : kCapturedHeaders)
    if (beast::iequals(name, wanted)) return true;
  return false;
}

std::vector<std::pair<std::string, std::string>> captured_headers(const bhttp::fields& fields) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& field : fields) {
    if (is_captured_header(field.name_string()))
      out.emplace_back(std::string(field.name_string()), std::string(field.value().substr(0, kHeaderValueLimit)));
  }
  return out;
}

bhttp::request<bhttp::empty_body> make_request(const HttpRequest& spec, const std::string& host, std::uint16_t port,
                                               bool tls) {
  bhttp::request<bhttp::empty_body> request;
  const auto verb = bhttp::string_to_verb(spec.method);
  if (verb == bhttp::verb::unknown) {
    request.method_string(spec.method);
  } else {
    request.method(verb);
  }
  request.target(spec.target);
  request.version(11);
  const bool default_port = port == (tls ? 443 : 80);
  const std::string host_text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  request.set(bhttp::field::host, default_port ? host_text : host_text + ":" + std::to_string(port));
  request.set(bhttp::field::user_agent, std::string("vnetdiag/") + kVersion);
  request.set(bhttp::field::accept, "*/*");
  request.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : spec.headers) request.set(name, value);
  return request;
}

std::optional<ProbeTarget> redirect_target(const HttpEvidence& answer, const ProbeTarget& origin) {
  constexpr int kRedirects[] = {301, 302, 303, 307, 308};
  if (answer.status != HttpStatus::response || std::ranges::find(kRedirects, answer.code) == std::end(kRedirects))
    return std::nullopt;
  const auto location = std::ranges::find_if(answer.headers, [](const auto& h) { return beast::iequals(h.first, "Location"); });
  if (location == answer.headers.end()) return std::nullopt;
  // Only an absolute URL names another host; a relative one stays on the origin.
  // A URL naming a host has "//" right after its scheme. Nothing else goes to Boost.URL: 1.81 asserts (and a
  // debug build aborts) on a scheme followed by one character, such as "x:?" (found by fuzzing).
  const std::string_view text = location->second;
  if (const auto colon = text.find(':'); colon == std::string_view::npos || text.substr(colon + 1, 2) != "//")
    return std::nullopt;
  const auto url = boost::urls::parse_absolute_uri(text);
  if (!url || !url->has_authority()) return std::nullopt;
  if (url->scheme_id() != boost::urls::scheme::https) return std::nullopt;
  ProbeTarget next;
  next.tls = true;
  next.host = url->host_type() == boost::urls::host_type::ipv6 ? std::string(url->encoded_host_address())
                                                                : std::string(url->encoded_host());
  if (next.host.empty() || next.host.find('%') != std::string::npos) return std::nullopt;
  for (auto& c : next.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  next.port = url->has_port() ? url->port_number() : 443;
  if (url->has_port() && next.port == 0) return std::nullopt;
  next.allow_proxy = origin.allow_proxy;
  if (beast::iequals(next.host, origin.host) && next.port == origin.port) return std::nullopt;
  return next;
}

HttpStatus classify_http_error(const boost::system::error_code& ec) {
  namespace asio = boost::asio;
  if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated || ec == bhttp::error::partial_message)
    return HttpStatus::closed;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category()) return HttpStatus::bad_response;
  return HttpStatus::error;
}

}  // namespace vnetdiag::http
