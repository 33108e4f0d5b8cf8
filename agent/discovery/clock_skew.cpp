#include "agent/discovery/clock_skew.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace vnetdiag {
namespace {

using std::chrono::seconds;

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

std::vector<std::string_view> fields(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto start = text.find_first_not_of(separators);
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const auto end = text.find_first_of(separators);
    out.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end);
  }
  return out;
}

std::optional<int> number(std::string_view text) {
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<unsigned> month(std::string_view name) {
  for (unsigned i = 0; i < kMonths.size(); ++i)
    if (iequals(name, kMonths[i])) return i + 1;
  return std::nullopt;
}

/// Assembles the parts, checking each is in range (the calendar checks the day against the month).
std::optional<std::chrono::sys_seconds> make_time(int year, std::optional<unsigned> mon, std::optional<int> day,
                                                  std::string_view clock) {
  const auto hms = fields(clock, ":");
  // Outside these years a Date header is nonsense, and std::chrono::year holds only -32767..32767.
  if (!mon || !day || hms.size() != 3 || year < 1900 || year > 9999) return std::nullopt;
  const auto h = number(hms[0]), m = number(hms[1]), s = number(hms[2]);
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60 || *h < 0 || *m < 0 || *s < 0 || *day < 1) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{*mon},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{*h} + std::chrono::minutes{*m} + seconds{*s};
}

/// A date inside [earliest, latest] is consistent with our clock; outside, the distance to the window.
seconds skew_against(std::chrono::sys_seconds server, std::chrono::sys_seconds earliest, std::chrono::sys_seconds latest) {
  if (server > latest) return server - latest;
  if (server < earliest) return server - earliest;
  return seconds{0};
}

seconds median(std::vector<seconds> values) {
  std::ranges::sort(values);
  const auto n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) {
  const auto f = fields(text, " \t,-");
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT      → Sun 06 Nov 1994 08:49:37 GMT
  // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT     → Sunday 06 Nov 94 08:49:37 GMT
  // asctime:     Sun Nov  6 08:49:37 1994           → Sun Nov 6 08:49:37 1994
  if (f.size() == 6 && iequals(f[5], "GMT")) {
    auto year = number(f[3]);
    if (!year) return std::nullopt;
    if (f[3].size() == 2) *year += *year < 70 ? 2000 : 1900;  // RFC 9110 §5.6.7: two-digit years, 50 years rule
    return make_time(*year, month(f[2]), number(f[1]), f[4]);
  }
  if (f.size() == 5) {
    const auto year = number(f[4]);
    if (!year) return std::nullopt;
    return make_time(*year, month(f[1]), number(f[2]), f[3]);
  }
  return std::nullopt;
}

std::optional<ClockSkew> clock_skew(const RunResult& run, std::chrono::system_clock::time_point now_at_run_end,
                                    seconds threshold) {
  const auto latest = std::chrono::ceil<seconds>(now_at_run_end);
  const auto run_length = std::chrono::duration<double, std::milli>(std::max(run.ms, 0.0));
  // Date has a resolution of one second: widen the window by one on each side.
  const auto earliest = std::chrono::floor<seconds>(now_at_run_end - std::chrono::duration_cast<std::chrono::system_clock::duration>(run_length)) - seconds{1};
  ClockSkew out;
  out.threshold = threshold;
  for (const auto& target : run.targets) {
    if (!target.http || target.http->status != HttpStatus::response) continue;
    if (std::ranges::any_of(out.samples, [&](const SkewSample& s) { return s.host == target.host; })) continue;
    for (const auto& [name, value] : target.http->headers) {
      if (!iequals(name, "Date")) continue;
      if (const auto date = parse_http_date(value)) {
        out.samples.push_back({target.host, value, skew_against(*date, earliest, latest + seconds{1})});
        break;
      }
    }
  }
  if (out.samples.empty()) return std::nullopt;
  std::vector<seconds> skews;
  for (const auto& s : out.samples) skews.push_back(s.skew);
  out.median = median(std::move(skews));
  if (std::chrono::abs(out.median) <= threshold) return std::nullopt;
  return out;
}

std::string describe_duration(seconds duration) {
  auto s = std::chrono::abs(duration).count();
  const auto days = s / 86400, hours = s / 3600 % 24, minutes = s / 60 % 60, secs = s % 60;
  std::string out;
  auto add = [&](long long value, const char* unit) {
    if (value > 0 && std::ranges::count(out, ' ') < 3) out += (out.empty() ? "" : " ") + std::to_string(value) + " " + unit;
  };
  add(days, "d");
  add(hours, "h");
  add(minutes, "min");
  add(secs, "s");
  return out.empty() ? "0 s" : out;
}

}  // namespace vnetdiag
