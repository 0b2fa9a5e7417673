#include "hpsweep/data/synthetic.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "hpsweep/core/error.hpp"

namespace hpsweep::data {
namespace {

using ::testing::ElementsAre;

double positive_share(const Dataset& d) { return d.target.mean(); }

TEST(MakeSynthetic, SizesAndMetadataAsAsked) {
  const Splits s = make_synthetic(SyntheticOptions{.features = 7, .train = 120, .val = 50, .test = 30, .seed = 1});
  EXPECT_EQ(s.train.num_features(), 7);
  EXPECT_EQ(s.train.num_samples(), 120);
  EXPECT_EQ(s.val.num_samples(), 50);
  EXPECT_EQ(s.test.num_samples(), 30);
  for (const Dataset* d : {&s.train, &s.val, &s.test}) {
    EXPECT_EQ(d->num_features(), 7);
    EXPECT_EQ(d->target.size(), d->num_samples());
    EXPECT_EQ(d->task, Task::kBinary);
    EXPECT_THAT(d->class_values, ElementsAre(0, 1));
    EXPECT_EQ(d->feature_names.size(), 7u);
    EXPECT_EQ(d->feature_names.front(), "x0");
    for (Eigen::Index i = 0; i < d->num_samples(); ++i) {
      EXPECT_TRUE(d->target(i) == 0.0 || d->target(i) == 1.0);
    }
  }
  const Splits no_test = make_synthetic(SyntheticOptions{.features = 3, .train = 10, .val = 5, .test = 0});
  EXPECT_EQ(no_test.test.num_samples(), 0);
}

TEST(MakeSynthetic, SameSeedSameData) {
  const SyntheticOptions options{.features = 6, .train = 200, .val = 100, .test = 50, .seed = 77};
  const Splits a = make_synthetic(options);
  const Splits b = make_synthetic(options);
  EXPECT_EQ(a.train.features, b.train.features);
  EXPECT_EQ(a.train.target, b.train.target);
  EXPECT_EQ(a.val.features, b.val.features);
  EXPECT_EQ(a.val.target, b.val.target);
  EXPECT_EQ(a.test.features, b.test.features);
  EXPECT_EQ(a.test.target, b.test.target);
}

TEST(MakeSynthetic, OtherSeedOtherData) {
  const Splits a = make_synthetic(SyntheticOptions{.train = 200, .val = 100, .seed = 1});
  const Splits b = make_synthetic(SyntheticOptions{.train = 200, .val = 100, .seed = 2});
  EXPECT_NE(a.train.features, b.train.features);
  EXPECT_NE(a.train.target, b.train.target);
  EXPECT_NE(a.val.features, b.val.features);
}

TEST(MakeSynthetic, SplitsAreDifferentDraws) {
  const Splits s = make_synthetic(SyntheticOptions{.features = 4, .train = 100, .val = 100, .seed = 5});
  EXPECT_NE(s.train.features, s.val.features);
}

TEST(MakeSynthetic, FeaturesAreStandardNormal) {
  const Splits s = make_synthetic(SyntheticOptions{.features = 8, .train = 4000, .val = 10, .seed = 11});
  const Eigen::MatrixXd& x = s.train.features;
  const Eigen::VectorXd mean = x.rowwise().mean();
  for (Eigen::Index f = 0; f < x.rows(); ++f) {
    const double sd = std::sqrt((x.row(f).array() - mean(f)).square().sum() / static_cast<double>(x.cols()));
    EXPECT_NEAR(mean(f), 0.0, 0.1) << "feature " << f;
    EXPECT_NEAR(sd, 1.0, 0.1) << "feature " << f;
  }
  // Share within one standard deviation of a standard normal is about 68.3%.
  const double inside = (x.array().abs() < 1.0).cast<double>().mean();
  EXPECT_NEAR(inside, 0.683, 0.02);
}

TEST(MakeSynthetic, ClassesAreBalancedEnough) {
  for (double noise : {0.0, 0.2, 0.4}) {
    const Splits s = make_synthetic(SyntheticOptions{.train = 3000, .val = 3000, .label_noise = noise, .seed = 3});
    EXPECT_GE(positive_share(s.train), 0.2) << "noise " << noise;
    EXPECT_LE(positive_share(s.train), 0.8) << "noise " << noise;
    EXPECT_GE(positive_share(s.val), 0.2) << "noise " << noise;
    EXPECT_LE(positive_share(s.val), 0.8) << "noise " << noise;
  }
}

/// The share of labels that disagree with the documented noiseless rule y = [x0*x1 + x2 + 0.5*x3 > 0].
double share_against_rule(const Dataset& d) {
  int disagree = 0;
  for (Eigen::Index i = 0; i < d.num_samples(); ++i) {
    const auto x = d.features.col(i);
    const double rule = x(0) * x(1) + x(2) + 0.5 * x(3) > 0.0 ? 1.0 : 0.0;
    disagree += d.target(i) != rule;
  }
  return static_cast<double>(disagree) / static_cast<double>(d.num_samples());
}

TEST(MakeSynthetic, NoiselessLabelsFollowTheDocumentedRule) {
  const Splits s = make_synthetic(SyntheticOptions{.features = 6, .train = 2000, .val = 500, .label_noise = 0.0});
  EXPECT_EQ(share_against_rule(s.train), 0.0);
  EXPECT_EQ(share_against_rule(s.val), 0.0);
}

TEST(MakeSynthetic, LabelNoiseFlipsAboutTheAskedShare) {
  for (double noise : {0.1, 0.3}) {
    const Splits s = make_synthetic(SyntheticOptions{.train = 5000, .val = 5000, .label_noise = noise, .seed = 9});
    // Binomial standard deviation at n = 5000 is below 0.007; 0.03 is over four of them.
    EXPECT_NEAR(share_against_rule(s.train), noise, 0.03) << "noise " << noise;
    EXPECT_NEAR(share_against_rule(s.val), noise, 0.03) << "noise " << noise;
  }
}

TEST(MakeSynthetic, RejectsImpossibleOptions) {
  EXPECT_THROW((void)make_synthetic(SyntheticOptions{.features = 0}), core::ConfigError);
  EXPECT_THROW((void)make_synthetic(SyntheticOptions{.train = 1}), core::ConfigError);
  EXPECT_THROW((void)make_synthetic(SyntheticOptions{.val = 0}), core::ConfigError);
  EXPECT_THROW((void)make_synthetic(SyntheticOptions{.test = -1}), core::ConfigError);
  EXPECT_THROW((void)make_synthetic(SyntheticOptions{.label_noise = 0.5}), core::ConfigError);
  EXPECT_THROW((void)make_synthetic(SyntheticOptions{.label_noise = -0.1}), core::ConfigError);
  EXPECT_THROW((void)make_synthetic(SyntheticOptions{.label_noise = std::nan("")}), core::ConfigError);
}

}  // namespace
}  // namespace hpsweep::data
