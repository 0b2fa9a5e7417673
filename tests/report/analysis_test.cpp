// The report's numbers on a hand-made results set of 4 configurations x 2 repeats whose answers
// are worked out by hand in the comments.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hpsweep/report/analysis.hpp"
#include "hpsweep/report/ranking.hpp"

namespace hpsweep::report {
namespace {

using search::TrialStatus;
const double kNaN = std::nan("");

store::TrialRecord trial(int index, double dropout, double l2, long long width, TrialStatus status,
                         double best, int best_epoch, double final_train, double final_val) {
  store::TrialRecord r;
  r.trial = index;
  r.config = index / 2;
  r.repeat = index % 2;
  r.status = status;
  r.settings = {{"lr", 0.001}, {"l2", l2}, {"dropout", dropout}, {"width", width}, {"optimizer", std::string("adam")}};
  r.best_val_loss = best;
  r.best_epoch = best_epoch;
  r.final_train_loss = final_train;
  r.final_val_loss = final_val;
  if (status != TrialStatus::kPending) {
    r.epochs_run = 10;
    r.seconds = 1.5;
  }
  return r;
}

/// config 0: baseline (dropout 0, l2 0, width 32); config 1: dropout 0.5; config 2: l2 0.01, width 128;
/// config 3: both, width 128. Trial 3 diverged, 5 pending, 6 failed, 7 stopped early.
store::Results sample() {
  store::Results r;
  r.info.name = "hand";
  r.trials = {trial(0, 0.0, 0.0, 32, TrialStatus::kOk, 0.50, 3, 0.20, 0.70),
              trial(1, 0.0, 0.0, 32, TrialStatus::kOk, 0.40, 4, 0.30, 0.60),
              trial(2, 0.5, 0.0, 32, TrialStatus::kOk, 0.30, 8, 0.25, 0.35),
              trial(3, 0.5, 0.0, 32, TrialStatus::kDiverged, kNaN, 0, kNaN, kNaN),
              trial(4, 0.0, 0.01, 128, TrialStatus::kOk, 0.45, 5, 0.40, 0.50),
              trial(5, 0.0, 0.01, 128, TrialStatus::kPending, kNaN, 0, kNaN, kNaN),
              trial(6, 0.5, 0.01, 128, TrialStatus::kFailed, kNaN, 0, kNaN, kNaN),
              trial(7, 0.5, 0.01, 128, TrialStatus::kStopped, 0.35, 6, 0.30, 0.38)};
  r.trials[6].message = "std::bad_alloc";
  return r;
}

TEST(ReportSummary, CountsStatusesAndTotalsAndMarksPartial) {
  const Summary s = summarize(sample());
  EXPECT_EQ(s.counts.ok, 4);
  EXPECT_EQ(s.counts.stopped, 1);
  EXPECT_EQ(s.counts.diverged, 1);
  EXPECT_EQ(s.counts.failed, 1);
  EXPECT_EQ(s.counts.pending, 1);
  EXPECT_DOUBLE_EQ(s.trial_seconds, 7 * 1.5);
  EXPECT_EQ(s.epochs, 70);
  EXPECT_TRUE(s.partial);
}

TEST(ReportDiagnose, FinishedTrialsOnlyWithRiseAndGap) {
  const std::vector<TrialDiagnosis> d = diagnose(sample());
  ASSERT_EQ(d.size(), 5u);
  const std::vector<int> trials = {0, 1, 2, 4, 7};
  const std::vector<double> rise = {0.20, 0.20, 0.05, 0.05, 0.03};
  const std::vector<double> gap = {0.50, 0.30, 0.10, 0.10, 0.08};
  for (std::size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d[i].trial, trials[i]);
    EXPECT_NEAR(d[i].rise, rise[i], 1e-12) << "trial " << trials[i];
    EXPECT_NEAR(d[i].gap, gap[i], 1e-12) << "trial " << trials[i];
  }
  EXPECT_EQ(d[4].best_epoch, 6);
  EXPECT_EQ(d[4].config, 3);
}

TEST(ReportVaryingSettings, NumericSettingsThatDifferInFileOrder) {
  EXPECT_EQ(varying_settings(sample()), (std::vector<std::string>{"l2", "dropout", "width"}));
}

TEST(ReportGapBySetting, MeanFinalGapPerValueOfEachRegularizationSetting) {
  const store::Results r = sample();
  const std::vector<GapBySetting> g = gap_by_setting(r, diagnose(r));
  ASSERT_EQ(g.size(), 3u);  // dropout, l2, width in that order; lr is fixed
  EXPECT_EQ(g[0].axis.setting, "dropout");
  EXPECT_EQ(g[1].axis.setting, "l2");
  EXPECT_EQ(g[2].axis.setting, "width");
  // dropout 0: trials 0, 1, 4 -> (0.5 + 0.3 + 0.1) / 3; dropout 0.5: trials 2, 7 -> (0.1 + 0.08) / 2.
  EXPECT_EQ(g[0].axis.labels, (std::vector<std::string>{"0", "0.5"}));
  EXPECT_NEAR(g[0].mean_gap[0], 0.3, 1e-12);
  EXPECT_NEAR(g[0].mean_gap[1], 0.09, 1e-12);
  EXPECT_EQ(g[0].trials, (std::vector<int>{3, 2}));
  // l2 0: trials 0, 1, 2; l2 0.01: trials 4, 7.
  EXPECT_NEAR(g[1].mean_gap[0], 0.3, 1e-12);
  EXPECT_NEAR(g[1].mean_gap[1], 0.09, 1e-12);
  EXPECT_EQ(g[2].axis.labels, (std::vector<std::string>{"32", "128"}));
}

TEST(ReportHeatMaps, DropoutByWidthCellsAreTheMinimumOverFinishedTrials) {
  const std::vector<HeatMap> maps = heat_maps(sample());
  ASSERT_EQ(maps.size(), 1u);  // lr and batch_size do not vary
  const HeatMap& m = maps[0];
  EXPECT_EQ(m.x.setting, "dropout");
  EXPECT_EQ(m.y.setting, "width");
  EXPECT_DOUBLE_EQ(m.at(0, 0), 0.40);  // trials 0, 1
  EXPECT_DOUBLE_EQ(m.at(1, 0), 0.30);  // trial 2 (trial 3 diverged)
  EXPECT_DOUBLE_EQ(m.at(0, 1), 0.45);  // trial 4 (trial 5 pending)
  EXPECT_DOUBLE_EQ(m.at(1, 1), 0.35);  // trial 7 (trial 6 failed)
}

TEST(ReportHeatMaps, EmptyCellIsNaNAndFallbackPairIsTheFirstTwoVarying) {
  store::Results r = sample();
  for (auto& t : r.trials) t.settings.erase(t.settings.begin() + 3);  // no width: no named pair
  r.trials[4].status = TrialStatus::kFailed;
  r.trials[7].status = TrialStatus::kFailed;
  const std::vector<HeatMap> maps = heat_maps(r);
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].x.setting, "l2");
  EXPECT_EQ(maps[0].y.setting, "dropout");
  EXPECT_DOUBLE_EQ(maps[0].at(0, 0), 0.40);
  EXPECT_TRUE(std::isnan(maps[0].at(1, 0)));
  EXPECT_TRUE(std::isnan(maps[0].at(1, 1)));
}

