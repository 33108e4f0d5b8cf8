#include "probes/tls/tls_probe.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/version.hpp>
#include <chrono>
#include <stdexcept>

#include "probes/net/address.hpp"
#include "probes/library_versions.hpp"
#include "probes/tls/cert_info.hpp"
#include "probes/tls/trust_store_load.hpp"

namespace vnetdiag::tls {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

struct IssueStatus {
  int code;
  TlsStatus status;
};

// Earlier rows win. A chain cut at the verify depth comes first: the verifier stopped before reaching a
// root, so the "unable to get local issuer" it raises next says nothing about who issued the chain.
// Then a certificate from an unknown issuer, the interception signature: an expired, misnamed or weakly
// signed certificate from that issuer is a consequence, not the cause. Only the issuer rows may become
// untrusted_issuer; an issue no row names is certificate_invalid, never interception.
constexpr IssueStatus kIssuePriority[] = {
    {X509_V_ERR_CERT_CHAIN_TOO_LONG, TlsStatus::chain_too_long},
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, TlsStatus::untrusted_issuer},
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, TlsStatus::untrusted_issuer},
    {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, TlsStatus::untrusted_issuer},
    {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, TlsStatus::untrusted_issuer},
    {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, TlsStatus::untrusted_issuer},
    {X509_V_ERR_CERT_UNTRUSTED, TlsStatus::untrusted_issuer},
    // The security level (2 on Debian) refuses SHA-1 and MD5 signatures and RSA keys under 2048 bits.
    {X509_V_ERR_CA_MD_TOO_WEAK, TlsStatus::weak_signature},
    {X509_V_ERR_CA_KEY_TOO_SMALL, TlsStatus::weak_signature},
    {X509_V_ERR_EE_KEY_TOO_SMALL, TlsStatus::weak_signature},
    {X509_V_ERR_CERT_HAS_EXPIRED, TlsStatus::expired},
    {X509_V_ERR_CERT_NOT_YET_VALID, TlsStatus::not_yet_valid},
    {X509_V_ERR_HOSTNAME_MISMATCH, TlsStatus::hostname_mismatch},
    {X509_V_ERR_IP_ADDRESS_MISMATCH, TlsStatus::hostname_mismatch},
};

// At most this many intermediates between the leaf and a trusted root. OpenSSL's default (100) would accept
// what no real issuer sends: Azure's endpoints send one or two intermediates, enterprise CAs and inspecting
// devices add one or two more. Ten leaves room for all of them, and matches Java's default limit
// (jdk.tls.maxCertificateChainLength, 10), so a longer chain is named for what it is, not judged by OpenSSL's
// build default.
constexpr int kVerifyDepth = 10;

// OpenSSL reasons that mean the bytes on the wire were not TLS at all (a plain HTTP server, SSH, ...).
constexpr int kNotTlsReasons[] = {SSL_R_WRONG_VERSION_NUMBER, SSL_R_PACKET_LENGTH_TOO_LONG, SSL_R_UNKNOWN_PROTOCOL,
                                  SSL_R_HTTP_REQUEST, SSL_R_RECORD_LENGTH_MISMATCH};

// No version both sides accept: the server's protocol_version alert, or its answer in a version below ours.
constexpr int kProtocolVersionReasons[] = {SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, SSL_R_UNSUPPORTED_PROTOCOL,
                                           SSL_R_VERSION_TOO_LOW, SSL_R_NO_PROTOCOLS_AVAILABLE};

// The server signed its handshake or chain with an algorithm or key the security level refuses.
constexpr int kWeakSignatureReasons[] = {SSL_R_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED, SSL_R_CA_MD_TOO_WEAK,
                                         SSL_R_CA_KEY_TOO_SMALL, SSL_R_EE_KEY_TOO_SMALL};

// TLS alerts (RFC 8446 6.2) a server sends when it wanted a client certificate and got none.
constexpr int kAlertHandshakeFailure = 40;
constexpr int kAlertBadCertificate = 42;
constexpr int kAlertCertificateRequired = 116;

std::string alert_name(int alert) {
  switch (alert) {
    case kAlertHandshakeFailure: return "alert handshake failure";
    case kAlertBadCertificate: return "alert bad certificate";
    case kAlertCertificateRequired: return "alert certificate required";
    default: return std::string("alert ") + SSL_alert_desc_string_long(alert);
  }
}

bool refused_without_certificate(const PeerSignals& peer) {
  return peer.asked_for_certificate && (peer.alert == kAlertCertificateRequired ||
                                        peer.alert == kAlertHandshakeFailure || peer.alert == kAlertBadCertificate);
}

