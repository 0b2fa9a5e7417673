#pragma once
/// Reading a labelled data set from a CSV file with a header row.

#include <optional>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"

namespace hpsweep::data {

/// How to read a CSV file.
struct CsvOptions {
  std::string target;               ///< target column name; empty: the last column
  std::optional<Task> task;         ///< empty: inferred from the target column
  std::optional<std::vector<double>> classes;  ///< class labels fixed by another split
  /// When `target` is not a column: every column is a feature and the target stays empty (the
  /// data to predict on), instead of an error.
  bool target_optional = false;
};

/// Reads `path`. Every cell must be a finite number; errors name the file, line and column
/// (e.g. "train.csv:12: column 3 ('age'): not a number: 'abc'") and throw core::DataError.
[[nodiscard]] Dataset read_csv(const std::string& path, const CsvOptions& options);

/// Same, from text already in memory; `origin` names it in messages (used by tests).
[[nodiscard]] Dataset parse_csv(const std::string& text, const std::string& origin,
                                const CsvOptions& options);

}  // namespace hpsweep::data
