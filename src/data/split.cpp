#include "hpsweep/data/split.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
#include "hpsweep/core/system.hpp"

namespace hpsweep::data {
namespace {

/// Sample indices grouped by class (one group for regression), each in file order.
template <typename Scalar>
std::vector<std::vector<Eigen::Index>> strata(const BasicDataset<Scalar>& all) {
  if (all.task == Task::kRegression) {
    std::vector<Eigen::Index> every(static_cast<std::size_t>(all.num_samples()));
    for (std::size_t i = 0; i < every.size(); ++i) every[i] = static_cast<Eigen::Index>(i);
    return {every};
  }
  std::vector<std::vector<Eigen::Index>> groups(static_cast<std::size_t>(all.num_classes()));
  for (Eigen::Index i = 0; i < all.num_samples(); ++i) {
    groups[static_cast<std::size_t>(all.target(i))].push_back(i);
  }
  return groups;
}

void check_fractions(const SplitFractions& f, const std::string& origin) {
  const bool valid = f.val >= 0.0 && f.test >= 0.0 && f.val + f.test < 1.0 && std::isfinite(f.val) &&
                     std::isfinite(f.test);
  if (!valid) {
    throw core::ConfigError(origin + ": split fractions val=" + std::to_string(f.val) +
                            " test=" + std::to_string(f.test) +
                            " are impossible; each must be >= 0 and together < 1");
  }
}

/// The samples of each split, each list in file order.
struct SplitIndices {
  std::vector<Eigen::Index> train, val, test;
};

template <typename Scalar>
SplitIndices split_indices(const BasicDataset<Scalar>& all, SplitFractions fractions, std::uint64_t seed) {
  check_fractions(fractions, all.origin);
  core::Rng rng(core::derive_seed(seed, {0x5117}));
  std::vector<Eigen::Index> train, val, test;
  auto groups = strata(all);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto& group = groups[g];
    core::shuffle(group, rng);
    const auto n = static_cast<double>(group.size());
    const auto n_val = static_cast<std::size_t>(std::llround(n * fractions.val));
    const auto n_test = static_cast<std::size_t>(std::llround(n * fractions.test));
    if (all.task != Task::kRegression && n_val + n_test >= group.size()) {
      std::ostringstream label;
      label << all.class_values[g];
      throw core::DataError(all.origin + ": class " + label.str() + " has " + std::to_string(group.size()) +
                            " rows, too few to keep one for training after the validation/test split; "
                            "give more rows, smaller fractions or separate validation/test files (val:/test: in a sweep file, --val/--test for hpsweep train)");
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      (i < n_val ? val : i < n_val + n_test ? test : train).push_back(group[i]);
    }
  }
  const bool too_few = train.size() < 2 || (fractions.val > 0 && val.empty()) ||
                       (fractions.test > 0 && test.empty());
  if (too_few) {
    throw core::DataError(all.origin + ": " + std::to_string(all.num_samples()) +
                          " rows are too few to split into train/val/test with fractions " +
                          std::to_string(fractions.val) + "/" + std::to_string(fractions.test) +
                          "; give more rows or separate validation/test files (val:/test: in a sweep file, --val/--test for hpsweep train)");
  }
  for (auto* part : {&train, &val, &test}) std::sort(part->begin(), part->end());
  return SplitIndices{std::move(train), std::move(val), std::move(test)};
}

}  // namespace

Splits split_dataset(const Dataset& all, SplitFractions fractions, std::uint64_t seed) {
  const SplitIndices parts = split_indices(all, fractions, seed);
  return Splits{all.subset(parts.train), all.subset(parts.val), all.subset(parts.test)};
}

template <typename Scalar>
BasicSplits<Scalar> split_dataset(BasicDataset<Scalar>&& all, SplitFractions fractions, std::uint64_t seed) {
  const SplitIndices parts = split_indices(all, fractions, seed);
  BasicSplits<Scalar> splits;
  splits.val = all.subset(parts.val);
  splits.test = all.subset(parts.test);
  // Training keeps most samples: compact them in place (sorted, so each column moves to a lower or
  // equal index) and shrink, instead of copying them; the values are the same bits either way.
  const auto kept = static_cast<Eigen::Index>(parts.train.size());
  for (Eigen::Index i = 0; i < kept; ++i) {
    const Eigen::Index from = parts.train[static_cast<std::size_t>(i)];
    if (from == i) continue;
    all.features.col(i) = all.features.col(from);
    all.target(i) = all.target(from);
  }
  all.features.conservativeResize(Eigen::NoChange, kept);  // a shrinking realloc: no copy of the kept part
  all.target.conservativeResize(kept);
  splits.train = std::move(all);
  return splits;
}

