// What every fuzz target shares: an invariant check that stops the run with the input kept.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace vnetdiag::fuzz {

/// Stops the process when an invariant of the parser does not hold. libFuzzer keeps the input as a crash
/// artifact, exactly as for a sanitizer report.
#define FUZZ_CHECK(condition)                                                                          \
  do {                                                                                                 \
    if (!(condition)) {                                                                                \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition);          \
      std::abort();                                                                                    \
    }                                                                                                  \
  } while (false)

/// The fuzzer's bytes as text.
inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// True when `text` has no ASCII upper-case letter.
inline bool is_lower(std::string_view text) {
  for (char c : text)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

/// True when `text` has no space, tab or line break.
inline bool has_no_space(std::string_view text) {
  return text.find_first_of(" \t\n\r\v\f") == std::string_view::npos;
}

}  // namespace vnetdiag::fuzz
