// The Weights & Biases sweep schema beyond grid and random's first six distributions: the
// exponent forms, the normals and their truncation, categorical probabilities, method bayes and
// its section, metric.target, and the W&B keys hpsweep accepts without using. Each parses to
// what it says and samples what it says (the sweep file's errors are in parse_errors_test.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "hpsweep/search/parse.hpp"
#include "hpsweep/search/space.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

constexpr int kDraws = 20000;

/// The one parameter of a random sweep whose parameters section is `line`.
Parameter parameter_of(const std::string& line) {
  const SweepSpec spec = parse_sweep("method: random\nrun_cap: 5\nparameters:\n  " + line + "\n", "s.yaml");
  EXPECT_EQ(spec.parameters.size(), 1u);
  return spec.parameters.at(0);
}

double as_double(const Value& v) {
  return std::holds_alternative<long long>(v) ? static_cast<double>(std::get<long long>(v)) : std::get<double>(v);
}

/// kDraws draws of `p` (seeded, printed on failure), each checked against [min, max] and the
/// setting's Value alternative.
std::vector<double> draws(const Parameter& p, std::uint64_t seed) {
  core::Rng rng(seed);
  std::vector<double> xs;
  for (int i = 0; i < kDraws; ++i) {
    const Value v = sample(p, rng);
    EXPECT_EQ(std::holds_alternative<long long>(v), p.kind == SettingKind::kInteger) << "seed " << seed;
    const double x = as_double(v);
    EXPECT_GE(x, p.min) << "seed " << seed;
    EXPECT_LE(x, p.max) << "seed " << seed;
    xs.push_back(x);
  }
  return xs;
}

struct Moments {
  double mean;
  double sd;
};

/// Mean and standard deviation of f(x) over xs.
template <typename F>
Moments moments(const std::vector<double>& xs, F f) {
  double sum = 0.0;
  double sum2 = 0.0;
  for (double x : xs) {
    sum += f(x);
    sum2 += f(x) * f(x);
  }
  const auto n = static_cast<double>(xs.size());
  return {sum / n, std::sqrt(std::max(0.0, sum2 / n - (sum / n) * (sum / n)))};
}

double log_of(double x) { return std::log(x); }
double identity(double x) { return x; }

/// Five standard errors of a mean of kDraws draws of standard deviation sd.
double slack(double sd) { return 5.0 * sd / std::sqrt(static_cast<double>(kDraws)); }

TEST(WandbSchema, LogUniformTakesNaturalLogExponents) {
  const Parameter p = parameter_of("lr: {distribution: log_uniform, min: -9.21, max: -2.3}");
  EXPECT_EQ(p.distribution, Distribution::kLogUniform);
  EXPECT_DOUBLE_EQ(p.min, std::exp(-9.21));  // the values drawn, not the exponents
  EXPECT_DOUBLE_EQ(p.max, std::exp(-2.3));
  // log x is uniform on [-9.21, -2.3]: mean -5.755, sd 6.91 / sqrt(12).
  const Moments m = moments(draws(p, 1), log_of);
  const double sd = 6.91 / std::sqrt(12.0);
  EXPECT_NEAR(m.mean, (-9.21 - 2.3) / 2.0, slack(sd));
  EXPECT_NEAR(m.sd, sd, 0.02 * sd);
}

TEST(WandbSchema, InvLogUniformNegatesTheExponents) {
  const Parameter p = parameter_of("dropout: {distribution: inv_log_uniform, min: 1, max: 5}");
  EXPECT_EQ(p.distribution, Distribution::kInvLogUniform);
  EXPECT_DOUBLE_EQ(p.min, std::exp(-5.0));
  EXPECT_DOUBLE_EQ(p.max, std::exp(-1.0));
  const Moments m = moments(draws(p, 2), log_of);  // -log x uniform on [1, 5]
  EXPECT_NEAR(m.mean, -3.0, slack(4.0 / std::sqrt(12.0)));
}

TEST(WandbSchema, InvLogUniformValuesTakesValues) {
  const Parameter p = parameter_of("l2: {distribution: inv_log_uniform_values, min: 0.0001, max: 0.01}");
  EXPECT_EQ(p.distribution, Distribution::kInvLogUniformValues);
  EXPECT_EQ(p.min, 0.0001);
  EXPECT_EQ(p.max, 0.01);
  // 1 / X with X log-uniform on [100, 10000]: log x uniform on [log 1e-4, log 1e-2].
  const Moments m = moments(draws(p, 3), log_of);
  EXPECT_NEAR(m.mean, (std::log(1e-4) + std::log(1e-2)) / 2.0, slack(std::log(100.0) / std::sqrt(12.0)));
}

