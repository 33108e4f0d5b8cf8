// A TLS handshake on a connected socket: SNI, chain and hostname verification, and the peer's whole
// chain recorded even when verification fails. Only probes/tls/ calls OpenSSL directly.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "probes/deadline.hpp"
#include "probes/evidence.hpp"

namespace vnetdiag::tls {

using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

/// Picks the status a report should lead with when verification raised several issues: a chain cut at the
/// verify depth first, then an untrusted issuer (interception), a weak signature, expiry, the name. An issue
/// none of these name is certificate_invalid: only an issuer outside the trust store is untrusted_issuer.
TlsStatus most_actionable(std::span<const VerifyIssue> issues);

/// What the server did on the wire that a session's outcome alone does not show.
struct PeerSignals {
  bool asked_for_certificate = false;  ///< it sent a CertificateRequest
  int alert = -1;                      ///< the last alert it sent (RFC 8446 AlertDescription); -1: none
};

/// A finished handshake: the evidence, and the stream when it is safe to send a request on it.
struct TlsSession {
  TlsEvidence evidence;
  std::shared_ptr<const PeerSignals> peer;  ///< kept up to date while the stream is read; outlives the stream
  std::unique_ptr<TlsStream> stream;        ///< only when evidence.status == ok
};

/// For a session no request follows: a TLS 1.3 server that asked for a client certificate judges the client's
/// answer after the handshake, so wait briefly (about as long as the handshake took, 200 ms to 1 s) for that
/// verdict. A refusal makes the session client_cert_required; silence leaves it as it was.
boost::asio::awaitable<void> await_certificate_verdict(Deadline& deadline, TlsSession& session);

/// After a request on a session's stream: what the server did when it had asked for a client certificate and
/// refused to go on without one. Under TLS 1.3 that refusal arrives after the handshake, as an alert on the
/// first read; nginx instead answers the request with 400 "No required SSL certificate was sent". nullopt when
/// the server did not ask, or went on without a certificate.
std::optional<std::string> client_certificate_refusal(const PeerSignals& peer, const HttpEvidence& http);

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
