// The config file (--config, JSON with comments) through parse_config(), and on to the plan built from it;
// the URL and connection-string readers it uses, parse_http_url() and ingestion_host(), on short inputs.
#include <cstddef>
#include <cstdint>

#include "agent/plan/config.hpp"
#include "agent/plan/plan.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;
using vnetdiag::fuzz::is_lower;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = as_text(data, size);
  if (size < 1024) {
    if (const auto url = parse_http_url(text)) FUZZ_CHECK(!url->host.empty() && !url->path.ends_with('/'));
    FUZZ_CHECK(is_lower(ingestion_host(text)));
  }

  const auto parsed = parse_config(text, "vnetdiag.jsonc");
  if (const auto* error = std::get_if<InputError>(&parsed)) {
    FUZZ_CHECK(error->to_string().starts_with("vnetdiag.jsonc"));
    return 0;
  }
  const auto& config = std::get<Config>(parsed);
  for (const auto& extra : config.extra_hosts) FUZZ_CHECK(!extra.host.empty() && !extra.ports.empty());
  for (const auto cloud : {Cloud::public_cloud, Cloud::china}) {
    const auto plan = build_plan(std::nullopt, config, cloud);
    (void)plan_to_json(plan).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
