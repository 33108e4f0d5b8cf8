// The command line: subcommands and options (CLI11), turned into plain values.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <set>

#include "agent/inputs.hpp"
#include "probes/target.hpp"

namespace vnetdiag {

/// Options every probing command shares.
struct CommonOptions {
  std::vector<std::string> dns_servers;  ///< "IP[:PORT]"; empty: the resolv.conf servers
  std::string resolv_conf = "/etc/resolv.conf";
  std::string hosts_file = "/etc/hosts";
  std::string ca_file;
  std::string proxy;                     ///< --proxy URL; empty: the environment
  std::optional<std::string> no_proxy;   ///< --no-proxy LIST
  std::vector<std::string> vnet_cidrs;
  std::size_t concurrency = 128;
  Budgets budgets;
  int verbosity = 0;
};

/// Where `check` writes its report, and in which forms.
struct ReportOutputs {
  std::string format = "text";    ///< standard output: "text" or "json"
  std::string json_file;          ///< --json FILE
  std::string markdown_file;      ///< --markdown FILE
  std::string junit_file;         ///< --junit FILE
  std::string prometheus_file;    ///< --prometheus FILE
  bool quiet = false;             ///< only the verdict and the errors
  bool redact = false;            ///< replace identifiers with placeholders
  std::string color = "auto";     ///< --color: "auto" (a terminal, NO_COLOR empty or unset), "always" or "never"
  std::string fail_on = "errors"; ///< --fail-on: what JUnit counts as a failure, "errors" or "warnings" too
};

/// `vnetdiag probe HOST[:PORT]...`
struct ProbeCommand {
  CommonOptions common;
  std::vector<std::string> hosts;
  bool tcp_only = false;
  bool no_http = false;
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::string> headers;  ///< "Name: value"
  bool json = false;
};

/// `vnetdiag [check] [inputs]`: probe the workspace's plan (or the cloud's required endpoints).
struct CheckCommand {
  CommonOptions common;
  PlanInputs inputs;
  ReportOutputs outputs;
  /// --arm-token-file FILE: the output of `az account get-access-token`, for Resource Manager reads in place
  /// of the managed identity's token.
  std::string arm_token_file;
  std::set<std::string> given;  ///< common options set on the command line: they override the config file
};

/// `vnetdiag targets [inputs]`: print the plan without probing.
struct TargetsCommand {
  PlanInputs inputs;
  bool json = false;
};

/// `--help` or `--version` was asked for: print `text`, exit 0.
struct Informational {
  std::string text;
};

/// Bad arguments: print `message` and the usage, exit 3.
struct UsageError {
  std::string message;
  std::string usage;
};

using Invocation = std::variant<CheckCommand, TargetsCommand, ProbeCommand, Informational, UsageError>;

/// "Usage: vnetdiag probe [OPTIONS] HOST[:PORT]...\nRun 'vnetdiag probe --help' for every option.\n"
std::string usage_text(std::string_view command);

/// Parses argv. Never exits the process and never throws for bad input.
Invocation parse_command_line(int argc, const char* const* argv);

/// "vnetdiag 0.1.0 (commit abc123) c-ares 1.18.1 OpenSSL 3.0.x Boost 1.81.0".
std::string version_text();

}  // namespace vnetdiag
