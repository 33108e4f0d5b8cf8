#include "agent/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "probes/library_versions.hpp"
#include "probes/tls/trust_store.hpp"
#include "probes/version.hpp"

namespace vnetdiag {
namespace {

constexpr const char* kExitCodes =
    "Exit status:\n"
    "  0  healthy: every required target was checked and every check passed\n"
    "  1  at least one Error (probe: at least one target failed)\n"
    "  2  Warnings only\n"
    "  3  bad arguments or input; nothing was probed\n"
    "  4  incomplete: the deadline was reached, the run was interrupted, or a report file could not be written\n"
    "  5  no Error, but required targets were not checked for want of an input (check: listed under 'Not checked')\n";

/// --help in the words of the man page: "--concurrency N   Targets probed at once (default 128)", not the
/// parser's "--concurrency UINT:INT in [1 - 100000]=128". Every option with a value names it with type_name, and
/// its checks are given no description (unnamed), so that the type name is all that shows.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
    return opt->get_type_size() == 0 ? std::string() : " " + opt->get_type_name();
  }
  std::string make_option_desc(const CLI::Option* opt) const override {
    const std::string value = opt->get_default_str();
    return value.empty() ? opt->get_description() : fmt::format("{} (default {})", opt->get_description(), value);
  }
};

/// A check that adds nothing to the option's name in --help (its description says what it accepts).
CLI::Validator unnamed(CLI::Validator check) {
  check.description("");
  return check;
}

void add_common(CLI::App& app, CommonOptions& o) {
  app.add_option("--dns-server", o.dns_servers, "Ask this DNS server (IP[:PORT], [IPv6]:PORT); repeatable. "
                                                "Replaces the resolvers otherwise asked: resolv.conf's, and for check also Azure DNS")
      ->type_name("IP[:PORT]");
  app.add_option("--resolv-conf", o.resolv_conf, "Read the system's DNS servers from this file")
      ->capture_default_str()
      ->type_name("FILE");
  app.add_option("--hosts-file", o.hosts_file, "Hosts file whose entries override DNS")->capture_default_str()->type_name("FILE");
  app.add_option("--ca-file", o.ca_file, "Trust these CA certificates (PEM) instead of the system store")
      ->check(unnamed(CLI::ExistingFile))
      ->type_name("FILE");
  app.add_option("--proxy", o.proxy, "Use this HTTP proxy (http://[user:password@]host[:port]) instead of "
                                     "HTTPS_PROXY/https_proxy")
      ->type_name("URL");
  app.add_option("--no-proxy", o.no_proxy, "Hosts, domains and CIDRs reached directly (like NO_PROXY)")->type_name("LIST");
  app.add_option("--vnet-cidr", o.vnet_cidrs, "An address range of the VNet (and peered VNets); repeatable")
      ->type_name("CIDR");
  app.add_option("--concurrency", o.concurrency, "Targets probed at once, 1 to 100000")
      ->check(unnamed(CLI::Range(1, 100000)))
      ->capture_default_str()
      ->type_name("N");
  auto budget = [&](const char* name, std::chrono::milliseconds& value, const char* what) {
    app.add_option_function<long>(
           name, [&value](long ms) { value = std::chrono::milliseconds(ms); },
           fmt::format("Time allowed for {} in ms (default {})", what, value.count()))
        ->check(unnamed(CLI::Range(1L, 3'600'000L)))
        ->type_name("MS");
  };
  budget("--dns-budget", o.budgets.dns, "each resolver's answer");
  budget("--connect-budget", o.budgets.connect, "each TCP connect");
  budget("--proxy-budget", o.budgets.proxy, "the proxy's CONNECT answer");
  budget("--tls-budget", o.budgets.tls, "each TLS handshake");
  budget("--http-budget", o.budgets.http, "each HTTP request");
  budget("--deadline", o.budgets.deadline, "the whole run");
  app.add_flag("-v,--verbose", o.verbosity, "Log each step to stderr (-vv for more)");
}

