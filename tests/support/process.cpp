#include "tests/support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "tests/support/sockets.hpp"
#include "tests/support/unique_fd.hpp"

extern char** environ;

namespace vnetdiag::testing {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

bool is_proxy_variable(const std::string& entry) {
  std::string name = entry.substr(0, entry.find('='));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name.size() > 6 && name.ends_with("_proxy");
}

// The parent's environment minus proxy settings: a stray HTTPS_PROXY would send curl (or anything
// else honouring it) off the machine, which the tests must never do.
std::vector<std::string> child_environment() {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (!is_proxy_variable(*entry)) {
      entries.emplace_back(*entry);
    }
  }
  return entries;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (auto& s : strings) {
    pointers.push_back(s.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

class SpawnActions {
 public:
  SpawnActions() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attributes_);
  }
  ~SpawnActions() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;

  posix_spawn_file_actions_t* actions() { return &actions_; }
  posix_spawnattr_t* attributes() { return &attributes_; }

 private:
  posix_spawn_file_actions_t actions_{};
  posix_spawnattr_t attributes_{};
};

// stdout/stderr go either to a log file (opened by the child) or to an inherited pipe end.
pid_t spawn(std::vector<std::string> argv, const std::filesystem::path* log_file, int output_fd) {
  SpawnActions spawn;
  posix_spawn_file_actions_addopen(spawn.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (log_file != nullptr) {
    posix_spawn_file_actions_addopen(spawn.actions(), STDOUT_FILENO, log_file->c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  } else {
    posix_spawn_file_actions_adddup2(spawn.actions(), output_fd, STDOUT_FILENO);
  }
  posix_spawn_file_actions_adddup2(spawn.actions(), STDOUT_FILENO, STDERR_FILENO);
  // Sockets the test holds (a SilentListener, Asio sockets without O_CLOEXEC) must not live on in a
  // daemon, or closing them in the test would not really close them.
  posix_spawn_file_actions_addclosefrom_np(spawn.actions(), 3);

  // Test runners and Asio may ignore SIGPIPE or block signals; servers expect default dispositions,
  // and nginx/dnsmasq must see our SIGTERM.
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigmask(spawn.attributes(), &empty);
  posix_spawnattr_setsigdefault(spawn.attributes(), &defaults);
  posix_spawnattr_setflags(spawn.attributes(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  auto environment = child_environment();
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(environment);
  pid_t pid = -1;
  const int error = ::posix_spawn(&pid, argv.front().c_str(), spawn.actions(), spawn.attributes(), c_argv.data(),
                                  c_env.data());
  if (error != 0) {
    throw std::system_error(error, std::generic_category(), "posix_spawn " + argv.front());
  }
  return pid;
}

std::string resolve(const std::string& program) {
  return program.find('/') == std::string::npos ? find_program(program) : program;
}

int decode_status(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

// setpriv (util-linux) sets PR_SET_PDEATHSIG and then execs the server in the same process.
const std::string& pdeathsig_wrapper() {
  static const std::string path = have_program("setpriv") ? find_program("setpriv") : std::string();
  return path;
}

std::string join(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) {
      line += ' ';
    }
    line += arg;
  }
  return line;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::filesystem::path log_file,
                           std::chrono::milliseconds stop_grace)
    : argv_(std::move(argv)), log_file_(std::move(log_file)), stop_grace_(stop_grace) {
  if (argv_.empty()) {
    throw std::invalid_argument("ChildProcess: empty argv");
  }
  argv_.front() = resolve(argv_.front());
  std::vector<std::string> command = argv_;
  if (!pdeathsig_wrapper().empty()) {
    command.insert(command.begin(), {pdeathsig_wrapper(), "--pdeathsig", "KILL", "--"});
  }
  pid_ = spawn(std::move(command), &log_file_, -1);
}

ChildProcess::~ChildProcess() { stop(); }

pid_t ChildProcess::pid() const { return pid_; }

bool ChildProcess::running() {
  if (status_) {
    return false;
  }
  int status = 0;
  const pid_t result = ::waitpid(pid_, &status, WNOHANG);
  if (result == 0) {
    return true;
  }
  // -1 (ECHILD) means somebody else reaped it; either way it is gone.
  status_ = result == pid_ ? decode_status(status) : -1;
  return false;
}

std::optional<int> ChildProcess::exit_status() {
  running();
  return status_;
}

void ChildProcess::stop() {
  if (!running()) {
    return;
  }
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + stop_grace_;
  auto next_signal = Clock::now() + 100ms;
  while (Clock::now() < deadline) {
    if (!running()) {
      return;
    }
    // nginx ignores a SIGTERM that arrives before it has installed its handlers: say it again.
    if (Clock::now() >= next_signal) {
      ::kill(pid_, SIGTERM);
      next_signal += 100ms;
    }
    std::this_thread::sleep_for(2ms);
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t result = -1;
  do {
    result = ::waitpid(pid_, &status, 0);
  } while (result < 0 && errno == EINTR);
  status_ = result == pid_ ? decode_status(status) : -1;
}

std::string ChildProcess::log_tail(std::size_t max_bytes) const {
  std::ifstream in(log_file_, std::ios::binary);
  if (!in) {
    return "(no log at " + log_file_.string() + ")";
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(in.tellg());
  const auto start = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string tail(size - start, '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  if (start > 0) {
    const auto newline = tail.find('\n');
    if (newline != std::string::npos) {
      tail.erase(0, newline + 1);
    }
  }
  return tail;
}

const std::filesystem::path& ChildProcess::log_file() const { return log_file_; }

std::string ChildProcess::command_line() const { return join(argv_); }

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  if (argv.empty()) {
    throw std::invalid_argument("run_command: empty argv");
  }
  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  auto command = argv;
  command.front() = resolve(command.front());
  const pid_t pid = spawn(command, nullptr, write_end.get());
  write_end.reset();

  CommandResult result;
  const auto deadline = Clock::now() + timeout;
  const auto remaining_ms = [&] {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, left.count()));
  };
  std::array<char, 4096> buffer{};
  bool eof = false;
  while (!eof && remaining_ms() > 0) {
    pollfd pfd{read_end.get(), POLLIN, 0};
    const int ready = ::poll(&pfd, 1, remaining_ms());
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      break;
    }
    const auto n = ::read(read_end.get(), buffer.data(), buffer.size());
    if (n > 0) {
      result.output.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      eof = true;
    }
  }
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      result.exit_code = decode_status(status);
      return result;
    }
    if (done < 0 && errno != EINTR) {
      return result;
    }
    if (remaining_ms() == 0) {
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  result.timed_out = true;
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = decode_status(status);
  return result;
}

std::uint16_t free_port(bool udp, const std::string& ip) {
  const auto fd = bound_socket(ip, 0, udp ? SOCK_DGRAM : SOCK_STREAM);
  return local_port(fd.get());
}

std::uint16_t free_port_tcp_udp(const std::string& ip) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto tcp = bound_socket(ip, 0, SOCK_STREAM);
    const auto port = local_port(tcp.get());
    try {
      bound_socket(ip, port, SOCK_DGRAM);
      return port;
    } catch (const std::system_error&) {
      // UDP side taken: try another port.
    }
  }
  throw std::runtime_error("free_port_tcp_udp: no port free for both TCP and UDP on " + ip);
}