TEST(WandbSchema, QLogUniformOnAnIntegerSetting) {
  const Parameter p = parameter_of("width: {distribution: q_log_uniform, min: 2.77, max: 5.55, q: 16}");
  EXPECT_EQ(p.distribution, Distribution::kQLogUniform);
  EXPECT_EQ(p.q, 16.0);
  for (double x : draws(p, 4)) {
    ASSERT_EQ(std::fmod(x, 16.0), 0.0) << x;
    ASSERT_GE(x, 16.0);
    ASSERT_LE(x, 256.0);
  }
}

TEST(WandbSchema, NormalDefaultsToTheSettingsRange) {
  const Parameter p = parameter_of("dropout: {distribution: normal, mu: 0.3, sigma: 0.05}");
  EXPECT_EQ(p.distribution, Distribution::kNormal);
  EXPECT_EQ(p.mu, 0.3);
  EXPECT_EQ(p.sigma, 0.05);
  EXPECT_EQ(p.min, 0.0);
  EXPECT_EQ(p.max, std::nextafter(1.0, 0.0)) << "dropout 1 is refused, so the truncation stops below it";
  const Moments m = moments(draws(p, 5), identity);
  EXPECT_NEAR(m.mean, 0.3, slack(0.05));
  EXPECT_NEAR(m.sd, 0.05, 0.02 * 0.05);
}

TEST(WandbSchema, NormalWithoutMuAndSigmaIsTheStandardOne) {
  // l2 >= 0 has no upper bound: the truncation stops at mu + 8 sigma.
  const Parameter p = parameter_of("l2: {distribution: normal}");
  EXPECT_EQ(p.mu, 0.0);
  EXPECT_EQ(p.sigma, 1.0);
  EXPECT_EQ(p.min, 0.0);
  EXPECT_EQ(p.max, 8.0);
  const Moments m = moments(draws(p, 6), identity);  // the half-normal
  EXPECT_NEAR(m.mean, std::sqrt(2.0 / std::numbers::pi), slack(0.61));
}

TEST(WandbSchema, NormalTruncationBounds) {
  // lr > 0 excludes 0 itself: the truncation starts at the smallest positive double.
  const Parameter lr = parameter_of("lr: {distribution: normal, mu: 0.01, sigma: 0.004}");
  EXPECT_EQ(lr.min, std::numeric_limits<double>::denorm_min());
  EXPECT_DOUBLE_EQ(lr.max, 0.01 + 8 * 0.004);
  for (double x : draws(lr, 7)) ASSERT_GT(x, 0.0);
  const Parameter given = parameter_of("input_noise: {distribution: normal, mu: 0.1, sigma: 0.05, min: 0.05, max: 0.2}");
  EXPECT_EQ(given.min, 0.05);
  EXPECT_EQ(given.max, 0.2);
  const Parameter one_side = parameter_of("input_noise: {distribution: normal, mu: 0.1, sigma: 0.05, min: 0.08}");
  EXPECT_EQ(one_side.min, 0.08);
  EXPECT_DOUBLE_EQ(one_side.max, 0.1 + 8 * 0.05);
}

TEST(WandbSchema, LogNormalIsANormalOfTheLog) {
  const Parameter lr = parameter_of("lr: {distribution: log_normal, mu: -6.9, sigma: 1}");
  EXPECT_EQ(lr.distribution, Distribution::kLogNormal);
  EXPECT_DOUBLE_EQ(lr.min, std::exp(-6.9 - 8.0));  // lr is unbounded on both sides in log space
  EXPECT_DOUBLE_EQ(lr.max, std::exp(-6.9 + 8.0));
  const Moments m = moments(draws(lr, 8), log_of);
  EXPECT_NEAR(m.mean, -6.9, slack(1.0));
  EXPECT_NEAR(m.sd, 1.0, 0.02);
  const Parameter dropout = parameter_of("dropout: {distribution: log_normal, mu: -2.3, sigma: 0.5}");
  EXPECT_DOUBLE_EQ(dropout.min, std::exp(-2.3 - 4.0));  // dropout >= 0 is no bound in log space
  EXPECT_EQ(dropout.max, std::nextafter(1.0, 0.0));
}

