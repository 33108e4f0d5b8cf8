// A TLS handshake on a connected socket: SNI, chain and hostname verification, and the peer's whole
// chain recorded even when verification fails. Only probes/tls/ calls OpenSSL directly.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <span>
#include <string>

#include "probes/deadline.hpp"
#include "probes/evidence.hpp"

namespace vnetdiag::tls {

using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

/// Picks the status a report should lead with when verification raised several issues:
/// an untrusted issuer (interception) first, then expiry, then the name.
TlsStatus most_actionable(std::span<const VerifyIssue> issues);

/// A finished handshake: the evidence, and the stream when it is safe to send a request on it.
struct TlsSession {
  TlsEvidence evidence;
  std::unique_ptr<TlsStream> stream;  ///< only when evidence.status == ok
};

/// Holds the trust store for a run; one per run.
class TlsClient {
 public:
  /// Trusts `ca_file` (PEM) when given, else the system store (trust_store.hpp). Throws std::invalid_argument for
  /// an unreadable CA file: that is bad input, reported before any probe runs.
  explicit TlsClient(const std::string& ca_file);

  /// Handshakes as a client for `host` on `socket`. The verdict is taken after the handshake:
  /// verification issues are observed, not enforced, so the report can show the real certificate.
  boost::asio::awaitable<TlsSession> handshake(Deadline& deadline, Clock::duration budget,
                                               boost::asio::ip::tcp::socket socket, std::string host);

 private:
  boost::asio::ssl::context context_;
};

}  // namespace vnetdiag::tls
