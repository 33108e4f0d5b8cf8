#include "reports/check_table.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "reports/text_layout.hpp"

namespace vnetdiag {

std::string dns_cell(const TargetResult& r) {
  if (r.hosts && !r.hosts->addresses.empty())
    return fmt::format("hosts-file {} {}", r.hosts->addresses.front().ip, to_string(r.hosts->addresses.front().cls));
  if (r.dns.empty()) return r.tcp.empty() ? (r.deadline ? "deadline" : "-") : "ip literal";
  const DnsAnswer& first = r.dns.front();
  if (first.status != DnsStatus::ok) return std::string(to_string(first.status));
  const auto& a = first.addresses.front();
  return fmt::format("ok {} {}{}", a.ip, to_string(a.cls), a.in_vnet ? " in-vnet" : "");
}

std::string tcp_cell(const TargetResult& r) {
  if (r.proxy) {
    if (r.proxy->status == ProxyStatus::tunnel) return "proxy ok";
    return r.proxy->http_status != 0 ? fmt::format("proxy {}", r.proxy->http_status)
                                     : fmt::format("proxy {}", to_string(r.proxy->status));
  }
  if (r.tcp.empty()) return "-";
  const auto connected = std::ranges::count_if(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::connected; });
  if (connected == static_cast<long>(r.tcp.size())) return fmt::format("ok {:.0f} ms", r.tcp.front().ms);
  if (connected > 0) return fmt::format("{}/{} ok", connected, r.tcp.size());
  return std::string(to_string(r.tcp.front().status));
}

std::string tls_cell(const TargetResult& r) { return r.tls ? std::string(to_string(r.tls->status)) : "-"; }

std::string http_cell(const TargetResult& r) {
  if (!r.http) return "-";
  if (r.http->status == HttpStatus::response) return std::to_string(r.http->code);
  return std::string(to_string(r.http->status));
}

namespace {

// Narrower than these, a name says too little: each target then takes two lines instead of a row.
constexpr std::size_t kNarrowestTarget = 12;
constexpr std::size_t kNarrowestHost = 20;

const std::vector<Column> kColumns{
    {"TARGET", Fit::elide, kNarrowestTarget},
    {"HOST:PORT", Fit::elide, kNarrowestHost},
    {"DNS", Fit::keep},  // wrapped, its address and class fall apart over three or four lines: two lines a target read better
    {"TCP", Fit::keep},
    {"TLS", Fit::keep},
    {"HTTP", Fit::keep},
    {"RESULT", Fit::wrap},
};

/// Two lines per target, for terminals too narrow for the columns:
///   storage.blob  ERROR VND-DNS-004  sa.blob.core.windows.net:443
///       dns nxdomain  tcp -  tls -  http -
/// The host name goes last, elided to what is left of the line, or on a line of its own when little is.
std::string stacked(const std::vector<std::vector<std::string>>& rows, std::size_t width) {
  constexpr std::size_t kIndent = 4;
  std::string out;
  for (const auto& r : rows) {
    const std::string head = r[0] + "  " + r[6];
    const std::size_t used = display_width(head) + 2;
    if (used + kNarrowestHost <= width) {
      out += head + "  " + elide_middle(r[1], width - used) + "\n";
    } else {
      out += wrap(head, width, "", kIndent);
      out += std::string(kIndent, ' ') + elide_middle(r[1], width > kIndent ? width - kIndent : width) + "\n";
    }
    out += wrap(fmt::format("dns {}  tcp {}  tls {}  http {}", r[2], r[3], r[4], r[5]), width, std::string(kIndent, ' '),
                kIndent + 2);
  }
  return out;
}

}  // namespace

std::string render_check_table(const std::vector<CheckRow>& table, std::size_t width) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : table) {
    const auto& r = *row.result;
    std::string verdict = r.deadline ? "deadline" : healthy(r) ? "ok" : row.required ? "FAIL" : "fail (situational)";
    if (!row.verdict.empty()) verdict = row.verdict;
    rows.push_back({row.id, fmt::format("{}:{}", r.host, r.port), dns_cell(r), tcp_cell(r), tls_cell(r), http_cell(r), verdict});
  }
  std::string out = fit_table(kColumns, rows, width);
  return out.empty() ? stacked(rows, width) : out;
}

}  // namespace vnetdiag
