// This machine's clock against the servers' `Date` headers: a clock several minutes off breaks TLS
// validity checks and Entra ID tokens, and looks like a network fault.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/evidence.hpp"

namespace vnetdiag {

/// One server's clock against ours.
struct SkewSample {
  std::string host;             ///< the target host that answered
  std::string date;             ///< the Date header as received
  std::chrono::seconds skew{0}; ///< server minus this machine; positive: this machine is behind
};

/// The servers' median clock against this machine's, when it is off by more than the threshold.
struct ClockSkew {
  std::chrono::seconds median{0};     ///< positive: this machine's clock is behind the servers'
  std::chrono::seconds threshold{0};  ///< what it was judged against
  std::vector<SkewSample> samples;    ///< one per host that sent a readable Date header
};

/// Parses an HTTP date: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and the two obsolete forms
/// RFC 9110 still asks recipients to accept (RFC 850 and asctime).
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);

/// The skew seen in `run`'s HTTP `Date` headers, or nullopt when the median is within `threshold` (or no
/// server sent one). `now_at_run_end` is this machine's clock when the run finished; each response
/// arrived during the run (`run.ms` long), so a server date inside that window counts as no skew at all.
std::optional<ClockSkew> clock_skew(const RunResult& run, std::chrono::system_clock::time_point now_at_run_end,
                                    std::chrono::seconds threshold = std::chrono::minutes(5));

/// "7 min 12 s", "2 h 3 min", "40 s": a skew for people.
std::string describe_duration(std::chrono::seconds duration);

}  // namespace vnetdiag
