#pragma once
/// Reading a labelled data set from a CSV file with a header row.

#include <cstddef>
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
/// The file is read twice in blocks (the first pass counts the rows, the second parses them into the
/// features matrix, allocated once), so memory is the Dataset plus one block, never a copy of the text.
/// A line longer than 64 MiB (give or take a block) throws core::DataError naming its line; so does a
/// file that gains or loses rows, or changes its header, between the two passes.
[[nodiscard]] Dataset read_csv(const std::string& path, const CsvOptions& options);

/// Same, reading blocks of `block_bytes` (0 is taken as 1) instead of the default 4 MiB: for tests,
/// so that lines and cells straddle block boundaries. The result does not depend on the block size.
[[nodiscard]] Dataset read_csv(const std::string& path, const CsvOptions& options, std::size_t block_bytes);

/// Same, from text already in memory; `origin` names it in messages (used by tests).
[[nodiscard]] Dataset parse_csv(const std::string& text, const std::string& origin,
                                const CsvOptions& options);

}  // namespace hpsweep::data
