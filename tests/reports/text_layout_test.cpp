// Text laid out for a terminal: widths counted as the terminal counts them, prose wrapped at spaces with continuation
// lines aligned, names elided in the middle, tables shrunk to fit and laid out another way when they cannot.
#include <catch2/catch.hpp>

#include <sstream>

#include "builders.hpp"
#include "reports/check_table.hpp"
#include "reports/text_layout.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t widest(const std::string& text) {
  std::size_t w = 0;
  for (const auto& l : lines(text)) w = std::max(w, display_width(l));
  return w;
}

}  // namespace

TEST_CASE("a terminal column per character: UTF-8 counted by code point, colour sequences not at all", "[layout]") {
  CHECK(display_width("storage.blob") == 12);
  CHECK(display_width("a → b") == 5);
  CHECK(display_width("…") == 1);
  CHECK(display_width("\033[1;31mERROR\033[0m") == 5);
  CHECK(display_width("\033]8;;https://example.test\033\\link\033]8;;\033\\") == 4);
  CHECK(display_width("") == 0);
}

TEST_CASE("a long name loses its middle, keeping its first label and its domain and port", "[layout]") {
  const std::string host = "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.workspace.eastus.api.azureml.ms:443";
  const auto short_host = elide_middle(host, 30);
  CHECK(display_width(short_host) == 30);
  CHECK(short_host == "7c1e2d3f-4a5b-….azureml.ms:443");
  CHECK(elide_middle("pypi.org:443", 30) == "pypi.org:443");
  CHECK(elide_middle("a→b→c→d", 5) == "a→…→d");
  CHECK(elide_middle("abc", 1) == "…");
}

TEST_CASE("prose wraps at spaces, continuation lines aligned under the text after the label", "[layout]") {
  const std::string fix =
      "Add the A records for contosokv.privatelink.vaultcore.azure.net to privatelink.vaultcore.azure.net: recreate "
      "the private endpoint with private DNS zone integration.";
  const auto text = wrap(fix, 80, "           fix:      ", 21);
  INFO(text);
  const auto l = lines(text);
  REQUIRE(l.size() == 4);
  CHECK(l[0] == "           fix:      Add the A records for");
  CHECK(l[1] == "                     contosokv.privatelink.vaultcore.azure.net to");
  CHECK(l[2] == "                     privatelink.vaultcore.azure.net: recreate the private");
  CHECK(l[3] == "                     endpoint with private DNS zone integration.");
  CHECK(widest(text) <= 80);
}

TEST_CASE("a word is never broken: too long for the indented column it is outdented, longer than the line it overflows",
          "[layout]") {
  const std::string url = "https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns";  // 68 columns
  SECTION("it fits after the label: one line") {
    CHECK(wrap(url, 100, "           docs:     ", 21) == "           docs:     " + url + "\n");
  }
  SECTION("it does not: the label alone, then the URL whole, as far right as the width lets it") {
    CHECK(wrap(url, 80, "           docs:     ", 21) == "           docs:\n            " + url + "\n");
  }
  SECTION("longer than the whole width: whole, from the first column") {
    CHECK(wrap(url, 60, "           docs:     ", 21) == "           docs:\n" + url + "\n");
  }
  SECTION("words after it go on at the indent") {
    CHECK(wrap("see " + url + " now", 70, "  ", 4) == "  see\n  " + url + "\n    now\n");
  }
}

TEST_CASE("wrapping keeps the text's own spacing and line breaks, and width 0 leaves lines whole", "[layout]") {
  CHECK(wrap("https: http://proxy:3128  http: direct  (from HTTPS_PROXY)", 0, "  proxy       ", 14) ==
        "  proxy       https: http://proxy:3128  http: direct  (from HTTPS_PROXY)\n");
  CHECK(wrap("https: http://proxy:3128  http: direct  (from HTTPS_PROXY)", 40, "  proxy       ", 14) ==
        "  proxy       https: http://proxy:3128\n              http: direct  (from\n              HTTPS_PROXY)\n");
  CHECK(wrap("one\ntwo", 80, "- ", 2) == "- one\n  two\n");
  CHECK(wrap("", 80, "  docs:  ", 9) == "  docs:\n");
}

