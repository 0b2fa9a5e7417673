#include "hpsweep/search/space.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {
namespace {

Parameter numeric(Distribution d, SettingKind kind, double min, double max, double q = 1.0) {
  Parameter p;
  p.name = "x";
  p.kind = kind;
  p.distribution = d;
  p.min = min;
  p.max = max;
  p.q = q;
  return p;
}

double as_double(const Value& v) {
  return std::holds_alternative<long long>(v) ? static_cast<double>(std::get<long long>(v)) : std::get<double>(v);
}

TEST(Space, GridValuesOfCategoricalKeepFileOrder) {
  Parameter p;
  p.values = {Value{0.5}, Value{0.0}, Value{0.25}};
  EXPECT_TRUE(is_enumerable(p));
  EXPECT_EQ(grid_size(p), 3);
  EXPECT_EQ(grid_values(p), p.values);
}

TEST(Space, GridEnumeratesIntUniformInclusive) {
  const Parameter p = numeric(Distribution::kIntUniform, SettingKind::kInteger, 2, 5);
  EXPECT_EQ(grid_values(p), (std::vector<Value>{2LL, 3LL, 4LL, 5LL}));
}

TEST(Space, GridEnumeratesQUniformMultiplesWithoutRoundingNoise) {
  const Parameter p = numeric(Distribution::kQUniform, SettingKind::kReal, 0.1, 0.5, 0.1);
  EXPECT_EQ(grid_values(p), (std::vector<Value>{0.1, 0.2, 0.3, 0.4, 0.5}));
  const Parameter ints = numeric(Distribution::kQUniform, SettingKind::kInteger, 10, 70, 32);
  EXPECT_EQ(grid_values(ints), (std::vector<Value>{32LL, 64LL}));
}

TEST(Space, ContinuousDistributionsAreNotEnumerable) {
  for (Distribution d : {Distribution::kUniform, Distribution::kLogUniformValues, Distribution::kQLogUniformValues}) {
    const Parameter p = numeric(d, SettingKind::kReal, 0.1, 1.0);
    EXPECT_FALSE(is_enumerable(p)) << distribution_name(d);
    EXPECT_EQ(grid_size(p), 0);
    EXPECT_THROW((void)grid_values(p), core::ConfigError);
  }
}

TEST(Space, SamplesStayWithinBoundsAndKind) {
  const std::uint64_t seed = 12345;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  const std::array<Parameter, 5> params = {
      numeric(Distribution::kUniform, SettingKind::kReal, 0.0, 0.5),
      numeric(Distribution::kLogUniformValues, SettingKind::kReal, 1e-5, 1e-1),
      numeric(Distribution::kIntUniform, SettingKind::kInteger, 1, 4),
      numeric(Distribution::kQUniform, SettingKind::kReal, 0.05, 0.45, 0.1),
      numeric(Distribution::kQLogUniformValues, SettingKind::kInteger, 16, 256, 16),
  };
  for (const Parameter& p : params) {
    for (int i = 0; i < 2000; ++i) {
      const Value v = sample(p, rng);
      EXPECT_EQ(std::holds_alternative<long long>(v), p.kind == SettingKind::kInteger);
      const double x = as_double(v);
      ASSERT_GE(x, p.min) << distribution_name(p.distribution);
      ASSERT_LE(x, p.max) << distribution_name(p.distribution);
      if (p.distribution == Distribution::kQUniform || p.distribution == Distribution::kQLogUniformValues) {
        const double k = x / p.q;
        EXPECT_NEAR(k, std::round(k), 1e-9) << x;
      }
    }
  }
}

TEST(Space, IntUniformHitsBothBoundsEvenly) {
  core::Rng rng(7);
  const Parameter p = numeric(Distribution::kIntUniform, SettingKind::kInteger, 1, 4);
  std::map<long long, int> counts;
  for (int i = 0; i < 4000; ++i) ++counts[std::get<long long>(sample(p, rng))];
  ASSERT_EQ(counts.size(), 4u);
  for (const auto& [value, count] : counts) EXPECT_NEAR(count, 1000, 120) << value;
}

TEST(Space, LogUniformValuesIsUniformInLogSpace) {
  const std::uint64_t seed = 99;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  const Parameter p = numeric(Distribution::kLogUniformValues, SettingKind::kReal, 1e-5, 1e-1);
  std::array<int, 4> decades{};
  const int n = 8000;
  for (int i = 0; i < n; ++i) {
    const double exponent = std::log10(std::get<double>(sample(p, rng)));  // in [-5, -1]
    ++decades[static_cast<std::size_t>(std::min(3.0, std::floor(exponent + 5.0)))];
  }
  // Each decade expects n/4 = 2000; a plain uniform draw would put ~90% in the last one.
  for (int count : decades) EXPECT_NEAR(count, n / 4, 200);
}

TEST(Space, CategoricalSamplesEveryValue) {
  core::Rng rng(3);
  Parameter p;
  p.kind = SettingKind::kChoice;
  p.values = {Value{std::string("relu")}, Value{std::string("tanh")}, Value{std::string("gelu")}};
  std::map<std::string, int> counts;
  for (int i = 0; i < 3000; ++i) ++counts[std::get<std::string>(sample(p, rng))];
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [value, count] : counts) EXPECT_NEAR(count, 1000, 120) << value;
}

