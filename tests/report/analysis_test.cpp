// The report's numbers on a hand-made results set of 4 configurations x 2 repeats whose answers
// are worked out by hand in the comments.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hpsweep/report/analysis.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/report/verdict.hpp"

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
  r.info.max_epochs = 10;  // every finished trial but the stopped one ran all its epochs
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

TEST(ReportRiseGapBySetting, MeanAndSpreadPerValueOfEachVaryingSetting) {
  const store::Results r = sample();
  const std::vector<RiseGapBySetting> g = rise_gap_by_setting(r, diagnose(r));
  ASSERT_EQ(g.size(), 3u);  // l2, dropout, width in the file's order; lr is fixed
  EXPECT_EQ(g[0].axis.setting, "l2");
  EXPECT_EQ(g[1].axis.setting, "dropout");
  EXPECT_EQ(g[2].axis.setting, "width");
  // l2 0: trials 0, 1, 2 -> gaps 0.5, 0.3, 0.1 (mean 0.3, sd 0.2), rises 0.2, 0.2, 0.05 (mean 0.15);
  // l2 0.01: trials 4, 7 -> gaps 0.1, 0.08 (mean 0.09).
  EXPECT_EQ(g[0].axis.labels, (std::vector<std::string>{"0", "0.01"}));
  EXPECT_NEAR(g[0].gap[0].mean, 0.3, 1e-12);
  EXPECT_NEAR(g[0].gap[0].sd, 0.2, 1e-12);
  EXPECT_EQ(g[0].gap[0].n, 3);
  EXPECT_NEAR(g[0].rise[0].mean, 0.15, 1e-12);
  EXPECT_NEAR(g[0].gap[1].mean, 0.09, 1e-12);
  EXPECT_EQ(g[0].gap[1].n, 2);
  // dropout 0.5: trials 2, 7 -> rises 0.05, 0.03.
  EXPECT_NEAR(g[1].rise[1].mean, 0.04, 1e-12);
  EXPECT_EQ(g[2].axis.labels, (std::vector<std::string>{"32", "128"}));
}

/// The built-in trainer's metric: val_metric when `by_metric`, else val_loss.
RankedMetric trainer_metric(bool by_metric) {
  RankedMetric metric;
  if (by_metric) {
    metric.kind = RankedMetric::Kind::kValMetric;
    metric.name = "val_metric";
  }
  return metric;
}

/// The configurations of a ranking, scored as the report scores them.
std::vector<ScoredConfig> scored(const store::Results& r, bool by_metric = false) {
  const std::vector<search::RankedConfig> ranking = rank_results(r, search::SweepSpec{});
  std::vector<ScoredConfig> out;
  for (const ConfigSummary& s : summarize_configs(r, ranking, trainer_metric(by_metric))) {
    if (s.score.n > 0) out.push_back({s.first_trial, s.score.mean});
  }
  return out;
}

TEST(ReportHeatMaps, CellsHoldTheBestConfigurationMeanAndPairsFollowImportance) {
  const store::Results r = sample();
  const std::vector<Importance> terms = importance(r, RankedMetric{});
  const HeatMaps maps = heat_maps(r, scored(r), terms, search::Goal::kMinimize);
  EXPECT_EQ(maps.pairs, 3);
  ASSERT_EQ(maps.maps.size(), 3u);
  // dropout explains 75%, l2 and width nothing: the two pairs with dropout first, in settings order.
  EXPECT_EQ(maps.maps[0].x.setting, "l2");
  EXPECT_EQ(maps.maps[0].y.setting, "dropout");
  EXPECT_EQ(maps.maps[1].x.setting, "dropout");
  EXPECT_EQ(maps.maps[1].y.setting, "width");
  const HeatMap& m = maps.maps[0];
  EXPECT_DOUBLE_EQ(m.at(0, 0), 0.45);  // config 0: the mean of trials 0 and 1, not their minimum 0.40
  EXPECT_DOUBLE_EQ(m.at(0, 1), 0.30);  // config 1: trial 2 (trial 3 diverged)
  EXPECT_DOUBLE_EQ(m.at(1, 0), 0.45);  // config 2: trial 4 (trial 5 pending)
  EXPECT_DOUBLE_EQ(m.at(1, 1), 0.35);  // config 3: trial 7 (trial 6 failed)
  EXPECT_EQ(heat_maps(r, scored(r), terms, search::Goal::kMinimize, 1).maps.size(), 1u);
}

