#include "tests/support/fault_dns.hpp"

#include <array>
#include <atomic>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "tests/support/dns_wire.hpp"

namespace vnetdiag::testing {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kTtl = 60;
constexpr int kMaxChain = 8;

constexpr std::uint16_t kQr = 0x8000;
constexpr std::uint16_t kOpcodeMask = 0x7800;
constexpr std::uint16_t kAa = 0x0400;
constexpr std::uint16_t kTc = 0x0200;
constexpr std::uint16_t kRd = 0x0100;
constexpr std::uint16_t kRa = 0x0080;
constexpr std::uint16_t kNoError = 0;
constexpr std::uint16_t kServFail = 2;
constexpr std::uint16_t kNxDomain = 3;
constexpr std::uint16_t kRefused = 5;

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  put_u16(out, static_cast<std::uint16_t>(value >> 16));
  put_u16(out, static_cast<std::uint16_t>(value & 0xffff));
}

void set_u16(std::vector<std::uint8_t>& out, std::size_t offset, std::uint16_t value) {
  out[offset] = static_cast<std::uint8_t>(value >> 8);
  out[offset + 1] = static_cast<std::uint8_t>(value & 0xff);
}

// Header plus the question copied verbatim from the query; answers are appended by the caller.
std::vector<std::uint8_t> reply_head(std::span<const std::uint8_t> query, const dns_wire::Question& question,
                                     std::uint16_t extra_flags, std::uint16_t rcode) {
  std::vector<std::uint8_t> reply;
  put_u16(reply, question.id);
  put_u16(reply, static_cast<std::uint16_t>(kQr | (question.flags & (kOpcodeMask | kRd)) | kRa | extra_flags |
                                            rcode));
  put_u16(reply, 1);
  put_u16(reply, 0);
  put_u16(reply, 0);
  put_u16(reply, 0);
  reply.insert(reply.end(), query.begin() + 12, query.begin() + static_cast<std::ptrdiff_t>(question.question_end));
  return reply;
}

void add_record(std::vector<std::uint8_t>& reply, const std::string& owner, std::uint16_t type,
                const std::vector<std::uint8_t>& rdata) {
  dns_wire::append_name(reply, owner);
  put_u16(reply, type);
  put_u16(reply, dns_wire::class_in);
  put_u32(reply, kTtl);
  put_u16(reply, static_cast<std::uint16_t>(rdata.size()));
  reply.insert(reply.end(), rdata.begin(), rdata.end());
  set_u16(reply, 6, static_cast<std::uint16_t>(((reply[6] << 8) | reply[7]) + 1));
}

// Claims one question and one answer, then stops inside the question name: every parser must
// reject it, while the matching id keeps resolvers from discarding it as a stray packet.
std::vector<std::uint8_t> garbage_reply(const dns_wire::Question& question) {
  std::vector<std::uint8_t> reply;
  put_u16(reply, question.id);
  put_u16(reply, static_cast<std::uint16_t>(kQr | kRd | kRa));
  put_u16(reply, 1);
  put_u16(reply, 1);
  put_u16(reply, 0);
  put_u16(reply, 0);
  const std::uint8_t truncated_name[] = {0x07, 'g', 'a', 'r', 0xc0};
  reply.insert(reply.end(), std::begin(truncated_name), std::end(truncated_name));
  return reply;
}

}  // namespace

struct FaultDnsServer::Impl {
  asio::io_context io{1};
  udp::socket udp_socket{io};
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::uint16_t port = 0;
  std::atomic<int> queries{0};

  // Written by the test thread, read by the server thread.
  mutable std::mutex mutex;
  std::map<std::string, DnsFault> faults;
  std::map<std::string, std::vector<asio::ip::address>> addresses;
  std::map<std::string, std::string> cnames;
  std::map<std::string, std::chrono::milliseconds> delays;

