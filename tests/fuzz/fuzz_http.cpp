// What an HTTP server answers: the response head through Beast's parser (as the probe reads it) into
// captured_headers(), then redirect_target() and parse_http_date() on the Date headers. An input shorter
// than an HTTP head is also read as a bare Date value.
#include <cstddef>
#include <cstdint>

#include <boost/asio/buffer.hpp>
#include <chrono>
#include <cstdio>

#include "agent/discovery/clock_skew.hpp"
#include "probes/http/http_probe.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;
using vnetdiag::fuzz::is_lower;

namespace {

/// IMF-fixdate, the form RFC 9110 says a server sends.
std::string imf_fixdate(std::chrono::sys_seconds time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{time - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[std::chrono::weekday{day}.c_encoding()], static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

void check_date(std::string_view text) {
  const auto time = parse_http_date(text);
  if (!time) return;
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(*time)};
  // A second 60 rolls 31 December 9999 23:59:60 over into the year 10000.
  FUZZ_CHECK(date.ok() && date.year() >= std::chrono::year{1900} && date.year() <= std::chrono::year{10000});
  if (date.year() <= std::chrono::year{9999}) FUZZ_CHECK(parse_http_date(imf_fixdate(*time)) == time);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 64) check_date(as_text(data, size));

  http::bhttp::response_parser<http::bhttp::buffer_body> parser;
  parser.header_limit(http::kHeaderLimit);
  parser.body_limit(boost::none);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;

  HttpEvidence answer;
  answer.status = HttpStatus::response;
  answer.code = static_cast<int>(parser.get().result_int());
  answer.reason = std::string(parser.get().reason());
  answer.headers = http::captured_headers(parser.get());
  for (const auto& [name, value] : answer.headers) {
    FUZZ_CHECK(http::is_captured_header(name));
    FUZZ_CHECK(value.size() <= http::kHeaderValueLimit);
    if (http::beast::iequals(name, "Date")) check_date(value);
  }

  ProbeTarget origin;
  origin.host = "registry.azurecr.io";
  origin.port = 443;
  if (const auto next = http::redirect_target(answer, origin)) {
    // The host a client goes on to: a lowercase name or literal on a real port, never the origin itself.
    FUZZ_CHECK(next->tls && next->port != 0 && !next->host.empty() && is_lower(next->host));
    FUZZ_CHECK(next->host.find('%') == std::string::npos);
    FUZZ_CHECK(!(next->host == origin.host && next->port == origin.port));
    FUZZ_CHECK(answer.code >= 301 && answer.code <= 308);
  }
  return 0;
}
