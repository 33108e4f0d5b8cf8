#include "format_tools.hpp"


#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace vnetdiag::test {

std::optional<std::string> python_with(const std::string& module) {
  // Starting python costs a good part of a second: ask once per module.
  static std::map<std::string, std::optional<std::string>> found;
  if (auto it = found.find(module); it != found.end()) return it->second;
  auto& answer = found[module];
  for (const char* python : {"python3", "/usr/bin/python3"})
    if (testing::run_command({python, "-c", "import " + module}).exit_code == 0) return answer = python;
  return answer;
}

std::string tool(const std::string& name) { return std::string(VNETDIAG_REPORT_TEST_DIR) + "/tools/" + name; }

namespace {

const std::regex kMetricName("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");

/// Reads `name="value",...}` from text[at..]; advances `at` past the closing brace.
bool parse_labels(const std::string& text, std::size_t& at, std::map<std::string, std::string>& labels, std::string& error) {
  while (at < text.size() && text[at] != '}') {
    const auto eq = text.find('=', at);
    if (eq == std::string::npos) return error = "label without '='", false;
    const std::string name = text.substr(at, eq - at);
    if (!std::regex_match(name, kLabelName)) return error = "bad label name '" + name + "'", false;
    if (eq + 1 >= text.size() || text[eq + 1] != '"') return error = "label value not quoted", false;
    std::string value;
    std::size_t i = eq + 2;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') {
        if (++i >= text.size()) return error = "dangling escape", false;
        if (text[i] == 'n') value += '\n';
        else if (text[i] == '\\' || text[i] == '"') value += text[i];
        else return error = "bad escape \\" + std::string(1, text[i]), false;
      } else {
        if (text[i] == '\n') return error = "raw newline in label value", false;
        value += text[i];
      }
    }
    if (i >= text.size()) return error = "unterminated label value", false;
    if (!labels.emplace(name, value).second) return error = "duplicate label " + name, false;
    at = i + 1;
    if (at < text.size() && text[at] == ',') ++at;
  }
  if (at >= text.size()) return error = "unterminated label set", false;
  ++at;
  return true;
}

}  // namespace

Exposition parse_prometheus(const std::string& text) {
  Exposition out;
  std::istringstream in(text);
  std::string line;
  std::string current;             // the family whose lines we are in
  std::set<std::string> finished;  // families whose lines are behind us
  std::set<std::string> series;
  for (int number = 1; std::getline(in, line); ++number) {
    auto fail = [&](const std::string& why) { out.error = "line " + std::to_string(number) + ": " + why + ": " + line; };
    if (line.empty()) continue;
    auto enter = [&](const std::string& family) {
      if (family == current) return true;
      if (finished.contains(family)) return fail("family " + family + " split in two"), false;
      if (!current.empty()) finished.insert(current);
      current = family;
      return true;
    };
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      std::istringstream words(line.substr(7));
      std::string name, rest;
      words >> name;
      std::getline(words >> std::ws, rest);
      if (!std::regex_match(name, kMetricName)) return fail("bad metric name"), out;
      if (!enter(name)) return out;
      if (line[2] == 'T') {
        static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary", "untyped"};
        if (!kTypes.contains(rest)) return fail("unknown type"), out;
        if (out.types.contains(name)) return fail("second TYPE"), out;
        out.types[name] = rest;
      } else {
        out.help[name] = rest;
      }
      continue;
    }
    if (line.starts_with("#")) continue;
    Sample s;
    std::size_t at = line.find_first_of("{ ");
    if (at == std::string::npos) return fail("no value"), out;
    s.name = line.substr(0, at);
    if (!std::regex_match(s.name, kMetricName)) return fail("bad metric name"), out;
    if (line[at] == '{' && !parse_labels(line, ++at, s.labels, out.error)) return fail(out.error), out;
    if (at >= line.size() || line[at] != ' ') return fail("no space before the value"), out;
    const std::string value = line.substr(at + 1);
    char* end = nullptr;
    s.value = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') return fail("value is not a number"), out;
    if (!out.types.contains(s.name)) return fail("sample before its TYPE line"), out;
    if (!enter(s.name)) return out;
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "|" + k + "=" + v;
    if (!series.insert(key).second) return fail("duplicate series"), out;
    out.samples.push_back(std::move(s));
  }
  return out;
}

namespace {

/// Cells of a table row, splitting on pipes that are not backslash-escaped.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      cell += line[i];
      cell += line[++i];
    } else if (line[i] == '|') {
      out.push_back(cell);
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

int heading_level(const std::string& line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  return n > 0 && n < line.size() && line[n] == ' ' ? static_cast<int>(n) : 0;
}

}  // namespace

std::string markdown_problem(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.empty() || heading_level(lines[0]) != 1) return "the first line is not a level-1 heading";
  int last_level = 1;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    const std::string where = "line " + std::to_string(i + 1) + ": ";
    if (int level = heading_level(line)) {
      if (level == 1 && i != 0) return where + "a second level-1 heading";
      if (level > last_level + 1) return where + "heading level jumps from " + std::to_string(last_level);
      last_level = level;
    }
    // '<' is only allowed as an autolink: <https://...>
    for (std::size_t at = line.find('<'); at != std::string::npos; at = line.find('<', at + 1)) {
      if (at > 0 && line[at - 1] == '\\') continue;
      if (line.compare(at + 1, 8, "https://") != 0 || line.find('>', at) == std::string::npos)
        return where + "raw '<' (would be read as HTML)";
    }
    if (!line.starts_with("|")) continue;
    if (i > 0 && lines[i - 1].starts_with("|")) continue;  // inside a table already checked
    const auto header = cells(line);
    if (i + 1 >= lines.size()) return where + "table without separator row";
    const auto separator = cells(lines[i + 1]);
    if (separator.size() != header.size()) return where + "separator has another number of cells";
    for (const auto& c : separator)
      if (c.find_first_not_of(" -:") != std::string::npos || c.find('-') == std::string::npos)
        return where + "bad separator cell '" + c + "'";
    for (std::size_t k = i + 2; k < lines.size() && lines[k].starts_with("|"); ++k) {
      if (!lines[k].ends_with("|")) return "line " + std::to_string(k + 1) + ": row does not end with '|'";
      if (cells(lines[k]).size() != header.size())
        return "line " + std::to_string(k + 1) + ": " + std::to_string(cells(lines[k]).size()) + " cells, header has " +
               std::to_string(header.size());
    }
  }
  return "";
}

std::vector<std::string> headings(const std::string& text, int level) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (heading_level(line) == level) out.push_back(line.substr(static_cast<std::size_t>(level) + 1));
  return out;
}

}  // namespace vnetdiag::test
