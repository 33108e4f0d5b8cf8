// A private scratch directory per test, for server configs, logs and certificates.
#pragma once

#include <filesystem>
#include <string>

namespace vnetdiag::testing {

/// A fresh private directory under the system temp dir, removed with everything in it on destruction.
/// Set VNETDIAG_KEEP_TEMP=1 to keep it for a post-mortem (server configs and logs live here).
class TempDir {
 public:
  /// Creates the directory (mkdtemp); throws std::runtime_error on failure.
  TempDir();
  /// Removes the directory tree; never throws.
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory's absolute path.
  const std::filesystem::path& path() const;
  /// Writes `content` to `name` (relative; parent folders are created) and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

/// The whole content of `path` (binary), or "" when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace vnetdiag::testing
