// One unauthenticated HTTP request and what the service answered, bounded in time and size.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "probes/deadline.hpp"
#include "probes/evidence.hpp"
#include "probes/target.hpp"

namespace vnetdiag::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

/// The response headers a diagnosis reads; anything else is left out of the evidence.
bool is_captured_header(std::string_view name);

/// The captured response headers, in arrival order, each value cut at kHeaderValueLimit.
std::vector<std::pair<std::string, std::string>> captured_headers(const bhttp::fields& fields);

/// Headers are cut at this size: a hostile or broken server cannot grow the probe without bound.
constexpr std::size_t kHeaderLimit = 16 * 1024;
/// Each captured header value is cut at this length.
constexpr std::size_t kHeaderValueLimit = 512;

/// Builds the request: Host (with the port when not the scheme's default), a User-Agent, and the caller's headers.
bhttp::request<bhttp::empty_body> make_request(const HttpRequest& spec, const std::string& host, std::uint16_t port,
                                               bool tls);

/// The host a redirect answer sends the client on to, as a TLS target (no request: such URLs are signed for
/// one client), when the answer is 301/302/303/307/308 with an absolute https Location naming another host or
/// port than `origin`. nullopt otherwise (a plain http Location is not what a registry client follows).
std::optional<ProbeTarget> redirect_target(const HttpEvidence& answer, const ProbeTarget& origin);

/// Maps a Beast/Asio error during the exchange to the report's vocabulary.
HttpStatus classify_http_error(const boost::system::error_code& ec);

/// Sends `spec` on `stream` and reads the status, the captured headers and at most `body_cap` bytes of body.
/// The whole exchange (write, headers, body prefix) fits in `budget`: a server trickling bytes is cut off there,
/// and what had arrived is kept.
template <class Stream>
boost::asio::awaitable<HttpEvidence> exchange(Stream& stream, Deadline& deadline, Clock::duration budget,
                                              const HttpRequest& spec, std::string host, std::uint16_t port, bool tls,
                                              std::size_t body_cap) {
  namespace asio = boost::asio;
  HttpEvidence out;
  out.method = spec.method;
  out.target = spec.target;
  const auto started = Clock::now();
  const auto ends = started + budget;
  auto remaining = [&] { return std::max(Clock::duration::zero(), ends - Clock::now()); };
  auto cut_short = [&](Cut cut, HttpStatus budget_status, const char* what) {
    out.status = cut == Cut::deadline ? HttpStatus::deadline : budget_status;
    out.detail = cut == Cut::deadline ? std::string("run deadline reached ") + what
                                      : std::string("HTTP budget ended ") + what;
  };

  auto request = make_request(spec, host, port, tls);
  auto wrote = co_await deadline.within(remaining(), bhttp::async_write(stream, request, asio::as_tuple(asio::use_awaitable)));
  if (wrote.cut != Cut::none) {
    cut_short(wrote.cut, HttpStatus::timeout, "while sending the request");
    out.ms = ms_since(started);
    co_return out;
  }
  if (auto [ec, n] = *wrote.value; ec) {
    out.status = classify_http_error(ec);
    out.detail = ec.message();
    out.ms = ms_since(started);
    co_return out;
  }

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(boost::none);  // the prefix cap below bounds what we keep; the rest is never read
  if (request.method() == bhttp::verb::head) parser.skip(true);
  auto header = co_await deadline.within(remaining(), bhttp::async_read_header(stream, buffer, parser,
                                                                             asio::as_tuple(asio::use_awaitable)));
  out.ms = ms_since(started);
  if (header.cut != Cut::none) {
    cut_short(header.cut, HttpStatus::timeout, "before the response headers were complete");
    co_return out;
  }
  if (auto [ec, n] = *header.value; ec) {
    out.status = classify_http_error(ec);
    out.detail = ec.message();
    co_return out;
  }
  out.status = HttpStatus::response;
  const auto& response = parser.get();
  out.code = static_cast<int>(response.result_int());
  out.reason = std::string(response.reason());
  out.headers = captured_headers(response);

  std::string body(body_cap, '\0');
  std::size_t got = 0;
  while (!parser.is_done() && got < body_cap) {
    parser.get().body().data = body.data() + got;
    parser.get().body().size = body_cap - got;
    auto read = co_await deadline.within(remaining(), bhttp::async_read(stream, buffer, parser,
                                                                        asio::as_tuple(asio::use_awaitable)));
    got = body_cap - parser.get().body().size;
    if (read.cut != Cut::none) {
      out.detail = read.cut == Cut::deadline ? "body cut at the run deadline" : "body still arriving when the HTTP budget ended";
      break;
    }
    if (auto [ec, n] = *read.value; ec && ec != bhttp::error::need_buffer) {
      out.detail = "body: " + ec.message();
      break;
    }
  }
  body.resize(got);
  out.body_prefix = std::move(body);
  out.body_complete = parser.is_done();
  co_return out;
}

}  // namespace vnetdiag::http
