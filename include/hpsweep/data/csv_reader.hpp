#pragma once
/// Reading a labelled data set from a CSV file with a header row.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/data/decimal_codes.hpp"

namespace hpsweep::data {

/// The size of the blocks a CSV file is read in.
inline constexpr std::size_t kCsvBlockBytes = std::size_t{4} << 20;

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

/// read_csv with the features held as `codes`'s codes (4 bytes each for short decimals, which decode
/// to read_csv's values to the bit). Throws DecimalCodes::NotCompact, once it is clear, for text
/// that is not short decimals; reads blocks of `block_bytes` (0 is taken as 1).
[[nodiscard]] CodedDataset read_csv_coded(const std::string& path, const CsvOptions& options, DecimalCodes& codes,
                                          std::size_t block_bytes = kCsvBlockBytes);

/// Same, from text already in memory; `origin` names it in messages (used by tests).
[[nodiscard]] Dataset parse_csv(const std::string& text, const std::string& origin,
                                const CsvOptions& options);
/// read_csv_coded from text already in memory (used by tests).
[[nodiscard]] CodedDataset parse_csv_coded(const std::string& text, const std::string& origin,
                                           const CsvOptions& options, DecimalCodes& codes);

}  // namespace hpsweep::data
