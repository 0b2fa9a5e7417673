#include "hpsweep/data/split.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
#include "test_util.hpp"

namespace hpsweep::data {
namespace {

using ::testing::HasSubstr;
using testing::message_of;

/// A classification set whose classes have the given sizes, interleaved in file order. Feature 0 is
/// the row number (an id to follow rows through a split), feature 1 the class label times ten.
Dataset classified(const std::vector<int>& class_sizes) {
  std::vector<int> labels;
  std::vector<int> left = class_sizes;
  while (std::any_of(left.begin(), left.end(), [](int n) { return n > 0; })) {
    for (std::size_t c = 0; c < left.size(); ++c) {
      if (left[c]-- > 0) labels.push_back(static_cast<int>(c));
    }
  }
  Dataset d;
  d.origin = "mem.csv";
  d.target_name = "y";
  d.feature_names = {"id", "tenfold"};
  d.task = class_sizes.size() == 2 ? Task::kBinary : Task::kMulticlass;
  for (std::size_t c = 0; c < class_sizes.size(); ++c) d.class_values.push_back(static_cast<double>(c));
  const auto n = static_cast<Eigen::Index>(labels.size());
  d.features.resize(2, n);
  d.target.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    d.features(0, i) = static_cast<double>(i);
    d.features(1, i) = 10.0 * labels[static_cast<std::size_t>(i)];
    d.target(i) = labels[static_cast<std::size_t>(i)];
  }
  return d;
}

/// A regression set of `n` rows; feature 0 is the row number, the target its square.
Dataset regression(int n) {
  Dataset d;
  d.origin = "reg.csv";
  d.task = Task::kRegression;
  d.features.resize(1, n);
  d.target.resize(n);
  for (int i = 0; i < n; ++i) {
    d.features(0, i) = i;
    d.target(i) = static_cast<double>(i) * i;
  }
  return d;
}

std::vector<int> ids(const Dataset& d) {
  std::vector<int> out;
  for (Eigen::Index i = 0; i < d.num_samples(); ++i) out.push_back(static_cast<int>(d.features(0, i)));
  return out;
}

int count_class(const Dataset& d, int c) {
  return static_cast<int>(std::count(d.target.begin(), d.target.end(), static_cast<double>(c)));
}

void expect_same(const Dataset& a, const Dataset& b) {
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.target, b.target);
}

TEST(SplitDataset, SameSeedGivesSameSplit) {
  const Dataset all = classified({60, 40});
  const Splits a = split_dataset(all, {0.2, 0.1}, 42);
  const Splits b = split_dataset(all, {0.2, 0.1}, 42);
  expect_same(a.train, b.train);
  expect_same(a.val, b.val);
  expect_same(a.test, b.test);
}

TEST(SplitDataset, OtherSeedGivesOtherSplit) {
  const Dataset all = classified({60, 40});
  const Splits a = split_dataset(all, {0.2, 0.1}, 42);
  const Splits b = split_dataset(all, {0.2, 0.1}, 43);
  EXPECT_EQ(a.val.num_samples(), b.val.num_samples());
  EXPECT_NE(ids(a.val), ids(b.val));
  EXPECT_NE(ids(a.test), ids(b.test));
}

TEST(SplitDataset, SplitsAreDisjointCoverAllRowsAndKeepFileOrder) {
  const Dataset all = classified({37, 61, 102});
  for (std::uint64_t seed : {0u, 1u, 7u, 12345u}) {
    const Splits s = split_dataset(all, {0.2, 0.15}, seed);
    std::vector<int> every;
    for (const Dataset* part : {&s.train, &s.val, &s.test}) {
      const std::vector<int> part_ids = ids(*part);
      EXPECT_TRUE(std::is_sorted(part_ids.begin(), part_ids.end())) << "seed " << seed;
      every.insert(every.end(), part_ids.begin(), part_ids.end());
      // Each row keeps its own target and its other features.
      for (Eigen::Index i = 0; i < part->num_samples(); ++i) {
        const auto row = static_cast<Eigen::Index>(part_ids[static_cast<std::size_t>(i)]);
        EXPECT_EQ(part->target(i), all.target(row));
        EXPECT_EQ(part->features(1, i), all.features(1, row));
      }
      EXPECT_EQ(part->class_values, all.class_values);
      EXPECT_EQ(part->task, all.task);
      EXPECT_EQ(part->feature_names, all.feature_names);
    }
    std::sort(every.begin(), every.end());
    std::vector<int> expected(static_cast<std::size_t>(all.num_samples()));
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(every, expected) << "seed " << seed;
  }
}

