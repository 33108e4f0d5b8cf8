// Running the format parsers: real ones as subprocesses (python3's jsonschema and xml.etree, through
// testing::run_command), and a Prometheus text-format parser and a Markdown structure check written here.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace vnetdiag::test {

using testing::TempDir;

/// A python3 that can import `module` ("jsonschema"), or nullopt: tries python3 on PATH, then /usr/bin/python3
/// (where Debian's python3-jsonschema lives).
std::optional<std::string> python_with(const std::string& module);

/// The path of a helper script in tests/reports/tools.
std::string tool(const std::string& name);

/// One sample of the Prometheus text format.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

/// What the Prometheus parser found, or the first error with its line number.
struct Exposition {
  std::map<std::string, std::string> types;  ///< family name → gauge/counter/...
  std::map<std::string, std::string> help;
  std::vector<Sample> samples;
  std::string error;
};

/// Parses the Prometheus text exposition format (version 0.0.4) strictly: metric and label name syntax,
/// quoted and escaped label values, numeric values, HELP/TYPE before a family's samples, each family's
/// lines together, no duplicate series.
Exposition parse_prometheus(const std::string& text);

/// The first structural problem of a Markdown document, or "" when there is none: the first line is the
/// only level-1 heading, heading levels never skip, every table has a header, a separator row and rows with
/// the same number of cells (escaped pipes do not split cells), and no raw '<' outside an autolink.
std::string markdown_problem(const std::string& text);

/// The level-N headings of a Markdown document, in order ("## Findings" gives "Findings" for N = 2).
std::vector<std::string> headings(const std::string& text, int level);

}  // namespace vnetdiag::test
