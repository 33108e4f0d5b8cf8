// Loading a located trust store into OpenSSL: for probes/tls/ only (it names OpenSSL's types).
#pragma once

#include <openssl/x509_vfy.h>

#include "probes/tls/trust_store.hpp"

namespace vnetdiag::tls {

/// Adds the bundles and directories to `store`; what could not be loaded is in the result's errors.
LoadedTrustStore load_trust_store(X509_STORE* store, TrustStoreLocation location);

}  // namespace vnetdiag::tls