TEST(SplitDataset, IsStratified) {
  const std::vector<int> sizes = {37, 61, 102};
  const Dataset all = classified(sizes);
  const double val = 0.2, test = 0.15;
  for (std::uint64_t seed : {0u, 3u, 99u}) {
    const Splits s = split_dataset(all, {val, test}, seed);
    for (int c = 0; c < 3; ++c) {
      const double n = sizes[static_cast<std::size_t>(c)];
      EXPECT_NEAR(count_class(s.val, c), n * val, 1.0) << "class " << c << " seed " << seed;
      EXPECT_NEAR(count_class(s.test, c), n * test, 1.0) << "class " << c << " seed " << seed;
      EXPECT_NEAR(count_class(s.train, c), n * (1 - val - test), 1.0) << "class " << c << " seed " << seed;
    }
  }
}

TEST(SplitDataset, RegressionSplitsByFraction) {
  const Splits s = split_dataset(regression(50), {0.2, 0.0}, 5);
  EXPECT_EQ(s.val.num_samples(), 10);
  EXPECT_EQ(s.train.num_samples(), 40);
  EXPECT_EQ(s.test.num_samples(), 0);
  EXPECT_EQ(s.test.num_features(), 1);
  for (Eigen::Index i = 0; i < s.val.num_samples(); ++i) {
    EXPECT_EQ(s.val.target(i), s.val.features(0, i) * s.val.features(0, i));
  }
}

TEST(SplitDataset, AClassWithNoTrainingRowIsADataError) {
  // Class 1 has 2 rows; 0.3 + 0.3 of 2 rounds to 1 + 1, leaving none to train on.
  const std::string msg = message_of<core::DataError>([] { (void)split_dataset(classified({40, 2}), {0.3, 0.3}, 0); });
  EXPECT_THAT(msg, HasSubstr("class 1 has 2 rows"));
}

TEST(SplitDataset, TooFewRowsIsADataError) {
  // 3 rows: 10% of 3 rounds to no validation row.
  const std::string msg = message_of<core::DataError>([] { (void)split_dataset(regression(3), {0.1, 0.0}, 0); });
  EXPECT_THAT(msg, HasSubstr("reg.csv: 3 rows are too few"));
  // 2 rows, half for validation: one training row is not enough.
  EXPECT_THROW((void)split_dataset(regression(2), {0.5, 0.0}, 0), core::DataError);
  // Enough for validation but no test row.
  EXPECT_THROW((void)split_dataset(regression(5), {0.4, 0.05}, 0), core::DataError);
}

TEST(SplitDataset, ImpossibleFractionsAreAConfigError) {
  const Dataset all = regression(100);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const SplitFractions f : {SplitFractions{1.0, 0.0}, SplitFractions{0.6, 0.4}, SplitFractions{0.7, 0.5},
                                 SplitFractions{-0.1, 0.0}, SplitFractions{0.2, -0.1}, SplitFractions{nan, 0.0},
                                 SplitFractions{0.2, inf}}) {
    const std::string msg = message_of<core::ConfigError>([&] { (void)split_dataset(all, f, 0); });
    EXPECT_THAT(msg, HasSubstr("reg.csv: split fractions")) << f.val << " " << f.test;
  }
}

/// Population mean and standard deviation of each row.
void row_stats(const Eigen::MatrixXd& m, Eigen::VectorXd& mean, Eigen::VectorXd& sd) {
  const auto n = static_cast<double>(m.cols());
  mean = m.rowwise().mean();
  sd = ((m.colwise() - mean).array().square().rowwise().sum() / n).sqrt().matrix();
}

