// The probe engine: every target's DNS, TCP, proxy, TLS and HTTP phases, concurrently on one
// io_context, within per-phase budgets and one global deadline.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "probes/evidence.hpp"
#include "probes/target.hpp"

namespace vnetdiag {

/// Called as each target finishes: (result, finished so far, total).
using ProgressFn = std::function<void(const TargetResult&, std::size_t, std::size_t)>;

/// How many targets may be in flight so that every socket they may open fits under `open_file_limit`.
std::size_t fit_concurrency(std::size_t requested, std::size_t targets, std::size_t open_file_limit);

/// Raises the soft open-file limit to the hard one and returns the result.
std::size_t raise_open_file_limit();

class Engine {
 public:
  /// Throws std::invalid_argument for unusable options (an unreadable CA file): bad input, not a probe result.
  Engine(boost::asio::io_context& io, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void on_progress(ProgressFn fn);
  /// Probes every target; returns when all are done or the deadline has passed.
  boost::asio::awaitable<RunResult> run(std::vector<ProbeTarget> targets);
  /// Ends the run now; unfinished work is reported as `deadline` and the run as interrupted.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Runs `targets` on a private io_context and returns when done.
RunResult run_probes(std::vector<ProbeTarget> targets, EngineOptions options);

}  // namespace vnetdiag
