#pragma once

#include <ares.h>

#include <stdexcept>

namespace vnetdiag::dns {

/// Pairs ares_library_init with ares_library_cleanup for the life of the process (one in main).
class AresLibrary {
 public:
  AresLibrary() {
    if (int rc = ares_library_init(ARES_LIB_INIT_ALL); rc != ARES_SUCCESS)
      throw std::runtime_error(std::string("c-ares init: ") + ares_strerror(rc));
  }
  ~AresLibrary() { ares_library_cleanup(); }
  AresLibrary(const AresLibrary&) = delete;
  AresLibrary& operator=(const AresLibrary&) = delete;
};

}  // namespace vnetdiag::dns
