#include "hpsweep/search/plan.hpp"

#include <gtest/gtest.h>

#include <set>

#include "hpsweep/core/random.hpp"
#include "hpsweep/search/parse.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

void expect_same(const Trial& a, const Trial& b) {
  EXPECT_EQ(a.index, b.index);
  EXPECT_EQ(a.config, b.config);
  EXPECT_EQ(a.repeat, b.repeat);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.settings, b.settings);
}

std::vector<std::string> names_of(const Assignment& a) {
  std::vector<std::string> names;
  for (const auto& s : a) names.push_back(s.name);
  return names;
}

TEST(GridPlan, LastParameterVariesFastest) {
  const SweepSpec spec = parse_sweep(R"(method: grid
fixed: {width: 64}
parameters:
  depth: {values: [1, 2]}
  activation: {values: [relu, tanh, gelu]}
)",
                                     "");
  const std::vector<Trial> plan = make_plan(spec);
  ASSERT_EQ(plan.size(), 6u);
  const std::vector<std::pair<long long, std::string>> expected = {
      {1, "relu"}, {1, "tanh"}, {1, "gelu"}, {2, "relu"}, {2, "tanh"}, {2, "gelu"}};
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].index, static_cast<int>(i));
    EXPECT_EQ(plan[i].config, static_cast<int>(i));
    EXPECT_EQ(get_int(plan[i].settings, "depth"), expected[i].first) << i;
    EXPECT_EQ(get_string(plan[i].settings, "activation"), expected[i].second) << i;
    EXPECT_EQ(get_int(plan[i].settings, "width"), 64);
  }
}

TEST(GridPlan, IssueGridFirstAndLastTrials) {
  const SweepSpec spec = parse_sweep(testing::grid_example(), "overfitting.yaml");
  const std::vector<Trial> plan = make_plan(spec);
  ASSERT_EQ(plan.size(), 108u);  // (3 dropout x 3 l2 x 2 lr x 2 batch x 1 width) x 3 repeats
  EXPECT_EQ(num_trials(spec), 108);

  const Trial& first = plan.front();
  EXPECT_EQ(first.config, 0);
  EXPECT_EQ(first.repeat, 0);
  // Every setting, fixed and swept, in the table's order.
  EXPECT_EQ(format_assignment(first.settings),
            "lr=0.001 l2=0 dropout=0 batch_size=32 width=128 depth=1 optimizer=adam epochs=50 patience=10");

  const Trial& last = plan.back();
  EXPECT_EQ(last.index, 107);
  EXPECT_EQ(last.config, 35);
  EXPECT_EQ(last.repeat, 2);
  EXPECT_EQ(format_assignment(last.settings, spec.swept_names()),
            "lr=0.01 l2=0.01 dropout=0.5 batch_size=128 width=128");

  // Config 1 differs from config 0 only in the last varying parameter (batch_size; width has one value).
  EXPECT_EQ(format_assignment(plan[3].settings, spec.swept_names()),
            "lr=0.001 l2=0 dropout=0 batch_size=128 width=128");
  // lr is third in the file: it changes every 2 configurations.
  EXPECT_EQ(get_double(plan[2 * 3].settings, "lr"), 0.01);
  // dropout is first: it changes every 3 * 2 * 2 = 12 configurations.
  EXPECT_EQ(get_double(plan[11 * 3].settings, "dropout"), 0.0);
  EXPECT_EQ(get_double(plan[12 * 3].settings, "dropout"), 0.25);
}

TEST(GridPlan, RepeatsAreInnermostWithStableDistinctSeeds) {
  const SweepSpec spec = parse_sweep(testing::grid_example(), "overfitting.yaml");
  const std::vector<Trial> plan = make_plan(spec);
  std::set<std::uint64_t> seeds;
  for (const Trial& t : plan) {
    EXPECT_EQ(t.index, t.config * spec.repeats + t.repeat);
    EXPECT_EQ(t.settings, plan[static_cast<std::size_t>(t.config * spec.repeats)].settings);
    EXPECT_EQ(t.seed, core::derive_seed(7, {static_cast<std::uint64_t>(t.config), static_cast<std::uint64_t>(t.repeat)}));
    seeds.insert(t.seed);
  }
  EXPECT_EQ(seeds.size(), plan.size());
  // A golden value: changing the derivation would silently change every stored result.
  EXPECT_EQ(trial_seed(7, 0, 0), core::derive_seed(7, {0, 0}));
  EXPECT_EQ(trial_seed(7, 3, 1), 9507998646161217241ULL);
}

TEST(GridPlan, AnyTrialCanBeRebuiltAlone) {
  const SweepSpec spec = parse_sweep(testing::grid_example(), "overfitting.yaml");
  const std::vector<Trial> plan = make_plan(spec);
  for (const Trial& t : plan) expect_same(make_trial(spec, t.index), t);
  EXPECT_THROW((void)make_trial(spec, 108), core::ConfigError);
  EXPECT_THROW((void)make_trial(spec, -1), core::ConfigError);
  EXPECT_THROW((void)config_settings(spec, 36), core::ConfigError);
}