  Impl() {
    // The kernel picks the UDP port; TCP must then get the same number, which can be taken.
    for (int attempt = 0; attempt < 50 && port == 0; ++attempt) {
      boost::system::error_code ec;
      udp_socket = udp::socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
      const auto candidate = udp_socket.local_endpoint().port();
      acceptor = tcp::acceptor(io);
      acceptor.open(tcp::v4());
      acceptor.set_option(tcp::acceptor::reuse_address(true));
      acceptor.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), candidate), ec);
      if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
      }
      if (!ec) {
        port = candidate;
      }
    }
    if (port == 0) {
      throw std::runtime_error("FaultDnsServer: no port free for both UDP and TCP on 127.0.0.1");
    }
    asio::co_spawn(io, serve_udp(), asio::detached);
    asio::co_spawn(io, accept_tcp(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    io.stop();
    thread.join();
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::chrono::milliseconds delay_for(const std::string& name) const {
    const std::lock_guard lock(mutex);
    const auto found = delays.find(name);
    return found == delays.end() ? std::chrono::milliseconds(0) : found->second;
  }

  // nullopt means "stay silent".
  std::optional<std::vector<std::uint8_t>> answer(std::span<const std::uint8_t> query, bool over_tcp) {
    const auto question = dns_wire::parse_question(query);
    if (!question) {
      return std::nullopt;
    }
    ++queries;
    const std::lock_guard lock(mutex);

    std::vector<std::string> chain{question->name};
    while (cnames.contains(chain.back())) {
      if (static_cast<int>(chain.size()) > kMaxChain) {
        return reply_head(query, *question, 0, kServFail);
      }
      chain.push_back(cnames.at(chain.back()));
    }

    std::optional<DnsFault> fault;
    for (const auto& name : chain) {
      if (const auto found = faults.find(name); found != faults.end()) {
        fault = found->second;
        break;
      }
    }
    if (fault == DnsFault::servfail) {
      return reply_head(query, *question, 0, kServFail);
    }
    if (fault == DnsFault::refused) {
      return reply_head(query, *question, 0, kRefused);
    }
    if (fault == DnsFault::silent) {
      return std::nullopt;
    }
    if (fault == DnsFault::garbage) {
      return garbage_reply(*question);
    }
    if (fault == DnsFault::truncate && !over_tcp) {
      return reply_head(query, *question, kAa | kTc, kNoError);
    }

    const auto& last = chain.back();
    const bool known = addresses.contains(last) || faults.contains(last) || delays.contains(last);
    // The rcode belongs to the last name of the chain (RFC 6604): CNAMEs into nothing are NXDOMAIN.
    auto reply = reply_head(query, *question, kAa, known ? kNoError : kNxDomain);
    for (std::size_t hop = 0; hop + 1 < chain.size(); ++hop) {
      std::vector<std::uint8_t> target;
      dns_wire::append_name(target, chain[hop + 1]);
      add_record(reply, chain[hop], dns_wire::type_cname, target);
      if (question->qtype == dns_wire::type_cname) {
        return reply;
      }
    }
    if (question->qclass != dns_wire::class_in) {
      return reply;
    }
    if (const auto found = addresses.find(last); found != addresses.end()) {
      for (const auto& address : found->second) {
        const bool want_a = question->qtype == dns_wire::type_a || question->qtype == dns_wire::type_any;
        const bool want_aaaa = question->qtype == dns_wire::type_aaaa || question->qtype == dns_wire::type_any;
        if (address.is_v4() && want_a) {
          const auto bytes = address.to_v4().to_bytes();
          add_record(reply, last, dns_wire::type_a, {bytes.begin(), bytes.end()});
        } else if (address.is_v6() && want_aaaa) {
          const auto bytes = address.to_v6().to_bytes();
          add_record(reply, last, dns_wire::type_aaaa, {bytes.begin(), bytes.end()});
        }
      }
    }
    return reply;
  }

  asio::awaitable<void> send_udp_later(std::vector<std::uint8_t> reply, udp::endpoint peer,
                                       std::chrono::milliseconds delay) {
    asio::steady_timer timer(io, delay);
    co_await timer.async_wait(use_tuple);
    co_await udp_socket.async_send_to(asio::buffer(reply), peer, use_tuple);
  }

  asio::awaitable<void> serve_udp() {
    std::array<std::uint8_t, 4096> buffer{};
    while (true) {
      udp::endpoint peer;
      const auto [ec, n] = co_await udp_socket.async_receive_from(asio::buffer(buffer), peer, use_tuple);
      if (ec == asio::error::operation_aborted || !udp_socket.is_open()) {
        co_return;
      }
      if (ec) {
        continue;
      }
      const std::span<const std::uint8_t> query(buffer.data(), n);
      auto reply = answer(query, false);
      if (!reply) {
        continue;
      }
      const auto question = dns_wire::parse_question(query);
      const auto delay = delay_for(question->name);
      if (delay.count() > 0) {
        asio::co_spawn(io, send_udp_later(std::move(*reply), peer, delay), asio::detached);
      } else {
        co_await udp_socket.async_send_to(asio::buffer(*reply), peer, use_tuple);
      }
    }
  }

  asio::awaitable<void> serve_tcp(tcp::socket socket) {
    while (true) {
      std::array<std::uint8_t, 2> length_prefix{};
      auto [ec, n] = co_await asio::async_read(socket, asio::buffer(length_prefix), use_tuple);
      if (ec) {
        co_return;
      }
      std::vector<std::uint8_t> query(static_cast<std::size_t>((length_prefix[0] << 8) | length_prefix[1]));
      std::tie(ec, n) = co_await asio::async_read(socket, asio::buffer(query), use_tuple);
      if (ec) {
        co_return;
      }
      auto reply = answer(query, true);
      if (!reply) {
        continue;  // silent: keep the connection open and unanswered
      }
      const auto question = dns_wire::parse_question(query);
      if (const auto delay = delay_for(question->name); delay.count() > 0) {
        asio::steady_timer timer(io, delay);
        co_await timer.async_wait(use_tuple);
      }
      std::vector<std::uint8_t> framed;
      put_u16(framed, static_cast<std::uint16_t>(reply->size()));
      framed.insert(framed.end(), reply->begin(), reply->end());
      std::tie(ec, n) = co_await asio::async_write(socket, asio::buffer(framed), use_tuple);
      if (ec) {
        co_return;
      }
    }
  }

  asio::awaitable<void> accept_tcp() {
    while (true) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
        co_return;
      }
      if (!ec) {
        asio::co_spawn(io, serve_tcp(std::move(socket)), asio::detached);
      }
    }
  }
};

