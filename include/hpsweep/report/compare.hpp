#pragma once
/// Two sweeps side by side (`hpsweep compare a.h5 b.h5`): the same grid run on two data sets, with
/// another optimizer, another precision or another hpsweep version. Configurations are matched on
/// the settings that vary in either file; settings that are constant in each file but differ
/// between them are what tells the two sweeps apart, and are listed as such.

#include <optional>
#include <string>
#include <vector>

#include "hpsweep/search/rank.hpp"
#include "hpsweep/search/spec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::report {

/// A setting that has one value throughout each file, but not the same one.
struct SweepDifference {
  std::string setting;
  std::string left;   ///< its value in the first file, as text
  std::string right;  ///< in the second
};

/// One configuration (one combination of the matched settings) and its ranking in each file.
struct ComparedConfig {
  search::Assignment key;                     ///< the matched settings' values
  std::optional<search::RankedConfig> left;   ///< absent: the first file has no such configuration
  std::optional<search::RankedConfig> right;
};

struct Comparison {
  std::vector<std::string> matched_on;       ///< settings varying in either file, in the files' order
  std::vector<SweepDifference> differences;  ///< settings constant in each file but different
  bool data_differs = false;                 ///< the data fingerprints differ
  /// One fingerprint is of an earlier hpsweep's kind (data::is_legacy_fingerprint): whether the
  /// data differs cannot be told.
  bool fingerprint_kinds_differ = false;
  /// Ranked in the first file first (in its order), then those only in the second (in its order).
  std::vector<ComparedConfig> configs;
  int in_both = 0;  ///< configurations ranked in both files
  /// Spearman's rank correlation of the two rankings over the configurations ranked in both
  /// (1: the sweeps order them the same way); NaN when fewer than 3 are.
  double rank_correlation = 0.0;
};

/// Matches the configurations of `left` and `right` (each ranked by its own sweep's metric).
/// Throws core::ConfigError naming both files when their settings columns differ or their
/// sweeps rank by different metrics or goals: such sweeps cannot be put side by side.
[[nodiscard]] Comparison compare_results(const store::Results& left, const search::SweepSpec& left_spec,
                                         const store::Results& right, const search::SweepSpec& right_spec,
                                         const std::string& left_name, const std::string& right_name);

}  // namespace hpsweep::report
