// The compact per-target table of a check: one line per target, one column per phase.
#pragma once

#include <string>
#include <vector>

#include "probes/evidence.hpp"

namespace vnetdiag {

/// What the report knows of a target besides its evidence (from the plan, which reports/ does not see).
struct TargetLabel {
  std::string id;        ///< "storage.blob"
  std::string category;  ///< "storageAccount"
  bool required = true;
  std::string result;    ///< the RESULT column when the findings say more than the phases ("ERROR VND-DNS-002")
};

/// One word (and a detail) per phase: "ok 10.0.0.5 private", "nxdomain", "timeout", "401", "-" when not run.
std::string dns_cell(const TargetResult& r);
std::string tcp_cell(const TargetResult& r);
std::string tls_cell(const TargetResult& r);
std::string http_cell(const TargetResult& r);

/// Aligned columns: target, host:port, dns, tcp/proxy, tls, http, verdict. `labels` is parallel to run.targets.
std::string render_check_table(const RunResult& run, const std::vector<TargetLabel>& labels);

}  // namespace vnetdiag