bool tcp_accepts(const std::string& ip, std::uint16_t port) {
  return try_connect(ip, port, 100ms) == ConnectResult::connected;
}

void wait_for_tcp(const std::string& ip, std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (tcp_accepts(ip, port)) {
      return;
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error("wait_for_tcp: nothing accepted on " + host_port(ip, port) + " within " +
                               std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(2ms);
  }
}

void wait_for_ready(ChildProcess& child, const std::function<bool()>& ready, std::chrono::milliseconds timeout,
                    const std::string& what) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (!child.running()) {
      throw std::runtime_error(what + " exited during start-up (status " +
                               std::to_string(child.exit_status().value_or(-1)) + ")\ncommand: " +
                               child.command_line() + "\nlog tail:\n" + child.log_tail());
    }
    if (ready()) {
      return;
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error(what + " not ready after " + std::to_string(timeout.count()) +
                               " ms\ncommand: " + child.command_line() + "\nlog tail:\n" + child.log_tail());
    }
    std::this_thread::sleep_for(2ms);
  }
}

bool have_program(const std::string& name) {
  try {
    find_program(name);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

std::string find_program(const std::string& name) {
  const auto executable = [](const std::filesystem::path& candidate) {
    return ::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate);
  };
  if (name.find('/') != std::string::npos) {
    if (executable(name)) {
      return name;
    }
    throw std::runtime_error("program not executable: " + name);
  }
  std::vector<std::string> directories;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream stream(path);
    for (std::string directory; std::getline(stream, directory, ':');) {
      if (!directory.empty()) {
        directories.push_back(directory);
      }
    }
  }
  // Debian keeps dnsmasq, nginx, ip and nft in sbin, which is not on a normal user's PATH.
  for (const char* extra : {"/usr/local/sbin", "/usr/sbin", "/sbin"}) {
    directories.emplace_back(extra);
  }
  for (const auto& directory : directories) {
    const auto candidate = std::filesystem::path(directory) / name;
    if (executable(candidate)) {
      return candidate.string();
    }
  }
  throw std::runtime_error("program not found on PATH or in sbin: " + name);
}

std::string host_port(const std::string& ip, std::uint16_t port) {
  return (is_ipv6(ip) ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

}  // namespace vnetdiag::testing
