#include "tests/support/openssl_server.hpp"

#include <atomic>
#include <optional>
#include <stdexcept>

#include "tests/support/process.hpp"

namespace vnetdiag::testing {

namespace {
using namespace std::chrono_literals;
constexpr int kStartAttempts = 3;
}  // namespace

struct OpensslServer::Impl {
  std::uint16_t port = 0;
  std::optional<ChildProcess> process;
};

OpensslServer::OpensslServer(const CertFiles& cert, std::vector<std::string> options, const TempDir& dir)
    : impl_(std::make_unique<Impl>()) {
  static std::atomic<int> instances{0};
  const auto log = dir.path() / ("s_server-" + std::to_string(++instances) + ".log");
  for (int attempt = 1;; ++attempt) {
    impl_->port = free_port();
    std::vector<std::string> argv{"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(impl_->port),
                                  "-cert", cert.cert.string(), "-key", cert.key.string(),
                                  "-cert_chain", cert.chain.string(), "-www"};
    argv.insert(argv.end(), options.begin(), options.end());
    impl_->process.emplace(argv, log);
    try {
      wait_for_ready(*impl_->process, [&] { return tcp_accepts("127.0.0.1", impl_->port); }, 5s, "openssl s_server");
      return;
    } catch (const std::runtime_error&) {
      const bool port_race = impl_->process->log_tail().find("in use") != std::string::npos;
      impl_->process.reset();
      if (!port_race || attempt >= kStartAttempts) throw;
    }
  }
}

OpensslServer::~OpensslServer() = default;

std::uint16_t OpensslServer::port() const { return impl_->port; }

std::string OpensslServer::log_tail() const { return impl_->process->log_tail(); }

}  // namespace vnetdiag::testing
