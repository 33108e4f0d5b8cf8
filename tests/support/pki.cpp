#include "tests/support/pki.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

#include "probes/tls/openssl_ptr.hpp"

namespace vnetdiag::testing {

namespace {

using tls::BioPtr;
using tls::Deleter;
using tls::X509Ptr;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
  std::string detail;
  while (const auto code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    detail += std::string("\n  ") + buffer;
  }
  throw std::runtime_error("Pki: " + what + detail);
}

void check(int ok, const std::string& what) {
  if (ok != 1) {
    fail(what);
  }
}

PkeyPtr make_key() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) {
    fail("EC key generation");
  }
  return key;
}

void set_random_serial(X509* cert) {
  std::uint64_t serial = 0;
  check(RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof(serial)), "RAND_bytes");
  // Positive and non-zero, as RFC 5280 asks.
  serial = (serial >> 1) | 1;
  check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial), "serial");
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension) {
    fail("extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
  }
  check(X509_add_ext(cert, extension.get(), -1), "X509_add_ext");
}

std::string rfc2253(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    fail("X509_NAME_print_ex");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

X509Ptr make_certificate(const std::string& common_name, EVP_PKEY* key, std::chrono::seconds not_before,
                         std::chrono::seconds not_after) {
  X509Ptr cert(X509_new());
  if (!cert) {
    fail("X509_new");
  }
  check(X509_set_version(cert.get(), X509_VERSION_3), "version");
  set_random_serial(cert.get());
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(not_before.count())) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(not_after.count())) == nullptr) {
    fail("validity");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0),
        "subject CN");
  check(X509_set_pubkey(cert.get(), key), "public key");
  return cert;
}

void write_pem(const std::filesystem::path& path, const std::vector<X509*>& certs, EVP_PKEY* key) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) {
    fail("cannot create " + path.string());
  }
  for (X509* cert : certs) {
    check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
  }
  if (key != nullptr) {
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM private key");
  }
}

std::string join_san(const LeafOptions& options) {
  std::string san;
  for (const auto& name : options.dns_names) {
    san += (san.empty() ? "" : ",") + std::string("DNS:") + name;
  }
  for (const auto& ip : options.ip_addresses) {
    san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  }
  return san;
}

std::string ca_subject_cn(X509* ca) {
  char name[256] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(ca), NID_commonName, name, sizeof(name)) < 0) {
    fail("CA common name");
  }
  return name;
}

}  // namespace

struct Pki::Impl {
  std::filesystem::path directory;
  std::filesystem::path ca_file;
  PkeyPtr ca_key;
  X509Ptr ca_cert;
  int issued = 0;
};

Pki::Pki(const TempDir& dir, std::string ca_common_name) : impl_(std::make_unique<Impl>()) {
  static std::atomic<int> instances{0};
  impl_->directory = dir.path() / ("pki-" + std::to_string(++instances));
  std::filesystem::create_directories(impl_->directory);

  impl_->ca_key = make_key();
  // Valid from yesterday for 30 days: leaves may be back-dated by an hour and live a day.
  impl_->ca_cert = make_certificate(ca_common_name, impl_->ca_key.get(), std::chrono::hours(-24),
                                    std::chrono::hours(24 * 30));
  X509* ca = impl_->ca_cert.get();
  check(X509_set_issuer_name(ca, X509_get_subject_name(ca)), "issuer");
  add_extension(ca, ca, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca, ca, NID_subject_key_identifier, "hash");
  add_extension(ca, ca, NID_authority_key_identifier, "keyid:always");
  if (X509_sign(ca, impl_->ca_key.get(), EVP_sha256()) <= 0) {
    fail("signing the CA");
  }
  impl_->ca_file = impl_->directory / "ca.pem";
  write_pem(impl_->ca_file, {ca}, nullptr);
}

Pki::~Pki() = default;

const std::filesystem::path& Pki::ca_file() const { return impl_->ca_file; }

std::string Pki::ca_subject() const { return rfc2253(X509_get_subject_name(impl_->ca_cert.get())); }

CertFiles Pki::leaf(const LeafOptions& options) {
  std::string common_name = options.common_name;
  if (common_name.empty()) {
    common_name = !options.dns_names.empty()     ? options.dns_names.front()
                  : !options.ip_addresses.empty() ? options.ip_addresses.front()
                                                  : "vnetdiag test leaf";
  }
  const EVP_MD* digest = options.sha1 ? EVP_sha1() : EVP_sha256();
  // The issuing CA: the root, or the last of a line of intermediates issued one by the other.
  std::vector<PkeyPtr> intermediate_keys;
  std::vector<X509Ptr> intermediates;
  X509* ca = impl_->ca_cert.get();
  EVP_PKEY* ca_key = impl_->ca_key.get();
  for (int i = 1; i <= options.intermediates; ++i) {
    auto key = make_key();
    auto cert = make_certificate(ca_subject_cn(impl_->ca_cert.get()) + " Intermediate " + std::to_string(i), key.get(),
                                 std::chrono::hours(-24), std::chrono::hours(24 * 30));
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)), "issuer");
    add_extension(cert.get(), ca, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), ca, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), ca, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
    if (X509_sign(cert.get(), ca_key, digest) <= 0) {
      fail("signing intermediate " + std::to_string(i));
    }
    ca = cert.get();
    ca_key = key.get();
    intermediate_keys.push_back(std::move(key));
    intermediates.push_back(std::move(cert));
  }

  auto key = make_key();
  auto cert = make_certificate(common_name, key.get(), options.not_before_offset, options.not_after_offset);
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)), "issuer");
  add_extension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), ca, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), ca, NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), ca, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
  if (const auto san = join_san(options); !san.empty()) {
    add_extension(cert.get(), ca, NID_subject_alt_name, san);
  }
  if (X509_sign(cert.get(), ca_key, digest) <= 0) {
    fail("signing leaf " + common_name);
  }

  const auto stem = impl_->directory / ("leaf-" + std::to_string(++impl_->issued));
  CertFiles files{stem.string() + ".pem", stem.string() + ".key", stem.string() + "-chain.pem",
                  rfc2253(X509_get_subject_name(cert.get())), rfc2253(X509_get_issuer_name(cert.get()))};
  write_pem(files.cert, {cert.get()}, nullptr);
  write_pem(files.key, {}, key.get());
  std::vector<X509*> chain{cert.get()};
  for (auto it = intermediates.rbegin(); it != intermediates.rend(); ++it) chain.push_back(it->get());
  chain.push_back(impl_->ca_cert.get());
  write_pem(files.chain, chain, nullptr);
  return files;
}

}  // namespace vnetdiag::testing