TEST_CASE("a colour around the label does not count against the width", "[layout]") {
  const std::string first = "  \033[1;31mERROR  \033[0m  VND-DNS-004  ";
  const auto text = wrap("Private link zone privatelink.vaultcore.azure.net has no record for 1 name", 60, first, 24);
  INFO(text);
  CHECK(lines(text).size() == 3);
  CHECK(widest(text) <= 60);
}

TEST_CASE("a table wider than the terminal gives up width from its most generous column first", "[layout]") {
  const std::vector<Column> columns{{"NAME", Fit::elide, 10}, {"WHAT", Fit::wrap}, {"N", Fit::keep}};
  const std::vector<std::vector<std::string>> rows{
      {"a-very-long-name-that-goes-on.example.test", "one two three", "12"},
      {"short", "four", "3"},
  };
  CHECK(fit_table(columns, rows, 0) ==
        "NAME                                        WHAT           N\n"
        "a-very-long-name-that-goes-on.example.test  one two three  12\n"
        "short                                       four           3\n");
  const auto fitted = fit_table(columns, rows, 40);
  INFO(fitted);
  CHECK(widest(fitted) == 40);
  CHECK_THAT(fitted, Catch::Contains("a-very-lon…ample.test  one two three  12\n"));
  // Narrower still: the name reaches its minimum, then the wrapped column takes more lines.
  const auto narrow = fit_table(columns, rows, 26);
  INFO(narrow);
  CHECK(widest(narrow) <= 26);
  CHECK(lines(narrow).size() == 4);
  // Narrower than every column's least: the caller lays the rows out another way.
  CHECK(fit_table(columns, rows, 20).empty());
}

TEST_CASE("the target table fits 100 columns by eliding host names, and narrower takes two lines a target",
          "[layout][terminal]") {
  Scenario s;
  s.add(target("7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.workspace.eastus.api.azureml.ms").id("workspace.api")
            .custom_dns().address("10.0.1.6").connected().tls(TlsStatus::ok).http(401));
  s.add(target("contosoml4821.file.core.windows.net", 445).id("storage.file.smb").custom_dns().address("10.0.1.5")
            .tcp(TcpStatus::timeout));
  const auto report = s.report();
  std::vector<CheckRow> rows;
  for (const auto& t : report.targets) rows.push_back({t.context.id, &t.result, true, ""});

  const auto unlimited = render_check_table(rows, 0);
  CHECK_THAT(unlimited, Catch::Contains("7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.workspace.eastus.api.azureml.ms:443"));

  const auto at100 = render_check_table(rows, 100);
  INFO(at100);
  CHECK(widest(at100) <= 100);
  CHECK(lines(at100).front().starts_with("TARGET"));
  CHECK_THAT(at100, Catch::Contains("…"));
  CHECK_THAT(at100, Catch::Contains("7c1e2d3f-4a5"));  // both ends of the name, the port with its end
  CHECK_THAT(at100, Catch::Contains("ml.ms:443"));
  CHECK_THAT(at100, Catch::Contains("storage.file.smb"));

  const auto at70 = render_check_table(rows, 70);
  INFO(at70);
  CHECK(widest(at70) <= 70);
  CHECK_THAT(at70, Catch::Contains("storage.file.smb  FAIL  contosoml4821.file.core.windows.net:445\n"
                                   "    dns ok 10.0.1.5 private in-vnet  tcp timeout  tls -  http -\n"));
  CHECK_THAT(at70, Catch::Contains("workspace.api  ok  7c1e2d3f-4a5b-4c6d-8e9f-0…eastus.api.azureml.ms:443\n"));
}
