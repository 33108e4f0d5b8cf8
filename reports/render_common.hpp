// What the renderers share: the category table and each target's phases judged pass or fail.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report_model.hpp"

namespace vnetdiag {

/// A finding category: its name, the diagnose API's results key, and a heading for people.
struct CategoryInfo {
  std::string_view name;     ///< "dnsResolution"
  std::string_view results;  ///< "dnsResolutionResults" (diagnose: "otherResults" for "others")
  std::string_view heading;  ///< "DNS resolution"
};

/// The service's nine diagnose categories, then vnetdiag's own, in report order.
std::span<const CategoryInfo> categories();

/// The entry for `name`; an unknown name is reported with "others".
const CategoryInfo& category_info(std::string_view name);

/// One phase of one target, judged.
struct PhaseOutcome {
  std::string_view name;  ///< "dns", "connect", "tls", "http"
  bool passed = false;
  bool deadline = false;  ///< cut short by the run's deadline: neither passed nor failed
  double ms = 0;
  std::string detail;     ///< the dns/tcp/tls/http cell of the check table
};

/// The phases that ran for target `i`, in order. A phase that did not run (an earlier one failed) is absent.
std::vector<PhaseOutcome> phases_of(const Report& report, std::size_t i);

/// `text` with every byte sequence that is not valid UTF-8 replaced by '?': probes keep raw bytes, and
/// XML, Markdown and Prometheus readers reject them.
std::string valid_utf8(std::string_view text);

/// Seconds with millisecond precision: "3.212".
std::string seconds(double ms);

/// The per-target table of the check command, from the report's contexts, fitted to `width` columns (0: no limit).
std::string target_table(const Report& report, std::size_t width = 0);

/// "10.0.0.0/16 (Azure Resource Manager: VNet vnet-ml), 10.1.0.0/16 (peering with vnet-hub)", or why the ranges
/// are unknown.
std::string vnet_ranges_text(const EnvironmentFacts& env);

/// The terminal's "Environment" block: resolvers, hosts pins, proxy, interfaces, Docker, VNet ranges,
/// metadata and clock, from the report's facts only; lines wrapped at `width` columns (0: never).
std::string environment_block(const EnvironmentFacts& env, std::size_t width = 0);

}  // namespace vnetdiag