TEST(Space, ExistingDistributionsDrawAsTheFirstReleaseDid) {
  // Random sweeps written before the new distributions must keep their values bit for bit: each
  // draw is the same function of the same Rng calls as before.
  const std::uint64_t seed = 2024;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  core::Rng twin(seed);
  const Parameter uniform = numeric(Distribution::kUniform, SettingKind::kReal, 0.1, 0.9);
  const Parameter log = numeric(Distribution::kLogUniformValues, SettingKind::kReal, 1e-5, 1e-1);
  const Parameter ints = numeric(Distribution::kIntUniform, SettingKind::kInteger, 3, 17);
  Parameter choice;
  choice.kind = SettingKind::kChoice;
  choice.values = {Value{std::string("relu")}, Value{std::string("tanh")}, Value{std::string("gelu")}};
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(sample(uniform, rng), Value{std::clamp(0.1 + twin.uniform() * (0.9 - 0.1), 0.1, 0.9)});
    const double lo = std::log(1e-5);
    const double hi = std::log(1e-1);
    EXPECT_EQ(sample(log, rng), Value{std::clamp(std::exp(lo + twin.uniform() * (hi - lo)), 1e-5, 1e-1)});
    EXPECT_EQ(sample(ints, rng), Value{static_cast<long long>(3 + twin.below(15))});
    EXPECT_EQ(sample(choice, rng), choice.values[static_cast<std::size_t>(twin.below(3))]);
  }
}

TEST(Space, SamplingDependsOnlyOnTheRng) {
  const Parameter p = numeric(Distribution::kLogUniformValues, SettingKind::kReal, 1e-4, 1.0);
  core::Rng a(42);
  core::Rng b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sample(p, a), sample(p, b));
}

// The W&B distributions beyond the first six, and the unit scale of a model-based search.

Parameter normal(Distribution d, SettingKind kind, double mu, double sigma, double min, double max, double q = 1.0) {
  Parameter p = numeric(d, kind, min, max, q);
  p.mu = mu;
  p.sigma = sigma;
  return p;
}

/// Mean and standard deviation of f(x) over n draws.
struct Moments {
  double mean;
  double sd;
};

template <typename F>
Moments moments_of(const Parameter& p, core::Rng& rng, int n, F f) {
  double sum = 0.0;
  double sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double y = f(as_double(sample(p, rng)));
    sum += y;
    sum2 += y * y;
  }
  const double mean = sum / n;
  return {mean, std::sqrt(std::max(0.0, sum2 / n - mean * mean))};
}

double identity(double x) { return x; }
double log_of(double x) { return std::log(x); }

/// P(Z > z) and the density of a standard normal, for expected moments.
double tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }
double density(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi); }

TEST(Space, NewDistributionsHaveTheirWandbNamesAndNoGrid) {
  const std::map<Distribution, std::string> names = {
      {Distribution::kLogUniform, "log_uniform"},   {Distribution::kQLogUniform, "q_log_uniform"},
      {Distribution::kInvLogUniform, "inv_log_uniform"},
      {Distribution::kInvLogUniformValues, "inv_log_uniform_values"},
      {Distribution::kNormal, "normal"},            {Distribution::kQNormal, "q_normal"},
      {Distribution::kLogNormal, "log_normal"},     {Distribution::kQLogNormal, "q_log_normal"}};
  for (const auto& [d, name] : names) {
    EXPECT_EQ(distribution_name(d), name);
    const Parameter p = normal(d, SettingKind::kReal, 0.5, 0.1, 0.1, 1.0, 0.1);
    EXPECT_FALSE(is_enumerable(p)) << name;
    EXPECT_EQ(grid_size(p), 0) << name;
    EXPECT_THROW((void)grid_values(p), core::ConfigError) << name;
  }
}

