// The open-file limit is respected: running out of descriptors must never look like a network fault.
#include <sys/resource.h>

#include <catch2/catch.hpp>

#include "tests/probes/harness.hpp"
#include "tests/support/netns.hpp"

using namespace vnetdiag;
using namespace vnetdiag::testing;
using namespace std::chrono_literals;

namespace {

/// Lowers the open-file limit for the test's duration (root may raise it back afterwards).
struct OpenFileLimit {
  rlimit saved{};
  explicit OpenFileLimit(rlim_t limit) {
    ::getrlimit(RLIMIT_NOFILE, &saved);
    rlimit lowered{limit, limit};
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
  }
  ~OpenFileLimit() { ::setrlimit(RLIMIT_NOFILE, &saved); }
};

}  // namespace

TEST_CASE("names with many black-holed addresses stay within a low open-file limit", "[engine][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  BlackholeNetns hole(16);
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> entries;
  std::vector<ProbeTarget> targets;
  for (int n = 0; n < 30; ++n) {
    const auto name = "many" + std::to_string(n) + ".test";
    for (const auto& ip : hole.addresses()) entries.emplace_back(name, ip);
    targets.push_back(tcp_only(name, 443));
  }
  auto options = isolated_options();
  options.hosts_file = hosts_file(dir, entries);
  options.budgets.connect = 300ms;

  RunResult run;
  {
    OpenFileLimit limit(200);
    run = run_probes(targets, options);
  }
  std::size_t attempts = 0;
  for (const auto& t : run.targets) {
    INFO(t.host);
    CHECK(t.tcp.size() == 16);
    for (const auto& a : t.tcp) {
      ++attempts;
      CHECK(a.status == TcpStatus::timeout);
      CHECK(a.detail.find("EMFILE") == std::string::npos);
    }
  }
  CHECK(attempts == 30 * 16);
}
