#include "tests/plan/support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vnetdiag::test {

std::map<std::string, std::string> g_fake_env;

std::optional<std::string> fake_env(const char* name) {
  const auto it = g_fake_env.find(name);
  if (it == g_fake_env.end()) return std::nullopt;
  return it->second;
}

std::string fixture(const std::string& relative) {
  const std::string path = std::string(VNETDIAG_PLAN_TEST_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot open fixture " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

// "/targets/12/expect" → " (target storage.blob contosoml4821.blob.core.windows.net:443)"
std::string which_target(const nlohmann::json& plan, const std::string& path) {
  constexpr std::string_view kPrefix = "/targets/";
  if (!path.starts_with(kPrefix)) return "";
  const auto rest = path.substr(kPrefix.size());
  const auto index_text = rest.substr(0, rest.find('/'));
  if (index_text.empty() || index_text.find_first_not_of("0123456789") != std::string::npos) return "";
  const auto index = std::stoul(index_text);
  if (!plan.contains("targets") || index >= plan["targets"].size()) return "";
  const auto& t = plan["targets"][index];
  return " (expected target " + t.value("id", std::string("?")) + " " + t.value("host", std::string("?")) + ":" +
         std::to_string(t.value("port", 0)) + ")";
}

}  // namespace

std::string compare_with_expected(const nlohmann::json& actual, const std::string& name) {
  const std::filesystem::path dir(VNETDIAG_PLAN_ACTUAL_DIR);
  const auto actual_path = dir / (name + ".json");
  const auto expected_path = std::filesystem::path(VNETDIAG_PLAN_TEST_DIR) / "expected" / (name + ".json");
  const bool have_expected = std::filesystem::exists(expected_path);
  const auto expected = have_expected ? nlohmann::json::parse(fixture("expected/" + name + ".json")) : nlohmann::json();
  if (have_expected && actual == expected) return "";
  std::filesystem::create_directories(dir);
  std::ofstream(actual_path) << actual.dump(2) << "\n";
  if (!have_expected) {
    return "no reviewed plan " + expected_path.string() + " yet; the actual plan is in " + actual_path.string() +
           ": review it line by line before copying it there\n";
  }

  std::string out = "plan differs from expected/" + name + ".json; actual written to " + actual_path.string() +
                    "\n  diff -u " + std::string(VNETDIAG_PLAN_TEST_DIR) + "/expected/" + name + ".json " +
                    actual_path.string() + "\n";
  for (const auto& op : nlohmann::json::diff(expected, actual)) {
    const auto path = op["path"].get<std::string>();
    out += "  " + op["op"].get<std::string>() + " " + path + which_target(expected, path);
    if (op.contains("value")) out += ": " + op["value"].dump();
    out += "\n";
  }
  return out;
}

}  // namespace vnetdiag::test
