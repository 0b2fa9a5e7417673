#pragma once
// Private: collects every problem of a sweep file with its place, then throws them together.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace hpsweep::search::detail {

/// Problems of one file, each `file:line:col: message` (1-based line and column).
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  /// Records a problem at `mark`; a null mark (no place known) prints the file name alone.
  void add(const YAML::Mark& mark, std::string message);
  /// Records a problem at the place of `node`.
  void add(const YAML::Node& node, std::string message) { add(node.Mark(), std::move(message)); }

  /// `file:line:col` of a mark.
  [[nodiscard]] std::string place(const YAML::Mark& mark) const;
  [[nodiscard]] bool empty() const noexcept { return problems_.empty(); }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

  /// Throws one core::ConfigError listing every problem in file order, one per line.
  void throw_if_any() const;

 private:
  struct Problem {
    int line;
    int column;
    std::string text;
  };
  std::string file_;
  std::vector<Problem> problems_;
};

}  // namespace hpsweep::search::detail
