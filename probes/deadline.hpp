// Time limits that are visible at the call site: each phase races its own budget and the run's
// global deadline, and the caller learns which one ended it.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <optional>
#include <utility>

namespace vnetdiag {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

/// What ended a timed operation.
enum class Cut { none, budget, deadline };

/// The outcome of `Deadline::within`: the operation's value, or which limit came first.
template <class T>
struct Timed {
  std::optional<T> value;
  Cut cut = Cut::none;
};

/// Milliseconds since `start`, with a fraction: the unit of every timing in a report.
inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// The run's global deadline. One timer with many waiters: expiring it (on time, or early through
/// `expire_now` on Ctrl-C) completes every pending `within` at once.
class Deadline {
 public:
  Deadline(asio::any_io_executor executor, Clock::duration total)
      : timer_(std::move(executor), total), at_(Clock::now() + total) {}

  /// Ends the run now: every phase in flight returns `Cut::deadline`.
  void expire_now() {
    at_ = Clock::now();
    timer_.expires_at(at_);  // cancels the pending waits, which is how `within` learns of it
  }
  /// Releases every waiter without marking the run as cut short: the run is over.
  void release() { timer_.cancel(); }
  /// Waits until the deadline passes or `expire_now`/`release` is called.
  template <class Token>
  auto async_wait(Token&& token) {
    return timer_.async_wait(std::forward<Token>(token));
  }
  bool expired() const { return Clock::now() >= at_; }
  Clock::time_point at() const { return at_; }

  /// Runs `op` until it completes, `limit` passes, or the deadline passes, whichever is first.
  /// `op` must not throw for network failures (use as_tuple): `||` waits for the first *success*,
  /// so a throwing op that fails fast would lose the race to the timer and read as a timeout.
  template <class T>
  asio::awaitable<Timed<T>> within(Clock::duration limit, asio::awaitable<T> op) {
    using namespace asio::experimental::awaitable_operators;
    if (expired()) co_return Timed<T>{std::nullopt, Cut::deadline};
    asio::steady_timer budget(co_await asio::this_coro::executor, limit);
    auto winner = co_await (std::move(op) || budget.async_wait(asio::as_tuple(asio::use_awaitable)) ||
                            timer_.async_wait(asio::as_tuple(asio::use_awaitable)));
    switch (winner.index()) {
      case 0: co_return Timed<T>{std::move(std::get<0>(winner)), Cut::none};
      case 1: co_return Timed<T>{std::nullopt, expired() ? Cut::deadline : Cut::budget};
      default: co_return Timed<T>{std::nullopt, Cut::deadline};
    }
  }

 private:
  asio::steady_timer timer_;
  Clock::time_point at_;
};

}  // namespace vnetdiag
