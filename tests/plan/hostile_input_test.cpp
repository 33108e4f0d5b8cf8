// Malformed and hostile inputs: every one gives an InputError naming the source and the position or
// field; none crashes (the dev build runs these under ASan and UBSan).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "agent/plan/config.hpp"
#include "agent/plan/workspace.hpp"
#include "tests/plan/support.hpp"

namespace vnetdiag {
using test::error_of;
using test::fixture;
using nlohmann::json;

namespace {

/// The ARM fixture with one JSON pointer replaced.
std::string arm_with(const std::string& pointer, const json& value) {
  auto doc = json::parse(fixture("fixtures/arm-public-eastus.json"));
  doc[json::json_pointer(pointer)] = value;
  return doc.dump(2);
}

/// A temporary file removed at scope exit.
struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("vnetdiag-plan-" + std::to_string(::getpid()) + "-" + name)) {}
  ~TempFile() { std::filesystem::remove(path); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

}  // namespace

TEST_CASE("truncated JSON is reported at the line and column where it ends", "[plan][hostile]") {
  const auto text = fixture("fixtures/arm-public-eastus.json");
  const auto cut = text.substr(0, text.find("\"workspaceId\""));
  const auto e = error_of(parse_workspace_json(cut, "ws.json"));
  CHECK(e.source == "ws.json");
  const auto lines = static_cast<int>(std::count(cut.begin(), cut.end(), '\n'));
  CHECK(e.line == lines + 1);
  CHECK(e.column > 0);
  CHECK(e.message.starts_with("invalid JSON: "));
  CHECK(e.to_string().starts_with("ws.json:" + std::to_string(lines + 1) + ":"));
}

TEST_CASE("a syntax error is located at its line and column", "[plan][hostile]") {
  const auto e = error_of(parse_workspace_json("{\n  \"name\": \"ws\",\n  \"location\": eastus\n}", "ws.json"));
  CHECK(e.line == 3);
  CHECK(e.column == 15);
  CHECK(e.to_string().starts_with("ws.json:3:15: invalid JSON: "));
}

TEST_CASE("a number too large for a double is an input error naming the file, in both documents", "[plan][hostile]") {
  auto e = error_of(parse_workspace_json("{\"name\": \"ws\", \"x\": 1e999}", "ws.json"));
  CHECK(e.to_string() == "ws.json: invalid JSON: number overflow parsing '1e999'");
  e = error_of(parse_config("// vnetdiag\n{\"vnet\": [], \"budgets\": -2e400}", "vnetdiag.jsonc"));
  CHECK(e.to_string() == "vnetdiag.jsonc: invalid JSON: number overflow parsing '-2e400'");
}

TEST_CASE("empty input, a bare array and binary garbage are refused", "[plan][hostile]") {
  auto e = error_of(parse_workspace_json("", "<stdin>"));
  CHECK(e.source == "<stdin>");
  CHECK(e.line == 1);
  e = error_of(parse_workspace_json("[1, 2, 3]", "ws.json"));
  CHECK(e.message.find("expected a JSON object") != std::string::npos);
  e = error_of(parse_workspace_json(std::string("{\"name\": \"a\0b\"}", 15), "ws.json"));
  CHECK(e.line == 1);
  e = error_of(parse_workspace_json("{\"name\": \"\xff\xfe\"}", "ws.json"));
  CHECK(e.message.find("invalid JSON") != std::string::npos);
  e = error_of(parse_workspace_json("{\"hello\": \"world\"}", "ws.json"));
  CHECK(e.message.find("not a workspace document") != std::string::npos);
}

TEST_CASE("a field of the wrong type names its JSON pointer and both types", "[plan][hostile]") {
  auto e = error_of(parse_workspace_json(arm_with("/location", 42), "ws.json"));
  CHECK(e.field == "/location");
  CHECK(e.message == "expected the Azure region name, got an integer");
  CHECK(e.to_string() == "ws.json: /location: expected the Azure region name, got an integer");

  e = error_of(parse_workspace_json(arm_with("/properties/storageAccount", json::object()), "ws.json"));
  CHECK(e.field == "/properties/storageAccount");
  CHECK(e.message == "expected a resource ID, got an object");

  e = error_of(parse_workspace_json(arm_with("/properties/hbiWorkspace", "yes"), "ws.json"));
  CHECK(e.field == "/properties/hbiWorkspace");

  e = error_of(parse_workspace_json(arm_with("/properties/notebookInfo", "fqdn"), "ws.json"));
  CHECK(e.field == "/properties/notebookInfo");
  CHECK(e.message == "expected an object, got a string");

  e = error_of(parse_workspace_json(arm_with("/properties/privateEndpointConnections", 1), "ws.json"));
  CHECK(e.field == "/properties/privateEndpointConnections");

  e = error_of(parse_workspace_json(arm_with("/properties/privateEndpointConnections", json::array({"x"})), "ws.json"));
  CHECK(e.field == "/properties/privateEndpointConnections/0");

  e = error_of(parse_workspace_json(arm_with("/properties/publicNetworkAccess", "Sometimes"), "ws.json"));
  CHECK(e.field == "/properties/publicNetworkAccess");

  e = error_of(parse_workspace_json(arm_with("/properties", json::array()), "ws.json"));
  CHECK(e.field == "/properties");
}

TEST_CASE("a resource ID of the wrong type is refused, naming both types", "[plan][hostile]") {
  const auto storage_id =
      "/subscriptions/6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg/providers/Microsoft.Storage/"
      "storageAccounts/contosoml4821";
  auto e = error_of(parse_workspace_json(arm_with("/properties/keyVault", storage_id), "ws.json"));
  CHECK(e.field == "/properties/keyVault");
  CHECK(e.message ==
        "expected a Key Vault resource ID (Microsoft.KeyVault/vaults), got a \"Microsoft.Storage/storageAccounts\" ID");

  e = error_of(parse_workspace_json(arm_with("/properties/containerRegistry", "/subscriptions/x/oops"), "ws.json"));
  CHECK(e.field == "/properties/containerRegistry");
  CHECK(e.message.find("is not a resource ID") != std::string::npos);

  e = error_of(parse_workspace_json(arm_with("/id", storage_id), "ws.json"));
  CHECK(e.field == "/id");
}

TEST_CASE("names with shell or control characters in a document are refused", "[plan][hostile]") {
  auto e = error_of(parse_workspace_json(
      arm_with("/properties/storageAccount",
               "/subscriptions/6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/resourceGroups/rg/providers/Microsoft.Storage/"
               "storageAccounts/a;rm -rf"),
      "ws.json"));
  CHECK(e.field == "/properties/storageAccount");
  CHECK(e.message.find("';'") != std::string::npos);

  e = error_of(parse_workspace_json(arm_with("/name", "ws\u001b[31mred"), "ws.json"));
  CHECK(e.field == "/name");
  CHECK(e.message.find("control character") != std::string::npos);
  CHECK(e.to_string().find('\x1b') == std::string::npos);  // never echoed raw to a terminal

  e = error_of(parse_workspace_json(arm_with("/location", "eastus$(reboot)"), "ws.json"));
  CHECK(e.field == "/location");

  e = error_of(parse_workspace_json(arm_with("/properties/workspaceId", "`id`"), "ws.json"));
  CHECK(e.field == "/properties/workspaceId");

  e = error_of(parse_workspace_json(arm_with("/properties/notebookInfo/fqdn", "evil.example.com"), "ws.json"));
  CHECK(e.field == "/properties/notebookInfo/fqdn");

  e = error_of(parse_workspace_json(arm_with("/properties/discoveryUrl", "https://attacker.example/discovery"), "ws.json"));
  CHECK(e.field == "/properties/discoveryUrl");
}

TEST_CASE("a document naming two clouds is refused, naming both fields", "[plan][hostile]") {
  const auto e = error_of(
      parse_workspace_json(arm_with("/properties/discoveryUrl", "https://chinaeast2.api.ml.azure.cn/discovery"), "ws.json"));
  CHECK(e.field == "/properties/discoveryUrl");
  CHECK(e.message == "belongs to the china cloud, but /location belongs to the public cloud");
}

TEST_CASE("a 50 MB document is refused before parsing", "[plan][hostile]") {
  std::string huge = "{\"name\": \"";
  huge.append(50u * 1024u * 1024u, 'a');
  huge += "\"}";
  auto e = error_of(parse_workspace_json(huge, "huge.json"));
  CHECK(e.source == "huge.json");
  CHECK(e.message.find("larger than 8192 KiB") != std::string::npos);

  e = error_of(parse_config(huge, "huge.jsonc"));
  CHECK(e.message.find("larger than") != std::string::npos);

  TempFile file("huge.json");
  {
    std::ofstream out(file.path, std::ios::binary);
    out << huge;
  }
  e = error_of(read_input_file(file.path.string()));
  CHECK(e.source == file.path.string());
  CHECK(e.message.find("larger than 8192 KiB") != std::string::npos);
}

TEST_CASE("an endless input costs no more than the cap", "[plan][hostile]") {
  const auto e = error_of(read_input_file("/dev/zero", 4096));
  CHECK(e.source == "/dev/zero");
  CHECK(e.message.find("larger than 4 KiB") != std::string::npos);
}

TEST_CASE("input files that cannot be read are named with the reason", "[plan][hostile]") {
  auto e = error_of(read_input_file("/nonexistent/ws.json"));
  CHECK(e.to_string() == "/nonexistent/ws.json: cannot open: No such file or directory");
  e = error_of(read_input_file(std::filesystem::temp_directory_path().string()));
  CHECK(e.message == "is a directory, expected a file");

  TempFile file("small.json");
  std::ofstream(file.path) << "{}";
  CHECK(test::value_of(read_input_file(file.path.string())) == "{}");
}

TEST_CASE("JSON nested ten thousand deep is refused at the bracket that goes too deep", "[plan][hostile]") {
  const std::string deep = "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  const auto e = error_of(parse_workspace_json(deep, "deep.json"));
  CHECK(e.line == 1);
  CHECK(e.column == 6 + 63);  // the 64th bracket is at depth 65 (the object is depth 1)
  CHECK(e.message.find("nested deeper than 64") != std::string::npos);
}

TEST_CASE("two thousand random mutations of a workspace document never crash the parser", "[plan][hostile]") {
  const auto original = fixture("fixtures/arm-private-westeurope.json");
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<std::size_t> position(0, original.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  constexpr int kRuns = 2000;
  int accepted = 0, refused = 0, unsafe_messages = 0;
  for (int i = 0; i < kRuns; ++i) {
    auto text = original;
    for (int k = 0; k < 1 + i % 4; ++k) text[position(rng)] = static_cast<char>(byte(rng));
    if (i % 7 == 0) text.resize(position(rng));
    auto parsed = parse_workspace_json(text, "fuzz.json");
    if (const auto* e = std::get_if<InputError>(&parsed)) {
      ++refused;
      const auto shown = e->to_string();
      if (e->message.empty() || std::ranges::any_of(shown, [](unsigned char c) { return c < 0x20; })) ++unsafe_messages;
    } else {
      ++accepted;
    }
  }
  CHECK(refused > kRuns / 2);
  CHECK(accepted + refused == kRuns);
  CHECK(unsafe_messages == 0);
}

}  // namespace vnetdiag
