#include "probes/engine.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "probes/deadline.hpp"
#include "probes/dns/dns_probe.hpp"
#include "probes/dns/system_files.hpp"
#include "probes/http/http_probe.hpp"
#include "probes/net/address.hpp"
#include "probes/proxy/proxy_connect.hpp"
#include "probes/tcp/tcp_probe.hpp"
#include "probes/tls/tls_probe.hpp"

namespace vnetdiag {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp_endpoint = asio::ip::tcp::endpoint;
using tcp_socket = asio::ip::tcp::socket;

// Sockets one target may hold at once: its connects (one per address, rarely more than a few), a
// proxy connection, and slack. Resolver sockets are shared by all targets and counted in the reserve.
constexpr std::size_t kFilesPerTarget = 8;
// Connects one target runs at once; with the socket it keeps and a proxy's, within kFilesPerTarget.
constexpr std::size_t kConnectsAtOnce = 6;
constexpr std::size_t kReservedFiles = 64;

/// Runs every task concurrently and returns their results in the tasks' order.
template <class T>
asio::awaitable<std::vector<T>> gather(std::vector<asio::awaitable<T>> tasks) {
  if (tasks.empty()) co_return std::vector<T>{};
  auto executor = co_await asio::this_coro::executor;
  using Op = decltype(asio::co_spawn(executor, std::declval<asio::awaitable<T>>(), asio::deferred));
  std::vector<Op> ops;
  ops.reserve(tasks.size());
  for (auto& task : tasks) ops.push_back(asio::co_spawn(executor, std::move(task), asio::deferred));
  auto [order, errors, values] = co_await asio::experimental::make_parallel_group(std::move(ops))
                                     .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
  for (auto& error : errors)
    if (error) std::rethrow_exception(error);
  co_return std::move(values);
}

bool touched_deadline(const TargetResult& r) {
  return std::ranges::any_of(r.dns, [](const DnsAnswer& a) { return a.status == DnsStatus::deadline; }) ||
         std::ranges::any_of(r.tcp, [](const TcpAttempt& t) { return t.status == TcpStatus::deadline; }) ||
         (r.proxy && r.proxy->status == ProxyStatus::deadline) || (r.tls && r.tls->status == TlsStatus::deadline) ||
         (r.http && (r.http->status == HttpStatus::deadline || r.http->detail.find("run deadline") != std::string::npos));
}

/// The answer a real client would act on: the first resolver it uses that gave a definitive answer
/// (glibc moves on after a timeout or SERVFAIL, not after NXDOMAIN).
const DnsAnswer* client_answer(const std::vector<DnsAnswer>& answers, const std::vector<Resolver>& resolvers) {
  for (std::size_t i = 0; i < answers.size() && i < resolvers.size(); ++i) {
    if (!resolvers[i].used_by_clients) continue;
    const auto status = answers[i].status;
    if (status == DnsStatus::ok || status == DnsStatus::nxdomain || status == DnsStatus::no_data) return &answers[i];
  }
  return nullptr;
}

}  // namespace

std::size_t fit_concurrency(std::size_t requested, std::size_t targets, std::size_t open_file_limit) {
  const std::size_t room = open_file_limit > kReservedFiles + kFilesPerTarget
                               ? (open_file_limit - kReservedFiles) / kFilesPerTarget
                               : 1;
  return std::max<std::size_t>(1, std::min({requested, std::max<std::size_t>(targets, 1), room}));
}

std::size_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<std::size_t>(std::min<rlim_t>(limit.rlim_cur, 1u << 20));
}

struct Engine::Impl {
  Impl(asio::io_context& io_context, EngineOptions opts)
      : io(io_context),
        options(std::move(opts)),
        deadline(io.get_executor(), options.budgets.deadline),
        tls(options.ca_file) {
    if (!options.hosts_file.empty()) {
      if (auto text = dns::read_text_file(options.hosts_file)) hosts = dns::parse_hosts(*text);
    }
    for (const auto& resolver : options.resolvers)
      resolvers.push_back(
          std::make_unique<dns::DnsClient>(io.get_executor(), resolver, options.budgets.dns, options.vnet));
  }

  asio::io_context& io;
  EngineOptions options;
  Deadline deadline;    // first: loading the trust store below counts against the run's deadline
  tls::TlsClient tls;
  std::vector<dns::HostsEntry> hosts;
  std::vector<std::unique_ptr<dns::DnsClient>> resolvers;
  ProgressFn progress;
  bool finished = false;
  bool deadline_hit = false;
  bool interrupted = false;
  struct ProxyAddress {
    std::optional<tcp_endpoint> endpoint;
    std::string error;
  };
  ProxyAddress https_proxy, http_proxy;

