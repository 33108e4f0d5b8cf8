#include "agent/probe_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "agent/engine_options.hpp"
#include "agent/runner.hpp"
#include "reports/evidence_json.hpp"
#include "reports/probe_table.hpp"

namespace vnetdiag {
namespace {

ExitStatus usage_error(const std::string& message) {
  fmt::print(stderr, "vnetdiag: {}\n{}", message, usage_text("probe"));
  return ExitStatus::usage;
}

}  // namespace

ExitStatus run_probe_command(const ProbeCommand& command) {
  auto options = make_engine_options(command.common, &process_env);
  if (auto* error = std::get_if<OptionError>(&options)) return usage_error(error->message);

  std::optional<HttpRequest> request;
  if (!command.tcp_only && !command.no_http) {
    request = HttpRequest{command.method, command.path, {}};
    for (const auto& header : command.headers) {
      auto colon = header.find(':');
      if (colon == std::string::npos || colon == 0) return usage_error("--header '" + header + "': expected 'Name: value'");
      auto value = header.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request->headers.emplace_back(header.substr(0, colon), value);
    }
  }
  std::vector<ProbeTarget> targets;
  for (const auto& text : command.hosts) {
    auto host_port = parse_host_port(text, 443);
    if (!host_port) return usage_error("'" + text + "' is not HOST[:PORT]");
    targets.push_back(ProbeTarget{host_port->host, host_port->port, !command.tcp_only, request, true});
  }

  RunResult run;
  try {
    run = run_until_done(std::move(targets), std::get<EngineOptions>(std::move(options)));
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  }
  if (command.json) {
    std::cout << to_json(run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    std::cout << render_probe_table(run);
  }
  if (run.deadline_hit || run.interrupted) return ExitStatus::incomplete;
  return std::ranges::all_of(run.targets, [](const TargetResult& t) { return healthy(t); }) ? ExitStatus::healthy
                                                                                            : ExitStatus::errors;
}

}  // namespace vnetdiag