TEST(Space, NewDistributionsSampleWithinBoundsAndKind) {
  const std::uint64_t seed = 77;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  const std::array<Parameter, 8> params = {
      numeric(Distribution::kLogUniform, SettingKind::kReal, std::exp(-9.0), std::exp(-2.0)),
      numeric(Distribution::kQLogUniform, SettingKind::kInteger, 16, 256, 16),
      numeric(Distribution::kInvLogUniform, SettingKind::kReal, std::exp(-5.0), std::exp(-1.0)),
      numeric(Distribution::kInvLogUniformValues, SettingKind::kReal, 1e-3, 1e-1),
      normal(Distribution::kNormal, SettingKind::kReal, 0.3, 0.2, 0.0, 0.5),
      normal(Distribution::kQNormal, SettingKind::kInteger, 64, 30, 1, 256, 8),
      normal(Distribution::kLogNormal, SettingKind::kReal, -5.0, 2.0, 1e-6, 1e-2),
      normal(Distribution::kQLogNormal, SettingKind::kReal, -2.0, 1.0, 0.01, 1.0, 0.01),
  };
  for (const Parameter& p : params) {
    for (int i = 0; i < 2000; ++i) {
      const Value v = sample(p, rng);
      ASSERT_EQ(std::holds_alternative<long long>(v), p.kind == SettingKind::kInteger) << distribution_name(p.distribution);
      const double x = as_double(v);
      ASSERT_GE(x, p.min) << distribution_name(p.distribution);
      ASSERT_LE(x, p.max) << distribution_name(p.distribution);
      if (p.q != 1.0) {
        EXPECT_NEAR(x / p.q, std::round(x / p.q), 1e-9) << distribution_name(p.distribution) << " " << x;
      }
    }
  }
}

TEST(Space, LogUniformFormsAreUniformInLogSpace) {
  const std::uint64_t seed = 5;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  const int n = 20000;
  // log x uniform on [a, b]: mean (a + b) / 2, sd (b - a) / sqrt(12); 5 standard errors of slack.
  for (Distribution d : {Distribution::kLogUniform, Distribution::kInvLogUniform, Distribution::kInvLogUniformValues}) {
    const double a = -9.0;
    const double b = -2.0;
    const Moments m = moments_of(numeric(d, SettingKind::kReal, std::exp(a), std::exp(b)), rng, n, log_of);
    const double sd = (b - a) / std::sqrt(12.0);
    EXPECT_NEAR(m.mean, (a + b) / 2.0, 5.0 * sd / std::sqrt(n)) << distribution_name(d);
    EXPECT_NEAR(m.sd, sd, 0.02 * sd) << distribution_name(d);
  }
}

TEST(Space, NormalMatchesItsMomentsAndTruncation) {
  const std::uint64_t seed = 11;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  const int n = 20000;
  // Far from its bounds a truncated normal is the normal.
  const Moments wide = moments_of(normal(Distribution::kNormal, SettingKind::kReal, 0.3, 0.05, 0.0, 1.0), rng, n, identity);
  EXPECT_NEAR(wide.mean, 0.3, 5.0 * 0.05 / std::sqrt(n));
  EXPECT_NEAR(wide.sd, 0.05, 0.02 * 0.05);
  // Cut at its mean: the half-normal, mean sqrt(2 / pi), sd sqrt(1 - 2 / pi).
  const Moments half = moments_of(normal(Distribution::kNormal, SettingKind::kReal, 0.0, 1.0, 0.0, 8.0), rng, n, identity);
  EXPECT_NEAR(half.mean, std::sqrt(2.0 / std::numbers::pi), 5.0 * 0.61 / std::sqrt(n));
  EXPECT_NEAR(half.sd, std::sqrt(1.0 - 2.0 / std::numbers::pi), 0.02);
  // Far in the tail, [9, 10]: mean (phi(9) - phi(10)) / (Q(9) - Q(10)) = 9.10; 1 - Phi would lose it all.
  const Moments far = moments_of(normal(Distribution::kNormal, SettingKind::kReal, 0.0, 1.0, 9.0, 10.0), rng, n, identity);
  const double expected = (density(9.0) - density(10.0)) / (tail(9.0) - tail(10.0));
  EXPECT_NEAR(far.mean, expected, 0.01);
  EXPECT_GT(far.sd, 0.05) << "draws spread over the interval, not stuck at a bound";
  // And on the other side of the mean, [-10, -9], by symmetry.
  const Moments left = moments_of(normal(Distribution::kNormal, SettingKind::kReal, 0.0, 1.0, -10.0, -9.0), rng, n, identity);
  EXPECT_NEAR(left.mean, -expected, 0.01);
}

