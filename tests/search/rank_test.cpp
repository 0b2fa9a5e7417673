#include "hpsweep/search/rank.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using S = TrialStatus;

/// One repeat per configuration: trial i is config i.
Outcome single(int trial, S status, double loss) { return {trial, trial, 0, status, loss}; }

std::vector<int> order(const std::vector<RankedConfig>& ranking) {
  std::vector<int> configs;
  for (const auto& r : ranking) configs.push_back(r.config);
  return configs;
}

TEST(Rank, AscendingForMinimizeTiesBySmallestTrial) {
  const std::vector<Outcome> outcomes = {single(0, S::kOk, 0.5), single(1, S::kOk, 0.3), single(2, S::kOk, 0.3),
                                         single(3, S::kStopped, 0.1), single(4, S::kOk, 0.7)};
  const auto ranking = rank_configs(outcomes, Goal::kMinimize);
  EXPECT_EQ(order(ranking), (std::vector<int>{3, 1, 2, 0, 4}));
  for (std::size_t i = 0; i < ranking.size(); ++i) EXPECT_EQ(ranking[i].rank, static_cast<int>(i) + 1);
  EXPECT_EQ(order(rank_configs(outcomes, Goal::kMaximize)), (std::vector<int>{4, 0, 1, 2, 3}));
}

TEST(Rank, InputOrderDoesNotMatter) {
  const std::vector<Outcome> outcomes = {single(4, S::kOk, 0.3), single(2, S::kOk, 0.3), single(0, S::kOk, 0.3)};
  EXPECT_EQ(order(rank_configs(outcomes, Goal::kMinimize)), (std::vector<int>{0, 2, 4}));
}

TEST(Rank, NaNAfterNumbersDivergedAndFailedLast) {
  const std::vector<Outcome> outcomes = {single(0, S::kDiverged, kNaN), single(1, S::kOk, kNaN),
                                         single(2, S::kFailed, 0.0),    single(3, S::kOk, 0.9),
                                         single(4, S::kOk, 0.2),        single(5, S::kPending, 0.0)};
  for (Goal goal : {Goal::kMinimize, Goal::kMaximize}) {
    const auto ranking = rank_configs(outcomes, goal);
    ASSERT_EQ(ranking.size(), 5u);  // pending config 5 is not ranked
    const std::vector<int> head = goal == Goal::kMinimize ? std::vector<int>{4, 3} : std::vector<int>{3, 4};
    EXPECT_EQ(order(ranking), (std::vector<int>{head[0], head[1], 1, 0, 2}));
    EXPECT_FALSE(ranking[2].all_bad);
    EXPECT_TRUE(std::isnan(ranking[2].mean));
    EXPECT_TRUE(ranking[3].all_bad);
    EXPECT_EQ(ranking[3].diverged, 1);
    EXPECT_TRUE(ranking[4].all_bad);
    EXPECT_EQ(ranking[4].failed, 1);
    EXPECT_TRUE(std::isnan(ranking[4].mean));  // a failed trial's loss is ignored
  }
}

TEST(Rank, RepeatsAggregatedByMeanWithSpread) {
  // config 0: 0.2, 0.4, 0.6 -> mean 0.4, sd 0.2; config 1: 0.35 and a diverged repeat;
  // config 2: one finished repeat and one pending; config 3: diverged + failed.
  const std::vector<Outcome> outcomes = {
      {0, 0, 0, S::kOk, 0.2},       {1, 0, 1, S::kOk, 0.6},      {2, 0, 2, S::kOk, 0.4},
      {3, 1, 0, S::kOk, 0.35},      {4, 1, 1, S::kDiverged, kNaN}, {5, 1, 2, S::kPending, 0.0},
      {6, 2, 0, S::kStopped, 0.5},  {7, 2, 1, S::kPending, 0.0}, {8, 2, 2, S::kPending, 0.0},
      {9, 3, 0, S::kDiverged, kNaN}, {10, 3, 1, S::kFailed, 0.0}, {11, 3, 2, S::kPending, 0.0},
  };
  const auto ranking = rank_configs(outcomes, Goal::kMinimize);
  ASSERT_EQ(ranking.size(), 4u);
  EXPECT_EQ(order(ranking), (std::vector<int>{1, 0, 2, 3}));

  const RankedConfig& c1 = ranking[0];
  EXPECT_DOUBLE_EQ(c1.mean, 0.35);
  EXPECT_EQ(c1.stddev, 0.0);
  EXPECT_EQ(c1.finished, 1);
  EXPECT_EQ(c1.diverged, 1);
  EXPECT_EQ(c1.pending, 1);
  EXPECT_EQ(c1.trials, (std::vector<int>{3, 4}));
  EXPECT_FALSE(c1.all_bad);

  const RankedConfig& c0 = ranking[1];
  EXPECT_DOUBLE_EQ(c0.mean, 0.4);
  EXPECT_NEAR(c0.stddev, 0.2, 1e-12);  // sample standard deviation (n - 1)
  EXPECT_EQ(c0.min, 0.2);
  EXPECT_EQ(c0.max, 0.6);
  EXPECT_EQ(c0.finished, 3);
  EXPECT_EQ(c0.first_trial, 0);

  EXPECT_EQ(ranking[2].finished, 1);
  EXPECT_EQ(ranking[2].pending, 2);
  EXPECT_TRUE(ranking[3].all_bad);
  EXPECT_EQ(ranking[3].trials, (std::vector<int>{9, 10}));
}

TEST(Rank, EqualMeansAcrossRepeatsTieByFirstTrial) {
  const std::vector<Outcome> outcomes = {
      {0, 0, 0, S::kOk, 0.3}, {1, 0, 1, S::kOk, 0.5},  // mean 0.4
      {2, 1, 0, S::kOk, 0.4}, {3, 1, 1, S::kOk, 0.4},  // mean 0.4
  };
  const auto ranking = rank_configs(outcomes, Goal::kMinimize);
  EXPECT_EQ(order(ranking), (std::vector<int>{0, 1}));
}

TEST(Rank, EmptyOrOnlyPendingGivesNoRanking) {
  EXPECT_TRUE(rank_configs({}, Goal::kMinimize).empty());
  const std::vector<Outcome> pending = {single(0, S::kPending, 0.0), single(1, S::kPending, 0.0)};
  EXPECT_TRUE(rank_configs(pending, Goal::kMinimize).empty());
}

TEST(Rank, DuplicateTrialIsAnError) {
  const std::vector<Outcome> outcomes = {single(0, S::kOk, 0.1), single(0, S::kOk, 0.2)};
  EXPECT_THROW((void)rank_configs(outcomes, Goal::kMinimize), core::ConfigError);
}

TEST(Status, NamesRoundTrip) {
  for (auto s : {S::kPending, S::kOk, S::kDiverged, S::kFailed, S::kStopped}) {
    EXPECT_EQ(parse_status(status_name(s)), s);
  }
  EXPECT_EQ(static_cast<int>(S::kStopped), 4);  // stored codes are stable
  EXPECT_TRUE(is_finished(S::kStopped));
  EXPECT_FALSE(is_finished(S::kDiverged));
  EXPECT_THROW((void)parse_status("done"), core::ConfigError);
}

}  // namespace
}  // namespace hpsweep::search
