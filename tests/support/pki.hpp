// Certificates minted in the test with the OpenSSL 3 C API (no committed cert files).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace vnetdiag::testing {

/// What goes into a leaf certificate. Offsets are relative to now: an expired leaf has a negative
/// not_after_offset, a not-yet-valid one a positive not_before_offset.
struct LeafOptions {
  std::vector<std::string> dns_names;     ///< subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  ///< subjectAltName IP entries
  std::chrono::seconds not_before_offset{-3600};
  std::chrono::seconds not_after_offset{86400};
  std::string common_name;  ///< subject CN; empty = the first DNS name (or IP, or a fixed name)
  /// Intermediate CAs between the root and the leaf, each issued by the one above; the chain file
  /// holds them all, nearest the leaf first.
  int intermediates = 0;
  /// Sign the leaf and its intermediates with SHA-1 (the root stays SHA-256), as old devices still do.
  bool sha1 = false;
};

/// PEM files of one issued leaf.
struct CertFiles {
  std::filesystem::path cert;   ///< the leaf alone
  std::filesystem::path key;    ///< its unencrypted PKCS#8 private key
  std::filesystem::path chain;  ///< leaf, its intermediates, then the CA (what a server should send)
  std::string subject;          ///< RFC 2253, as X509_NAME_print_ex(XN_FLAG_RFC2253) prints it
  std::string issuer;           ///< RFC 2253
};

/// A throw-away certificate authority (EC P-256, SHA-256) minted in the test with the OpenSSL 3
/// API; nothing is read from or committed to the repository.
class Pki {
 public:
  /// Creates the CA key and self-signed certificate under `dir`; e.g. "vnetdiag Test Root CA".
  Pki(const TempDir& dir, std::string ca_common_name);
  /// Frees the CA key; files stay until the TempDir goes.
  ~Pki();
  Pki(const Pki&) = delete;
  Pki& operator=(const Pki&) = delete;

  /// The CA certificate (PEM), for -CAfile / ssl::context::load_verify_file.
  const std::filesystem::path& ca_file() const;
  /// The CA subject in RFC 2253 form, e.g. "CN=vnetdiag Test Root CA".
  std::string ca_subject() const;
  /// Issues a leaf signed by this CA (serverAuth, SANs from `options`).
  CertFiles leaf(const LeafOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vnetdiag::testing