TEST(WandbSchema, QuantizedNormalsOnIntegerSettings) {
  const Parameter batch = parameter_of("batch_size: {distribution: q_normal, mu: 64, sigma: 16, q: 8}");
  EXPECT_EQ(batch.distribution, Distribution::kQNormal);
  EXPECT_EQ(batch.min, 1.0);
  EXPECT_EQ(batch.max, 2147483647.0);
  const std::vector<double> xs = draws(batch, 9);
  for (double x : xs) ASSERT_EQ(std::fmod(x, 8.0), 0.0) << x;
  EXPECT_NEAR(moments(xs, identity).mean, 64.0, slack(16.2));
  const Parameter width = parameter_of("width: {distribution: q_log_normal, mu: 4.16, sigma: 0.5, q: 4}");
  for (double x : draws(width, 10)) ASSERT_EQ(std::fmod(x, 4.0), 0.0) << x;
}

TEST(WandbSchema, ProbabilitiesWeighTheValues) {
  const Parameter p = parameter_of("optimizer: {values: [adam, sgd], probabilities: [0.25, 0.75]}");
  EXPECT_EQ(p.probabilities, (std::vector<double>{0.25, 0.75}));
  core::Rng rng(11);
  int sgd = 0;
  for (int i = 0; i < kDraws; ++i) sgd += sample(p, rng) == Value{std::string("sgd")};
  EXPECT_NEAR(sgd, 0.75 * kDraws, 3.0 * std::sqrt(kDraws * 0.75 * 0.25));
  EXPECT_TRUE(parameter_of("optimizer: {values: [adam, sgd]}").probabilities.empty());
}

TEST(WandbSchema, BayesMethodAndItsSection) {
  const SweepSpec spec = parse_sweep(R"(method: bayes
run_cap: 40
bayes: {startup_trials: 5, candidates: 64, batch_size: 4, gamma: 0.25, prior_weight: 2}
parameters:
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
)",
                                     "s.yaml");
  EXPECT_EQ(spec.method, Method::kBayes);
  EXPECT_STREQ(method_name(spec.method), "bayes");
  EXPECT_EQ(spec.run_cap, 40);
  EXPECT_EQ(spec.bayes.startup_trials, 5);
  EXPECT_EQ(spec.bayes.candidates, 64);
  EXPECT_EQ(spec.bayes.batch_size, 4);
  EXPECT_EQ(spec.bayes.gamma, 0.25);
  EXPECT_EQ(spec.bayes.prior_weight, 2.0);
  EXPECT_EQ(spec.bayes.place, "s.yaml:3:1");

  const SweepSpec defaults = parse_sweep("method: bayes\nrun_cap: 9\nparameters:\n  dropout: {min: 0, max: 0.5}\n", "s.yaml");
  const BayesSpec expected;
  EXPECT_EQ(defaults.bayes.startup_trials, expected.startup_trials);
  EXPECT_EQ(defaults.bayes.candidates, expected.candidates);
  EXPECT_EQ(defaults.bayes.batch_size, expected.batch_size);
  EXPECT_EQ(defaults.bayes.gamma, expected.gamma);
  EXPECT_EQ(defaults.bayes.prior_weight, expected.prior_weight);
  EXPECT_EQ(defaults.bayes.place, "s.yaml:1:9") << "without a section: the place of the method";

  const SweepSpec edges = parse_sweep(
      "method: bayes\nrun_cap: 9\nbayes:\n  startup_trials: 0\n  gamma: 1\nparameters:\n  dropout: {min: 0, max: 0.5}\n", "");
  EXPECT_EQ(edges.bayes.startup_trials, 0);
  EXPECT_EQ(edges.bayes.gamma, 1.0);
}

TEST(WandbSchema, MetricTarget) {
  EXPECT_EQ(parse_sweep("method: grid\nmetric: {name: val_metric, goal: maximize, target: 0.95}\n", "").metric.target,
            0.95);
  EXPECT_EQ(parse_sweep("method: grid\nmetric: {name: val_loss, target: 0}\n", "").metric.target, 0.0);
  EXPECT_EQ(parse_sweep("method: grid\nmetric: {target: -2}\n", "").metric.target, -2.0);
  EXPECT_FALSE(parse_sweep("method: grid\nmetric: {name: val_loss}\n", "").metric.target.has_value());
}

TEST(WandbSchema, ProjectAndEntityAreNotedNotRefused) {
  const SweepSpec spec =
      parse_sweep("project: mnist\nentity: my-lab\nmethod: grid\ndescription: the dropout study\n", "sweeps/a.yaml");
  EXPECT_EQ(spec.notes, (std::vector<std::string>{
                            "sweeps/a.yaml:1:1: note: 'project' is a W&B key; hpsweep does not use it",
                            "sweeps/a.yaml:2:1: note: 'entity' is a W&B key; hpsweep does not use it"}));
  EXPECT_TRUE(parse_sweep("method: grid\ndescription: the dropout study\n", "").notes.empty())
      << "description documents the sweep: no note";
}

}  // namespace
}  // namespace hpsweep::search
