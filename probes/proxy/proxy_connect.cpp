#include "probes/proxy/proxy_connect.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "probes/http/http_probe.hpp"
#include "probes/tcp/tcp_probe.hpp"
#include "probes/version.hpp"

namespace vnetdiag::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

struct CodeStatus {
  int code;
  ProxyStatus status;
};
// 401 is not what RFC 9110 says a proxy sends, but some (tinyproxy) answer rejected credentials with it.
constexpr CodeStatus kCodes[] = {
    {401, ProxyStatus::auth_required},
    {403, ProxyStatus::denied},
    {407, ProxyStatus::auth_required},
    {502, ProxyStatus::bad_gateway},
    {504, ProxyStatus::gateway_timeout},
};

}  // namespace

ProxyStatus classify_connect_status(int code) {
  if (code >= 200 && code < 300) return ProxyStatus::tunnel;
  for (const auto& row : kCodes)
    if (row.code == code) return row.status;
  return ProxyStatus::other_status;
}

asio::awaitable<Tunnel> open_tunnel(Deadline& deadline, Clock::duration connect_budget, Clock::duration proxy_budget,
                                    ProxyUrl proxy, asio::ip::tcp::endpoint proxy_endpoint, std::string host,
                                    std::uint16_t port) {
  Tunnel out;
  out.evidence.proxy = proxy.masked();
  auto connection = co_await tcp::connect(deadline, connect_budget, proxy_endpoint);
  out.evidence.tcp = connection.attempt;
  if (!connection.socket) {
    out.evidence.status =
        connection.attempt.status == TcpStatus::deadline ? ProxyStatus::deadline : ProxyStatus::connect_failed;
    out.evidence.detail = "proxy " + connection.attempt.address + ":" + std::to_string(connection.attempt.port) +
                          ": " + std::string(to_string(connection.attempt.status));
    co_return out;
  }
  auto& socket = *connection.socket;

  const std::string authority = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  bhttp::request<bhttp::empty_body> request{bhttp::verb::connect, authority, 11};
  request.set(bhttp::field::host, authority);
  request.set(bhttp::field::user_agent, std::string("vnetdiag/") + kVersion);
  if (auto credentials = proxy.basic_authorization(); !credentials.empty())
    request.set(bhttp::field::proxy_authorization, credentials);

  const auto started = Clock::now();
  const auto ends = started + proxy_budget;
  auto remaining = [&] { return std::max(Clock::duration::zero(), ends - Clock::now()); };
  auto fail = [&](Cut cut, const char* what) {
    out.evidence.status = cut == Cut::deadline ? ProxyStatus::deadline : ProxyStatus::timeout;
    out.evidence.detail = std::string(cut == Cut::deadline ? "run deadline reached " : "no answer from the proxy ") + what;
  };
  auto wrote = co_await deadline.within(remaining(), bhttp::async_write(socket, request, asio::as_tuple(asio::use_awaitable)));
  if (wrote.cut != Cut::none) {
    fail(wrote.cut, "while sending CONNECT");
  } else if (auto [ec, n] = *wrote.value; ec) {
    out.evidence.status = ProxyStatus::bad_response;
    out.evidence.detail = "sending CONNECT: " + ec.message();
  } else {
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.header_limit(http::kHeaderLimit);
    // A 2xx answer to CONNECT has no body: what follows is the tunnel. skip() tells Beast so.
    parser.skip(true);
    auto header = co_await deadline.within(remaining(), bhttp::async_read_header(socket, buffer, parser,
                                                                               asio::as_tuple(asio::use_awaitable)));
    if (header.cut != Cut::none) {
      fail(header.cut, "to CONNECT");
    } else if (auto [ec2, n2] = *header.value; ec2) {
      out.evidence.status = ProxyStatus::bad_response;
      out.evidence.detail = "reading the CONNECT answer: " + ec2.message();
    } else {
      const auto& response = parser.get();
      out.evidence.http_status = static_cast<int>(response.result_int());
      out.evidence.reason = std::string(response.reason());
      out.evidence.status = classify_connect_status(out.evidence.http_status);
      for (const auto& field : response) {
        if (http::is_captured_header(field.name_string()))
          out.evidence.headers.emplace_back(std::string(field.name_string()),
                                            std::string(field.value().substr(0, http::kHeaderValueLimit)));
      }
      // Bytes after the header would be the origin's; a TLS origin speaks only after our ClientHello,
      // so anything here means the proxy is not tunnelling cleanly.
      if (out.evidence.status == ProxyStatus::tunnel && buffer.size() > 0) {
        out.evidence.status = ProxyStatus::bad_response;
        out.evidence.detail = "proxy sent data after the CONNECT answer";
      }
    }
  }
  out.evidence.ms = ms_since(started);
  spdlog::debug("proxy.connect proxy={} target={} status={} code={} ms={:.1f}", out.evidence.proxy, authority,
                to_string(out.evidence.status), out.evidence.http_status, out.evidence.ms);
  if (out.evidence.status == ProxyStatus::tunnel) out.socket.emplace(std::move(socket));
  co_return out;
}

}  // namespace vnetdiag::proxy
