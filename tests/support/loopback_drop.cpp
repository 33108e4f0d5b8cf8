#include "tests/support/loopback_drop.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

using namespace std::chrono_literals;

LoopbackDrop::LoopbackDrop(std::string ip, std::uint16_t port, bool also_udp) {
  if (ip.rfind("127.", 0) != 0) throw std::invalid_argument("LoopbackDrop only drops loopback addresses, not " + ip);
  static std::atomic<int> counter{0};
  table_ = "vndtest_drop_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  const TempDir scratch;
  const auto rules = scratch.write("drop.nft", "table inet " + table_ + " {\n  chain output {\n" +
                                                   "    type filter hook output priority filter;\n    ip daddr " + ip +
                                                   (also_udp ? " meta l4proto { tcp, udp } th dport " : " tcp dport ") + std::to_string(port) + " drop\n  }\n}\n");
  auto r = run_command({"nft", "-f", rules.string()}, 10s);
  if (r.exit_code != 0) throw std::runtime_error("nft: " + r.output);
}

LoopbackDrop::~LoopbackDrop() { run_command({"nft", "delete", "table", "inet", table_}, 10s); }

}  // namespace vnetdiag::testing