template <std::size_t N>
bool has_reason(const int (&reasons)[N], int reason) {
  return std::ranges::find(reasons, reason) != std::end(reasons);
}

TlsStatus classify_handshake_error(const boost::system::error_code& ec, const PeerSignals& peer) {
  // Under TLS 1.2 the refusal comes inside the handshake, as a handshake_failure alert.
  if (refused_without_certificate(peer)) return TlsStatus::client_cert_required;
  if (ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe)
    return TlsStatus::reset;
  if (ec.category() == asio::error::get_ssl_category()) {
    const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (has_reason(kNotTlsReasons, reason)) return TlsStatus::not_tls;
    if (has_reason(kProtocolVersionReasons, reason)) return TlsStatus::protocol_version;
    if (has_reason(kWeakSignatureReasons, reason)) return TlsStatus::weak_signature;
  }
  return TlsStatus::handshake_failed;
}

// OpenSSL's message callback: notes a CertificateRequest and the alerts the server sends. Under TLS 1.3 these
// are the decrypted messages, so it sees what the error codes alone do not say.
void on_message(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len, SSL* /*ssl*/,
                void* arg) {
  if (write_p != 0 || arg == nullptr || len == 0) return;
  auto& peer = *static_cast<PeerSignals*>(arg);
  const auto* bytes = static_cast<const unsigned char*>(buf);
  if (content_type == SSL3_RT_HANDSHAKE && bytes[0] == SSL3_MT_CERTIFICATE_REQUEST) peer.asked_for_certificate = true;
  if (content_type == SSL3_RT_ALERT && len >= 2) peer.alert = bytes[1];
}

}  // namespace

TlsStatus most_actionable(std::span<const VerifyIssue> issues) {
  for (const auto& row : kIssuePriority) {
    if (std::ranges::any_of(issues, [&](const VerifyIssue& i) { return i.code == row.code; })) return row.status;
  }
  return issues.empty() ? TlsStatus::ok : TlsStatus::certificate_invalid;
}

asio::awaitable<void> await_certificate_verdict(Deadline& deadline, TlsSession& session) {
  using namespace std::chrono_literals;
  if (!session.stream || !session.peer->asked_for_certificate || session.evidence.protocol != "TLSv1.3") co_return;
  // The verdict follows the client's Finished by one round trip; the handshake took about two.
  const auto wait = std::clamp(std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double, std::milli>(session.evidence.ms)),
                               Clock::duration(200ms), Clock::duration(1s));
  char byte = 0;
  co_await deadline.within(wait, session.stream->async_read_some(asio::buffer(&byte, 1),
                                                                 asio::as_tuple(asio::use_awaitable)));
  if (refused_without_certificate(*session.peer)) {
    session.evidence.status = TlsStatus::client_cert_required;
    session.evidence.detail = "the server asked for a client certificate and, when none was sent, ended the "
                              "connection after the handshake (" + alert_name(session.peer->alert) + ")";
    session.stream.reset();
  }
}

std::optional<std::string> client_certificate_refusal(const PeerSignals& peer, const HttpEvidence& http) {
  if (!peer.asked_for_certificate) return std::nullopt;
  if (refused_without_certificate(peer))
    return "the server asked for a client certificate and, when none was sent, ended the connection after the "
           "handshake (" + alert_name(peer.alert) + ")";
  // nginx completes the handshake and answers the request itself: 400 "No required SSL certificate was sent".
  if (http.status == HttpStatus::response && http.code == 400 &&
      http.body_prefix.find("SSL certificate") != std::string::npos)
    return "the server asked for a client certificate and, when none was sent, answered HTTP 400 (" +
           (http.body_prefix.find("No required SSL certificate was sent") != std::string::npos
                ? std::string("No required SSL certificate was sent")
                : http.reason) +
           ")";
  return std::nullopt;
}

TlsClient::TlsClient(const std::string& ca_file) : context_(ssl::context::tls_client) {
  SSL_CTX* const ctx = context_.native_handle();
  SSL_CTX_set_verify_depth(ctx, kVerifyDepth);
  // TLS 1.2 at least, whatever the OpenSSL build or its configuration allows: Azure's endpoints require it,
  // and so do the clients under diagnosis (Python's ssl module since 3.10). An older server is named as such.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (ca_file.empty()) {
    // Not set_default_verify_paths(): a linked-in OpenSSL looks only where the build machine keeps its
    // CAs. An unusable system store is not bad input: every handshake then reports the untrusted chain.
    const auto loaded = load_trust_store(SSL_CTX_get_cert_store(context_.native_handle()), locate_system_trust_store());
    if (loaded.certificates == 0 && loaded.location.directories.empty())
      spdlog::warn("trust store: {}", describe(loaded));
    else
      spdlog::debug("tls.trust_store {}", describe(loaded));
    return;
  }
  boost::system::error_code ec;
  context_.load_verify_file(ca_file, ec);
  if (ec) throw std::invalid_argument("CA file '" + ca_file + "': " + ec.message());
}

