#pragma once
/// Seeded stratified splits and standardization fitted on the training split only.

#include <cstdint>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/data/decimal_codes.hpp"

namespace hpsweep::data {

/// Fractions of one file held out for validation and test; the rest trains.
struct SplitFractions {
  double val = 0.2;
  double test = 0.0;
};

/// Splits `all` into train/val/test. Classification is stratified (each class split in the same
/// proportions); the order within each split is the file order. The same seed gives the same split.
/// Throws core::DataError when a split (or a class's share of training) would be empty, and
/// core::ConfigError when the fractions are impossible.
[[nodiscard]] Splits split_dataset(const Dataset& all, SplitFractions fractions, std::uint64_t seed);
/// The same splits, bit for bit, taking `all`'s memory for the training split instead of copying
/// it (a large data set is then held about once, not twice); float64 or float32 features.
template <typename Scalar>
[[nodiscard]] BasicSplits<Scalar> split_dataset(BasicDataset<Scalar>&& all, SplitFractions fractions, std::uint64_t seed);

/// Per-feature mean and standard deviation of a training split.
struct Standardizer {
  Eigen::VectorXd mean;
  Eigen::VectorXd scale;  ///< standard deviation; 1 where a feature is constant

  [[nodiscard]] static Standardizer fit(const Dataset& train);
  /// fit() of the same values held in float64, to the bit, without a float64 copy of them all
  /// (one block of Eigen's reduction panel's rows at a time).
  [[nodiscard]] static Standardizer fit(const Dataset32& train);
  /// fit() of the values `codes` decodes `train`'s codes to, to the bit, without a float64 copy of them all.
  [[nodiscard]] static Standardizer fit(const CodedDataset& train, const DecimalCodes& codes);
  /// fit(train), then apply(train), to the same bits, in train's own memory.
  [[nodiscard]] static Standardizer fit_and_apply(Dataset& train);
  void apply(Dataset& dataset) const;
};

/// Fits a Standardizer on splits.train, applies it to all three splits and returns it.
Standardizer standardize(Splits& splits);

}  // namespace hpsweep::data