  /// The addresses this machine would use for `host`: hosts file first, then the resolvers.
  asio::awaitable<std::vector<std::string>> lookup(std::string host) {
    if (is_ip_literal(host)) co_return std::vector<std::string>{host};
    if (auto local = dns::lookup_hosts(hosts, host); !local.empty()) co_return local;
    std::vector<std::string> out;
    for (auto& resolver : resolvers) {
      if (!resolver->resolver().used_by_clients) continue;
      auto answer = co_await resolver->query(host);
      for (auto& a : answer.addresses) out.push_back(a.ip);
      if (!out.empty()) break;
    }
    co_return out;
  }

  asio::awaitable<ProxyAddress> locate(const std::optional<ProxyUrl>& proxy) {
    ProxyAddress out;
    if (!proxy) co_return out;
    auto addresses = co_await lookup(proxy->host);
    if (addresses.empty()) {
      out.error = "proxy host " + proxy->host + " did not resolve";
    } else {
      out.endpoint = tcp_endpoint(asio::ip::make_address(addresses.front()), proxy->port);
    }
    co_return out;
  }

  asio::awaitable<std::vector<DnsAnswer>> resolve(const std::string& host) {
    std::vector<asio::awaitable<DnsAnswer>> queries;
    for (auto& resolver : resolvers) queries.push_back(resolver->query(host));
    co_return co_await gather(std::move(queries));
  }

  asio::awaitable<TargetResult> probe(ProbeTarget target) {
    TargetResult r;
    r.host = target.host;
    r.port = target.port;
    const auto started = Clock::now();
    if (deadline.expired()) {
      r.deadline = true;
      co_return r;
    }
    const bool literal = is_ip_literal(target.host);
    std::vector<std::string> addresses;
    if (auto local = dns::lookup_hosts(hosts, target.host); !local.empty() && !literal) {
      r.hosts = HostsOverride{options.hosts_file, {}};
      for (auto& ip : local) r.hosts->addresses.push_back(classify(ip, 0, options.vnet));
      addresses = local;
    }
    if (literal) {
      addresses = {target.host};
    } else {
      r.dns = co_await resolve(target.host);
      if (!r.hosts) {
        if (const DnsAnswer* answer = client_answer(r.dns, options.resolvers))
          for (const auto& a : answer->addresses) addresses.push_back(a.ip);
      }
    }

    const bool tls_or_https = target.tls;
    std::optional<tcp_socket> socket;
    auto proxy = target.allow_proxy ? choose_proxy(options.proxy, target.host, tls_or_https) : std::nullopt;
    if (proxy) {
      r.route = Route::proxy;
      const auto& located = tls_or_https ? https_proxy : http_proxy;
      if (!located.endpoint) {
        r.proxy = ProxyEvidence{};
        r.proxy->proxy = proxy->masked();
        r.proxy->status = ProxyStatus::connect_failed;
        r.proxy->detail = located.error;
      } else {
        auto tunnel = co_await proxy::open_tunnel(deadline, options.budgets.connect, options.budgets.proxy, *proxy,
                                                  *located.endpoint, target.host, target.port);
        r.proxy = std::move(tunnel.evidence);
        socket = std::move(tunnel.socket);
      }
    } else if (!addresses.empty()) {
      // Every address is tried, at most kConnectsAtOnce at a time: a name with dozens of
      // addresses must not take more sockets than fit_concurrency() reserved for one target.
      for (std::size_t first = 0; first < addresses.size(); first += kConnectsAtOnce) {
        std::vector<asio::awaitable<tcp::Connection>> connects;
        for (std::size_t i = first; i < std::min(addresses.size(), first + kConnectsAtOnce); ++i) {
          boost::system::error_code ec;
          auto address = asio::ip::make_address(addresses[i], ec);
          if (!ec)
            connects.push_back(tcp::connect(deadline, options.budgets.connect, tcp_endpoint(address, target.port)));
        }
        auto connections = co_await gather(std::move(connects));
        for (auto& c : connections) {
          r.tcp.push_back(c.attempt);
          if (c.socket && !socket) {
            r.used_address = c.attempt.address;
            socket = std::move(c.socket);
          }
        }  // the other connected sockets close here
      }
    }

    if (socket) {
      if (target.tls) {
        auto session = co_await tls.handshake(deadline, options.budgets.tls, std::move(*socket), target.host);
        if (!target.http) co_await tls::await_certificate_verdict(deadline, session);
        r.tls = std::move(session.evidence);
        if (session.stream && target.http) {
          r.http = co_await http::exchange(*session.stream, deadline, options.budgets.http, *target.http, target.host,
                                           target.port, true, options.body_cap);
          // A server demanding a client certificate refuses on the first read under TLS 1.3: that is the TLS
          // session's outcome, not an HTTP answer, so it is told there and the exchange is not kept.
          if (auto refusal = tls::client_certificate_refusal(*session.peer, *r.http)) {
            r.tls->status = TlsStatus::client_cert_required;
            r.tls->detail = std::move(*refusal);
            r.http.reset();
          }
        }
      } else if (target.http) {
        r.http = co_await http::exchange(*socket, deadline, options.budgets.http, *target.http, target.host,
                                         target.port, false, options.body_cap);
      }
    }
    r.deadline = touched_deadline(r);
    r.ms = ms_since(started);
    co_return r;
  }