asio::awaitable<TlsSession> TlsClient::handshake(Deadline& deadline, Clock::duration budget,
                                                 asio::ip::tcp::socket socket, std::string host) {
  auto stream = std::make_unique<TlsStream>(std::move(socket), context_);
  SSL* const ssl = stream->native_handle();
  // Shared with the verify callback, which lives as long as the stream.
  auto evidence = std::make_shared<TlsEvidence>();

  if (is_ip_literal(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());  // RFC 6066: no SNI for IPs
  } else {
    evidence->sni = host;
    SSL_set_tlsext_host_name(ssl, host.c_str());
    // SSL_set1_host, not asio's host_name_verification: OpenSSL then names the failure precisely
    // (X509_V_ERR_HOSTNAME_MISMATCH) instead of a generic "certificate verify failed".
    SSL_set1_host(ssl, host.c_str());
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  }
  auto peer = std::make_shared<PeerSignals>();
  SSL_set_msg_callback(ssl, on_message);
  SSL_set_msg_callback_arg(ssl, peer.get());  // the session keeps `peer` alive as long as the stream
  static constexpr unsigned char kAlpn[] = "\x08http/1.1";
  SSL_set_alpn_protos(ssl, kAlpn, sizeof kAlpn - 1);

  stream->set_verify_mode(ssl::verify_peer);
  stream->set_verify_callback([evidence](bool preverified, ssl::verify_context& vc) {
    X509_STORE_CTX* store = vc.native_handle();
    if (evidence->chain.empty()) evidence->chain = describe_chain(X509_STORE_CTX_get0_untrusted(store));
    if (!preverified) {
      const int code = X509_STORE_CTX_get_error(store);
      evidence->issues.push_back({X509_STORE_CTX_get_error_depth(store), code, X509_verify_cert_error_string(code)});
    }
    return true;  // observe, don't enforce: the verdict is taken after the handshake
  });

  const auto started = Clock::now();
  auto done = co_await deadline.within(budget, stream->async_handshake(ssl::stream_base::client,
                                                                        asio::as_tuple(asio::use_awaitable)));
  evidence->ms = ms_since(started);

  TlsSession session;
  if (done.cut != Cut::none) {
    evidence->status = done.cut == Cut::deadline ? TlsStatus::deadline : TlsStatus::handshake_timeout;
    evidence->detail = done.cut == Cut::deadline ? "run deadline reached" : "no handshake within the TLS budget";
  } else if (auto [ec] = *done.value; ec) {
    evidence->status = classify_handshake_error(ec, *peer);
    evidence->detail = evidence->status == TlsStatus::client_cert_required
                           ? "the server asked for a client certificate and, when none was sent, ended the handshake (" +
                                 ec.message() + ")"
                           : ec.message();
  } else {
    evidence->protocol = SSL_get_version(ssl);
    evidence->cipher = SSL_get_cipher_name(ssl);
    const unsigned char* alpn = nullptr;
    unsigned alpn_length = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
    evidence->alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
    if (evidence->chain.empty()) evidence->chain = describe_chain(SSL_get_peer_cert_chain(ssl));
    evidence->status = most_actionable(evidence->issues);
    if (!evidence->issues.empty()) evidence->detail = evidence->issues.front().text;
  }
  spdlog::debug("tls.handshake host={} status={} issues={} chain={} ms={:.1f}", host, to_string(evidence->status),
                evidence->issues.size(), evidence->chain.size(), evidence->ms);
  session.evidence = *evidence;
  session.peer = std::move(peer);
  // No application data goes over a connection whose certificate failed verification.
  if (evidence->status == TlsStatus::ok) session.stream = std::move(stream);
  co_return session;
}

}  // namespace vnetdiag::tls

namespace vnetdiag {
std::string openssl_version() { return OpenSSL_version(OPENSSL_VERSION); }
std::string boost_version() {
  return std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
         std::to_string(BOOST_VERSION % 100);
}
}  // namespace vnetdiag