TEST(ReportAxis, FewValuesAreCategoriesAndLogWhenSpanningTwoDecades) {
  const std::vector<double> lrs = {1e-4, 1e-3, 1e-2, 1e-3, kNaN};
  const Axis a = make_axis("lr", lrs);
  EXPECT_FALSE(a.binned);
  EXPECT_TRUE(a.log);
  EXPECT_EQ(a.size(), 3);
  EXPECT_EQ(a.index(1e-3), 1);
  EXPECT_EQ(a.index(5e-3), -1);
  EXPECT_EQ(a.index(kNaN), -1);
  const std::vector<double> l2 = {0.0, 0.01, 1.0};
  EXPECT_FALSE(make_axis("l2", l2).log);  // zero has no logarithm
  const std::vector<double> widths = {32, 64, 128};
  EXPECT_FALSE(make_axis("width", widths).log);  // 4x, not 2 decades
}

TEST(ReportAxis, ManyValuesAreBinnedInLogSpace) {
  std::vector<double> values;
  for (int i = 0; i <= 40; ++i) values.push_back(std::pow(10.0, -5.0 + 4.0 * i / 40));
  const Axis a = make_axis("lr", values);
  EXPECT_TRUE(a.binned);
  EXPECT_TRUE(a.log);
  ASSERT_EQ(a.size(), Axis::kBins);
  EXPECT_EQ(a.index(1e-5), 0);
  EXPECT_EQ(a.index(1e-1), Axis::kBins - 1);
  EXPECT_EQ(a.index(1e-3), 4);  // the middle decade boundary, log10 -3 is halfway
  EXPECT_EQ(a.index(1.0), -1);
}

