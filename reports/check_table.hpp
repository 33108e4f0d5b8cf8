// The compact per-target table of a check: one line per target, one column per phase.
#pragma once

#include <string>
#include <vector>

#include "probes/evidence.hpp"

namespace vnetdiag {

/// One row of the table: a target's evidence and what the report says of it.
struct CheckRow {
  std::string id;                          ///< "storage.blob"
  const TargetResult* result = nullptr;    ///< the evidence (never null)
  bool required = true;
  std::string verdict;  ///< the RESULT column when the findings say more than the phases ("ERROR VND-DNS-002")
};

/// One word (and a detail) per phase: "ok 10.0.0.5 private", "nxdomain", "timeout", "401", "-" when not run.
std::string dns_cell(const TargetResult& r);
std::string tcp_cell(const TargetResult& r);
std::string tls_cell(const TargetResult& r);
std::string http_cell(const TargetResult& r);

/// Aligned columns: target, host:port, dns, tcp/proxy, tls, http, verdict. Given a width, the table fits it: long
/// host names and target ids are elided in the middle, the result cells wrap; where even that is too wide,
/// each target takes two lines instead ("storage.blob  ok  sa.blob.core.windows.net:443", then its phases).
/// Width 0: no limit.
std::string render_check_table(const std::vector<CheckRow>& rows, std::size_t width = 0);

}  // namespace vnetdiag
