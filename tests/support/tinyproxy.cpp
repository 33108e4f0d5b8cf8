#include "tests/support/tinyproxy.hpp"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "tests/support/process.hpp"

namespace vnetdiag::testing {

namespace {

using namespace std::chrono_literals;

constexpr int kStartAttempts = 3;

// Extended regular expressions matched against the CONNECT / request host (FilterDefaultDeny
// turns the list into an allow-list). Checked before tinyproxy resolves anything.
constexpr const char* kAllowedHosts =
    "^localhost$\n"
    "^127\\.[0-9]+\\.[0-9]+\\.[0-9]+$\n"
    "^\\[?::1\\]?$\n"
    "^10\\.231\\.[0-9]+\\.[0-9]+$\n";

void require_config_token(const std::string& value, const std::string& what) {
  const bool ok = !value.empty() && std::none_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isspace(c) || c == '"' || c == '#' || c == '\\';
  });
  if (!ok) {
    throw std::invalid_argument("Tinyproxy: unusable " + what + ": '" + value + "'");
  }
}

}  // namespace

struct Tinyproxy::Impl {
  TinyproxyConfig config;
  std::optional<ChildProcess> process;
};

Tinyproxy::Tinyproxy(TinyproxyConfig config, const TempDir& dir) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  auto& cfg = impl_->config;
  static std::atomic<int> instances{0};
  const auto name = "tinyproxy-" + std::to_string(++instances);
  const auto filter = dir.write(name + ".filter", kAllowedHosts);
  const bool pick_port = cfg.port == 0;

  for (int attempt = 1;; ++attempt) {
    if (pick_port) {
      cfg.port = free_port(false, cfg.listen_ip);
    }
    std::ostringstream conf;
    conf << "Port " << cfg.port << "\n"
         << "Listen " << cfg.listen_ip << "\n"
         << "Timeout 60\n"
         << "MaxClients 100\n"
         << "LogLevel Info\n"
         << "PidFile \"" << (dir.path() / (name + ".pid")).string() << "\"\n"
         << "DisableViaHeader Yes\n"
         << "Filter \"" << filter.string() << "\"\n"
         << "FilterType ere\n"
         << "FilterDefaultDeny Yes\n";
    for (const auto port : cfg.connect_ports) {
      conf << "ConnectPort " << port << "\n";
    }
    if (cfg.basic_auth) {
      require_config_token(cfg.basic_auth->first, "user");
      require_config_token(cfg.basic_auth->second, "password");
      conf << "BasicAuth " << cfg.basic_auth->first << " " << cfg.basic_auth->second << "\n";
    }
    const auto conf_file = dir.write(name + ".conf", conf.str());
    // -d keeps it in the foreground; with no LogFile it logs to stderr, i.e. our log file.
    impl_->process.emplace(std::vector<std::string>{"tinyproxy", "-d", "-c", conf_file.string()},
                           dir.path() / (name + ".log"));
    try {
      wait_for_ready(*impl_->process, [&] { return tcp_accepts(cfg.listen_ip, cfg.port); }, 5s, "tinyproxy");
      return;
    } catch (const std::runtime_error&) {
      const bool port_race = impl_->process->log_tail().find("in use") != std::string::npos;
      impl_->process.reset();
      if (!(pick_port && port_race && attempt < kStartAttempts)) {
        throw;
      }
    }
  }
}

Tinyproxy::~Tinyproxy() = default;

std::uint16_t Tinyproxy::port() const { return impl_->config.port; }

std::string Tinyproxy::url() const { return "http://" + host_port(impl_->config.listen_ip, impl_->config.port); }

pid_t Tinyproxy::pid() const { return impl_->process->pid(); }

std::string Tinyproxy::log_tail() const { return impl_->process->log_tail(); }

}  // namespace vnetdiag::testing
