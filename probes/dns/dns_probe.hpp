// Asking one resolver about one name: A and AAAA at once, the whole CNAME chain, every address classified.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "probes/evidence.hpp"
#include "probes/target.hpp"

namespace vnetdiag::dns {

class AresChannel;

/// c-ares doubles the per-try timeout every round, so with `tries` tries the worst case is
/// first·(2^tries − 1). Returns the first-try timeout that makes that worst case fit `budget`.
std::chrono::milliseconds first_try_timeout(std::chrono::milliseconds budget, int tries);

/// Maps a c-ares status to the report's vocabulary. The one place that knows ARES_* codes.
DnsStatus classify_status(int ares_status);

/// Combines the A and AAAA outcomes into one: addresses win; NXDOMAIN is the name's, not the type's.
DnsStatus combine(DnsStatus a, DnsStatus aaaa, bool have_addresses);

/// One resolver, many names. Queries share its channels; Use from the io_context's thread only.
class DnsClient {
 public:
  DnsClient(boost::asio::any_io_executor executor, Resolver resolver, std::chrono::milliseconds budget,
            std::vector<Cidr> vnet);
  ~DnsClient();
  DnsClient(const DnsClient&) = delete;
  DnsClient& operator=(const DnsClient&) = delete;

  /// Asks this resolver for `name` (A and AAAA in parallel; over TCP again when the UDP answer was truncated).
  /// Bounded by the DNS budget through c-ares' own timeouts; `cancel()` ends it early as `deadline`.
  boost::asio::awaitable<DnsAnswer> query(std::string name);
  /// Ends every pending query now (the global deadline).
  void cancel();
  const Resolver& resolver() const { return resolver_; }

 private:
  AresChannel& tcp_channel();

  boost::asio::any_io_executor executor_;
  Resolver resolver_;
  std::chrono::milliseconds budget_;
  std::vector<Cidr> vnet_;
  std::unique_ptr<AresChannel> udp_;
  std::unique_ptr<AresChannel> tcp_;
  bool cancelled_ = false;
};

}  // namespace vnetdiag::dns
