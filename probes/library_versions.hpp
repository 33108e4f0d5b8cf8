#pragma once

#include <string>

namespace vnetdiag {

/// The c-ares version this binary runs with, e.g. "1.18.1".
std::string cares_version();
/// The OpenSSL version this binary runs with, e.g. "OpenSSL 3.0.19 27 Jan 2026".
std::string openssl_version();
/// The Boost version it was built with, e.g. "1.81.0".
std::string boost_version();

}  // namespace vnetdiag