TEST(ReportRanking, OrderOfConfigurationsAndRepresentativeTrials) {
  const store::Results r = sample();
  const std::vector<search::RankedConfig> ranking = rank_results(r, search::SweepSpec{});
  ASSERT_EQ(ranking.size(), 4u);
  // means: config 1 0.30, config 0 0.45 (trial 0), config 2 0.45 (trial 4); config 3 (0.35) only
  // has trial 7, stopped at a rung after 10 epochs: ranked after those trained fully.
  EXPECT_EQ(ranking[0].config, 1);
  EXPECT_EQ(ranking[1].config, 0);
  EXPECT_EQ(ranking[2].config, 2);
  EXPECT_EQ(ranking[3].config, 3);
  EXPECT_NEAR(ranking[1].mean, 0.45, 1e-12);
  EXPECT_EQ(ranking[3].budget, 10);
  EXPECT_EQ(representative_trial(r, ranking[3]), 7);  // trial 6 failed
  EXPECT_EQ(status_note(ranking[0]), "1 diverged ");
  EXPECT_EQ(status_note(ranking[3]), "1 failed stopped at 10 epochs ");
}

TEST(ReportBaseline, BestUnregularizedBesideBestRegularized) {
  const store::Results r = sample();
  const std::vector<search::RankedConfig> ranking = rank_results(r, search::SweepSpec{});
  const std::optional<Baseline> b = find_baseline(r, ranking);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(ranking[b->baseline].config, 0);
  EXPECT_EQ(ranking[b->regularized].config, 1);
}

TEST(ReportBaseline, NoneWithoutAnUnregularizedConfiguration) {
  store::Results r = sample();
  r.trials.resize(4);
  for (auto& t : r.trials) t.settings[1].value = 0.01;  // every trial has l2 0.01
  EXPECT_FALSE(find_baseline(r, rank_results(r, search::SweepSpec{})).has_value());
}

TEST(ReportImportance, CorrelationRatioOfEachSettingOnTheHandMadeSweep) {
  // Finished losses 0.5, 0.4, 0.3, 0.45, 0.35 (mean 0.4, total SS 0.025). dropout 0: {0.5, 0.4, 0.45}
  // mean 0.45; dropout 0.5: {0.3, 0.35} mean 0.325: between SS 3 * 0.05^2 + 2 * 0.075^2 = 0.01875.
  // l2 and width split {0.5, 0.4, 0.3} / {0.45, 0.35}: both means 0.4, share 0. Pairs: 5 trials in
  // 4 (or 2) cells, fewer than 2 per cell for dropout x l2 and dropout x width; l2 x width has 2 cells.
  const std::vector<Importance> imp = importance(sample());
  ASSERT_EQ(imp.size(), 4u);
  EXPECT_EQ(imp[0].term, "dropout");
  EXPECT_NEAR(imp[0].share, 0.75, 1e-12);
  EXPECT_EQ(imp[1].term, "l2");
  EXPECT_NEAR(imp[1].share, 0.0, 1e-12);
  EXPECT_EQ(imp[3].term, "l2 x width");
  EXPECT_NEAR(imp[3].share, 0.0, 1e-12);
}

TEST(ReportImportance, InteractionOfABalancedGridIsWhatTheMainEffectsLeave) {
  // 2 x 2 grid, 2 repeats with equal losses: cells (d, l) -> 1, 2, 3, 8. Mean 3.5, total SS 58;
  // dropout margins 2 and 5 -> 18; l2 margins 1.5 and 5.5 -> 32; the cells explain all 58, so the
  // interaction is (58 - 18 - 32) / 58.
  store::Results r;
  const double loss[2][2] = {{1, 3}, {2, 8}};  // [dropout][l2]
  int index = 0;
  for (int d = 0; d < 2; ++d) {
    for (int l = 0; l < 2; ++l) {
      for (int rep = 0; rep < 2; ++rep, ++index) {
        r.trials.push_back(trial(index, 0.5 * d, 0.01 * l, 32, TrialStatus::kOk, loss[d][l], 1, 0.0, 0.0));
      }
    }
  }
  const std::vector<Importance> imp = importance(r);
  ASSERT_EQ(imp.size(), 3u);
  EXPECT_EQ(imp[0].term, "l2");
  EXPECT_NEAR(imp[0].share, 32.0 / 58, 1e-12);
  EXPECT_EQ(imp[1].term, "dropout");
  EXPECT_NEAR(imp[1].share, 18.0 / 58, 1e-12);
  EXPECT_EQ(imp[2].term, "l2 x dropout");
  EXPECT_NEAR(imp[2].share, 8.0 / 58, 1e-12);
}

TEST(ReportImportance, EmptyWhenNothingVaries) {
  store::Results r = sample();
  r.trials.resize(2);  // both baseline trials: no setting varies
  EXPECT_TRUE(importance(r).empty());
}

TEST(ReportFailures, DivergedAndFailedTrialsInOrder) {
  EXPECT_EQ(failed_trials(sample()), (std::vector<int>{3, 6}));
}

}  // namespace
}  // namespace hpsweep::report
