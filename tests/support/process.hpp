// Child processes, short commands and port helpers for tests that run real servers.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vnetdiag::testing {

/// A server program run for a test: started with posix_spawn (no shell), stdin from /dev/null,
/// stdout and stderr appended to one log file. Stopped and reaped on destruction.
///
/// When util-linux `setpriv` is installed the child also gets PR_SET_PDEATHSIG=SIGKILL, so a test
/// process that dies without unwinding (ASan abort, ctest timeout) does not leave daemons holding
/// ports. The kernel ties that signal to the *thread* that spawned the child: create ChildProcess
/// (and the fixtures that own one) on a thread that outlives it, normally the test's main thread.
class ChildProcess {
 public:
  /// Starts argv[0] (resolved with find_program unless it contains a '/'); throws on spawn failure.
  /// `stop_grace` is how long the destructor waits after SIGTERM before SIGKILL.
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log_file,
               std::chrono::milliseconds stop_grace = std::chrono::seconds(2));
  /// SIGTERM, re-sent every 100 ms for up to stop_grace, then SIGKILL; the child is always reaped.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// The child's process id (stays valid as a number after it was reaped).
  pid_t pid() const;
  /// True while the child has not exited; reaps it (non-blocking) once it has.
  bool running();
  /// After the child exited: its exit code, or 128 + signal number when a signal killed it.
  std::optional<int> exit_status();
  /// Stops the child now, as the destructor would. Idempotent.
  void stop();
  /// The last `max_bytes` of the log file, cut at a line start.
  std::string log_tail(std::size_t max_bytes = 4096) const;
  /// The log file receiving the child's stdout and stderr.
  const std::filesystem::path& log_file() const;
  /// The command line, for messages.
  std::string command_line() const;

 private:
  std::vector<std::string> argv_;
  std::filesystem::path log_file_;
  std::chrono::milliseconds stop_grace_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// What run_command saw.
struct CommandResult {
  int exit_code = -1;       ///< exit code, or 128 + signal; -1 if it never finished
  bool timed_out = false;   ///< true when the timeout expired and the command was killed
  std::string output;       ///< stdout and stderr, interleaved as written
};

/// Runs a program to completion without a shell (stdin /dev/null, stdout+stderr captured),
/// killing it when `timeout` expires. Proxy variables (http_proxy, HTTPS_PROXY, ...) are removed
/// from its environment so tools like curl never reach past loopback by accident.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Binds ip:0 (TCP, or UDP when `udp`), reads the port the kernel picked, closes the socket.
std::uint16_t free_port(bool udp = false, const std::string& ip = "127.0.0.1");
/// A port that was free for both TCP and UDP on `ip` (DNS servers need both).
std::uint16_t free_port_tcp_udp(const std::string& ip = "127.0.0.1");

/// True when ip:port accepts a TCP connection right now (each attempt bounded to 100 ms).
bool tcp_accepts(const std::string& ip, std::uint16_t port);
/// Polls until ip:port accepts a TCP connection; throws std::runtime_error on timeout.
void wait_for_tcp(const std::string& ip, std::uint16_t port, std::chrono::milliseconds timeout);
/// Polls `ready` every 2 ms until it returns true; throws (with the child's log tail) if the child
/// exits first or `timeout` expires. `what` names the server in the message.
void wait_for_ready(ChildProcess& child, const std::function<bool()>& ready,
                    std::chrono::milliseconds timeout, const std::string& what);

/// True when `name` is an executable on PATH or in /usr/sbin, /sbin, /usr/local/sbin.
bool have_program(const std::string& name);
/// The absolute path of `name` (see have_program); throws std::runtime_error when missing.
std::string find_program(const std::string& name);

/// Formats an endpoint as "1.2.3.4:53" or "[::1]:53".
std::string host_port(const std::string& ip, std::uint16_t port);

}  // namespace vnetdiag::testing
