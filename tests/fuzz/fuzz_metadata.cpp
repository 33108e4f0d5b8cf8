// The instance metadata document (IMDS's answer) through parse_imds().
#include <cstddef>
#include <cstdint>

#include "agent/discovery/imds.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto info = parse_imds(as_text(data, size));
  if (!info.error.empty()) {
    // Not a metadata document: nothing else is filled in.
    FUZZ_CHECK(info.location.empty() && info.vm_id.empty() && info.resource_id.empty() && info.private_ips.empty() &&
               info.subnets.empty() && info.public_ips.empty() && info.warnings.empty());
    return 0;
  }
  // Addresses are kept only as addresses, ranges only as ranges that read back the same.
  for (const auto& ip : info.private_ips) FUZZ_CHECK(IpAddress::parse(ip).has_value());
  for (const auto& ip : info.public_ips) FUZZ_CHECK(IpAddress::parse(ip).has_value());
  for (const auto& subnet : info.subnets) FUZZ_CHECK(Cidr::parse(subnet.to_string()) == subnet);
  return 0;
}