TEST(Space, LogNormalIsNormalInLogSpace) {
  const std::uint64_t seed = 13;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  const int n = 20000;
  const Parameter p = normal(Distribution::kLogNormal, SettingKind::kReal, -6.0, 1.5, std::exp(-18.0), std::exp(6.0));
  const Moments m = moments_of(p, rng, n, log_of);
  EXPECT_NEAR(m.mean, -6.0, 5.0 * 1.5 / std::sqrt(n));
  EXPECT_NEAR(m.sd, 1.5, 0.02 * 1.5);
}

TEST(Space, ProbabilitiesWeighTheCategoricalDraw) {
  const std::uint64_t seed = 17;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  Parameter p;
  p.kind = SettingKind::kChoice;
  p.values = {Value{std::string("relu")}, Value{std::string("tanh")}, Value{std::string("gelu")}};
  p.probabilities = {0.7, 0.0, 0.3};
  const int n = 20000;
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) ++counts[std::get<std::string>(sample(p, rng))];
  EXPECT_EQ(counts.count("tanh"), 0u) << "a value of probability 0 is never drawn";
  for (const auto& [name, share] : {std::pair<std::string, double>{"relu", 0.7}, {"gelu", 0.3}}) {
    const double sd = std::sqrt(n * share * (1.0 - share));
    EXPECT_NEAR(counts[name], n * share, 3.0 * sd) << name;
  }
}

TEST(Space, ProbabilitiesTakeOneUniformDrawEach) {
  // Each weighted draw consumes exactly one rng.uniform(), so what follows it is reproducible.
  Parameter p;
  p.kind = SettingKind::kInteger;
  p.values = {Value{1LL}, Value{2LL}};
  p.probabilities = {0.5, 0.5};
  core::Rng rng(3);
  core::Rng twin(3);
  for (int i = 0; i < 100; ++i) {
    const double u = twin.uniform();
    EXPECT_EQ(sample(p, rng), p.values[u < 0.5 ? 0 : 1]);
  }
}

/// The numeric parameters whose unit scale is continuous (no rounding in from_unit).
std::vector<Parameter> continuous_parameters() {
  return {numeric(Distribution::kUniform, SettingKind::kReal, -2.0, 3.0),
          numeric(Distribution::kLogUniformValues, SettingKind::kReal, 1e-5, 1e-1),
          numeric(Distribution::kLogUniform, SettingKind::kReal, std::exp(-9.0), std::exp(-2.0)),
          numeric(Distribution::kInvLogUniform, SettingKind::kReal, std::exp(-5.0), std::exp(-1.0)),
          numeric(Distribution::kInvLogUniformValues, SettingKind::kReal, 1e-3, 0.5),
          normal(Distribution::kNormal, SettingKind::kReal, 0.3, 0.1, 0.0, 1.0),
          normal(Distribution::kNormal, SettingKind::kReal, 0.0, 1.0, 6.0, 9.0),  // far in the upper tail
          normal(Distribution::kLogNormal, SettingKind::kReal, -4.0, 1.0, 1e-6, 1.0)};
}

TEST(Space, UnitScaleRoundTripsForContinuousDistributions) {
  for (const Parameter& p : continuous_parameters()) {
    double previous = -std::numeric_limits<double>::infinity();
    for (int i = 0; i <= 1000; ++i) {
      const double u = i / 1000.0;
      const Value x = from_unit(p, u);
      const double back = to_unit(p, x);
      EXPECT_NEAR(back, u, 1e-9) << distribution_name(p.distribution) << " u " << u;
      EXPECT_GE(as_double(x), previous) << distribution_name(p.distribution) << ": from_unit is monotone";
      previous = as_double(x);
    }
    EXPECT_NEAR(as_double(from_unit(p, 0.0)), p.min, 1e-12 * std::fabs(p.min) + 1e-15) << distribution_name(p.distribution);
    EXPECT_NEAR(as_double(from_unit(p, 1.0)), p.max, 1e-12 * std::fabs(p.max) + 1e-15) << distribution_name(p.distribution);
    EXPECT_EQ(from_unit(p, -3.0), from_unit(p, 0.0)) << "u is clamped to [0, 1]";
    EXPECT_EQ(from_unit(p, 7.0), from_unit(p, 1.0)) << "u is clamped to [0, 1]";
  }
}

