#include "probes/tls/tls_probe.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/version.hpp>
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

// Earlier rows win: a certificate from an unknown issuer is the interception signature, and an
// expired or misnamed certificate from that issuer is a consequence, not the cause.
constexpr IssueStatus kIssuePriority[] = {
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, TlsStatus::untrusted_issuer},
    {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, TlsStatus::untrusted_issuer},
    {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, TlsStatus::untrusted_issuer},
    {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, TlsStatus::untrusted_issuer},
    {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, TlsStatus::untrusted_issuer},
    {X509_V_ERR_CERT_UNTRUSTED, TlsStatus::untrusted_issuer},
    {X509_V_ERR_CERT_SIGNATURE_FAILURE, TlsStatus::untrusted_issuer},
    {X509_V_ERR_CERT_HAS_EXPIRED, TlsStatus::expired},
    {X509_V_ERR_CERT_NOT_YET_VALID, TlsStatus::not_yet_valid},
    {X509_V_ERR_HOSTNAME_MISMATCH, TlsStatus::hostname_mismatch},
    {X509_V_ERR_IP_ADDRESS_MISMATCH, TlsStatus::hostname_mismatch},
};

// OpenSSL reasons that mean the bytes on the wire were not TLS at all (a plain HTTP server, SSH, ...).
constexpr int kNotTlsReasons[] = {SSL_R_WRONG_VERSION_NUMBER, SSL_R_PACKET_LENGTH_TOO_LONG, SSL_R_UNKNOWN_PROTOCOL,
                                  SSL_R_HTTP_REQUEST, SSL_R_RECORD_LENGTH_MISMATCH};

TlsStatus classify_handshake_error(const boost::system::error_code& ec) {
  if (ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe)
    return TlsStatus::reset;
  if (ec.category() == asio::error::get_ssl_category()) {
    const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (std::ranges::find(kNotTlsReasons, reason) != std::end(kNotTlsReasons)) return TlsStatus::not_tls;
  }
  return TlsStatus::handshake_failed;
}

}  // namespace

TlsStatus most_actionable(std::span<const VerifyIssue> issues) {
  for (const auto& row : kIssuePriority) {
    if (std::ranges::any_of(issues, [&](const VerifyIssue& i) { return i.code == row.code; })) return row.status;
  }
  return issues.empty() ? TlsStatus::ok : TlsStatus::untrusted_issuer;
}

TlsClient::TlsClient(const std::string& ca_file) : context_(ssl::context::tls_client) {
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
    evidence->status = classify_handshake_error(ec);
    evidence->detail = ec.message();
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
