#pragma once
/// The built-in data set of the overfitting study, so examples run with no files at all.

#include <cstdint>

#include "hpsweep/data/dataset.hpp"

namespace hpsweep::data {

/// Sizes, noise and seed of the synthetic set.
struct SyntheticOptions {
  int features = 10;        ///< standard-normal inputs
  int train = 500;          ///< training samples
  int val = 1000;           ///< validation samples
  int test = 0;             ///< test samples
  double label_noise = 0.2; ///< share of labels flipped at random
  std::uint64_t seed = 0;
};

/// A binary task: y = 1 when x0·x1 + x2 + 0.5·x3 > 0 (an XOR-like product, so no linear model
/// solves it, plus a linear part that is learned first), then a share `label_noise` of labels
/// flipped at random; the other features are pure noise. With the defaults, an MLP of width 128
/// (Adam, lr 0.001, batch 32) learns the rule within ~25 epochs and then fits the flipped labels,
/// which is what makes its validation loss rise.
[[nodiscard]] Splits make_synthetic(const SyntheticOptions& options);

}  // namespace hpsweep::data
