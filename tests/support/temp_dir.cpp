#include "tests/support/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace vnetdiag::testing {

TempDir::TempDir() {
  auto pattern = (std::filesystem::temp_directory_path() / "vnetdiag-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("TempDir: mkdtemp(" + pattern + ") failed: " + std::strerror(errno));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  const char* keep = std::getenv("VNETDIAG_KEEP_TEMP");
  if (keep != nullptr && std::string(keep) == "1") {
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

const std::filesystem::path& TempDir::path() const { return path_; }

std::filesystem::path TempDir::write(const std::string& name, const std::string& content) const {
  const auto target = path_ / name;
  std::filesystem::create_directories(target.parent_path());
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    throw std::runtime_error("TempDir: cannot write " + target.string());
  }
  return target;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace vnetdiag::testing
