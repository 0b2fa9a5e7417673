#pragma once
/// The built-in data set of the overfitting study, so examples run with no files at all.

#include <cstdint>

#include "hpsweep/data/dataset.hpp"

namespace hpsweep::data {

/// Sizes, noise and seed of the synthetic set.
struct SyntheticOptions {
  int features = 10;        ///< standard-normal inputs
  int train = 1000;         ///< training samples
  int val = 1000;           ///< validation samples
  int test = 0;             ///< test samples
  double label_noise = 0.2; ///< share of labels flipped at random
  std::uint64_t seed = 0;
};

/// A binary task: y = 1 when a nonlinear score of the first features (products, squares and a
/// sine) is positive, then a share `label_noise` of labels flipped. An MLP of width 128 fits the
/// flipped labels after a few epochs, which is what makes its validation loss rise.
[[nodiscard]] Splits make_synthetic(const SyntheticOptions& options);

}  // namespace hpsweep::data