TEST(Space, UnitScaleOfANormalIsItsQuantiles) {
  // Truncated to [-40, 40] the standard normal keeps all of its mass: from_unit is the probit.
  const Parameter p = normal(Distribution::kNormal, SettingKind::kReal, 0.0, 1.0, -40.0, 40.0);
  EXPECT_NEAR(as_double(from_unit(p, 0.5)), 0.0, 1e-15);
  EXPECT_NEAR(as_double(from_unit(p, 0.975)), 1.959963984540054, 1e-12);
  EXPECT_NEAR(as_double(from_unit(p, 0.01)), -2.3263478740408408, 1e-12);
  EXPECT_NEAR(as_double(from_unit(p, 0.999)), 3.090232306167813, 1e-11);
  EXPECT_NEAR(as_double(from_unit(p, 1e-10)), -6.361340902404056, 1e-9);
  EXPECT_NEAR(to_unit(p, Value{1.0}), 0.8413447460685429, 1e-14);
  const Parameter shifted = normal(Distribution::kNormal, SettingKind::kReal, 10.0, 2.0, -70.0, 90.0);
  EXPECT_NEAR(as_double(from_unit(shifted, 0.975)), 10.0 + 2.0 * 1.959963984540054, 1e-11);
}

TEST(Space, UnitScaleGivesEachIntegerAnEqualCell) {
  const Parameter p = numeric(Distribution::kIntUniform, SettingKind::kInteger, 1, 4);
  for (long long k = 1; k <= 4; ++k) {
    EXPECT_DOUBLE_EQ(to_unit(p, Value{k}), (static_cast<double>(k) - 0.5) / 4.0);  // the centre of its cell
    EXPECT_EQ(from_unit(p, to_unit(p, Value{k})), Value{k});
  }
  std::map<long long, int> counts;
  for (int i = 0; i < 4000; ++i) ++counts[std::get<long long>(from_unit(p, (i + 0.5) / 4000.0))];
  EXPECT_EQ(counts, (std::map<long long, int>{{1, 1000}, {2, 1000}, {3, 1000}, {4, 1000}}));
  EXPECT_EQ(from_unit(p, 1.0), Value{4LL}) << "u = 1 is the last integer, not one past it";
}

TEST(Space, UnitScaleKeepsQuantizedValues) {
  const std::uint64_t seed = 23;
  SCOPED_TRACE("seed " + std::to_string(seed));
  core::Rng rng(seed);
  const std::array<Parameter, 6> params = {
      numeric(Distribution::kQUniform, SettingKind::kReal, 0.05, 0.45, 0.1),
      numeric(Distribution::kQLogUniformValues, SettingKind::kInteger, 16, 256, 16),
      numeric(Distribution::kQLogUniform, SettingKind::kReal, std::exp(-7.0), std::exp(0.0), 0.001),
      normal(Distribution::kQNormal, SettingKind::kInteger, 64, 30, 1, 256, 8),
      normal(Distribution::kQNormal, SettingKind::kReal, 0.2, 0.1, 0.0, 0.9, 0.05),
      normal(Distribution::kQLogNormal, SettingKind::kInteger, 4.0, 1.0, 1, 65536, 1),
  };
  for (const Parameter& p : params) {
    for (int i = 0; i < 500; ++i) {
      const Value x = sample(p, rng);
      const double u = to_unit(p, x);
      EXPECT_GE(u, 0.0);
      EXPECT_LE(u, 1.0);
      EXPECT_EQ(from_unit(p, u), x) << distribution_name(p.distribution) << " u " << u;
    }
  }
}

TEST(Space, UnitScaleOfACategoricalIsABug) {
  Parameter p;
  p.kind = SettingKind::kChoice;
  p.values = {Value{std::string("adam")}, Value{std::string("sgd")}};
  try {
    (void)to_unit(p, p.values[0]);
    ADD_FAILURE() << "to_unit of a categorical must throw";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ExitCode::kInternal);
  }
  try {
    (void)from_unit(p, 0.5);
    ADD_FAILURE() << "from_unit of a categorical must throw";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ExitCode::kInternal);
  }
}

}  // namespace
}  // namespace hpsweep::search
