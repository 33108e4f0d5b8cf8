#include "reports/check_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

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

std::string render_check_table(const std::vector<CheckRow>& table) {
  using Row = std::array<std::string, 7>;
  std::vector<Row> rows{{"TARGET", "HOST:PORT", "DNS", "TCP", "TLS", "HTTP", "RESULT"}};
  for (const auto& row : table) {
    const auto& r = *row.result;
    std::string verdict = r.deadline ? "deadline" : healthy(r) ? "ok" : row.required ? "FAIL" : "fail (situational)";
    if (!row.verdict.empty()) verdict = row.verdict;
    rows.push_back({row.id, fmt::format("{}:{}", r.host, r.port), dns_cell(r), tcp_cell(r), tls_cell(r), http_cell(r), verdict});
  }
  std::array<std::size_t, 7> width{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      out += c + 1 == row.size() ? row[c] : fmt::format("{:<{}}  ", row[c], width[c]);
    out += "\n";
  }
  return out;
}

}  // namespace vnetdiag
