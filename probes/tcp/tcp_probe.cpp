#include "probes/tcp/tcp_probe.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/error.hpp>
#include <cerrno>
#include <cstring>

namespace vnetdiag::tcp {
namespace {

struct ErrnoStatus {
  int value;
  TcpStatus status;
};

constexpr ErrnoStatus kErrnoStatus[] = {
    {ECONNREFUSED, TcpStatus::refused},
    {ETIMEDOUT, TcpStatus::timeout},
    {EHOSTUNREACH, TcpStatus::host_unreachable},
    {EHOSTDOWN, TcpStatus::host_unreachable},
    {ENETUNREACH, TcpStatus::network_unreachable},
    {ENETDOWN, TcpStatus::network_unreachable},
};

}  // namespace

TcpStatus classify_socket_error(const boost::system::error_code& ec) {
  if (!ec) return TcpStatus::connected;
  if (ec.category() == boost::system::system_category() || ec.category() == boost::system::generic_category()) {
    for (const auto& e : kErrnoStatus)
      if (e.value == ec.value()) return e.status;
  }
  return TcpStatus::error;
}

std::string error_name(const boost::system::error_code& ec) {
  if (ec.category() == boost::system::system_category() || ec.category() == boost::system::generic_category()) {
    if (const char* name = ::strerrorname_np(ec.value())) return name;
  }
  return ec.message();
}

boost::asio::awaitable<Connection> connect(Deadline& deadline, Clock::duration budget, tcp::endpoint endpoint) {
  namespace asio = boost::asio;
  Connection out;
  out.attempt.address = endpoint.address().to_string();
  out.attempt.port = endpoint.port();
  tcp::socket socket(co_await asio::this_coro::executor);
  const auto started = Clock::now();
  auto done = co_await deadline.within(budget, socket.async_connect(endpoint, asio::as_tuple(asio::use_awaitable)));
  out.attempt.ms = ms_since(started);
  if (done.cut != Cut::none) {
    out.attempt.status = done.cut == Cut::deadline ? TcpStatus::deadline : TcpStatus::timeout;
    out.attempt.detail = done.cut == Cut::deadline ? "run deadline reached" : "no answer within the connect budget";
  } else if (auto [ec] = *done.value; ec) {
    out.attempt.status = classify_socket_error(ec);
    out.attempt.detail = error_name(ec);
  } else {
    out.attempt.status = TcpStatus::connected;
    out.socket.emplace(std::move(socket));
  }
  spdlog::debug("tcp.connect endpoint={} status={} ms={:.1f}", out.attempt.address + ":" + std::to_string(out.attempt.port),
                to_string(out.attempt.status), out.attempt.ms);
  co_return out;
}

}  // namespace vnetdiag::tcp