TEST(Standardizer, HandComputedValuesAndConstantFeature) {
  Splits s;
  s.train.features.resize(2, 4);
  s.train.features << 1, 2, 3, 4,  //
      5, 5, 5, 5;                  // constant
  s.train.target = Eigen::VectorXd::Zero(4);
  s.val.features.resize(2, 2);
  s.val.features << 6, 0,  //
      7, 5;
  s.val.target = Eigen::VectorXd::Zero(2);
  s.test.features.resize(2, 0);

  const Standardizer fitted = Standardizer::fit(s.train);
  EXPECT_DOUBLE_EQ(fitted.mean(0), 2.5);
  EXPECT_DOUBLE_EQ(fitted.mean(1), 5.0);
  EXPECT_DOUBLE_EQ(fitted.scale(0), std::sqrt(1.25));  // sqrt(((1.5^2 + 0.5^2) * 2) / 4)
  EXPECT_DOUBLE_EQ(fitted.scale(1), 1.0);

  standardize(s);
  const double sd = std::sqrt(1.25);
  EXPECT_DOUBLE_EQ(s.train.features(0, 0), -1.5 / sd);
  EXPECT_DOUBLE_EQ(s.train.features(0, 3), 1.5 / sd);
  for (Eigen::Index i = 0; i < 4; ++i) EXPECT_EQ(s.train.features(1, i), 0.0);
  EXPECT_TRUE(s.train.features.allFinite());
  // Validation uses the training statistics, not its own.
  EXPECT_DOUBLE_EQ(s.val.features(0, 0), 3.5 / sd);
  EXPECT_DOUBLE_EQ(s.val.features(0, 1), -2.5 / sd);
  EXPECT_DOUBLE_EQ(s.val.features(1, 0), 2.0);
  EXPECT_DOUBLE_EQ(s.val.features(1, 1), 0.0);
  EXPECT_EQ(s.test.num_samples(), 0);
}

// standardize() centers the training split in place instead of in a copy: the scale and every
// value must be those of fit() then apply(), to the bit, since results files record a
// fingerprint of them and a resumed sweep checks it. Odd sizes and large offsets exercise both
// the vectorized rows and the tail, and rounding in the subtraction.
TEST(Standardizer, InPlaceGivesTheBitsOfFitThenApply) {
  core::Rng rng(99);
  Dataset train;
  train.features.resize(21, 1003);
  for (Eigen::Index j = 0; j < train.features.cols(); ++j) {
    for (Eigen::Index i = 0; i < train.features.rows(); ++i) {
      train.features(i, j) = 1e4 * static_cast<double>(i) + rng.normal() * (1.0 + static_cast<double>(i % 5));
    }
  }
  train.features.row(7).setConstant(3.25);  // a constant feature: scale 1
  Dataset copied = train;
  const Standardizer reference = Standardizer::fit(copied);
  reference.apply(copied);
  const Standardizer in_place = Standardizer::fit_and_apply(train);
  EXPECT_EQ(in_place.mean, reference.mean);
  EXPECT_EQ(in_place.scale, reference.scale);
  EXPECT_EQ(in_place.scale(7), 1.0);
  EXPECT_TRUE(train.features == copied.features) << "largest difference "
                                                  << (train.features - copied.features).cwiseAbs().maxCoeff();
}