FaultDnsServer::FaultDnsServer() : impl_(std::make_unique<Impl>()) {}

FaultDnsServer::~FaultDnsServer() = default;

void FaultDnsServer::set(std::string name, DnsFault fault) {
  const std::lock_guard lock(impl_->mutex);
  impl_->faults[dns_wire::normalize_name(std::move(name))] = fault;
}

void FaultDnsServer::set_address(std::string name, std::string ip) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(ip, ec);
  if (ec) {
    throw std::invalid_argument("FaultDnsServer::set_address: not an IP address: " + ip);
  }
  const std::lock_guard lock(impl_->mutex);
  impl_->addresses[dns_wire::normalize_name(std::move(name))].push_back(address);
}

void FaultDnsServer::set_cname(std::string alias, std::string target) {
  const std::lock_guard lock(impl_->mutex);
  impl_->cnames[dns_wire::normalize_name(std::move(alias))] = dns_wire::normalize_name(std::move(target));
}

void FaultDnsServer::set_delay(std::string name, std::chrono::milliseconds delay) {
  const std::lock_guard lock(impl_->mutex);
  impl_->delays[dns_wire::normalize_name(std::move(name))] = delay;
}

std::string FaultDnsServer::address() const { return "127.0.0.1:" + std::to_string(impl_->port); }

std::string FaultDnsServer::ip() const { return "127.0.0.1"; }

std::uint16_t FaultDnsServer::port() const { return impl_->port; }

int FaultDnsServer::queries_seen() const { return impl_->queries.load(); }

}  // namespace vnetdiag::testing
