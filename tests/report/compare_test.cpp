// hpsweep compare's matching on hand-made sweeps whose answers are worked out in the comments.

#include <gtest/gtest.h>

#include <cmath>

#include "hpsweep/core/error.hpp"
#include "hpsweep/report/compare.hpp"
#include "hpsweep/search/parse.hpp"

namespace hpsweep::report {
namespace {

/// One trial per configuration over dropout {0, 0.5} x lr {0.001, 0.01}; `optimizer` fixed.
store::Results sweep(const std::string& optimizer, const std::vector<double>& losses, const std::string& data) {
  store::Results r;
  r.info.name = "s";
  r.info.data_fingerprint = data;
  int index = 0;
  for (double dropout : {0.0, 0.5}) {
    for (double lr : {0.001, 0.01}) {
      store::TrialRecord t;
      t.trial = t.config = index;
      t.status = search::TrialStatus::kOk;
      t.settings = {{"lr", lr}, {"dropout", dropout}, {"optimizer", optimizer}};
      t.best_val_loss = losses.at(static_cast<std::size_t>(index));
      r.trials.push_back(t);
      ++index;
    }
  }
  return r;
}

// A file begun before XXH3 fingerprints (16 hex digits, FNV-1a) against a newer one: whether the
// data differs cannot be told, so neither "differs" nor "same data" is claimed.
TEST(Compare, FingerprintsOfTwoKindsAreNeitherSameNorDifferentData) {
  const std::vector<double> losses{0.4, 0.2, 0.5, 0.3};
  const auto search_spec = search::parse_sweep("name: s\nmethod: grid\nparameters:\n  lr: {values: [0.001, 0.01]}\n", "s.yaml");
  const store::Results legacy = sweep("adam", losses, "0123456789abcdef");
  const store::Results xxh3 = sweep("adam", losses, "xxh3:fedcba9876543210");
  const Comparison mixed = compare_results(legacy, search_spec, xxh3, search_spec, "a.h5", "b.h5");
  EXPECT_TRUE(mixed.fingerprint_kinds_differ);
  EXPECT_FALSE(mixed.data_differs);
  const Comparison newer = compare_results(xxh3, search_spec, sweep("adam", losses, "xxh3:0000000000000000"), search_spec,
                                           "a.h5", "b.h5");
  EXPECT_FALSE(newer.fingerprint_kinds_differ);
  EXPECT_TRUE(newer.data_differs);
}

search::SweepSpec spec(const std::string& metric = "val_loss") {
  return search::parse_sweep("name: s\nmethod: grid\nmetric: {name: " + metric +
                                 "}\nparameters:\n  lr: {values: [0.001, 0.01]}\n",
                             "s.yaml");
}

TEST(Compare, MatchesOnSweptSettingsAndNamesWhatDiffers) {
  // Left ranks configs 1 (0.2), 3 (0.3), 0 (0.4), 2 (0.5); right ranks 3, 1, 0, 2.
  const store::Results a = sweep("adam", {0.4, 0.2, 0.5, 0.3}, "d1");
  const store::Results b = sweep("sgd", {0.6, 0.5, 0.7, 0.45}, "d1");
  const Comparison c = compare_results(a, spec(), b, spec(), "a.h5", "b.h5");
  EXPECT_EQ(c.matched_on, (std::vector<std::string>{"lr", "dropout"}));
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(c.differences[0].setting, "optimizer");
  EXPECT_EQ(c.differences[0].left, "adam");
  EXPECT_EQ(c.differences[0].right, "sgd");
  EXPECT_FALSE(c.data_differs);
  ASSERT_EQ(c.configs.size(), 4u);
  EXPECT_EQ(c.in_both, 4);
  // In the first file's order; each row holds the same settings on both sides.
  EXPECT_EQ(c.configs[0].left->config, 1);
  EXPECT_EQ(c.configs[0].right->config, 1);
  EXPECT_EQ(c.configs[0].right->rank, 2);
  EXPECT_DOUBLE_EQ(c.configs[1].right->mean, 0.45);
  // Ranks (left, right): (1,2) (2,1) (3,3) (4,4): sum d^2 = 2, rho = 1 - 6*2/(4*15) = 0.8.
  EXPECT_NEAR(c.rank_correlation, 0.8, 1e-12);
}

TEST(Compare, ConfigurationsInOneFileOnlyComeLast) {
  store::Results a = sweep("adam", {0.4, 0.2, 0.5, 0.3}, "d1");
  store::Results b = sweep("adam", {0.4, 0.2, 0.5, 0.3}, "d2");
  a.trials.pop_back();  // config 3 (dropout 0.5, lr 0.01) only in b
  const Comparison c = compare_results(a, spec(), b, spec(), "a.h5", "b.h5");
  EXPECT_TRUE(c.data_differs);
  EXPECT_TRUE(c.differences.empty());
  ASSERT_EQ(c.configs.size(), 4u);
  EXPECT_EQ(c.in_both, 3);
  EXPECT_FALSE(c.configs.back().left.has_value());
  EXPECT_EQ(c.configs.back().right->config, 3);
  EXPECT_DOUBLE_EQ(c.rank_correlation, 1.0);
}

TEST(Compare, RefusesOtherSettingsOrAnotherMetric) {
  const store::Results a = sweep("adam", {0.4, 0.2, 0.5, 0.3}, "d1");
  store::Results b = a;
  for (auto& t : b.trials) t.settings.pop_back();
  try {
    (void)compare_results(a, spec(), b, spec(), "a.h5", "b.h5");
    FAIL() << "expected a ConfigError";
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("only in a.h5: optimizer"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)compare_results(a, spec(), a, spec("val_metric"), "a.h5", "b.h5"), core::ConfigError);
}

}  // namespace
}  // namespace hpsweep::report
