// resolv.conf as the machine has it, through parse_resolv_conf().
#include <cstddef>
#include <cstdint>

#include "probes/dns/system_files.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;
using vnetdiag::fuzz::has_no_space;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto conf = dns::parse_resolv_conf(as_text(data, size));
  FUZZ_CHECK(conf.nameservers.size() <= 3);  // glibc's MAXNS
  for (const auto& server : conf.nameservers) {
    FUZZ_CHECK(server.port == 53);
    // What the report prints is read back as the same server.
    const auto again = Endpoint::parse(server.to_string(), 53);
    FUZZ_CHECK(again && *again == server);
    FUZZ_CHECK(IpAddress::parse(server.address.to_string()) == server.address);
  }
  for (const auto& word : conf.search) FUZZ_CHECK(!word.empty() && has_no_space(word));
  for (const auto& word : conf.options) FUZZ_CHECK(!word.empty() && has_no_space(word));
  for (const auto& warning : conf.warnings) FUZZ_CHECK(warning.starts_with("line "));
  (void)conf.systemd_stub();
  return 0;
}