void add_inputs(CLI::App& app, PlanInputs& in) {
  app.add_option("--workspace-json", in.workspace_json,
                 "The workspace as 'az ml workspace show' or the ARM API prints it ('-' for standard input)")
      ->type_name("FILE");
  app.add_option("--config", in.config_file, "Settings file: VNet ranges, extra hosts, expected IPs, skips, budgets")
      ->type_name("FILE");
  auto& f = in.flags;
  app.add_option("--workspace-id", f.workspace_id, "The workspace GUID")->type_name("GUID");
  app.add_option("--region", f.region, "The workspace's region, e.g. eastus")->type_name("REGION");
  app.add_option("--storage-account", f.storage_account, "The workspace's storage account (name or resource ID)")
      ->type_name("NAME");
  app.add_option("--key-vault", f.key_vault, "The workspace's key vault (name or resource ID)")->type_name("NAME");
  app.add_option("--acr", f.acr, "The workspace's container registry (name or resource ID)")->type_name("NAME");
  app.add_option("--app-insights", f.app_insights, "The workspace's Application Insights (name or resource ID)")
      ->type_name("NAME");
  app.add_option("--notebook-host", f.notebook_host, "The workspace's notebooks host name")->type_name("HOST");
  app.add_option("--compute-instance", f.compute_instances, "A compute instance name; repeatable")->type_name("NAME");
  app.add_option("--cloud", f.cloud, "public, china or usgov (default: from the workspace, else public)")
      ->type_name("CLOUD");
}

/// The first argument that is not an option decides the command; none means `check`.
std::vector<std::string> with_default_command(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  static const std::set<std::string> kCommands{"check", "targets", "probe"};
  static const std::set<std::string> kTopLevel{"-h", "--help", "--help-all", "--version"};
  if (args.empty() || (!kCommands.contains(args.front()) && !kTopLevel.contains(args.front())))
    args.insert(args.begin(), "check");
  return args;
}

#ifdef VNETDIAG_STATIC_BUILD
constexpr const char* kLinkage = ", statically linked";
#else
constexpr const char* kLinkage = "";
#endif

struct Usage {
  std::string_view command;
  std::string_view synopsis;
};
constexpr Usage kUsage[] = {
    {"check", "vnetdiag [check] [--workspace-json FILE | workspace options] [--config FILE] [OPTIONS]"},
    {"targets", "vnetdiag targets [--workspace-json FILE | workspace options] [--config FILE] [--json]"},
    {"probe", "vnetdiag probe HOST[:PORT]... [OPTIONS]"},
    {"", "vnetdiag [check|targets|probe] [OPTIONS]"},
};

}  // namespace

std::string usage_text(std::string_view command) {
  for (const auto& u : kUsage) {
    if (u.command == command || u.command.empty()) {
      const std::string help = u.command.empty() ? "vnetdiag --help" : fmt::format("vnetdiag {} --help", u.command);
      return fmt::format("Usage: {}\nRun '{}' for every option.\n", u.synopsis, help);
    }
  }
  return {};
}

std::string version_text() {
  // The trust store is loaded, not only located, so that an unreadable or empty bundle shows here.
  return fmt::format("vnetdiag {} (commit {})\nbuilt with c-ares {}, {}, Boost {}{}\ntrust store: {}\n", kVersion,
                     kGitCommit, cares_version(), openssl_version(), boost_version(), kLinkage,
                     tls::describe(tls::inspect_system_trust_store()));
}

