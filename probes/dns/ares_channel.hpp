// A c-ares channel driven by an Asio executor: c-ares owns the sockets, Asio waits on them.
// Only probes/dns/ includes <ares.h>.
#pragma once

#include <ares.h>
#include <ares_nameser.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace vnetdiag::dns {

namespace asio = boost::asio;

/// How one channel talks to its single server.
struct ChannelConfig {
  std::string server;                          ///< "127.0.0.1:5353" or "[::1]:53": IP literals only
  std::chrono::milliseconds first_try_timeout{1000};  ///< c-ares doubles it every round
  int tries = 2;
  bool tcp = false;  ///< queries over TCP only (the retry after a truncated UDP answer)
};

/// One DNS reply as c-ares saw it. `bytes` is kept for NXDOMAIN and NODATA, where CNAMEs still appear.
struct RawReply {
  int status = ARES_SUCCESS;  ///< c-ares' mapping of the rcode, or a transport failure
  int timeouts = 0;
  std::vector<unsigned char> bytes;
};

/// A c-ares channel bound to one server. Use it only from the thread running its io_context.
class AresChannel {
 public:
  /// Throws std::invalid_argument for a server c-ares does not accept: validate input before this.
  AresChannel(asio::any_io_executor executor, const ChannelConfig& config);
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  ares_channel native() const;
  asio::any_io_executor get_executor() const;
  /// Completes every pending query with ARES_ECANCELLED (c-ares only cancels channel-wide).
  void cancel();
  /// Re-arms the timer that drives c-ares timeouts and retries; call after starting a query.
  void poke();

 private:
  struct State;  // shared with in-flight Asio handlers, so it outlives this object
  std::shared_ptr<State> state_;
};

/// Sends one query of `type` for `name`; completes with the reply, never with an exception.
template <class CompletionToken>
auto async_query(AresChannel& channel, std::string name, int type, CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(RawReply)>(
      [&channel](auto handler, std::string qname, int qtype) {
        // Asio's rule for async operations: track work on the handler's executor until completion.
        auto work = asio::prefer(asio::get_associated_executor(handler, channel.get_executor()),
                                 asio::execution::outstanding_work.tracked);
        using Op = std::pair<decltype(handler), decltype(work)>;
        ares_query(
            channel.native(), qname.c_str(), C_IN, qtype,
            [](void* arg, int status, int timeouts, unsigned char* abuf, int alen) {
              std::unique_ptr<Op> op(static_cast<Op*>(arg));
              RawReply reply{status, timeouts, {}};
              if (abuf != nullptr && alen > 0) reply.bytes.assign(abuf, abuf + alen);
              // Never complete inline: c-ares may call back from inside ares_query or ares_cancel.
              auto ex = op->second;
              asio::post(ex, [h = std::move(op->first), r = std::move(reply)]() mutable { std::move(h)(std::move(r)); });
            },
            new Op(std::move(handler), std::move(work)));
        channel.poke();
      },
      token, std::move(name), type);
}

}  // namespace vnetdiag::dns
