#include "tests/support/netns.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

namespace {

using namespace std::chrono_literals;

constexpr const char* kNamePrefix = "vndtest-";
constexpr int kSubnets = 254;

std::string host_veth(int subnet) { return "vndh" + std::to_string(subnet); }
std::string inner_veth(int subnet) { return "vndn" + std::to_string(subnet); }
std::string subnet_address(int subnet, int host) {
  return "10.231." + std::to_string(subnet) + "." + std::to_string(host);
}

CommandResult must(const std::vector<std::string>& argv, const std::string& what) {
  auto result = run_command(argv, 10s);
  if (result.exit_code != 0) {
    std::string line;
    for (const auto& arg : argv) {
      line += arg + " ";
    }
    throw std::runtime_error("BlackholeNetns: " + what + " failed (exit " + std::to_string(result.exit_code) +
                             ")\ncommand: " + line + "\noutput:\n" + result.output);
  }
  return result;
}

// Namespaces are named after the creating pid. One whose process is gone was leaked by a test
// that died without unwinding (ASan abort, SIGKILL): remove it so names do not pile up. This runs
// before our first namespace, so one carrying our own pid is a leftover of a recycled pid.
void remove_orphaned_namespaces() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec)) {
    const auto name = entry.path().filename().string();
    if (!name.starts_with(kNamePrefix)) {
      continue;
    }
    const auto rest = name.substr(std::char_traits<char>::length(kNamePrefix));
    const auto pid = std::atoi(rest.substr(0, rest.find('-')).c_str());
    if (pid > 0 && (pid == ::getpid() || (::kill(pid, 0) != 0 && errno == ESRCH))) {
      run_command({"ip", "netns", "del", name}, 10s);
    }
  }
}

// flock on a lock file that is still the one at `path` (the previous holder unlinks it while
// still holding the lock, so an open that raced with that unlink must try again).
UniqueFd lock_file(const std::filesystem::path& path) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      return {};
    }
    struct stat held {};
    struct stat named {};
    if (::fstat(fd.get(), &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev) {
      return fd;
    }
  }
  return {};
}

// flock-reserves 10.231.<k>.0/24 for this object's lifetime; the lock dies with the process, so a
// crashed test never blocks a subnet. Also skips /24s the machine itself already uses.
UniqueFd reserve_subnet(int& subnet, std::filesystem::path& lock_path) {
  static std::atomic<int> counter{0};
  const std::filesystem::path lock_dir = std::filesystem::is_directory("/run/lock") ? "/run/lock" : "/tmp";
  // Spread processes over the range so parallel test runs rarely probe the same locks.
  const auto seed = static_cast<unsigned>(::getpid()) * 37u + static_cast<unsigned>(counter++) * 11u;
  const int start = static_cast<int>(seed % kSubnets);
  for (int i = 0; i < kSubnets; ++i) {
    const int candidate = 1 + (start + i) % kSubnets;
    const auto path = lock_dir / ("vnetdiag-netns-" + std::to_string(candidate) + ".lock");
    auto fd = lock_file(path);
    if (!fd) {
      continue;
    }
    const auto in_use =
        run_command({"ip", "-o", "-4", "addr", "show", "to", subnet_address(candidate, 0) + "/24"}, 10s);
    const bool only_our_stale_veth = in_use.output.empty() ||
                                     in_use.output.find(" " + host_veth(candidate) + " ") != std::string::npos;
    if (in_use.exit_code == 0 && only_our_stale_veth) {
      subnet = candidate;
      lock_path = path;
      return fd;
    }
  }
  throw std::runtime_error("BlackholeNetns: no free 10.231.x.0/24 subnet");
}

struct Availability {
  bool ok = false;
  std::string why;
};

Availability probe_availability() {
  if (::geteuid() != 0) {
    return {false, "not running as root"};
  }
  for (const char* program : {"ip", "nft"}) {
    if (!have_program(program)) {
      return {false, std::string("program '") + program + "' not installed"};
    }
  }
  const auto name = std::string(kNamePrefix) + std::to_string(::getpid()) + "-probe";
  const auto added = run_command({"ip", "netns", "add", name}, 10s);
  if (added.exit_code != 0) {
    return {false, "ip netns add failed: " + added.output};
  }
  const auto nft = run_command({"ip", "netns", "exec", name, "nft", "list", "ruleset"}, 10s);
  run_command({"ip", "netns", "del", name}, 10s);
  if (nft.exit_code != 0) {
    return {false, "nft inside a namespace failed: " + nft.output};
  }
  return {true, ""};
}

}  // namespace

