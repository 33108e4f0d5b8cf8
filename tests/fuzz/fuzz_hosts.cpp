// The hosts file as the machine has it, through parse_hosts() and lookup_hosts().
#include <cstddef>
#include <cstdint>

#include <algorithm>

#include "probes/dns/system_files.hpp"
#include "probes/net/address.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;
using vnetdiag::fuzz::has_no_space;
using vnetdiag::fuzz::is_lower;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto entries = dns::parse_hosts(as_text(data, size));
  for (const auto& entry : entries) {
    FUZZ_CHECK(IpAddress::parse(entry.address).has_value());
    FUZZ_CHECK(!entry.names.empty());
    for (const auto& name : entry.names) {
      FUZZ_CHECK(!name.empty() && has_no_space(name) && is_lower(name));
      // Every name the file lists is found, in any letter case, with this line's address among its answers.
      std::string upper = name;
      std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (name.ends_with('.')) continue;  // lookup_hosts drops the query's trailing dot, not the file's
      const auto found = dns::lookup_hosts(entries, upper);
      FUZZ_CHECK(std::ranges::find(found, entry.address) != found.end());
    }
  }
  return 0;
}
