#include "hpsweep/search/space.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>

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

TEST(Space, SamplingDependsOnlyOnTheRng) {
  const Parameter p = numeric(Distribution::kLogUniformValues, SettingKind::kReal, 1e-4, 1.0);
  core::Rng a(42);
  core::Rng b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sample(p, a), sample(p, b));
}

}  // namespace
}  // namespace hpsweep::search
