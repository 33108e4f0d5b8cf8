// Finding the system's trust store: the pure choice for each distribution's layout and the
// environment's variables, and loading what was chosen (with a minted CA).
#include <catch2/catch.hpp>

#include <openssl/x509_vfy.h>

#include <memory>
#include <set>

#include "probes/tls/trust_store.hpp"
#include "probes/tls/trust_store_load.hpp"
#include "tests/support/pki.hpp"
#include "tests/support/temp_dir.hpp"

using namespace vnetdiag::tls;
using Strings = std::vector<std::string>;

namespace {

// A machine whose file system holds exactly `paths`.
struct FakeMachine {
  std::set<std::string> files, directories;
  TrustStoreLocation locate(TrustStoreEnvironment env = {}) const {
    return locate_trust_store(
        env, [this](const std::string& p) { return files.contains(p); },
        [this](const std::string& p) { return directories.contains(p); });
  }
};

}  // namespace

TEST_CASE("each distribution's bundle is found where it keeps it", "[trust-store]") {
  SECTION("Debian and Ubuntu: the bundle, not the hashed directory beside it") {
    const FakeMachine debian{{"/etc/ssl/certs/ca-certificates.crt"}, {"/etc/ssl/certs"}};
    const auto at = debian.locate();
    CHECK(at.files == Strings{"/etc/ssl/certs/ca-certificates.crt"});
    CHECK(at.directories.empty());
    CHECK(at.origin == "system");
  }
  SECTION("RHEL, CentOS and Azure Linux") {
    const FakeMachine rhel{{"/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"},
                           {"/etc/pki/tls/certs"}};
    CHECK(rhel.locate().files == Strings{"/etc/pki/tls/certs/ca-bundle.crt"});
    const FakeMachine rhel_extracted_only{{"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"}, {}};
    CHECK(rhel_extracted_only.locate().files == Strings{"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"});
  }
  SECTION("SUSE") {
    const FakeMachine suse{{"/etc/ssl/ca-bundle.pem", "/var/lib/ca-certificates/ca-bundle.pem"}, {"/etc/ssl/certs"}};
    CHECK(suse.locate().files == Strings{"/etc/ssl/ca-bundle.pem"});
  }
  SECTION("only a hashed directory: it is used") {
    const FakeMachine dir_only{{}, {"/etc/pki/tls/certs"}};
    const auto at = dir_only.locate();
    CHECK(at.files.empty());
    CHECK(at.directories == Strings{"/etc/pki/tls/certs"});
  }
  SECTION("nothing at all") {
    const auto at = FakeMachine{}.locate();
    CHECK(at.files.empty());
    CHECK(at.directories.empty());
    CHECK_THAT(describe({.location = at}), Catch::Contains("none found") && Catch::Contains("SSL_CERT_FILE"));
  }
}

TEST_CASE("SSL_CERT_FILE and SSL_CERT_DIR replace the system's places, each on its own", "[trust-store]") {
  const FakeMachine debian{{"/etc/ssl/certs/ca-certificates.crt"}, {"/etc/ssl/certs"}};
  SECTION("SSL_CERT_FILE, even when it is missing: the administrator asked for it") {
    const auto at = debian.locate({.ssl_cert_file = "/opt/corp/ca.pem"});
    CHECK(at.files == Strings{"/opt/corp/ca.pem"});
    CHECK(at.directories.empty());
    CHECK(at.origin == "SSL_CERT_FILE");
  }
  SECTION("SSL_CERT_DIR: a ':'-separated list, beside the system bundle") {
    const auto at = debian.locate({.ssl_cert_dir = "/opt/a::/opt/b"});
    CHECK(at.files == Strings{"/etc/ssl/certs/ca-certificates.crt"});
    CHECK(at.directories == Strings{"/opt/a", "/opt/b"});
    CHECK(at.origin == "SSL_CERT_DIR");
  }
  SECTION("both") {
    const auto at = debian.locate({.ssl_cert_file = "/x.pem", .ssl_cert_dir = "/d"});
    CHECK(at.files == Strings{"/x.pem"});
    CHECK(at.directories == Strings{"/d"});
    CHECK(at.origin == "SSL_CERT_FILE and SSL_CERT_DIR");
  }
}

TEST_CASE("loading says how many certificates were trusted, and what could not be loaded", "[trust-store]") {
  vnetdiag::testing::TempDir dir;
  vnetdiag::testing::Pki pki(dir, "vnetdiag trust store test CA");
  const auto empty = dir.write("empty.pem", "");
  const std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);

  SECTION("a bundle with one CA") {
    const auto loaded = load_trust_store(store.get(), {.files = {pki.ca_file().string()}, .origin = "SSL_CERT_FILE"});
    CHECK(loaded.certificates == 1);
    CHECK(loaded.errors.empty());
    CHECK(describe(loaded) == pki.ca_file().string() + " from SSL_CERT_FILE (1 certificate)");
  }
  SECTION("a missing bundle and an empty one") {
    const auto missing = (dir.path() / "absent.pem").string();
    const auto loaded = load_trust_store(store.get(), {.files = {missing, empty.string()}, .origin = "system"});
    CHECK(loaded.certificates == 0);
    REQUIRE(loaded.errors.size() == 2);
    CHECK(loaded.errors[0] == missing + ": not found");
    CHECK_THAT(loaded.errors[1], Catch::StartsWith(empty.string() + ": "));
    CHECK_THAT(describe(loaded), Catch::Contains("(0 certificates); cannot load " + missing));
  }
  SECTION("a directory is added for lookups, not counted") {
    const auto loaded = load_trust_store(store.get(), {.directories = {dir.path().string()}, .origin = "SSL_CERT_DIR"});
    CHECK(loaded.errors.empty());
    CHECK(describe(loaded) == dir.path().string() + " (directory) from SSL_CERT_DIR");
  }
}
