#pragma once
/// Where a problem's data comes from, and turning that into standardized splits.

#include <cstdint>
#include <optional>
#include <string>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/data/split.hpp"
#include "hpsweep/data/synthetic.hpp"

namespace hpsweep::data {

enum class SourceKind { kSynthetic, kCsv, kHdf5 };

/// A data source: the synthetic set, or files (CSV or HDF5) with either separate validation
/// (and test) files or fractions of the training file.
struct DataSource {
  SourceKind kind = SourceKind::kSynthetic;
  SyntheticOptions synthetic;
  std::string train;                 ///< file path
  std::string val;                   ///< empty: split from train by fractions
  std::string test;                  ///< empty: from fractions (or none)
  std::string target;                ///< CSV: target column (empty: last); HDF5: see hdf5 paths
  std::optional<Task> task;          ///< empty: inferred from the training file
  std::string features_path = "X";   ///< HDF5 only
  std::string target_path = "y";     ///< HDF5 only
  SplitFractions fractions;
  std::uint64_t split_seed = 0;
};

/// The kind of a data file from its content (HDF5 signature) or else CSV. Throws core::DataError
/// for a path that exists and is not a regular file.
[[nodiscard]] SourceKind detect_kind(const std::string& path);

/// Throws core::DataError naming `path` when it exists and is not a regular file (a directory,
/// FIFO or device would block or never end a read).
void check_regular_file(const std::string& path);

/// Loads the source, splits it if needed and standardizes every split with statistics of the
/// training split (returned in `fitted` when given: a saved model needs it to predict).
/// Throws core::DataError (or ConfigError) with file and place on bad input.
[[nodiscard]] Splits load_splits(const DataSource& source, Standardizer* fitted = nullptr);

/// The same splits in the file's own units, before standardization (`hpsweep split` writes them).
[[nodiscard]] Splits load_raw_splits(const DataSource& source);

/// Standardized splits held in float32 only, and the fingerprint of the float64 splits they round.
struct Float32Splits {
  Splits32 splits;
  Standardizer standardizer;
  std::string fingerprint;
};

/// load_splits for trials that all train in float32, holding the data once, in float32 (400 MB
/// instead of 800 for 1M x 100): each value is load_splits's rounded to float, as those trials
/// read it, and `fingerprint` is fingerprint (legacy_fingerprint with `legacy_kind`) of
/// load_splits's splits, to the bit. For HDF5 files whose features are all float32, and CSV files
/// of short decimals (held as DecimalCodes until standardized: read_csv_coded). Empty for the
/// rest (float64 HDF5, 17-digit CSV values, the synthetic set): their values need float64 to
/// standardize to the same bits, and they keep load_splits's path.
[[nodiscard]] std::optional<Float32Splits> load_float32_splits(const DataSource& source, bool legacy_kind);

}  // namespace hpsweep::data

namespace hpsweep::data {

/// A short hash of every value of the standardized splits: equal data gives an equal
/// fingerprint, so a resumed sweep can check it trains on the same data. "xxh3:" and 16 hex
/// digits (XXH3-64, at memory speed: 40 ms for 1M x 100).
[[nodiscard]] std::string fingerprint(const Splits& splits);

/// The fingerprint of hpsweep before "xxh3:" (16 hex digits, FNV-1a 64 over the same bytes;
/// 0.85 s for 1M x 100, a byte at a time). Results files written then record it; a sweep that
/// resumes one keeps it, so that the file's identity does not change.
[[nodiscard]] std::string legacy_fingerprint(const Splits& splits);

/// Whether a recorded fingerprint is legacy_fingerprint's kind.
[[nodiscard]] bool is_legacy_fingerprint(const std::string& recorded);

/// The fingerprint of `splits` of the kind `recorded` is: equal to it when the data is the same.
[[nodiscard]] std::string fingerprint_like(const std::string& recorded, const Splits& splits);

}  // namespace hpsweep::data
