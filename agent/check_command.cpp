#include "agent/check_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <tuple>

#include "agent/discovery/arm_vnet.hpp"
#include "agent/inputs.hpp"
#include "agent/plan/cloud.hpp"
#include "agent/plan/input_error.hpp"
#include "agent/report_inputs.hpp"
#include "agent/runner.hpp"
#include "agent/terminal.hpp"
#include "reports/findings.hpp"
#include "reports/redact.hpp"
#include "reports/report_file.hpp"
#include "reports/render.hpp"

namespace vnetdiag {
namespace {

ExitStatus input_error(const std::string& message, const char* command) {
  fmt::print(stderr, "vnetdiag: {}\n{}", message, usage_text(command));
  return ExitStatus::usage;
}

/// The bearer token of an `az account get-access-token` file. The error never quotes the file: it may
/// hold the token.
std::variant<std::string, OptionError> read_arm_token(const std::string& file) {
  auto text = read_input_file(file);
  if (auto* error = std::get_if<InputError>(&text)) return OptionError{error->to_string()};
  std::string why;
  auto token = parse_az_access_token(std::get<std::string>(text), why);
  if (!token) return OptionError{"--arm-token-file " + file + ": " + why};
  return std::move(*token);
}

/// A CLI v2 workspace document carries no workspace GUID, and without it the workspace's own private
/// endpoint names cannot be built: Resource Manager has it. The plan again with what it says, or nullopt
/// (with a note saying why) when it cannot be read.
std::optional<Plan> plan_with_workspace_from_arm(const Plan& plan, const CheckCommand& command,
                                                 const DiscoverySettings& discovery, Environment& environment) {
  if (!plan.workspace || !plan.workspace->workspace_id.empty()) return std::nullopt;
  const auto id = workspace_resource_id(*plan.workspace);
  if (id.empty()) return std::nullopt;
  auto note = [&](std::string text) { environment.notes.push_back({"workspace", std::move(text)}); };
  const auto read = read_workspace(discovery, plan.cloud, id);
  if (read.status != ArmVnetStatus::ok) {
    note("the workspace GUID is not in the inputs, and Azure Resource Manager could not give it (" +
         std::string(to_string(read.status)) + (read.detail.empty() ? "" : ": " + read.detail) +
         "): the workspace's own private endpoint names are not checked");
    return std::nullopt;
  }
  auto fetched = parse_workspace_json(read.body, "Azure Resource Manager");
  if (auto* error = std::get_if<InputError>(&fetched)) {
    note("Azure Resource Manager's workspace document is not usable: " + error->to_string());
    return std::nullopt;
  }
  auto replanned = plan_from_inputs(command.inputs, &process_env, std::get<WorkspaceInfo>(fetched));
  if (auto* error = std::get_if<InputError>(&replanned)) {
    note("Azure Resource Manager's workspace document disagrees with the inputs: " + error->to_string());
    return std::nullopt;
  }
  note("the workspace GUID was read from Azure Resource Manager (the inputs lack it)");
  return std::get<Plan>(std::move(replanned));
}

/// A report file asked for on the command line: where it goes and how it is rendered.
struct ReportFile {
  std::string_view flag;
  ReportDestination destination;
  std::function<std::string(const Report&)> render;
};

/// The report files, checked before anything is probed: a typo in a path must not cost the run.
std::variant<std::vector<ReportFile>, OptionError> report_files(const ReportOutputs& outputs) {
  const JunitOptions junit{.warnings_fail = outputs.fail_on == "warnings"};
  const std::tuple<std::string_view, const std::string*, std::function<std::string(const Report&)>> kFiles[] = {
      {"--json", &outputs.json_file, &render_json},
      {"--markdown", &outputs.markdown_file, &render_markdown},
      {"--junit", &outputs.junit_file, [junit](const Report& r) { return render_junit(r, junit); }},
      {"--prometheus", &outputs.prometheus_file, &render_prometheus},
  };
  std::vector<ReportFile> files;
  for (const auto& [flag, path, render] : kFiles) {
    if (path->empty()) continue;
    auto resolved = resolve_report_path(*path);
    if (auto* why = std::get_if<std::string>(&resolved)) return OptionError{fmt::format("{} {}: {}", flag, *path, *why)};
    auto& destination = std::get<ReportDestination>(resolved);
    for (const auto& other : files)
      if (same_destination(other.destination, destination))
        return OptionError{fmt::format("{} {} and {} {} are the same file: give each report its own", other.flag,
                                       other.destination.given, flag, *path)};
    files.push_back({flag, std::move(destination), render});
  }
  return files;
}

}  // namespace

std::variant<ProxySettings, OptionError> effective_proxy(const Plan& plan, const CheckCommand& command, EnvLookup env) {
  auto proxy = proxy_from_options(command.common, env);
  if (std::holds_alternative<OptionError>(proxy) || command.given.contains("--proxy") || !plan.proxy) return proxy;
  ProxySettings configured = *plan.proxy;  // the config file's, in place of the variables
  if (command.common.no_proxy) configured.no_proxy = parse_no_proxy(*command.common.no_proxy);
  return configured;
}

DiscoverySettings discovery_settings_for(const Plan& plan, const CheckCommand& command, EnvLookup env) {
  auto settings = discovery_settings(plan);
  if (command.given.contains("--resolv-conf")) settings.paths.resolv_conf = command.common.resolv_conf;
  if (command.given.contains("--hosts-file")) settings.paths.hosts_file = command.common.hosts_file;
  if (command.given.contains("--ca-file")) settings.arm.ca_file = command.common.ca_file;
  // Resource Manager is reached the way the probes are; an unusable proxy is reported by check_settings.
  if (auto proxy = effective_proxy(plan, command, env); auto* p = std::get_if<ProxySettings>(&proxy)) settings.arm.proxy = *p;
  return settings;
}

std::variant<CheckSettings, OptionError> check_settings(const Plan& plan, const Environment& environment,
                                                        const CheckCommand& command, EnvLookup env) {
  auto given = [&](const char* name) { return command.given.contains(name); };
  CommonOptions o = command.common;
  o.hosts_file = environment.hosts_file;  // discovery read the same file (the config's, or --hosts-file)
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
  auto proxy = effective_proxy(plan, command, env);
  if (auto* error = std::get_if<OptionError>(&proxy)) return *error;
  options.proxy = std::get<ProxySettings>(std::move(proxy));

  // The command line's ranges first, then what discovery knows (config, Azure Resource Manager), once each.
  CheckSettings settings;
  for (const auto& range : options.vnet) settings.vnet.push_back({range, "--vnet-cidr"});
  for (const auto& labeled : environment.vnet)
    if (std::ranges::none_of(settings.vnet, [&](const LabeledRange& r) { return r.range == labeled.range; }))
      settings.vnet.push_back(labeled);
  options.vnet.clear();
  for (const auto& r : settings.vnet) options.vnet.push_back(r.range);
  settings.engine = std::move(options);
  return settings;
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
  auto checked_files = report_files(command.outputs);
  if (auto* error = std::get_if<OptionError>(&checked_files)) return input_error(error->message, "check");
  const auto& files = std::get<std::vector<ReportFile>>(checked_files);
  auto parsed = plan_from_inputs(command.inputs, &process_env);
  if (auto* error = std::get_if<InputError>(&parsed)) return input_error(error->to_string(), "check");
  auto plan = std::get<Plan>(std::move(parsed));
  auto discovery = discovery_settings_for(plan, command, &process_env);
  if (!command.arm_token_file.empty()) {
    auto token = read_arm_token(command.arm_token_file);
    if (auto* error = std::get_if<OptionError>(&token)) return input_error(error->message, "check");
    discovery.arm.token = std::get<std::string>(std::move(token));
  }
  auto environment = discover_environment(discovery, plan, &process_env);
  if (auto replanned = plan_with_workspace_from_arm(plan, command, discovery, environment)) {
    plan = std::move(*replanned);
    refresh_hosts_overrides(environment, discovery, plan);  // the new names may be pinned too
  }
  auto merged = check_settings(plan, environment, command, &process_env);
  if (auto* error = std::get_if<OptionError>(&merged)) return input_error(error->message, "check");
  auto& settings = std::get<CheckSettings>(merged);

  std::vector<ProbeTarget> targets;
  std::vector<TargetContext> contexts;
  std::vector<UncheckedTarget> unchecked;  // counted and named in the verdict, never dropped
  std::vector<const PlannedTarget*> planned;
  for (const auto& t : plan.targets) {
    // Discovery has already asked the metadata service; once per run is enough (it limits clients to 5/s).
    if (t.id == "imds" && environment.imds.status != ImdsStatus::not_asked) continue;
    if (!probed(t)) {
      unchecked.push_back({context_of(t), t.probe.host, t.probe.port, t.not_testable, t.manual_check});
      // Shown as one entry in the plan; each is still a target the verdict does not vouch for.
      for (const auto& m : t.merged_untested)
        unchecked.push_back({context_of(m), m.probe.host, m.probe.port, "as " + t.id + ": " + m.not_testable, m.manual_check});
      continue;
    }
    targets.push_back(t.probe);
    contexts.push_back(context_of(t));
    planned.push_back(&t);
  }

  const bool interactive = ::isatty(STDERR_FILENO) == 1 && !command.outputs.quiet;
  ProgressFn progress;
  if (interactive) {
    progress = [](const TargetResult&, std::size_t done, std::size_t total) {
      fmt::print(stderr, "\rprobing: {}/{} targets done", done, total);
    };
  }
  const auto started_at = utc_now_iso8601();
  RunResult run;
  try {
    run = run_until_done(std::move(targets), settings.engine, progress);
  } catch (const std::invalid_argument& e) {
    return input_error(e.what(), "check");
  }
  if (interactive) fmt::print(stderr, "\r\033[K");
  // Hosts the engine added because a planned target's answer redirected there (MCR's data host).
  for (std::size_t i = contexts.size(); i < run.targets.size(); ++i) {
    const auto& r = run.targets[i];
    const auto& origin = *planned.at(r.redirected_from.value());
    contexts.push_back(context_of(redirected_target(plan, origin, r.host, r.port)));
  }
  add_clock_skew(environment, run, std::chrono::system_clock::now());

  auto report = build_report(metadata_of(plan, run, started_at), facts_of(environment, plan, settings), std::move(run),
                             std::move(contexts), std::move(unchecked));
  if (command.outputs.redact) report = redact(std::move(report));

  // Files first, each written whole or not at all: a ticket never gets half a report.
  bool write_failed = false;
  for (const auto& file : files) {
    if (auto ec = write_report(file.destination, file.render(report))) {
      fmt::print(stderr, "vnetdiag: cannot write {}: {}\n", file.destination.given, ec.message());
      write_failed = true;
    }
  }

  // A report sent to standard output ("--json -") is all that is printed there: a pipe gets one document.
  if (std::ranges::none_of(files, [](const ReportFile& f) { return is_standard_output(f.destination); })) {
    if (command.outputs.format == "json") {
      std::cout << render_json(report);
    } else {
      const bool terminal = ::isatty(STDOUT_FILENO) == 1;
      std::cout << render_terminal(report, {.colour = use_colour(command.outputs.color, terminal, std::getenv("NO_COLOR")),
                                            .quiet = command.outputs.quiet,
                                            .width = report_width(terminal_columns(STDOUT_FILENO), std::getenv("COLUMNS"))});
    }
  }
  std::cout.flush();
  if (write_failed) return ExitStatus::incomplete;
  return static_cast<ExitStatus>(exit_code(report));
}

}  // namespace vnetdiag
