// The text report on a real terminal: vnetdiag run under script(1), on a pseudo-terminal set to 80 and to 100
// columns, against the local VNet's servers. What the terminal shows must fit it; colour follows --color and
// NO_COLOR as a user's terminal would see them.
#include <catch2/catch.hpp>

#include <regex>

#include "reports/text_layout.hpp"
#include "tests/agent/local_vnet.hpp"

using namespace vnetdiag::testing;

namespace {

std::string quoted(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs `vnetdiag args` on a terminal `columns` wide, with NO_COLOR as given (nullptr: unset); returns what the
/// terminal received.
CommandResult on_terminal(std::size_t columns, const char* no_color, const std::vector<std::string>& args) {
  std::string command = "stty cols " + std::to_string(columns) + " rows 50 && exec " + quoted(VNETDIAG_BINARY);
  for (const auto& a : args) command += " " + quoted(a);
  std::vector<std::string> argv{"/usr/bin/env", "-u", "COLUMNS", "-u", "NO_COLOR"};
  if (no_color) argv.push_back(std::string("NO_COLOR=") + no_color);
  for (const char* a : {"script", "--quiet", "--return", "--command"}) argv.push_back(a);
  argv.push_back(command);
  argv.push_back("/dev/null");
  return run_command(argv, std::chrono::seconds(60));
}

/// The lines as the terminal shows them: a carriage return starts its line over (the progress counter on stderr).
std::vector<std::string> screen_lines(const std::string& output) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t end; (end = output.find('\n', at)) != std::string::npos; at = end + 1) {
    std::string line = output.substr(at, end - at);
    if (line.ends_with('\r')) line.pop_back();
    if (const auto cr = line.rfind('\r'); cr != std::string::npos) line = line.substr(cr + 1);
    out.push_back(line);
  }
  return out;
}

/// Lines wider than `columns`, but for a link longer than the whole line: printed whole on a line of its own, since
/// a link broken in two cannot be followed.
std::vector<std::string> wider_than(const std::string& output, std::size_t columns) {
  std::vector<std::string> out;
  for (const auto& line : screen_lines(output)) {
    const bool lone_link = line.starts_with("https://") && line.find(' ') == std::string::npos;
    if (vnetdiag::display_width(line) > columns && !lone_link) out.push_back(line);
  }
  return out;
}

std::size_t widest(const std::string& output) {
  std::size_t w = 0;
  for (const auto& line : screen_lines(output)) w = std::max(w, vnetdiag::display_width(line));
  return w;
}

bool coloured(const std::string& output) { return std::regex_search(output, std::regex("\033\\[[0-9;]*m")); }

}  // namespace

TEST_CASE("on a terminal 80 or 100 columns wide, no line of the report is wider than the terminal",
          "[terminal][e2e]") {
  LocalVnet vnet({.key_vault_record_missing = true, .intercepted_package_repository = true});
  const auto args = vnet.with_workspace({"check"});
  for (const std::size_t columns : {80, 100}) {
    INFO(columns << " columns");
    const auto r = on_terminal(columns, nullptr, args);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("VND-DNS-004"));
    CHECK(wider_than(r.output, columns).empty());
    CHECK(widest(r.output) > columns - 20);  // the width is used, not a narrower guess
    CHECK(coloured(r.output));
  }
  // The workspace's host name, 74 columns, is whole at 100 columns and elided in the middle at 80.
  const std::string host = std::string(kWorkspaceId) + ".workspace.eastus.api.azureml.ms:443";
  CHECK_THAT(on_terminal(100, nullptr, args).output, Catch::Contains(host));
  const auto at80 = on_terminal(80, nullptr, args).output;
  CHECK_THAT(at80, !Catch::Contains(host));
  CHECK_THAT(at80, Catch::Contains("workspace.api  ok  7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c…pace.eastus.api.azureml.ms:443"));
}

TEST_CASE("on a pipe the report fits 80 columns, or COLUMNS when it is set", "[terminal][e2e]") {
  LocalVnet vnet({.key_vault_record_missing = true});
  std::vector<std::string> plain{"/usr/bin/env", "-u", "COLUMNS", VNETDIAG_BINARY};
  for (const auto& a : vnet.with_workspace({"check"})) plain.push_back(a);
  const auto piped = run_command(plain, std::chrono::seconds(60));
  INFO(piped.output);
  CHECK(wider_than(piped.output, 80).empty());
  CHECK_FALSE(coloured(piped.output));

  std::vector<std::string> wide{"/usr/bin/env", "COLUMNS=160", VNETDIAG_BINARY};
  for (const auto& a : vnet.with_workspace({"check"})) wide.push_back(a);
  const auto at160 = run_command(wide, std::chrono::seconds(60));
  INFO(at160.output);
  CHECK(wider_than(at160.output, 160).empty());
  CHECK(widest(at160.output) > 100);
}

TEST_CASE("colour on a terminal: an empty NO_COLOR keeps it, a set one removes it, --color always and never win",
          "[terminal][e2e]") {
  LocalVnet vnet({.key_vault_record_missing = true});
  struct Case {
    const char* no_color;
    const char* color;
    bool coloured;
  };
  const Case cases[] = {
      {"", "auto", true},     {"1", "auto", false},   {nullptr, "auto", true},
      {"1", "always", true},  {nullptr, "never", false},
  };
  for (const auto& c : cases) {
    INFO("NO_COLOR " << (c.no_color ? "'" + std::string(c.no_color) + "'" : "unset") << ", --color " << c.color);
    const auto r = on_terminal(100, c.no_color, vnet.with_workspace({"check", "--color", c.color}));
    CHECK_THAT(r.output, Catch::Contains("VND-DNS-004"));
    CHECK(coloured(r.output) == c.coloured);
  }
  // Asked for, colour goes down a pipe too.
  const auto piped = run_vnetdiag(vnet.with_workspace({"check", "--color", "always"}));
  CHECK(coloured(piped.output));
}
