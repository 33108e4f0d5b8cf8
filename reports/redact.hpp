// Two passes over every string of a report: one that always runs (secrets are never written, redacted or
// not) and one for `--redact` (identifying values become stable placeholders).
#pragma once

#include <string>
#include <string_view>

#include "reports/report_model.hpp"

namespace vnetdiag {

/// `text` without passwords in URLs ("http://user:***@proxy:3128") and without SAS signatures
/// ("sig=<removed>").
std::string without_secrets(std::string_view text);

/// Applies `without_secrets` to every string of the report and drops the values of credential headers
/// (Authorization, Proxy-Authorization, Cookie, Set-Cookie). build_report and every renderer apply it.
void remove_secrets(Report& report);

/// The report with identifying values replaced by stable placeholders: subscription and tenant IDs, the
/// workspace GUID and every other GUID, resource names (workspace, resource group, storage account, key
/// vault, registry, Application Insights, compute instances, this VM's resource group and VNets; also inside
/// host names), every host label built from them (the notebooks host's "ml-<name, truncated>-<region>-<GUID>",
/// known from each target's context, not guessed from spelling), public egress IPs, this machine's name, user
/// names and proxy user names. The same value gets the same placeholder
/// ("<storage-1>") everywhere in the report. Regions, private IPs, ports and public service names stay:
/// the report stays useful. Secrets are removed as well.
Report redact(Report report);

}  // namespace vnetdiag
