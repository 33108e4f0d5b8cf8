#include "probes/dns/dns_probe.hpp"

#include <ares.h>
#include <ares_nameser.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "probes/deadline.hpp"
#include "probes/dns/ares_channel.hpp"
#include "probes/dns/dns_message.hpp"
#include "probes/net/address.hpp"

namespace vnetdiag::dns {
namespace {

constexpr int kTries = 2;

struct StatusName {
  int ares_status;
  DnsStatus status;
  const char* text;  // what a report shows when no rcode arrived
};

constexpr StatusName kStatuses[] = {
    {ARES_SUCCESS, DnsStatus::ok, "NOERROR"},
    {ARES_ENODATA, DnsStatus::no_data, "NODATA"},
    {ARES_ENOTFOUND, DnsStatus::nxdomain, "NXDOMAIN"},
    {ARES_ESERVFAIL, DnsStatus::servfail, "SERVFAIL"},
    {ARES_EREFUSED, DnsStatus::refused, "REFUSED"},
    {ARES_ETIMEOUT, DnsStatus::timeout, "timeout"},
    {ARES_ECONNREFUSED, DnsStatus::server_unreachable, "connection refused"},
    {ARES_EBADRESP, DnsStatus::bad_reply, "bad response"},
    {ARES_EFORMERR, DnsStatus::bad_reply, "FORMERR"},
    {ARES_ECANCELLED, DnsStatus::deadline, "cancelled"},
    {ARES_EDESTRUCTION, DnsStatus::deadline, "cancelled"},
};

std::string status_text(const RawReply& reply, const std::optional<AnswerSection>& parsed) {
  if (parsed && reply.status != ARES_ETIMEOUT && reply.status != ARES_ECANCELLED) return rcode_name(parsed->rcode);
  for (const auto& s : kStatuses)
    if (s.ares_status == reply.status) return s.text;
  return ares_strerror(reply.status);
}

}  // namespace

std::chrono::milliseconds first_try_timeout(std::chrono::milliseconds budget, int tries) {
  const long rounds = (1L << tries) - 1;
  return std::max(std::chrono::milliseconds(1), budget / rounds);
}

DnsStatus classify_status(int ares_status) {
  for (const auto& s : kStatuses)
    if (s.ares_status == ares_status) return s.status;
  return DnsStatus::error;
}

DnsStatus combine(DnsStatus a, DnsStatus aaaa, bool have_addresses) {
  if (have_addresses) return DnsStatus::ok;
  if (a == DnsStatus::nxdomain || aaaa == DnsStatus::nxdomain) return DnsStatus::nxdomain;
  if (a == DnsStatus::deadline || aaaa == DnsStatus::deadline) return DnsStatus::deadline;
  if (a == DnsStatus::no_data || a == DnsStatus::ok) return aaaa == DnsStatus::ok ? DnsStatus::no_data : aaaa;
  return a;
}

DnsClient::DnsClient(boost::asio::any_io_executor executor, Resolver resolver, std::chrono::milliseconds budget,
                     std::vector<Cidr> vnet)
    : executor_(std::move(executor)), resolver_(std::move(resolver)), budget_(budget), vnet_(std::move(vnet)) {
  udp_ = std::make_unique<AresChannel>(
      executor_, ChannelConfig{resolver_.endpoint.to_string(), first_try_timeout(budget_, kTries), kTries, false});
}

DnsClient::~DnsClient() = default;

AresChannel& DnsClient::tcp_channel() {
  if (!tcp_) {
    // One try with the whole budget: a TCP retry only follows an answer, so the server is there.
    tcp_ = std::make_unique<AresChannel>(executor_,
                                         ChannelConfig{resolver_.endpoint.to_string(), budget_, 1, true});
  }
  return *tcp_;
}

void DnsClient::cancel() {
  cancelled_ = true;
  udp_->cancel();
  if (tcp_) tcp_->cancel();
}

boost::asio::awaitable<DnsAnswer> DnsClient::query(std::string name) {
  using namespace boost::asio::experimental::awaitable_operators;
  using boost::asio::use_awaitable;
  DnsAnswer answer;
  answer.resolver = resolver_.endpoint.to_string();
  answer.source = resolver_.source;
  if (cancelled_) {
    answer.status = DnsStatus::deadline;
    co_return answer;
  }
  const auto started = Clock::now();
  auto [a, aaaa] = co_await (async_query(*udp_, name, T_A, use_awaitable) &&
                             async_query(*udp_, name, T_AAAA, use_awaitable));
  for (RawReply* reply : {&a, &aaaa}) {
    auto parsed = reply->bytes.empty() ? std::nullopt : parse_answer(reply->bytes);
    if (parsed && parsed->truncated && !cancelled_) {
      answer.truncated = true;
      answer.retried_tcp = true;
      const int type = reply == &a ? T_A : T_AAAA;
      *reply = co_await async_query(tcp_channel(), name, type, use_awaitable);
    }
  }
  answer.ms = ms_since(started);

  auto digest = [&](const RawReply& reply, std::string& rcode) {
    auto parsed = reply.bytes.empty() ? std::nullopt : parse_answer(reply.bytes);
    rcode = status_text(reply, parsed);
    if (!parsed) return reply.status == ARES_SUCCESS ? DnsStatus::bad_reply : classify_status(reply.status);
    for (auto& hop : parsed->cnames) {
      if (std::ranges::none_of(answer.cnames, [&](const CnameHop& h) { return h.owner == hop.owner; }))
        answer.cnames.push_back(hop);
    }
    for (auto& [ip, ttl] : parsed->addresses) {
      if (std::ranges::none_of(answer.addresses, [&](const ResolvedAddress& r) { return r.ip == ip; }))
        answer.addresses.push_back(classify(ip, ttl, vnet_));
    }
    return classify_status(reply.status);
  };
  const DnsStatus status_a = digest(a, answer.rcode_a);
  const DnsStatus status_aaaa = digest(aaaa, answer.rcode_aaaa);
  answer.chain = follow_cnames(name, answer.cnames);
  // Records arrive in any order; the report reads the chain from the question name onwards.
  std::ranges::stable_sort(answer.cnames, {}, [&](const CnameHop& hop) {
    return std::ranges::distance(answer.chain.begin(), std::ranges::find(answer.chain, hop.owner));
  });
  answer.status = combine(status_a, status_aaaa, !answer.addresses.empty());
  if (answer.status != DnsStatus::ok) answer.detail = "A " + answer.rcode_a + ", AAAA " + answer.rcode_aaaa;
  spdlog::debug("dns.reply name={} server={} status={} hops={} addresses={} ms={:.1f}", name, answer.resolver,
                to_string(answer.status), answer.cnames.size(), answer.addresses.size(), answer.ms);
  co_return answer;
}

}  // namespace vnetdiag::dns
