#pragma once
/// Helpers shared by the test binaries: a temporary directory removed at the end of the test,
/// files in it, and the message of an expected error.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace hpsweep::testing {

/// A fresh directory under the system temporary directory; removed with its content on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() / ("hpsweep_test_" + std::to_string(::getpid()) + "_" +
                                                      std::to_string(counter++) + "_" + std::to_string(stamp));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  /// The path of `name` inside the directory (the file is not created).
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

  /// Writes `text` to `name` inside the directory (directories created) and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto target = path_ / name;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary);
    out << text;
    out.close();
    EXPECT_TRUE(out) << "cannot write " << target;
    return target.string();
  }

 private:
  std::filesystem::path path_;
};

/// Runs `f` and returns the message of the `Error` it throws; a test failure when it throws none.
/// Any other exception type escapes, which fails the test too.
template <typename Error, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception, none was thrown";
  return {};
}

}  // namespace hpsweep::testing
