#include "agent/check_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "agent/plan/cloud.hpp"
#include "agent/plan/input_error.hpp"
#include "agent/runner.hpp"
#include "reports/check_table.hpp"
#include "reports/evidence_json.hpp"

namespace vnetdiag {
namespace {

ExitStatus input_error(const std::string& message, const char* command) {
  fmt::print(stderr, "vnetdiag: {}\n{}", message, usage_text(command));
  return ExitStatus::usage;
}

}  // namespace

DiscoverySettings discovery_settings_for(const Plan& plan, const CheckCommand& command) {
  auto settings = discovery_settings(plan);
  if (command.given.contains("--resolv-conf")) settings.paths.resolv_conf = command.common.resolv_conf;
  if (command.given.contains("--hosts-file")) settings.paths.hosts_file = command.common.hosts_file;
  return settings;
}

std::variant<EngineOptions, OptionError> engine_options_for(const Plan& plan, const Environment& environment,
                                                            const CheckCommand& command, EnvLookup env) {
  auto given = [&](const char* name) { return command.given.contains(name); };
  CommonOptions o = command.common;
  if (!given("--hosts-file")) o.hosts_file = plan.hosts_file;
  if (!given("--ca-file")) o.ca_file = plan.ca_file;
  static constexpr std::pair<const char*, std::chrono::milliseconds Budgets::*> kBudgetFlags[] = {
      {"--dns-budget", &Budgets::dns},     {"--connect-budget", &Budgets::connect}, {"--proxy-budget", &Budgets::proxy},
      {"--tls-budget", &Budgets::tls},     {"--http-budget", &Budgets::http},       {"--deadline", &Budgets::deadline}};
  for (const auto& [flag, member] : kBudgetFlags)
    if (!given(flag)) o.budgets.*member = plan.budgets.*member;

  auto made = make_engine_options(o, env, false);
  if (auto* error = std::get_if<OptionError>(&made)) return *error;
  auto options = std::get<EngineOptions>(std::move(made));

  if (!given("--dns-server")) {
    // Client resolvers first (the engine connects to the first definitive answer among them), then the
    // config's extra servers, then Azure DNS, asked only for comparison (facts §2.1).
    std::vector<Resolver> clients, comparison;
    for (const auto& r : environment.dns.resolvers) (r.used_by_clients ? clients : comparison).push_back(r);
    for (const auto& server : plan.dns_servers) clients.push_back({server, "config"});
    options.resolvers = std::move(clients);
    options.resolvers.insert(options.resolvers.end(), comparison.begin(), comparison.end());
  }
  if (options.resolvers.empty()) return OptionError{"no DNS server to ask: name one with --dns-server"};
  auto vnet = vnet_cidrs(environment);
  options.vnet.insert(options.vnet.begin(), vnet.begin(), vnet.end());
  if (!given("--proxy") && plan.proxy) {
    options.proxy = *plan.proxy;
    if (command.common.no_proxy) options.proxy.no_proxy = parse_no_proxy(*command.common.no_proxy);
  }
  return options;
}

ExitStatus run_targets_command(const TargetsCommand& command) {
  auto plan = plan_from_inputs(command.inputs, &process_env);
  if (auto* error = std::get_if<InputError>(&plan)) return input_error(error->to_string(), "targets");
  const auto& p = std::get<Plan>(plan);
  if (command.json) {
    std::cout << plan_to_json(p).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    std::cout << render_plan_table(p);
  }
  return ExitStatus::healthy;
}

ExitStatus run_check_command(const CheckCommand& command) {
  auto parsed = plan_from_inputs(command.inputs, &process_env);
  if (auto* error = std::get_if<InputError>(&parsed)) return input_error(error->to_string(), "check");
  const auto& plan = std::get<Plan>(parsed);
  auto environment = discover_environment(discovery_settings_for(plan, command), plan, &process_env);
  auto options = engine_options_for(plan, environment, command, &process_env);
  if (auto* error = std::get_if<OptionError>(&options)) return input_error(error->message, "check");

  std::vector<ProbeTarget> targets;
  std::vector<TargetLabel> labels;
  std::vector<const PlannedTarget*> probed_targets;
  for (const auto& t : plan.targets) {
    // Discovery has already asked the metadata service; once per run is enough (it limits clients to 5/s).
    if (!probed(t) || (t.id == "imds" && environment.imds.status != ImdsStatus::not_asked)) continue;
    targets.push_back(t.probe);
    labels.push_back({t.id, t.category, t.required});
    probed_targets.push_back(&t);
  }

  RunResult run;
  try {
    run = run_until_done(std::move(targets), std::get<EngineOptions>(std::move(options)));
  } catch (const std::invalid_argument& e) {
    return input_error(e.what(), "check");
  }

  add_clock_skew(environment, run, std::chrono::system_clock::now());

  bool required_failed = false, situational_failed = false;
  for (std::size_t i = 0; i < run.targets.size(); ++i) {
    if (healthy(run.targets[i])) continue;
    (labels[i].required ? required_failed : situational_failed) = true;
  }

  if (command.outputs.format == "json") {
    auto out = nlohmann::json{{"plan", plan_to_json(plan)}, {"environment", environment_to_json(environment)},
                              {"run", to_json(run)}};
    for (std::size_t i = 0; i < run.targets.size(); ++i) {
      out["run"]["targets"][i]["id"] = labels[i].id;
      out["run"]["targets"][i]["category"] = labels[i].category;
      out["run"]["targets"][i]["required"] = labels[i].required;
    }
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    const std::string scope = plan.workspace ? fmt::format("workspace {}", plan.workspace->name.empty() ? plan.workspace->workspace_id : plan.workspace->name)
                                             : "required endpoints";
    std::cout << fmt::format("vnetdiag check: {} in the {} cloud, {} targets\n\n", scope, to_string(plan.cloud),
                             run.targets.size());
    std::cout << render_environment(environment) << "\n";
    std::cout << render_check_table(run, labels);
    std::size_t untestable = 0;
    for (const auto& t : plan.targets) untestable += probed(t) ? 0 : 1;
    if (untestable > 0)
      std::cout << fmt::format("\n{} targets not testable (see 'vnetdiag targets'): name their hosts in the config file\n",
                               untestable);
    std::cout << fmt::format("\n{} in {:.1f} s{}\n",
                             required_failed ? "FAILED: a required target is unreachable"
                             : situational_failed ? "WARNING: a situational target is unreachable"
                                                  : "OK: every target is reachable",
                             run.ms / 1000.0, run.deadline_hit ? " (deadline reached: incomplete)" : "");
  }
  if (run.deadline_hit || run.interrupted) return ExitStatus::incomplete;
  if (required_failed) return ExitStatus::errors;
  return situational_failed ? ExitStatus::warnings : ExitStatus::healthy;
}

}  // namespace vnetdiag