Invocation parse_command_line(int argc, const char* const* argv) {
  CLI::App app{"vnetdiag: connectivity diagnostics for Azure Machine Learning workspaces, run inside the VNet.",
               "vnetdiag"};
  app.formatter(std::make_shared<HelpFormatter>());  // before the subcommands, which take it from here
  app.footer(kExitCodes);
  app.set_version_flag("--version", [] { return version_text(); });
  app.require_subcommand(1);

  CheckCommand check;
  auto* check_app = app.add_subcommand(
      "check", "Check every host the workspace needs (the default command). Without a workspace: the cloud's "
               "required endpoints, the package repositories and this machine");
  add_inputs(*check_app, check.inputs);
  add_common(*check_app, check.common);
  auto& out = check.outputs;
  check_app->add_option("--format", out.format, "What to print: text or json")
      ->check(unnamed(CLI::IsMember({"text", "json"})))
      ->capture_default_str()
      ->type_name("FORMAT");
  check_app->add_option("--color", out.color,
                        "Colour the text: auto (on a terminal, unless NO_COLOR is set to a value), always or never")
      ->check(unnamed(CLI::IsMember({"auto", "always", "never"})))
      ->capture_default_str()
      ->type_name("WHEN");
  check_app->add_option("--json", out.json_file, "Also write the JSON report to FILE (written whole, or not at all; '-' is standard output, then the "
                        "only thing printed there)")
      ->type_name("FILE");
  check_app->add_option("--markdown", out.markdown_file, "Also write a Markdown report (a ticket body) to FILE")
      ->type_name("FILE");
  check_app->add_option("--junit", out.junit_file, "Also write JUnit XML (a test case per target and check) to FILE")
      ->type_name("FILE");
  check_app->add_option("--prometheus", out.prometheus_file,
                        "Also write Prometheus text-format metrics (for a node-exporter textfile collector) to FILE")
      ->type_name("FILE");
  check_app->add_option("--arm-token-file", check.arm_token_file,
                        "Read Azure Resource Manager with this token (the JSON of 'az account get-access-token') instead "
                        "of the managed identity's: the workspace when its document lacks the GUID, the VNet's ranges")
      ->type_name("FILE");
  check_app->add_option("--fail-on", out.fail_on,
                        "What the JUnit report counts as a failed test: errors, or warnings too (Warnings otherwise "
                        "pass, with the finding as their output)")
      ->check(unnamed(CLI::IsMember({"errors", "warnings"})))
      ->capture_default_str()
      ->type_name("LEVEL");
  check_app->add_flag("-q,--quiet", out.quiet, "Print only the verdict and the errors, one line each");
  check_app->add_flag("--redact", out.redact,
                      "Replace IDs, resource names, public IPs, user names and proxy credentials with placeholders");
  check_app->footer(kExitCodes);

  TargetsCommand targets;
  auto* targets_app = app.add_subcommand("targets", "Print what 'check' would probe, without probing");
  add_inputs(*targets_app, targets.inputs);
  targets_app->add_flag("--json", targets.json, "Print JSON instead of a table");

  ProbeCommand probe;
  auto* probe_app = app.add_subcommand(
      "probe", "Probe hosts now: DNS on every resolver, TCP to every address, proxy CONNECT, TLS and one HTTP request");
  probe_app->add_option("targets", probe.hosts, "Hosts to probe; port 443 unless given")
      ->required()
      ->type_name("HOST[:PORT]");
  add_common(*probe_app, probe.common);
  probe_app->add_flag("--tcp", probe.tcp_only, "Stop after TCP: no TLS, no HTTP");
  probe_app->add_flag("--no-http", probe.no_http, "Stop after the TLS handshake");
  probe_app->add_option("--method", probe.method, "HTTP method")->capture_default_str()->type_name("METHOD");
  probe_app->add_option("--path", probe.path, "HTTP request target")->capture_default_str()->type_name("PATH");
  probe_app->add_option("--header", probe.headers, "Extra request header; repeatable")->type_name("'NAME: VALUE'");
  probe_app->add_flag("--json", probe.json, "Print JSON instead of a table");
  probe_app->footer(kExitCodes);

  auto args = with_default_command(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last-first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    return Informational{app.help()};
  } catch (const CLI::CallForAllHelp&) {
    return Informational{app.help("", CLI::AppFormatMode::All)};
  } catch (const CLI::CallForVersion&) {
    return Informational{version_text()};
  } catch (const CLI::ParseError& e) {
    std::string command;
    for (const CLI::App* sub : {check_app, targets_app, probe_app})
      if (sub->parsed()) command = sub->get_name();
    return UsageError{e.what(), usage_text(command)};
  }
  if (targets_app->parsed()) return targets;
  if (probe_app->parsed()) return probe;
  for (const auto* option : check_app->get_options())
    if (option->count() > 0) check.given.insert(option->get_name());
  return check;
}

}  // namespace vnetdiag
