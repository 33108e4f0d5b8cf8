// Clock skew from the servers' Date headers, with this machine's clock injected.

#include <catch2/catch.hpp>

#include "agent/discovery/clock_skew.hpp"

using namespace vnetdiag;
using namespace std::chrono_literals;

namespace {

/// 2024-03-05 14:00:00 UTC, this machine's clock when the run ended.
const auto kNow = std::chrono::sys_days{std::chrono::year{2024} / 3 / 5} + 14h;

TargetResult answered(std::string host, std::vector<std::pair<std::string, std::string>> headers) {
  TargetResult t;
  t.host = std::move(host);
  t.port = 443;
  t.http = HttpEvidence{};
  t.http->status = HttpStatus::response;
  t.http->code = 200;
  t.http->headers = std::move(headers);
  return t;
}

RunResult run_with(std::vector<std::string> dates, double run_ms = 2000) {
  RunResult run;
  run.ms = run_ms;
  int i = 0;
  for (auto& d : dates) run.targets.push_back(answered("host" + std::to_string(i++) + ".example", {{"Date", d}}));
  return run;
}

}  // namespace

TEST_CASE("HTTP dates are read in all three forms RFC 9110 names, and nonsense is refused", "[clock]") {
  const auto expected = std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} + 8h + 49min + 37s;
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == expected);
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == expected);
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == expected);
  CHECK(parse_http_date("Tue, 05 Mar 2024 14:00:00 GMT") == kNow);
  CHECK_FALSE(parse_http_date("Fri, 30 Feb 2024 10:00:00 GMT"));
  CHECK_FALSE(parse_http_date("Tue, 05 Mar 2024 25:00:00 GMT"));
  CHECK_FALSE(parse_http_date("Tue, 05 Foo 2024 14:00:00 GMT"));
  CHECK_FALSE(parse_http_date("yesterday"));
  CHECK_FALSE(parse_http_date("Tue, 05 Mar 2147483647 14:00:00 GMT"));
  CHECK_FALSE(parse_http_date("Tue, 05 Mar 99999999999 14:00:00 GMT"));
  CHECK_FALSE(parse_http_date("Tue, 00 Mar 2024 14:00:00 GMT"));
  CHECK_FALSE(parse_http_date(""));
}

TEST_CASE("a machine clock 7 minutes behind the servers is reported, with every server's view", "[clock]") {
  const auto run = run_with({"Tue, 05 Mar 2024 14:07:12 GMT", "Tue, 05 Mar 2024 14:07:11 GMT", "Tue, 05 Mar 2024 14:07:13 GMT"});
  const auto skew = clock_skew(run, kNow);
  REQUIRE(skew);
  // 7 min 12 s, less the one second of Date resolution.
  CHECK(skew->median == 431s);
  CHECK(skew->threshold == 5min);
  REQUIRE(skew->samples.size() == 3);
  CHECK(skew->samples[0].host == "host0.example");
  CHECK(skew->samples[0].date == "Tue, 05 Mar 2024 14:07:12 GMT");
  CHECK(describe_duration(skew->median) == "7 min 11 s");
}

TEST_CASE("a machine clock ahead of the servers gives a negative skew, measured from the run's start", "[clock]") {
  // The responses may have been sent as early as the run's start, 30 s before its end.
  const auto run = run_with({"Tue, 05 Mar 2024 13:49:29 GMT", "Tue, 05 Mar 2024 13:49:30 GMT"}, 30000);
  const auto skew = clock_skew(run, kNow);
  REQUIRE(skew);
  // 13:49:29 and 13:49:30 against a window opening at 13:59:29 (13:59:30, less a second of resolution).
  CHECK(skew->median == -599s);
  CHECK(describe_duration(skew->median) == "9 min 59 s");
}

TEST_CASE("clocks within the threshold, or dates inside the run's own window, give no skew", "[clock]") {
  CHECK_FALSE(clock_skew(run_with({"Tue, 05 Mar 2024 14:04:00 GMT"}), kNow));
  CHECK_FALSE(clock_skew(run_with({"Tue, 05 Mar 2024 13:59:59 GMT", "Tue, 05 Mar 2024 14:00:00 GMT"}), kNow));
  // A lower threshold is the caller's choice.
  CHECK(clock_skew(run_with({"Tue, 05 Mar 2024 14:04:00 GMT"}), kNow, 1min));
}

TEST_CASE("one server with a wrong clock does not outvote the others", "[clock]") {
  const auto run = run_with({"Tue, 05 Mar 2024 14:00:00 GMT", "Tue, 05 Mar 2024 14:00:01 GMT", "Wed, 06 Mar 2024 09:00:00 GMT"});
  CHECK_FALSE(clock_skew(run, kNow));
}

TEST_CASE("only readable Date headers of real responses count, once per host, in any letter case", "[clock]") {
  RunResult run;
  run.ms = 1000;
  run.targets.push_back(answered("a.example", {{"date", "Tue, 05 Mar 2024 14:20:00 GMT"}}));
  run.targets.push_back(answered("a.example", {{"Date", "Tue, 05 Mar 2024 14:00:00 GMT"}}));  // same host, port 445
  run.targets.push_back(answered("b.example", {{"Date", "not a date"}}));
  run.targets.push_back(answered("c.example", {{"Server", "nginx"}}));
  auto timed_out = answered("d.example", {{"Date", "Tue, 05 Mar 2024 14:00:00 GMT"}});
  timed_out.http->status = HttpStatus::timeout;
  run.targets.push_back(timed_out);
  TargetResult no_http;
  no_http.host = "e.example";
  run.targets.push_back(no_http);

  const auto skew = clock_skew(run, kNow);
  REQUIRE(skew);
  REQUIRE(skew->samples.size() == 1);
  CHECK(skew->samples[0].host == "a.example");
  CHECK(skew->median == 1199s);

  CHECK_FALSE(clock_skew(RunResult{}, kNow));
}

TEST_CASE("durations are written for people", "[clock]") {
  CHECK(describe_duration(0s) == "0 s");
  CHECK(describe_duration(40s) == "40 s");
  CHECK(describe_duration(-432s) == "7 min 12 s");
  CHECK(describe_duration(2h + 3min + 4s) == "2 h 3 min");
  CHECK(describe_duration(std::chrono::hours(24 * 3) + 5h) == "3 d 5 h");
}
