// Reports are written whole or not at all.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "format_tools.hpp"
#include "reports/atomic_file.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;
using vnetdiag::testing::read_file;
namespace fs = std::filesystem;

namespace {

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("a report file is written whole, with no temporary file left behind", "[atomic]") {
  TempDir dir;
  const auto path = dir.path() / "report.json";
  const std::string content(100000, 'x');
  REQUIRE_FALSE(write_file_atomically(path, content));
  CHECK(read_file(path) == content);
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("writing over an existing report replaces it and keeps its permissions", "[atomic]") {
  TempDir dir;
  const auto path = dir.write("metrics.prom", "old\n");
  ::chmod(path.c_str(), 0644);
  REQUIRE_FALSE(write_file_atomically(path, "new\n"));
  CHECK(read_file(path) == "new\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("a report that cannot be written leaves nothing behind and says why", "[atomic]") {
  TempDir dir;
  const auto missing = dir.path() / "no-such-dir" / "report.json";
  const auto error = write_file_atomically(missing, "x");
  CHECK(error == std::errc::no_such_file_or_directory);
  CHECK_FALSE(fs::exists(missing));
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("a relative path is written in the current directory's terms", "[atomic]") {
  TempDir dir;
  const auto previous = fs::current_path();
  fs::current_path(dir.path());
  const auto error = write_file_atomically("plain.txt", "plain\n");
  fs::current_path(previous);
  REQUIRE_FALSE(error);
  CHECK(read_file(dir.path() / "plain.txt") == "plain\n");
}
