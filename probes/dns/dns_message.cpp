#include "probes/dns/dns_message.hpp"

#include <ares.h>
#include <ares_dns.h>
#include <ares_nameser.h>
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace vnetdiag::dns {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string address_text(int family, const unsigned char* data) {
  char buffer[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family, data, buffer, sizeof buffer);
  return buffer;
}

}  // namespace

std::optional<AnswerSection> parse_answer(std::span<const unsigned char> message) {
  const unsigned char* const begin = message.data();
  const auto size = static_cast<long>(message.size());
  const unsigned char* const end = begin + size;
  if (size < HFIXEDSZ) return std::nullopt;

  auto read_name = [&](const unsigned char*& at) -> std::optional<std::string> {
    char* raw = nullptr;
    long used = 0;
    if (at >= end || ares_expand_name(at, begin, static_cast<int>(size), &raw, &used) != ARES_SUCCESS)
      return std::nullopt;
    std::string name(raw);
    ares_free_string(raw);
    at += used;
    return name;
  };

  AnswerSection out;
  out.rcode = DNS_HEADER_RCODE(begin);
  out.truncated = DNS_HEADER_TC(begin) != 0;
  const unsigned char* p = begin + HFIXEDSZ;
  for (unsigned i = 0, n = DNS_HEADER_QDCOUNT(begin); i < n; ++i) {
    if (!read_name(p) || end - p < QFIXEDSZ) return std::nullopt;
    p += QFIXEDSZ;
  }
  for (unsigned i = 0, n = DNS_HEADER_ANCOUNT(begin); i < n; ++i) {
    auto owner = read_name(p);
    if (!owner || end - p < RRFIXEDSZ) return std::nullopt;
    const int type = DNS_RR_TYPE(p);
    const int length = DNS_RR_LEN(p);
    const auto ttl = static_cast<std::uint32_t>(DNS_RR_TTL(p));
    p += RRFIXEDSZ;
    if (end - p < length) return std::nullopt;
    const unsigned char* rdata = p;
    if (type == T_CNAME) {
      if (auto target = read_name(rdata)) out.cnames.push_back({*owner, *target, ttl});
    } else if (type == T_A && length == 4) {
      out.addresses.emplace_back(address_text(AF_INET, rdata), ttl);
    } else if (type == T_AAAA && length == 16) {
      out.addresses.emplace_back(address_text(AF_INET6, rdata), ttl);
    }
    p += length;
  }
  return out;
}

std::vector<std::string> follow_cnames(std::string qname, std::span<const CnameHop> hops) {
  if (qname.ends_with('.')) qname.pop_back();  // c-ares expands names without the trailing dot
  std::vector<std::string> chain{std::move(qname)};
  while (chain.size() <= hops.size()) {
    auto next = std::ranges::find_if(hops, [&](const CnameHop& h) { return iequals(h.owner, chain.back()); });
    if (next == hops.end()) break;
    chain.push_back(next->target);
  }
  return chain;
}

std::string rcode_name(int rcode) {
  static constexpr std::array kNames{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                     "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
  if (rcode >= 0 && static_cast<std::size_t>(rcode) < kNames.size()) return kNames[static_cast<std::size_t>(rcode)];
  return "RCODE" + std::to_string(rcode);
}

}  // namespace vnetdiag::dns
