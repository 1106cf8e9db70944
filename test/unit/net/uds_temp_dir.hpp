// Test helper for the Unix-socket tests: a fresh private directory for socket files
// (Rust's tempfile::tempdir), removed with its contents when destroyed.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace uds_test {

class TempDir {
 public:
  TempDir() {
    // Short: a socket path must fit in sun_path (108 bytes).
    std::string pattern = (std::filesystem::temp_directory_path() / "tokio-uds-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path join(const char* name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace uds_test
