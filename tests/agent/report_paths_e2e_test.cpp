// Report paths as administrators give them: a link to a dated file, /dev/null, a FIFO a collector reads,
// "-" for a pipe. Each kind is written the way it expects and left as it was; a path that cannot be written
// stops the run before anything is asked of the network.
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/agent/local_vnet.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sockets.hpp"

using namespace vnetdiag::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// A machine whose DNS server and metadata service count what they are asked: a UDP socket nobody answers
/// and a TCP port nobody accepts, both on loopback.
struct CountingMachine {
  TempDir dir;
  UniqueFd dns = bound_socket("127.0.0.1", 0, SOCK_DGRAM);
  UniqueFd metadata = bound_socket("127.0.0.1", 0, SOCK_STREAM);
  fs::path config;

  CountingMachine() {
    REQUIRE(::listen(metadata.get(), 8) == 0);
    const auto resolv = dir.write("resolv.conf", "nameserver 127.0.0.1:" + std::to_string(local_port(dns.get())) + "\n");
    config = dir.write("vnetdiag.json",
                       json{{"resolv_conf", resolv.string()},
                            {"hosts_file", dir.write("hosts", "127.0.0.1 localhost\n").string()},
                            {"azure_dns", "127.0.0.1:" + std::to_string(local_port(dns.get()))},
                            {"metadata_url", "http://127.0.0.1:" + std::to_string(local_port(metadata.get()))},
                            {"budgets_ms", {{"deadline", 3000}}}}
                           .dump());
  }

  /// True when no DNS query and no metadata connection arrived.
  bool nothing_asked() const {
    char byte = 0;
    const bool no_query = ::recv(dns.get(), &byte, 1, MSG_DONTWAIT) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    pollfd pending{.fd = metadata.get(), .events = POLLIN, .revents = 0};
    const bool no_connection = ::poll(&pending, 1, 0) == 0;  // a connection waiting to be accepted is readable
    return no_query && no_connection;
  }
};

}  // namespace

TEST_CASE("a report path that cannot be written stops the check before anything is asked, exit 3",
          "[reports][e2e][paths]") {
  CountingMachine machine;
  const auto dir = machine.dir.path();
  struct Case {
    std::vector<std::string> outputs;
    std::string says;
  };
  const Case cases[] = {
      {{"--json", (dir / "no-such-dir" / "report.json").string()}, "--json " + (dir / "no-such-dir").string()},
      {{"--markdown", dir.string()}, "is a directory"},
      {{"--json", (dir / "r.json").string(), "--junit", (dir / "." / "r.json").string()}, "are the same file"},
      {{"--json", "-", "--prometheus", "/dev/stdout"}, "are the same file"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"check", "--config", machine.config.string()};
    args.insert(args.end(), c.outputs.begin(), c.outputs.end());
    auto r = run_vnetdiag(args);
    INFO(r.output);
    CHECK(r.exit_code == 3);
    CHECK(r.output.find(c.says) != std::string::npos);
    CHECK(machine.nothing_asked());
  }
}

TEST_CASE("a report directory the user cannot write in stops the check before anything is asked, exit 3",
          "[reports][e2e][paths]") {
  CountingMachine machine;
  const auto locked = machine.dir.path() / "locked";
  fs::create_directory(locked);
  ::chmod(machine.dir.path().c_str(), 0755);  // others may look in, not write
  ::chmod(locked.c_str(), 0555);
  ::chmod(machine.config.c_str(), 0644);
  std::vector<std::string> args{VNETDIAG_BINARY, "check", "--config", machine.config.string(), "--json",
                                (locked / "report.json").string()};
  // Root writes anywhere; as root, the run is made as nobody, as a user without rights would make it.
  if (::geteuid() == 0) {
    if (!have_program("setpriv")) FAIL("util-linux 'setpriv' is needed to run the check as an unprivileged user");
    args.insert(args.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"});
  }
  auto r = run_command(args, std::chrono::seconds(60));
  INFO(r.output);
  CHECK(r.exit_code == 3);
  CHECK(r.output.find("cannot write in " + locked.string() + ": Permission denied") != std::string::npos);
  CHECK(machine.nothing_asked());
}

TEST_CASE("reports sent to a link, a character device, a FIFO and a file each arrive, and each path stays what "
          "it was",
          "[reports][e2e][paths]") {
  LocalVnet vnet({});
  const auto out = vnet.dir.path();
  // /var/log/vnetdiag/latest.json pointing at a dated report.
  fs::create_directory(out / "dated");
  const auto dated = out / "dated" / "2026-12-07.json";
  { std::ofstream(dated) << "{}\n"; }
  fs::create_symlink("dated/2026-12-07.json", out / "latest.json");
  // A null device of the test's own (mknod needs root); /dev/null itself when not root: the run must leave it as
  // it is either way.
  fs::path null_device = out / "null";
  if (::mknod(null_device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {
    WARN("making a character device needs CAP_MKNOD (root): " << std::strerror(errno) << "; using /dev/null");
    null_device = "/dev/null";
  }
  const auto fifo = out / "junit.pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto collector = std::async(std::launch::async, [&] { return read_file(fifo); });

  auto r = run_vnetdiag(vnet.with_workspace({"check", "--quiet", "--json", (out / "latest.json").string(), "--markdown",
                                             null_device.string(), "--junit", fifo.string(), "--prometheus",
                                             (out / "vnetdiag.prom").string()}));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(fs::is_symlink(out / "latest.json"));
  CHECK(fs::read_symlink(out / "latest.json") == "dated/2026-12-07.json");
  CHECK(json::parse(read_file(dated))["verdict"]["status"] == "healthy");
  const auto device = fs::symlink_status(null_device);
  CHECK(device.type() == fs::file_type::character);
  const auto junit = collector.get();
  CHECK(junit.starts_with("<?xml"));
  CHECK(junit.find("</testsuites>") != std::string::npos);
  CHECK(fs::symlink_status(fifo).type() == fs::file_type::fifo);
  CHECK(read_file(out / "vnetdiag.prom").find("vnetdiag_probe_success") != std::string::npos);
  // Nothing else was left in the directory: no temporary files, no regular file in place of a special one.
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(out))
    if (e.path().filename().string().starts_with(".")) names.insert(e.path().filename().string());
  CHECK(names.empty());
}

TEST_CASE("'--json -' puts the JSON report, and nothing else, on standard output for a pipe",
          "[reports][e2e][paths]") {
  LocalVnet vnet({});
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--json", "-"}));
  INFO(r.output.substr(0, 2000));
  CHECK(r.exit_code == 0);
  CHECK_FALSE(fs::exists(fs::current_path() / "-"));
  const auto report = json::parse(r.output);  // throws if the text report (or anything) came with it
  CHECK(report["verdict"]["status"] == "healthy");
}
