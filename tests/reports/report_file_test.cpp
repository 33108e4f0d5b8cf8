// A report path is written the way what is there expects: files replaced whole, links followed to their
// file, devices and FIFOs written as streams and left in place, "-" on standard output.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fstream>
#include <cstring>
#include <future>
#include <sstream>

#include "format_tools.hpp"
#include "reports/report_file.hpp"

using namespace vnetdiag;
using namespace vnetdiag::test;
using vnetdiag::testing::read_file;
namespace fs = std::filesystem;
using Kind = ReportDestination::Kind;

namespace {

ReportDestination resolved(const fs::path& path) {
  auto r = resolve_report_path(path.string());
  if (auto* why = std::get_if<std::string>(&r)) FAIL(path << ": " << *why);
  return std::get<ReportDestination>(r);
}

std::string refused(const std::string& path) {
  auto r = resolve_report_path(path);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}

struct stat lstat_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

}  // namespace

TEST_CASE("a missing report file is created, and an existing one is replaced by a new file", "[report-file]") {
  TempDir dir;
  const auto path = dir.path() / "report.json";
  auto fresh = resolved(path);
  CHECK(fresh.kind == Kind::file);
  REQUIRE_FALSE(write_report(fresh, "first\n"));
  CHECK(read_file(path) == "first\n");
  const auto before = lstat_of(path).st_ino;
  REQUIRE_FALSE(write_report(resolved(path), "second\n"));
  CHECK(read_file(path) == "second\n");
  CHECK(lstat_of(path).st_ino != before);  // replaced whole: a reader never sees half of it
}

TEST_CASE("a symlink report path stays a link, and the file it points to gets the report", "[report-file]") {
  TempDir dir;
  fs::create_directory(dir.path() / "dated");
  const auto target = dir.write("dated/2026-12-07.json", "yesterday\n");
  const auto link = dir.path() / "latest.json";
  fs::create_symlink("dated/2026-12-07.json", link);
  REQUIRE_FALSE(write_report(resolved(link), "today\n"));
  CHECK(S_ISLNK(lstat_of(link).st_mode));
  CHECK(fs::read_symlink(link) == "dated/2026-12-07.json");
  CHECK(read_file(target) == "today\n");

  SECTION("a link to a file not written yet creates that file") {
    const auto dangling = dir.path() / "next.json";
    fs::create_symlink(dir.path() / "dated" / "2026-12-08.json", dangling);
    REQUIRE_FALSE(write_report(resolved(dangling), "tomorrow\n"));
    CHECK(S_ISLNK(lstat_of(dangling).st_mode));
    CHECK(read_file(dir.path() / "dated" / "2026-12-08.json") == "tomorrow\n");
  }
}

TEST_CASE("a FIFO report path is written to its reader and stays a FIFO", "[report-file]") {
  TempDir dir;
  const auto fifo = dir.path() / "report.pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto destination = resolved(fifo);  // checking it does not open it: that would wait for a reader
  CHECK(destination.kind == Kind::stream);
  auto reader = std::async(std::launch::async, [&] { return read_file(fifo); });
  REQUIRE_FALSE(write_report(destination, "{\"verdict\": \"ok\"}\n"));
  CHECK(reader.get() == "{\"verdict\": \"ok\"}\n");
  CHECK(S_ISFIFO(lstat_of(fifo).st_mode));
}

TEST_CASE("a character device report path (a null device) is written to, never replaced", "[report-file]") {
  TempDir dir;
  const auto device = dir.path() / "null";
  if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {
    WARN("skipped: making a character device needs CAP_MKNOD (root): " << std::strerror(errno));
    return;
  }
  auto destination = resolved(device);
  CHECK(destination.kind == Kind::stream);
  REQUIRE_FALSE(write_report(destination, std::string(100000, 'x')));
  const auto st = lstat_of(device);
  CHECK(S_ISCHR(st.st_mode));
  CHECK(st.st_rdev == ::makedev(1, 3));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);  // no temporary file
}

TEST_CASE("'-' and /dev/stdout are this process's standard output, and /dev/stderr its error output",
          "[report-file]") {
  for (const auto* path : {"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
    INFO(path);
    auto d = resolve_report_path(path);
    if (auto* why = std::get_if<std::string>(&d)) FAIL(*why);  // ctest gives the test a writable stdout
    CHECK(std::get<ReportDestination>(d).kind == Kind::descriptor);
    CHECK(is_standard_output(std::get<ReportDestination>(d)));
  }
  const auto err = resolve_report_path("/dev/stderr");
  REQUIRE(std::holds_alternative<ReportDestination>(err));
  CHECK(std::get<ReportDestination>(err).fd == 2);
  CHECK_FALSE(is_standard_output(std::get<ReportDestination>(err)));
}

TEST_CASE("report paths that cannot be written are refused before the run, with the reason", "[report-file]") {
  TempDir dir;
  CHECK(refused((dir.path() / "no-such-dir" / "report.json").string()).find("there is no directory") != std::string::npos);
  CHECK(refused(dir.path().string()) == "is a directory");
  const auto file = dir.write("plain", "x");
  CHECK(refused((file / "report.json").string()).find("ot a directory") != std::string::npos);
  CHECK_FALSE(refused("").empty());
  fs::create_symlink("loop-b", dir.path() / "loop-a");
  fs::create_symlink("loop-a", dir.path() / "loop-b");
  CHECK(refused((dir.path() / "loop-a").string()).find("symbolic links") != std::string::npos);
}

TEST_CASE("two report paths naming one file are the same destination, however they are spelled",
          "[report-file]") {
  TempDir dir;
  const auto file = dir.write("report.json", "{}");
  fs::create_symlink("report.json", dir.path() / "latest.json");
  CHECK(same_destination(resolved(file), resolved(dir.path() / "latest.json")));
  CHECK(same_destination(resolved(dir.path() / "new.md"), resolved(dir.path() / "." / "new.md")));
  CHECK_FALSE(same_destination(resolved(dir.path() / "new.md"), resolved(dir.path() / "new.xml")));
  CHECK(same_destination(std::get<ReportDestination>(resolve_report_path("-")),
                         std::get<ReportDestination>(resolve_report_path("/dev/stdout"))));
}
