#include "probes/tls/trust_store.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "probes/tls/openssl_ptr.hpp"
#include "probes/tls/trust_store_load.hpp"

namespace vnetdiag::tls {
namespace {

std::optional<std::string> variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::vector<std::string> split_colons(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto end = std::min(list.find(':', start), list.size());
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

// The reason of OpenSSL's last error, then an empty queue: a stale error would be read by the next
// handshake as its own.
std::string take_openssl_error() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "no certificate found";
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : fmt::format("OpenSSL error {:#x}", code);
}

}  // namespace

TrustStoreLocation locate_trust_store(const TrustStoreEnvironment& env, const PathTest& file_exists,
                                      const PathTest& directory_exists) {
  TrustStoreLocation out;
  std::vector<std::string> origins;
  if (env.ssl_cert_file) {
    out.files.push_back(*env.ssl_cert_file);
    origins.emplace_back("SSL_CERT_FILE");
  } else {
    for (const auto& bundle : kSystemBundles) {
      if (file_exists(std::string(bundle.path))) {
        out.files.emplace_back(bundle.path);
        break;
      }
    }
  }
  if (env.ssl_cert_dir) {
    out.directories = split_colons(*env.ssl_cert_dir);
    origins.emplace_back("SSL_CERT_DIR");
  } else if (out.files.empty()) {
    for (const auto& directory : kSystemDirectories) {
      if (directory_exists(std::string(directory.path))) {
        out.directories.emplace_back(directory.path);
        break;
      }
    }
  }
  out.origin = origins.empty() ? "system" : fmt::format("{}", fmt::join(origins, " and "));
  return out;
}

TrustStoreLocation locate_system_trust_store() {
  return locate_trust_store({variable("SSL_CERT_FILE"), variable("SSL_CERT_DIR")}, is_file, is_directory);
}

LoadedTrustStore load_trust_store(X509_STORE* store, TrustStoreLocation location) {
  LoadedTrustStore out{.location = std::move(location)};
  for (const auto& file : out.location.files) {
    if (!is_file(file)) {
      out.errors.push_back(fmt::format("{}: not found", file));
    } else if (X509_STORE_load_file(store, file.c_str()) != 1) {
      out.errors.push_back(fmt::format("{}: {}", file, take_openssl_error()));
    }
  }
  for (const auto& directory : out.location.directories) {
    if (!is_directory(directory)) {
      out.errors.push_back(fmt::format("{}: not found", directory));
    } else if (X509_STORE_load_path(store, directory.c_str()) != 1) {
      out.errors.push_back(fmt::format("{}: {}", directory, take_openssl_error()));
    }
  }
  const STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
  for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
    if (X509_OBJECT_get_type(sk_X509_OBJECT_value(objects, i)) == X509_LU_X509) ++out.certificates;
  }
  return out;
}

std::string describe(const LoadedTrustStore& loaded) {
  const auto& where = loaded.location;
  if (where.files.empty() && where.directories.empty())
    return "none found (no CA bundle in the usual places: set SSL_CERT_FILE, or use --ca-file)";
  std::vector<std::string> parts = where.files;
  for (const auto& directory : where.directories) parts.push_back(directory + " (directory)");
  std::string text = fmt::format("{}", fmt::join(parts, ", "));
  if (where.origin != "system") text += " from " + where.origin;
  if (!where.files.empty())
    text += fmt::format(" ({} certificate{})", loaded.certificates, loaded.certificates == 1 ? "" : "s");
  for (const auto& error : loaded.errors) text += "; cannot load " + error;
  return text;
}

LoadedTrustStore inspect_system_trust_store() {
  const std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>> store(X509_STORE_new());
  return load_trust_store(store.get(), locate_system_trust_store());
}

}  // namespace vnetdiag::tls
