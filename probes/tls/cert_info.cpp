#include "probes/tls/cert_info.hpp"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <arpa/inet.h>

#include <ctime>

#include "probes/tls/openssl_ptr.hpp"

namespace vnetdiag::tls {
namespace {

std::string to_string(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

std::string to_string(const ASN1_STRING* s) {
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s))};
}

std::string ip_text(const ASN1_OCTET_STRING* octets) {
  const int length = ASN1_STRING_length(octets);
  char buffer[INET6_ADDRSTRLEN] = {};
  if (length == 4 || length == 16)
    ::inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(octets), buffer, sizeof buffer);
  return buffer;
}

std::string hex(const unsigned char* data, unsigned length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

}  // namespace

std::string iso8601(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  char buffer[32] = {};
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

CertInfo describe(X509* cert) {
  CertInfo info;
  info.subject = to_string(X509_get_subject_name(cert));
  info.issuer = to_string(X509_get_issuer_name(cert));
  info.not_before = iso8601(X509_get0_notBefore(cert));
  info.not_after = iso8601(X509_get0_notAfter(cert));
  if (const ASN1_INTEGER* serial = X509_get0_serialNumber(cert)) {
    std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (bn) {
      std::unique_ptr<char, Deleter<[](char* p) { OPENSSL_free(p); }>> text(BN_bn2hex(bn.get()));
      if (text) info.serial = text.get();
    }
  }
  GeneralNamesPtr sans(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    if (name->type == GEN_DNS) info.dns_names.push_back(to_string(name->d.dNSName));
    if (name->type == GEN_IPADD) info.ip_addresses.push_back(ip_text(name->d.iPAddress));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_length = 0;
  if (X509_digest(cert, EVP_sha256(), md, &md_length) == 1) info.sha256 = hex(md, md_length);
  return info;
}

std::vector<CertInfo> describe_chain(STACK_OF(X509) * chain) {
  std::vector<CertInfo> out;
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) out.push_back(describe(sk_X509_value(chain, i)));
  return out;
}

}  // namespace vnetdiag::tls
