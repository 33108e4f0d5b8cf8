#include "agent/runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include <spdlog/spdlog.h>

namespace vnetdiag {

RunResult run_until_done(std::vector<ProbeTarget> targets, EngineOptions options, ProgressFn progress) {
  namespace asio = boost::asio;
  asio::io_context io(1);  // one thread: c-ares channels are not thread-safe, and nothing here needs locks
  Engine engine(io, std::move(options));
  engine.on_progress(std::move(progress));
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) engine.stop();
  });
  // From here Ctrl-C and SIGTERM stop the probes and the report is still written.
  spdlog::info("probing {} targets", targets.size());
  RunResult out;
  std::exception_ptr failure;
  asio::co_spawn(io, engine.run(std::move(targets)), [&](std::exception_ptr error, RunResult result) {
    failure = error;
    out = std::move(result);
    signals.cancel();
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return out;
}

}  // namespace vnetdiag
