#include "hpsweep/data/synthetic.hpp"

#include <cmath>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"

namespace hpsweep::data {
namespace {

/// The noiseless decision function; uses the first four features, the others are noise.
double score(const Eigen::VectorXd& x) {
  auto at = [&](Eigen::Index i) { return i < x.size() ? x(i) : 0.0; };
  return at(0) * at(1) + at(2) + 0.5 * at(3);
}

Dataset draw(const SyntheticOptions& o, int samples, std::uint64_t stream) {
  core::Rng rng(core::derive_seed(o.seed, {0x5e7, stream}));
  Dataset d;
  d.origin = "synthetic";
  d.target_name = "y";
  d.task = Task::kBinary;
  d.class_values = {0.0, 1.0};
  for (int f = 0; f < o.features; ++f) d.feature_names.push_back("x" + std::to_string(f));
  d.features.resize(o.features, samples);
  d.target.resize(samples);
  for (int i = 0; i < samples; ++i) {
    for (int f = 0; f < o.features; ++f) d.features(f, i) = rng.normal();
    const bool positive = score(d.features.col(i)) > 0.0;
    const bool flipped = rng.uniform() < o.label_noise;
    d.target(i) = (positive != flipped) ? 1.0 : 0.0;
  }
  return d;
}

}  // namespace

Splits make_synthetic(const SyntheticOptions& o) {
  if (o.features < 1 || o.train < 2 || o.val < 1 || o.test < 0 || !(o.label_noise >= 0.0) ||
      !(o.label_noise < 0.5)) {
    throw core::ConfigError(
        "synthetic data: need features >= 1, train >= 2, val >= 1, test >= 0 and label_noise in "
        "[0, 0.5)");
  }
  return Splits{draw(o, o.train, 0), draw(o, o.val, 1), draw(o, o.test, 2)};
}

}  // namespace hpsweep::data