// A float32 sweep of float32 data fits its statistics without a float64 copy of the training
// split (one block of rows at a time); they must be fit()'s on the same values widened to
// float64, to the bit, whatever the number of features (panels of Eigen's packet size and the
// rows after them) and samples (the 4-way unrolled column loop and its tail).
TEST(Standardizer, Float32FitGivesTheBitsOfFloat64Fit) {
  core::Rng rng(7);
  for (const Eigen::Index rows : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 31, 33, 100}) {
    for (const Eigen::Index cols : {1, 2, 3, 4, 5, 6, 9, 13, 64, 1001}) {
      Dataset32 narrow;
      narrow.features.resize(rows, cols);
      for (Eigen::Index j = 0; j < cols; ++j) {
        for (Eigen::Index i = 0; i < rows; ++i) {
          narrow.features(i, j) = static_cast<float>(1e3 * static_cast<double>(i % 4) + rng.normal() * (1.0 + static_cast<double>(i % 5)));
        }
      }
      if (rows > 2) narrow.features.row(1).setConstant(-2.5F);  // a constant feature: scale 1
      Dataset wide;
      wide.features = narrow.features.cast<double>();
      const Standardizer expected = Standardizer::fit(wide);
      const Standardizer got = Standardizer::fit(narrow);
      ASSERT_TRUE(got.mean == expected.mean) << rows << " x " << cols;
      ASSERT_TRUE(got.scale == expected.scale) << rows << " x " << cols;
    }
  }
}

TEST(Standardizer, FittedOnTrainOnly) {
  core::Rng rng(2024);
  Splits s;
  const Eigen::Index features = 5;
  s.train.features.resize(features, 300);
  s.val.features.resize(features, 80);
  s.test.features.resize(features, 40);
  for (Dataset* d : {&s.train, &s.val, &s.test}) {
    for (Eigen::Index f = 0; f < features; ++f) {
      // Different offsets and scales per feature; val and test drawn shifted so their own stats differ.
      const double shift = d == &s.train ? 0.0 : 3.0;
      for (Eigen::Index i = 0; i < d->features.cols(); ++i) {
        d->features(f, i) = 10.0 * f - 7.0 + (f + 0.5) * rng.normal() + shift;
      }
    }
    d->target = Eigen::VectorXd::Zero(d->features.cols());
  }
  Eigen::VectorXd mean, sd;
  row_stats(s.train.features, mean, sd);
  const Eigen::MatrixXd val_expected = (s.val.features.colwise() - mean).array().colwise() / sd.array();
  const Eigen::MatrixXd test_expected = (s.test.features.colwise() - mean).array().colwise() / sd.array();

  standardize(s);

  Eigen::VectorXd new_mean, new_sd;
  row_stats(s.train.features, new_mean, new_sd);
  for (Eigen::Index f = 0; f < features; ++f) {
    EXPECT_NEAR(new_mean(f), 0.0, 1e-12) << "feature " << f;
    EXPECT_NEAR(new_sd(f), 1.0, 1e-12) << "feature " << f;
  }
  EXPECT_TRUE(s.val.features.isApprox(val_expected, 1e-12));
  EXPECT_TRUE(s.test.features.isApprox(test_expected, 1e-12));
  // The shift survives: validation was not centred on its own mean.
  row_stats(s.val.features, new_mean, new_sd);
  EXPECT_GT(new_mean.minCoeff(), 0.3);
}

}  // namespace
}  // namespace hpsweep::data

namespace hpsweep::data {
namespace {

TEST(SplitDataset, TakingTheDataGivesTheCopysSplitsBitForBit) {
  for (const Dataset& all : {classified({37, 61, 102}), regression(250)}) {
    for (SplitFractions f : {SplitFractions{0.2, 0.15}, SplitFractions{0.3, 0.0}}) {
      const Splits copied = split_dataset(all, f, 9);
      Dataset taken = all;
      const Splits moved = split_dataset(std::move(taken), f, 9);
      EXPECT_EQ(moved.train.features, copied.train.features);
      EXPECT_EQ(moved.train.target, copied.train.target);
      EXPECT_EQ(moved.train.feature_names, copied.train.feature_names);
      EXPECT_EQ(moved.train.class_values, copied.train.class_values);
      EXPECT_EQ(moved.val.features, copied.val.features);
      EXPECT_EQ(moved.val.target, copied.val.target);
      EXPECT_EQ(moved.test.features, copied.test.features);
      EXPECT_EQ(moved.test.target, copied.test.target);
    }
  }
}

}  // namespace
}  // namespace hpsweep::data