TEST(ReportHeatMaps, MaximizedMetricKeepsTheHighestMeanAndEmptyCellsAreNaN) {
  store::Results r = sample();
  for (auto& t : r.trials) t.best_val_metric = 1.0 - t.best_val_loss;  // accuracy-like
  r.trials[7].status = TrialStatus::kFailed;  // config 3 (l2 0.01, dropout 0.5) has nothing finished
  const HeatMap m = make_heat_map(r, scored(r, true), "l2", "dropout", search::Goal::kMaximize);
  ASSERT_EQ(m.x.size(), 2);
  EXPECT_DOUBLE_EQ(m.at(0, 0), 0.55);  // config 0: mean of 0.5 and 0.6
  EXPECT_DOUBLE_EQ(m.at(0, 1), 0.70);
  EXPECT_DOUBLE_EQ(m.at(1, 0), 0.55);
  EXPECT_TRUE(std::isnan(m.at(1, 1)));
  // Two configurations in one cell (over l2 alone): the higher mean is kept.
  const HeatMap l2_only = make_heat_map(r, scored(r, true), "l2", "width", search::Goal::kMaximize);
  EXPECT_DOUBLE_EQ(l2_only.at(0, 0), 0.70);  // configs 0 (0.55) and 1 (0.70), both l2 0 and width 32
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

TEST(ReportStat, MeanAndSampleSpreadInOrder) {
  const std::vector<double> v = {1.0, 2.0, 6.0};
  const Stat s = stat_of(v);
  EXPECT_EQ(s.n, 3);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  EXPECT_DOUBLE_EQ(s.sd, std::sqrt(7.0));
  EXPECT_TRUE(std::isnan(stat_of(std::vector<double>{4.0}).sd));
  EXPECT_TRUE(std::isnan(stat_of(std::vector<double>{}).mean));
}

TEST(ReportConfigSummary, RepeatsAreAveragedAndBestEpochIsFilled) {
  const store::Results r = sample();
  const std::vector<search::RankedConfig> ranking = rank_results(r, search::SweepSpec{});
  const std::vector<ConfigSummary> s = summarize_configs(r, ranking, trainer_metric(false));
  ASSERT_EQ(s.size(), 4u);
  const ConfigSummary& base = s[1];  // config 0: trials 0 and 1
  EXPECT_EQ(base.config, 0);
  EXPECT_EQ(base.score.n, 2);
  EXPECT_DOUBLE_EQ(base.score.mean, ranking[1].mean);
  EXPECT_DOUBLE_EQ(base.best_epoch.mean, 3.5);
  EXPECT_NEAR(base.best_epoch.sd, std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(base.final_val_loss.mean, 0.65, 1e-12);
  EXPECT_NEAR(base.rise.mean, 0.20, 1e-12);
  EXPECT_NEAR(base.gap.mean, 0.40, 1e-12);
  EXPECT_EQ(s[0].first_trial, 2);  // config 1: trial 3 diverged and is not in the statistics
  EXPECT_EQ(s[0].score.n, 1);
}

TEST(ReportMeanCurve, PerEpochMeanAndSpreadOverFinishedRepeatsUpToTheShortest) {
  store::Results r = sample();
  r.trials[0].curve.val_loss = {1.0, 0.5, 0.7};
  r.trials[1].curve.val_loss = {3.0, 0.7, 0.8, 0.9};
  r.trials[0].epochs_run = 3;  // ended by early stopping
  r.trials[1].epochs_run = 4;
  const std::vector<int> trials = {0, 1, 3};  // trial 3 diverged: left out
  const MeanCurve c = mean_curve(r, trials, &store::Curve::val_loss);
  ASSERT_EQ(c.mean.size(), 3u);
  EXPECT_DOUBLE_EQ(c.mean[0], 2.0);
  EXPECT_NEAR(c.spread[0], std::sqrt(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(c.mean[1], 0.6);
  EXPECT_DOUBLE_EQ(c.mean[2], 0.75);
  const std::vector<int> one = {0};
  EXPECT_TRUE(std::isnan(mean_curve(r, one, &store::Curve::val_loss).spread[0]));  // no spread of one repeat
}

const std::vector<std::string> kSwept = {"l2", "dropout", "width"};

Verdict verdict_of(const store::Results& r) {
  const std::vector<search::RankedConfig> ranking = rank_results(r, search::SweepSpec{});
  const RankedMetric val_loss;  // the trainer's validation loss, minimized
  return judge(r, ranking, summarize_configs(r, ranking, val_loss), kSwept, val_loss);
}

TEST(ReportVerdict, NamesTheBaselineItsRiseAndTheOneSettingThatCuresIt) {
  const Verdict v = verdict_of(sample());
  ASSERT_EQ(v.kind, Verdict::Kind::kOverfitting);  // rise 0.2 > 1% of 0.45
  EXPECT_EQ(v.baseline, 1u);                       // config 0, second in the ranking
  EXPECT_NEAR(v.threshold, 0.0045, 1e-12);
  // Only config 1 differs from config 0 in one setting (dropout); configs 2 and 3 differ in two or three.
  ASSERT_TRUE(v.rise_cure.has_value());
  EXPECT_EQ(v.rise_cure->setting, "dropout");
  EXPECT_EQ(v.rise_cure->value, "0.5");
  EXPECT_FALSE(v.rise_cure->marginal);
  EXPECT_EQ(v.rise_cure->summary, 0u);
  EXPECT_NEAR(v.rise_cure->rise.mean, 0.05, 1e-12);
  ASSERT_TRUE(v.gap_cure.has_value());
  EXPECT_NEAR(v.gap_cure->gap.mean, 0.10, 1e-12);
  // Early stopping or not, config 1 wins (final val loss 0.35 against 0.65 and 0.5); config 3 stopped at a rung.
  EXPECT_EQ(v.pick_best_epoch, 0u);
  EXPECT_EQ(v.pick_final_epoch, 0u);
}

TEST(ReportVerdict, FinalEpochRankingCanPickAnotherConfiguration) {
  store::Results r = sample();
  r.trials[2].final_val_loss = 0.9;  // config 1 overfits badly: best at its best epoch, worst at the end
  const Verdict v = verdict_of(r);
  EXPECT_EQ(v.pick_best_epoch, 0u);
  EXPECT_EQ(v.pick_final_epoch, 2u);  // config 2, final 0.5
  EXPECT_FALSE(v.rise_cure.has_value()) << "a rise of 0.6 cures nothing against the baseline's 0.2";
}

TEST(ReportVerdict, NoOverfittingWhenTheBaselineDoesNotRise) {
  store::Results r = sample();
  for (int t : {0, 1}) r.trials[static_cast<std::size_t>(t)].final_val_loss = r.trials[static_cast<std::size_t>(t)].best_val_loss + 0.001;
  EXPECT_EQ(verdict_of(r).kind, Verdict::Kind::kNoOverfitting);
}

TEST(ReportVerdict, NoBaselineWithoutAnUnregularizedConfiguration) {
  store::Results r = sample();
  r.trials.resize(4);
  for (auto& t : r.trials) t.settings[1].value = 0.01;  // every trial has l2 0.01
  const Verdict v = verdict_of(r);
  EXPECT_EQ(v.kind, Verdict::Kind::kNoBaseline);
  EXPECT_EQ(v.baseline, 0u);  // the best configuration is described instead
}

TEST(ReportVerdict, RandomSweepsFallBackToTheTrialsWithEachValue) {
  store::Results r = sample();
  r.trials[2].settings[3].value = 64LL;  // config 1 now differs from the baseline in dropout and width
  r.trials[4].final_val_loss = 0.6;      // l2 0.01 and width 128: rises 0.15 and 0.03
  const Verdict v = verdict_of(r);
  ASSERT_TRUE(v.rise_cure.has_value());
  EXPECT_TRUE(v.rise_cure->marginal);
  // Over the trials that ran every epoch (trial 7 was stopped at a rung): l2 0.01 has trial 4
  // (rise 0.15), dropout 0.5 and width 64 trial 2 (rise 0.05); dropout comes first in the file.
  EXPECT_EQ(v.rise_cure->setting, "dropout");
  EXPECT_NEAR(v.rise_cure->rise.mean, 0.05, 1e-12);
}

TEST(ReportVerdict, AChangeThatRuinsTheFinalScoreIsNoCure) {
  store::Results r = sample();
  // Config 1 now rises by only 0.04 (0.66 -> 0.70), but ends at 0.70, worse than the baseline's 0.65.
  r.trials[2].final_val_loss = 0.70;
  r.trials[2].best_val_loss = 0.66;
  const Verdict v = verdict_of(r);
  EXPECT_FALSE(v.rise_cure.has_value());
  EXPECT_FALSE(v.gap_cure.has_value());
}

TEST(ReportVerdict, EarlyStoppingCutsTheBaselineShortAndLeavesNoFinalEpochRanking) {
  store::Results r = sample();
  for (auto& t : r.trials) t.settings.push_back({"epochs", 20LL});  // every finished trial stopped by patience at 10
  const Verdict v = verdict_of(r);
  EXPECT_TRUE(v.baseline_cut_short);
  EXPECT_FALSE(v.pick_final_epoch.has_value());
  EXPECT_EQ(v.pick_best_epoch, 0u);
  EXPECT_FALSE(v.rise_cure.has_value()) << "a rise cut short by patience says nothing about a cure";
}

TEST(ReportVerdict, NoOverfittingOfTheBaselineStillNamesTheLargestRiseAmongTheBest) {
  store::Results r = sample();
  for (int t : {0, 1}) r.trials[static_cast<std::size_t>(t)].final_val_loss = r.trials[static_cast<std::size_t>(t)].best_val_loss;
  const Verdict v = verdict_of(r);
  EXPECT_EQ(v.kind, Verdict::Kind::kNoOverfitting);
  ASSERT_TRUE(v.largest_rise.has_value());  // config 1 (0.05) and config 2 (0.05): the first in the ranking
  EXPECT_EQ(*v.largest_rise, 0u);
}

TEST(ReportVerdict, NothingFinished) {
  store::Results r = sample();
  for (auto& t : r.trials) t.status = TrialStatus::kPending;
  EXPECT_EQ(verdict_of(r).kind, Verdict::Kind::kNothingFinished);
}

TEST(ReportImportance, CorrelationRatioOfEachSettingOnTheHandMadeSweep) {
  // Finished losses 0.5, 0.4, 0.3, 0.45, 0.35 (mean 0.4, total SS 0.025). dropout 0: {0.5, 0.4, 0.45}
  // mean 0.45; dropout 0.5: {0.3, 0.35} mean 0.325: between SS 3 * 0.05^2 + 2 * 0.075^2 = 0.01875.
  // l2 and width split {0.5, 0.4, 0.3} / {0.45, 0.35}: both means 0.4, share 0. Pairs: 5 trials in
  // 4 (or 2) cells, fewer than 2 per cell for dropout x l2 and dropout x width; l2 x width has 2 cells.
  const std::vector<Importance> imp = importance(sample(), RankedMetric{});
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
  const std::vector<Importance> imp = importance(r, RankedMetric{});
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
  EXPECT_TRUE(importance(r, RankedMetric{}).empty());
}

TEST(ReportFailures, DivergedAndFailedTrialsInOrder) {
  EXPECT_EQ(failed_trials(sample()), (std::vector<int>{3, 6}));
}

}  // namespace
}  // namespace hpsweep::report
