// The DNS answer walker: a reply's bytes, as a resolver sends them, through parse_answer() and the CNAME
// chain follower.
#include <cstddef>
#include <cstdint>

#include "probes/dns/dns_message.hpp"
#include "probes/net/address.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto answer = dns::parse_answer({data, size});
  if (!answer) return 0;
  FUZZ_CHECK(answer->rcode >= 0 && answer->rcode <= 15);  // four header bits
  FUZZ_CHECK(!dns::rcode_name(answer->rcode).empty());
  // Every address is an A or AAAA record's text, and the report reads it back as an address.
  for (const auto& [text, ttl] : answer->addresses) {
    const auto ip = IpAddress::parse(text);
    FUZZ_CHECK(ip.has_value());
    FUZZ_CHECK(IpAddress::parse(ip->to_string()) == ip);
  }
  // The chain from any owner ends, at most one name per hop further.
  const std::string start = answer->cnames.empty() ? "example.com" : answer->cnames.front().owner;
  const auto chain = dns::follow_cnames(start + ".", answer->cnames);
  FUZZ_CHECK(!chain.empty() && chain.size() <= answer->cnames.size() + 1);
  return 0;
}