TEST(GridPlan, RunCapKeepsTheFirstConfigurations) {
  const std::string text = "method: grid\nrepeats: 2\nparameters:\n  depth: {distribution: int_uniform, min: 0, max: 9}\n";
  const SweepSpec whole = parse_sweep(text, "");
  const SweepSpec capped = parse_sweep(text + "run_cap: 4\n", "");
  EXPECT_EQ(num_configs(whole), 10);
  EXPECT_EQ(num_configs(capped), 4);
  const std::vector<Trial> a = make_plan(whole);
  const std::vector<Trial> b = make_plan(capped);
  ASSERT_EQ(b.size(), 8u);
  for (std::size_t i = 0; i < b.size(); ++i) expect_same(a[i], b[i]);
}

TEST(GridPlan, EnumeratedDistributions) {
  const SweepSpec spec = parse_sweep(R"(method: grid
parameters:
  dropout: {distribution: q_uniform, min: 0, max: 0.3, q: 0.1}
  depth: {distribution: int_uniform, min: 1, max: 2}
)",
                                     "");
  std::vector<std::string> seen;
  for (const Trial& t : make_plan(spec)) seen.push_back(format_assignment(t.settings));
  EXPECT_EQ(seen, (std::vector<std::string>{"dropout=0 depth=1", "dropout=0 depth=2", "dropout=0.1 depth=1",
                                            "dropout=0.1 depth=2", "dropout=0.2 depth=1", "dropout=0.2 depth=2",
                                            "dropout=0.3 depth=1", "dropout=0.3 depth=2"}));
}

constexpr const char* kRandom = R"(method: random
seed: 11
repeats: 2
run_cap: 400
fixed: {epochs: 20}
parameters:
  l2: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1}
  lr: {distribution: uniform, min: 0.001, max: 0.01}
  batch_size: {distribution: q_log_uniform_values, min: 16, max: 256, q: 16}
  depth: {distribution: int_uniform, min: 1, max: 3}
  activation: {values: [relu, tanh]}
  width: {value: 32}
)";

TEST(RandomPlan, ReproducibleAndWithinBounds) {
  const SweepSpec spec = parse_sweep(kRandom, "");
  const std::vector<Trial> plan = make_plan(spec);
  ASSERT_EQ(plan.size(), 800u);
  const std::vector<Trial> again = make_plan(parse_sweep(kRandom, ""));
  for (std::size_t i = 0; i < plan.size(); ++i) expect_same(plan[i], again[i]);
  std::set<long long> depths;
  for (const Trial& t : plan) {
    EXPECT_EQ(names_of(t.settings), (std::vector<std::string>{"lr", "l2", "batch_size", "width", "depth",
                                                              "activation", "epochs"}));
    const double l2 = get_double(t.settings, "l2");
    EXPECT_GE(l2, 1e-5);
    EXPECT_LE(l2, 1e-1);
    const double lr = get_double(t.settings, "lr");
    EXPECT_GE(lr, 0.001);
    EXPECT_LT(lr, 0.01);
    const long long batch = get_int(t.settings, "batch_size");
    EXPECT_TRUE(batch >= 16 && batch <= 256 && batch % 16 == 0) << batch;
    depths.insert(get_int(t.settings, "depth"));
    EXPECT_EQ(get_int(t.settings, "width"), 32);
    EXPECT_EQ(get_int(t.settings, "epochs"), 20);
    EXPECT_EQ(t.settings, plan[static_cast<std::size_t>(t.config * 2)].settings);  // repeats share settings
  }
  EXPECT_EQ(depths, (std::set<long long>{1, 2, 3}));  // int_uniform is inclusive
}

TEST(RandomPlan, LogUniformIsUniformInLogSpace) {
  const std::vector<Trial> plan = make_plan(parse_sweep(kRandom, ""));
  int low_half = 0;
  int configs = 0;
  for (const Trial& t : plan) {
    if (t.repeat != 0) continue;
    ++configs;
    low_half += get_double(t.settings, "l2") < 1e-3;  // 1e-3 is the middle of [1e-5, 1e-1] in log space
  }
  EXPECT_NEAR(low_half, configs / 2, configs / 10);
}

TEST(RandomPlan, ConfigurationKDoesNotDependOnRunCapOrParameterOrder) {
  const SweepSpec big = parse_sweep(kRandom, "");
  std::string small_text = kRandom;
  small_text.replace(small_text.find("run_cap: 400"), 12, "run_cap: 5");
  const SweepSpec small = parse_sweep(small_text, "");
  const std::vector<Trial> a = make_plan(big);
  const std::vector<Trial> b = make_plan(small);
  ASSERT_EQ(b.size(), 10u);
  for (std::size_t i = 0; i < b.size(); ++i) expect_same(a[i], b[i]);

  // Moving a parameter does not change anyone's draws: each parameter has its own stream.
  std::string reordered = kRandom;
  const std::string l2_line = "  l2: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1}\n";
  reordered.erase(reordered.find(l2_line), l2_line.size());
  reordered += l2_line;
  const std::vector<Trial> c = make_plan(parse_sweep(reordered, ""));
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].settings, c[i].settings) << i;
  expect_same(make_trial(big, 123), a[123]);
}

TEST(RandomPlan, SeedChangesDraws) {
  std::string other = kRandom;
  other.replace(other.find("seed: 11"), 8, "seed: 12");
  const std::vector<Trial> a = make_plan(parse_sweep(kRandom, ""));
  const std::vector<Trial> b = make_plan(parse_sweep(other, ""));
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += get_double(a[i].settings, "l2") == get_double(b[i].settings, "l2");
  EXPECT_EQ(same, 0);
  EXPECT_NE(a[0].seed, b[0].seed);
}

}  // namespace
}  // namespace hpsweep::search
