// vnetdiag: parse, run, report, exit status.
#include <fmt/format.h>

#include <variant>

#include "agent/check_command.hpp"
#include "agent/cli.hpp"
#include "agent/logging.hpp"
#include "agent/probe_command.hpp"
#include "probes/dns/ares_library.hpp"

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

}  // namespace

int main(int argc, char** argv) try {
  using namespace vnetdiag;
  const auto invocation = parse_command_line(argc, argv);
  return exit_code(std::visit(
      overloaded{
          [](const Informational& info) {
            fmt::print("{}", info.text);
            return ExitStatus::healthy;
          },
          [](const UsageError& usage) {
            fmt::print(stderr, "vnetdiag: {}\n{}", usage.message, usage.usage);
            return ExitStatus::usage;
          },
          [](const TargetsCommand& targets) { return run_targets_command(targets); },
          [](const CheckCommand& check) {
            init_logging(check.common.verbosity);
            dns::AresLibrary ares;
            return run_check_command(check);
          },
          [](const ProbeCommand& probe) {
            init_logging(probe.common.verbosity);
            dns::AresLibrary ares;
            return run_probe_command(probe);
          },
      },
      invocation));
} catch (const std::exception& e) {
  // Not a network fault (those are results): the process itself could not run, e.g. no file descriptors left.
  fmt::print(stderr, "vnetdiag: cannot run: {}\n", e.what());
  return vnetdiag::exit_code(vnetdiag::ExitStatus::incomplete);
}