template Splits split_dataset(Dataset&&, SplitFractions, std::uint64_t);
template Splits32 split_dataset(Dataset32&&, SplitFractions, std::uint64_t);
template CodedSplits split_dataset(CodedDataset&&, SplitFractions, std::uint64_t);

namespace {

/// The scale of centered features: their standard deviation, 1 where a feature is constant.
Eigen::VectorXd scale_of(const Eigen::MatrixXd& centered) {
  // Summed from a centered matrix, never from the lazy expression `features - mean`: that sums in
  // another order, which changes the last bits of the scale, hence of every standardized value
  // and of the fingerprint results files record.
  const double n = static_cast<double>(centered.cols());
  Eigen::VectorXd scale = (centered.array().square().rowwise().sum() / n).sqrt().matrix();
  for (Eigen::Index f = 0; f < scale.size(); ++f) {
    if (!(scale(f) > 1e-12)) scale(f) = 1.0;
  }
  return scale;
}

}  // namespace

Standardizer Standardizer::fit(const Dataset& train) {
  Standardizer s;
  s.mean = train.features.rowwise().mean();
  Eigen::MatrixXd centered(train.features.rows(), train.features.cols());
  core::prefer_huge_pages(centered.data(), sizeof(double) * static_cast<std::size_t>(centered.size()));
  centered = train.features.colwise() - s.mean;
  s.scale = scale_of(centered);
  return s;
}

namespace {

/// Standardizer::fit of the float64 values widen(features.middleRows(...), block) puts in block,
/// to the bit, without a float64 copy of them all.
template <typename Features, typename Widen>
Standardizer fit_by_panels(const Features& features, const Widen& widen) {
  // fit() on a float64 matrix reduces along each row, in panels of Eigen's packet size (one
  // packet of rows at a time, the columns in a fixed order) and then each remaining row alone. A
  // float64 block of exactly one panel's rows (or of the remaining rows) goes through the same
  // code in the same order, so the statistics are the same bits (tests Standardizer.*FitGivesTheBitsOfFloat64Fit).
  constexpr Eigen::Index kPanel = Eigen::internal::packet_traits<double>::size;
  const Eigen::Index rows = features.rows();
  const Eigen::Index full_panels_end = rows - rows % kPanel;
  Standardizer s;
  s.mean.resize(rows);
  s.scale.resize(rows);
  Eigen::MatrixXd block;
  for (Eigen::Index r = 0; r < rows;) {
    const Eigen::Index count = r < full_panels_end ? kPanel : rows - r;
    widen(features.middleRows(r, count), block);
    const Eigen::VectorXd mean = block.rowwise().mean();
    block.colwise() -= mean;
    s.mean.segment(r, count) = mean;
    s.scale.segment(r, count) = scale_of(block);
    r += count;
  }
  return s;
}

}  // namespace

Standardizer Standardizer::fit(const Dataset32& train) {
  return fit_by_panels(train.features, [](const auto& rows, Eigen::MatrixXd& block) { block = rows.template cast<double>(); });
}

Standardizer Standardizer::fit(const CodedDataset& train, const DecimalCodes& codes) {
  return fit_by_panels(train.features, [&codes](const auto& rows, Eigen::MatrixXd& block) { codes.decode(rows, block); });
}

Standardizer Standardizer::fit_and_apply(Dataset& train) {
  Standardizer s;
  s.mean = train.features.rowwise().mean();
  // Centered in place: the values fit's copy would hold, without a second matrix of the
  // training split's size (640 MB of fresh pages at 1M x 100); x - mean, then / scale, is
  // exactly what apply computes.
  train.features.colwise() -= s.mean;
  s.scale = scale_of(train.features);
  train.features.array().colwise() /= s.scale.array();
  return s;
}

void Standardizer::apply(Dataset& dataset) const {
  if (dataset.num_samples() == 0) return;
  dataset.features = ((dataset.features.colwise() - mean).array().colwise() / scale.array()).matrix();
}

Standardizer standardize(Splits& splits) {
  Standardizer s = Standardizer::fit_and_apply(splits.train);
  s.apply(splits.val);
  s.apply(splits.test);
  return s;
}

}  // namespace hpsweep::data
