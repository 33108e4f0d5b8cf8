#include "probes/dns/ares_channel.hpp"
#include "probes/library_versions.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <stdexcept>

namespace vnetdiag::dns {

// The Envoy model: c-ares tells us which sockets to watch (sock_state_cb); Asio waits for
// readiness on a non-owning descriptor and hands control back through ares_process_fd.
struct AresChannel::State : std::enable_shared_from_this<State> {
  struct Socket {
    Socket(const asio::any_io_executor& ex, ares_socket_t fd) : descriptor(ex, fd) {}
    asio::posix::stream_descriptor descriptor;
    bool want_read = false, want_write = false;  // what c-ares asked for
    bool reading = false, writing = false;       // what we are waiting on
  };

  explicit State(asio::any_io_executor ex) : executor(ex), timer(ex) {}

  asio::any_io_executor executor;
  asio::steady_timer timer;
  std::map<ares_socket_t, Socket> sockets;
  ares_channel channel = nullptr;  // nullptr once the owner is gone

  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    static_cast<State*>(data)->socket_state(fd, readable != 0, writable != 0);
  }

  void socket_state(ares_socket_t fd, bool readable, bool writable) {
    if (!readable && !writable) {  // c-ares closes fd right after this call
      if (auto it = sockets.find(fd); it != sockets.end()) {
        it->second.descriptor.release();  // the fd is c-ares's: never close it
        sockets.erase(it);
      }
      return;
    }
    auto& socket = sockets.try_emplace(fd, executor, fd).first->second;
    socket.want_read = readable;
    socket.want_write = writable;
    watch(fd);
  }

  void watch(ares_socket_t fd) {
    using wait = asio::posix::descriptor_base::wait_type;
    auto& socket = sockets.at(fd);
    if (socket.want_read && !socket.reading) {
      socket.reading = true;
      socket.descriptor.async_wait(wait::wait_read, [self = shared_from_this(), fd](boost::system::error_code ec) {
        self->ready(fd, true, ec);
      });
    }
    if (socket.want_write && !socket.writing) {
      socket.writing = true;
      socket.descriptor.async_wait(wait::wait_write, [self = shared_from_this(), fd](boost::system::error_code ec) {
        self->ready(fd, false, ec);
      });
    }
  }

  void ready(ares_socket_t fd, bool readable, boost::system::error_code ec) {
    if (channel == nullptr) return;
    // Look the fd up again: c-ares may have closed (and even reused) it since the wait began.
    auto it = sockets.find(fd);
    if (it == sockets.end()) return;
    (readable ? it->second.reading : it->second.writing) = false;
    if (ec == asio::error::operation_aborted) return;
    ares_process_fd(channel, readable ? fd : ARES_SOCKET_BAD, readable ? ARES_SOCKET_BAD : fd);
    if (sockets.contains(fd)) watch(fd);
    arm_timer();
  }

  void arm_timer() {
    timeval tv{};
    if (channel == nullptr || ares_timeout(channel, nullptr, &tv) == nullptr) {
      timer.cancel();  // no query pending
      return;
    }
    timer.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->channel == nullptr) return;
      // Without this call, tries never time out: c-ares only checks its clocks when driven.
      ares_process_fd(self->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      self->arm_timer();
    });
  }
};

AresChannel::AresChannel(asio::any_io_executor executor, const ChannelConfig& config)
    : state_(std::make_shared<State>(executor)) {
  ares_options options{};
  options.sock_state_cb = &State::on_socket_state;
  options.sock_state_cb_data = state_.get();
  options.timeout = static_cast<int>(config.first_try_timeout.count());
  options.tries = config.tries;
  // NOCHECKRESP: without it c-ares turns SERVFAIL and REFUSED into "try the next server" and they
  // end up indistinguishable. IGNTC: a truncated UDP answer comes back to us, so the retry over
  // TCP is visible in the evidence instead of silent.
  options.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOCHECKRESP |
                  (config.tcp ? ARES_FLAG_USEVC : ARES_FLAG_IGNTC);
  char lookups[] = "b";
  options.lookups = lookups;
  // The server list is set explicitly below; the machine's resolv.conf must not leak into a channel.
  char resolvconf[] = "/dev/null";
  options.resolvconf_path = resolvconf;
  const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS |
                   ARES_OPT_LOOKUPS | ARES_OPT_RESOLVCONF | ARES_OPT_NOROTATE;
  if (int rc = ares_init_options(&state_->channel, &options, mask); rc != ARES_SUCCESS)
    throw std::runtime_error(std::string("c-ares: ") + ares_strerror(rc));
  if (int rc = ares_set_servers_ports_csv(state_->channel, config.server.c_str()); rc != ARES_SUCCESS) {
    ares_destroy(state_->channel);
    state_->channel = nullptr;
    throw std::invalid_argument("DNS server '" + config.server + "': " + ares_strerror(rc));
  }
}

AresChannel::~AresChannel() {
  // Completes pending queries with ARES_EDESTRUCTION and reports every socket as (fd, 0, 0).
  ares_destroy(state_->channel);
  state_->channel = nullptr;  // late handlers holding the State see this and return
  state_->timer.cancel();
}

ares_channel AresChannel::native() const { return state_->channel; }
asio::any_io_executor AresChannel::get_executor() const { return state_->executor; }
void AresChannel::cancel() {
  ares_cancel(state_->channel);
  state_->arm_timer();
}
void AresChannel::poke() { state_->arm_timer(); }

}  // namespace vnetdiag::dns

namespace vnetdiag {
std::string cares_version() { return ares_version(nullptr); }
}  // namespace vnetdiag
