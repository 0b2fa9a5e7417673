#pragma once
/// Helpers of the search tests: the message of an expected ConfigError, a temporary directory,
/// and the example sweep file of the product requirements.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "../common/test_util.hpp"
#include "hpsweep/core/error.hpp"

namespace hpsweep::search::testing {

/// The message of the core::ConfigError that `action` throws; fails the test if none is thrown.
inline std::string config_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const core::ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a core::ConfigError";
  return "";
}

/// Number of lines of a message (one problem per line).
inline int count_lines(const std::string& text) {
  if (text.empty()) return 0;
  int lines = 1;
  for (char c : text) lines += c == '\n';
  return lines;
}

using hpsweep::testing::TempDir;

/// The sweep file of issue 3, verbatim (grid with a log-uniform l2, which grid cannot enumerate).
inline constexpr const char* kIssueExample = R"(name: overfitting
method: grid                 # grid | random
metric: {name: val_loss, goal: minimize}
seed: 7
repeats: 3                   # seeds per configuration (default 1)
run_cap: 200                 # random: number of configurations (required for random)
data: {source: csv, train: data/train.csv, val: data/val.csv, target: y}
fixed: {epochs: 50, optimizer: adam, depth: 1, early_stopping: {patience: 10}}
parameters:
  dropout:    {values: [0.0, 0.25, 0.5]}
  l2:         {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1}
  lr:         {values: [0.001, 0.01]}
  batch_size: {values: [32, 128]}
  width:      {value: 128}
)";

/// kIssueExample with `method: grid` replaced by `method: random`.
inline std::string random_example() {
  std::string text = kIssueExample;
  text.replace(text.find("method: grid"), 12, "method: random");
  return text;
}

/// kIssueExample with l2 given as values, so that it is a valid grid (3 x 3 x 2 x 2 x 1 = 36 configs).
inline std::string grid_example() {
  std::string text = kIssueExample;
  const std::string l2 = "{distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1}";
  text.replace(text.find(l2), l2.size(), "{values: [0.0, 1.0e-4, 1.0e-2]}");
  return text;
}

}  // namespace hpsweep::search::testing