bool BlackholeNetns::available(std::string* why) {
  static std::once_flag once;
  static Availability availability;
  std::call_once(once, [] { availability = probe_availability(); });
  if (why != nullptr) {
    *why = availability.why;
  }
  return availability.ok;
}

BlackholeNetns::BlackholeNetns(int addresses) : address_count_(addresses) {
  if (addresses < 1 || addresses > 250) {
    throw std::invalid_argument("BlackholeNetns: addresses must be 1..250");
  }
  static std::once_flag swept;
  std::call_once(swept, remove_orphaned_namespaces);
  static std::atomic<int> instances{0};
  name_ = std::string(kNamePrefix) + std::to_string(::getpid()) + "-" + std::to_string(++instances);
  subnet_lock_ = reserve_subnet(subnet_, subnet_lock_path_);

  try {
    const TempDir scratch;
    // Holding the lock for <k> means any vndh<k> still around is a leftover; clear it first.
    run_command({"ip", "link", "del", host_veth(subnet_)}, 10s);

    must({"ip", "netns", "add", name_}, "creating the namespace");
    namespace_created_ = true;

    // addrgenmode none: no IPv6 link-local address, hence no router solicitations or DAD on the veth.
    std::ostringstream host;
    host << "link add " << host_veth(subnet_) << " type veth peer name " << inner_veth(subnet_) << " netns "
         << name_ << "\n"
         << "link set dev " << host_veth(subnet_) << " addrgenmode none\n"
         << "addr add " << host_address() << "/24 dev " << host_veth(subnet_) << "\n"
         << "link set dev " << host_veth(subnet_) << " up\n";
    veth_created_ = true;
    must({"ip", "-batch", scratch.write("host.batch", host.str()).string()}, "creating the veth pair");

    std::ostringstream inner;
    inner << "link set dev " << inner_veth(subnet_) << " addrgenmode none\n";
    for (const auto& address : this->addresses()) {
      inner << "addr add " << address << "/24 dev " << inner_veth(subnet_) << "\n";
    }
    inner << "link set dev " << inner_veth(subnet_) << " up\n"
          << "link set dev lo up\n";
    must({"ip", "-n", name_, "-batch", scratch.write("inner.batch", inner.str()).string()},
         "configuring the namespace side");

    // Drop in the input hook: SYNs get no SYN-ACK and no RST, datagrams no reply and no ICMP.
    const auto rules = scratch.write("blackhole.nft",
                                     "table inet vndtest_blackhole {\n"
                                     "  chain input {\n"
                                     "    type filter hook input priority filter; policy drop;\n"
                                     "  }\n"
                                     "}\n");
    must({"ip", "netns", "exec", name_, "nft", "-f", rules.string()}, "loading the drop rule");
  } catch (...) {
    teardown();
    throw;
  }
}

BlackholeNetns::~BlackholeNetns() { teardown(); }

void BlackholeNetns::route_here(const std::string& ip) {
  must({"ip", "-n", name_, "addr", "add", ip + "/32", "dev", inner_veth(subnet_)}, "adding " + ip + " inside the namespace");
  must({"ip", "route", "add", ip + "/32", "dev", host_veth(subnet_)}, "routing " + ip + " into the namespace");
}

void BlackholeNetns::teardown() noexcept {
  try {
    // Deleting the host end removes the pair synchronously; namespace teardown alone would leave
    // the veth to the kernel's asynchronous cleanup, racing the next user of this /24.
    if (veth_created_) {
      run_command({"ip", "link", "del", host_veth(subnet_)}, 10s);
      veth_created_ = false;
    }
    if (namespace_created_) {
      run_command({"ip", "netns", "del", name_}, 10s);
      namespace_created_ = false;
    }
  } catch (...) {
    // Destructors must not throw; a leftover is swept by the next run (pid no longer alive).
  }
  if (subnet_lock_) {
    // Unlink while still holding the lock; see lock_file for the other side.
    ::unlink(subnet_lock_path_.c_str());
    subnet_lock_.reset();
  }
}

std::vector<std::string> BlackholeNetns::addresses() const {
  std::vector<std::string> result;
  for (int i = 0; i < address_count_; ++i) {
    result.push_back(subnet_address(subnet_, 2 + i));
  }
  return result;
}

const std::string& BlackholeNetns::name() const { return name_; }

std::string BlackholeNetns::host_address() const { return subnet_address(subnet_, 1); }

}  // namespace vnetdiag::testing