  asio::awaitable<int> worker(std::vector<ProbeTarget>& targets, std::vector<TargetResult>& results,
                              std::size_t& next, std::size_t& done) {
    while (next < targets.size()) {
      const std::size_t i = next++;
      try {
        // Assigned after the await: a redirect found meanwhile may have grown (and moved) the vector.
        auto result = co_await probe(targets[i]);
        result.redirected_from = results[i].redirected_from;
        results[i] = std::move(result);
      } catch (const std::exception& e) {
        spdlog::error("internal error probing {}:{}: {}", targets[i].host, targets[i].port, e.what());
        results[i].host = targets[i].host;
        results[i].port = targets[i].port;
        results[i].internal_error = e.what();
      }
      follow_redirect(targets, results, i);
      ++done;
      if (progress) progress(results[i], done, targets.size());
    }
    co_return 0;
  }

  /// Adds the host target `i`'s answer redirected to, unless some target already probes it. It joins
  /// this run's queue: same deadline, same concurrency, and the worker that found it runs it if no other
  /// is free, so it never waits for a second run.
  static void follow_redirect(std::vector<ProbeTarget>& targets, std::vector<TargetResult>& results, std::size_t i) {
    if (!targets[i].follow_redirect || !results[i].http) return;
    auto next = http::redirect_target(*results[i].http, targets[i]);
    if (!next) return;
    const bool known = std::ranges::any_of(targets, [&](const ProbeTarget& t) {
      return t.port == next->port && beast::iequals(t.host, next->host);
    });
    if (known) return;
    spdlog::debug("redirect.follow from={}:{} to={}:{}", targets[i].host, targets[i].port, next->host, next->port);
    targets.push_back(std::move(*next));
    results.emplace_back().redirected_from = i;
  }

  asio::awaitable<void> watch_deadline() {
    co_await deadline.async_wait(asio::as_tuple(asio::use_awaitable));
    if (finished) co_return;
    deadline_hit = true;
    // c-ares ignores Asio cancellation; its queries end only through the channel.
    for (auto& resolver : resolvers) resolver->cancel();
  }

  asio::awaitable<RunResult> run(std::vector<ProbeTarget> targets) {
    const auto started = Clock::now();
    RunResult out;
    asio::co_spawn(io, watch_deadline(), asio::detached);
    https_proxy = co_await locate(options.proxy.https_proxy);
    http_proxy = co_await locate(options.proxy.http_proxy);

    out.targets.resize(targets.size());
    out.concurrency = fit_concurrency(options.concurrency, targets.size(), raise_open_file_limit());
    std::size_t next = 0;
    std::size_t done = 0;
    std::vector<asio::awaitable<int>> workers;
    for (std::size_t w = 0; w < out.concurrency; ++w) workers.push_back(worker(targets, out.targets, next, done));
    co_await gather(std::move(workers));

    finished = true;
    deadline.release();
    // Idle c-ares sockets keep a read wait posted; closing the channels lets io_context::run return.
    resolvers.clear();
    out.deadline_hit = deadline_hit || std::ranges::any_of(out.targets, [](const TargetResult& t) { return t.deadline; });
    out.interrupted = interrupted;
    out.ms = ms_since(started);
    co_return out;
  }
};

Engine::Engine(asio::io_context& io, EngineOptions options) : impl_(std::make_unique<Impl>(io, std::move(options))) {}
Engine::~Engine() = default;
void Engine::on_progress(ProgressFn fn) { impl_->progress = std::move(fn); }
asio::awaitable<RunResult> Engine::run(std::vector<ProbeTarget> targets) { return impl_->run(std::move(targets)); }
void Engine::stop() {
  impl_->interrupted = true;
  impl_->deadline.expire_now();
}

RunResult run_probes(std::vector<ProbeTarget> targets, EngineOptions options) {
  asio::io_context io(1);
  Engine engine(io, std::move(options));
  RunResult out;
  std::exception_ptr failure;
  asio::co_spawn(io, engine.run(std::move(targets)), [&](std::exception_ptr error, RunResult result) {
    failure = error;
    out = std::move(result);
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return out;
}

}  // namespace vnetdiag
