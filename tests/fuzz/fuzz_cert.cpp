// A server's certificate, as the TLS handshake hands it over: DER (or PEM, one or more certificates)
// through OpenSSL's decoder into describe() and describe_chain(), the fields every report carries.
#include <cstddef>
#include <cstdint>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "probes/net/address.hpp"
#include "probes/tls/cert_info.hpp"
#include "probes/tls/openssl_ptr.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;

namespace {

bool is_hex(std::string_view text, std::string_view digits) {
  return text.find_first_not_of(digits) == std::string_view::npos;
}

/// "" or "YYYY-MM-DDTHH:MM:SSZ".
bool is_iso8601(const std::string& text) {
  if (text.empty()) return true;
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z')
    return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (text[static_cast<std::size_t>(i)] < '0' || text[static_cast<std::size_t>(i)] > '9') return false;
  return true;
}

void check(const CertInfo& info) {
  FUZZ_CHECK(info.sha256.size() == 64 && is_hex(info.sha256, "0123456789abcdef"));
  FUZZ_CHECK(is_iso8601(info.not_before) && is_iso8601(info.not_after));
  FUZZ_CHECK(is_hex(info.serial, "-0123456789ABCDEF"));
  for (const auto& ip : info.ip_addresses) FUZZ_CHECK(ip.empty() || IpAddress::parse(ip).has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (as_text(data, size).starts_with("-----BEGIN")) {
    tls::BioPtr bio(BIO_new_mem_buf(data, static_cast<int>(size)));
    std::unique_ptr<STACK_OF(X509), tls::Deleter<[](STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }>> chain(
        sk_X509_new_null());
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) sk_X509_push(chain.get(), cert);
    ERR_clear_error();
    const auto infos = tls::describe_chain(chain.get());
    FUZZ_CHECK(infos.size() == static_cast<std::size_t>(sk_X509_num(chain.get())));
    for (const auto& info : infos) check(info);
    return 0;
  }
  const unsigned char* p = data;
  tls::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(size)));
  ERR_clear_error();
  if (!cert) return 0;
  check(tls::describe(cert.get()));
  return 0;
}
