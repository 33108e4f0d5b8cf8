// Certificate facts as plain data: small pure functions over X509 objects.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <vector>

#include "probes/evidence.hpp"

namespace vnetdiag::tls {

/// Subject, issuer, SANs, validity, serial and SHA-256 of one certificate.
CertInfo describe(X509* cert);

/// Every certificate of a chain, in the order given (a peer's chain: leaf first).
std::vector<CertInfo> describe_chain(STACK_OF(X509) * chain);

/// "2026-11-29T04:10:58Z" for an ASN1 time.
std::string iso8601(const ASN1_TIME* time);

}  // namespace vnetdiag::tls
