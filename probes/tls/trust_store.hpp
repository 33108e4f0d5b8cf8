// Where the machine keeps the CAs it trusts. One binary runs on Debian, Ubuntu, RHEL, Azure Linux and
// SUSE, whose OpenSSL builds each look in their own place; an OpenSSL linked into the binary knows only
// the place of the machine it was built on (/usr/lib/ssl), so the places are listed here instead.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vnetdiag::tls {

/// A known place for CA certificates and the systems that use it.
struct TrustStorePath {
  std::string_view path;
  std::string_view systems;
};

/// PEM bundles, in the order tried: the first one that exists is loaded.
inline constexpr TrustStorePath kSystemBundles[] = {
    {"/etc/ssl/certs/ca-certificates.crt", "Debian, Ubuntu"},
    {"/etc/pki/tls/certs/ca-bundle.crt", "RHEL, CentOS, Fedora, Azure Linux"},
    {"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "RHEL, CentOS, Fedora"},
    {"/etc/ssl/ca-bundle.pem", "SUSE, openSUSE"},
    {"/var/lib/ca-certificates/ca-bundle.pem", "SUSE, openSUSE"},
    {"/etc/ssl/cert.pem", "Alpine, Arch"},
};
/// Directories of hashed certificates (openssl rehash), used only when no bundle exists.
inline constexpr TrustStorePath kSystemDirectories[] = {
    {"/etc/ssl/certs", "Debian, Ubuntu, SUSE"},
    {"/etc/pki/tls/certs", "RHEL, CentOS, Fedora, Azure Linux"},
};

/// The variables OpenSSL itself honours; an unset or empty one is std::nullopt.
struct TrustStoreEnvironment {
  std::optional<std::string> ssl_cert_file;  ///< SSL_CERT_FILE: a PEM bundle
  std::optional<std::string> ssl_cert_dir;   ///< SSL_CERT_DIR: hashed directories, ':'-separated
};

/// What to load, and why.
struct TrustStoreLocation {
  std::vector<std::string> files;        ///< PEM bundles
  std::vector<std::string> directories;  ///< hashed directories, looked up certificate by certificate
  std::string origin;                    ///< "SSL_CERT_FILE", "SSL_CERT_DIR", both, or "system"
};

using PathTest = std::function<bool(const std::string&)>;

/// As OpenSSL does, SSL_CERT_FILE replaces the bundle and SSL_CERT_DIR the directories, each on its
/// own, and what they name is used even when it is missing (the administrator asked for it; the
/// failure to load it is then reported). Otherwise the first system bundle that `is_file`, else the
/// first system directory that `is_directory`.
TrustStoreLocation locate_trust_store(const TrustStoreEnvironment& env, const PathTest& is_file,
                                      const PathTest& is_directory);

/// The environment's variables and this machine's file system.
TrustStoreLocation locate_system_trust_store();

/// One line for --version and the logs: what was loaded, e.g.
/// "/etc/ssl/certs/ca-certificates.crt (142 certificates)", or why nothing was.
struct LoadedTrustStore {
  TrustStoreLocation location;
  std::size_t certificates = 0;  ///< from the bundles; directories are read lazily and not counted
  std::vector<std::string> errors;
};
std::string describe(const LoadedTrustStore& loaded);

/// Loads the system trust store into a store of its own, to say what a run would trust.
LoadedTrustStore inspect_system_trust_store();

}  // namespace vnetdiag::tls
