// Early termination's rung logic: the ladder, asha's and median's verdicts (out of order, with
// repeats, restored on resume) and sha/hyperband's promotions, worked out by hand.

#include "hpsweep/search/termination.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "hpsweep/search/parse.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

EarlyTerminate spec(Termination type, int min_epochs = 3, int eta = 3) {
  EarlyTerminate s;
  s.type = type;
  s.min_epochs = min_epochs;
  s.eta = eta;
  return s;
}

std::vector<int> one_trial_per_config(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

TEST(RungEpochs, GeometricBelowTheEpochsAndMaxT) {
  EXPECT_EQ(rung_epochs(spec(Termination::kAsha), 50), (std::vector<int>{3, 9, 27}));
  EXPECT_EQ(rung_epochs(spec(Termination::kAsha), 27), (std::vector<int>{3, 9}));
  EarlyTerminate capped = spec(Termination::kSha, 2, 2);
  capped.max_epochs = 16;
  EXPECT_EQ(rung_epochs(capped, 50), (std::vector<int>{2, 4, 8}));
  EXPECT_EQ(rung_epochs(spec(Termination::kMedian, 5), 8), (std::vector<int>{5, 6, 7}));
  EXPECT_TRUE(rung_epochs(EarlyTerminate{}, 50).empty());
}

TEST(Asha, KeepsTheTopThirdOfWhatArrivedSoFar) {
  AsyncRungs asha(spec(Termination::kAsha), one_trial_per_config(6), true);
  EXPECT_EQ(asha.decide(0, 0, 0.50), Verdict::kContinue);  // alone: top ceil(1/3) = 1
  EXPECT_EQ(asha.decide(1, 0, 0.60), Verdict::kStop);      // 2nd of 2: keep ceil(2/3) = 1
  EXPECT_EQ(asha.decide(2, 0, 0.40), Verdict::kContinue);  // 1st of 3
  EXPECT_EQ(asha.decide(3, 0, 0.45), Verdict::kContinue);  // 2nd of 4: keep 2
  EXPECT_EQ(asha.decide(4, 0, 0.55), Verdict::kStop);      // 4th of 5: keep 2
  EXPECT_EQ(asha.decide(5, 0, std::nan("")), Verdict::kStop);  // diverged: last
  // Rungs are independent: trial 2 at rung 1 is alone there.
  EXPECT_EQ(asha.decide(2, 1, 0.30), Verdict::kContinue);
}

TEST(Asha, MaximizesWhenTheMetricIsToBeMaximized) {
  AsyncRungs asha(spec(Termination::kAsha, 3, 2), one_trial_per_config(2), false);
  EXPECT_EQ(asha.decide(0, 0, 0.8), Verdict::kContinue);
  EXPECT_EQ(asha.decide(1, 0, 0.9), Verdict::kContinue);  // better accuracy: 1st of 2
  AsyncRungs worse(spec(Termination::kAsha, 3, 2), one_trial_per_config(2), false);
  EXPECT_EQ(worse.decide(0, 0, 0.9), Verdict::kContinue);
  EXPECT_EQ(worse.decide(1, 0, 0.8), Verdict::kStop);
}

TEST(Asha, RepeatsShareTheVerdictOfTheFirstToArriveAndAddToTheMean) {
  // Trials 0, 1 are config 0; 2, 3 config 1.
  AsyncRungs asha(spec(Termination::kAsha, 3, 2), {0, 0, 1, 1}, true);
  EXPECT_EQ(asha.decide(1, 0, 0.5), Verdict::kContinue);  // repeat 1 first: out of order
  EXPECT_EQ(asha.decide(2, 0, 0.6), Verdict::kStop);      // config 1 is 2nd of 2 (keep 1)
  EXPECT_EQ(asha.decide(3, 0, 0.1), Verdict::kStop);      // follows config 1's verdict
  EXPECT_EQ(asha.decide(0, 0, 0.9), Verdict::kContinue);  // follows config 0's
  // Asking again for the same trial and rung counts it once and answers the same.
  EXPECT_EQ(asha.decide(2, 0, 0.6), Verdict::kStop);
  // A third configuration judged against the means: config 0 (0.5+0.9)/2 = 0.7, config 1 0.35.
  AsyncRungs three(spec(Termination::kAsha, 3, 2), {0, 0, 1, 1, 2}, true);
  (void)three.decide(0, 0, 0.5);
  (void)three.decide(2, 0, 0.6);
  (void)three.decide(3, 0, 0.1);
  (void)three.decide(1, 0, 0.9);
  // Means 0.35, 0.6, 0.7: 2nd of 3, keep ceil(3/2) = 2. (On first arrivals alone, 0.5 and 0.6,
  // it would be 3rd and stop.)
  EXPECT_EQ(three.decide(4, 0, 0.6), Verdict::kContinue);
}

TEST(Asha, RestoredVerdictsAreKeptAndTheirValuesCount) {
  AsyncRungs resumed(spec(Termination::kAsha), one_trial_per_config(4), true);
  // Before the kill, trial 1 was told to continue at 0.9 although it would now rank last.
  resumed.restore(0, 0, 0.2, Verdict::kContinue);
  resumed.restore(1, 0, 0.9, Verdict::kContinue);
  EXPECT_EQ(resumed.decide(1, 0, 0.9), Verdict::kContinue);  // rerun: the same verdict
  EXPECT_EQ(resumed.decide(2, 0, 0.5), Verdict::kStop);      // 2nd of 3 with the restored values: keep 1
  EXPECT_EQ(resumed.verdict(1, 0), Verdict::kContinue);
  EXPECT_FALSE(resumed.verdict(3, 0).has_value());
}

TEST(Median, StopsBelowTheMedianOfTheOthersOnceThereAreEnough) {
  EarlyTerminate m = spec(Termination::kMedian, 5);
  m.min_samples = 2;
  AsyncRungs median(m, one_trial_per_config(5), true);
  EXPECT_EQ(median.decide(0, 0, 0.9), Verdict::kContinue);  // no others yet
  EXPECT_EQ(median.decide(1, 0, 0.5), Verdict::kContinue);  // one other < min_samples
  EXPECT_EQ(median.decide(2, 0, 0.8), Verdict::kStop);      // others 0.9, 0.5: median 0.7 < 0.8
  EXPECT_EQ(median.decide(3, 0, 0.6), Verdict::kContinue);  // others 0.9 0.5 0.8: median 0.8
  EXPECT_EQ(median.decide(4, 0, 0.7), Verdict::kContinue);  // others 0.5 0.6 0.8 0.9: median 0.7, not worse
}

/// A trial's progress: best-so-far values for `epochs` epochs, all equal to `value`.
TrialProgress at(int epochs, double value, bool paused = true) {
  TrialProgress p;
  p.best_so_far.assign(static_cast<std::size_t>(epochs), value);
  p.paused = paused;
  p.ended = !paused;
  return p;
}

TEST(Sha, WaitsForTheWholeRungThenPromotesTheBestThird) {
  // 9 configurations, rungs 2, 6, 18 and the full 50 epochs.
  SyncBrackets sha(spec(Termination::kSha, 2), one_trial_per_config(9), 50, 1, true);
  EXPECT_EQ(sha.ladder(), (std::vector<int>{2, 6, 18, 50}));
  EXPECT_EQ(sha.first_epochs(4), 2);
  std::vector<TrialProgress> progress(9);
  for (int t = 0; t < 8; ++t) progress[static_cast<std::size_t>(t)] = at(2, 0.1 * (9 - t));
  EXPECT_TRUE(sha.decide(0, progress).empty());  // trial 8 has not reached rung 0 yet
  progress[8] = at(2, 0.05);
  std::vector<Promotion> due = sha.decide(0, progress);
  ASSERT_EQ(due.size(), 9u);
  // Best first: 8 (0.05), 7 (0.2), 6 (0.3) continue to 6 epochs; the rest stop at rung 0.
  EXPECT_EQ(due[0].trial, 8);
  EXPECT_EQ(due[0].epochs, 6);
  EXPECT_EQ(due[1].trial, 7);
  EXPECT_EQ(due[2].trial, 6);
  EXPECT_EQ(due[2].epochs, 6);
  for (std::size_t i = 3; i < due.size(); ++i) EXPECT_EQ(due[i].epochs, 0) << due[i].trial;
  // Stopped ones end; 7 reaches rung 1 first; then 8 and 6: the best of 3 goes on to 18.
  for (int t = 0; t < 6; ++t) progress[static_cast<std::size_t>(t)].paused = false, progress[static_cast<std::size_t>(t)].ended = true;
  progress[7] = at(6, 0.15);
  // Rung 1 is incomplete: only rung 0's promotions of the trials still paused there are due (again).
  due = sha.decide(0, progress);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].trial, 8);
  EXPECT_EQ(due[1].trial, 6);
  EXPECT_EQ(due[1].epochs, 6);
  progress[8] = at(6, 0.04);
  progress[6] = at(6, 0.30);
  due = sha.decide(0, progress);
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].trial, 8);
  EXPECT_EQ(due[0].epochs, 18);
  EXPECT_EQ(due[0].rung, 1);
  EXPECT_EQ(due[1].epochs, 0);
  EXPECT_EQ(due[2].epochs, 0);
}

TEST(Sha, TheSameDecisionsWhateverTheOrderTheValuesCameIn) {
  SyncBrackets sha(spec(Termination::kSha, 2), one_trial_per_config(6), 20, 1, true);
  std::vector<TrialProgress> a(6), b(6);
  const double values[] = {0.4, 0.1, 0.6, 0.3, 0.5, 0.2};
  for (int t = 0; t < 6; ++t) a[static_cast<std::size_t>(t)] = at(2, values[t]);
  for (int t = 5; t >= 0; --t) b[static_cast<std::size_t>(t)] = at(2, values[t]);
  const auto da = sha.decide(0, a), db = sha.decide(0, b);
  ASSERT_EQ(da.size(), db.size());
  for (std::size_t i = 0; i < da.size(); ++i) {
    EXPECT_EQ(da[i].trial, db[i].trial);
    EXPECT_EQ(da[i].epochs, db[i].epochs);
  }
  EXPECT_EQ(da[0].trial, 1);  // 0.1, then 0.2 (trial 5) continue: floor(6/3) = 2
  EXPECT_EQ(da[1].trial, 5);
  EXPECT_EQ(da[1].epochs, 6);
  EXPECT_EQ(da[2].epochs, 0);
}

TEST(Sha, RepeatsAreJudgedOnTheirMeanAndATrialEndedByPatienceCountsWithItsFinalValue) {
  // Configs 0, 1 with 2 repeats each (trials 0,1 and 2,3); eta 2: one configuration goes on.
  SyncBrackets sha(spec(Termination::kSha, 2, 2), {0, 0, 1, 1}, 8, 1, true);
  std::vector<TrialProgress> p = {at(2, 0.2), at(2, 0.8), at(2, 0.4), at(1, 0.45, false)};
  const auto due = sha.decide(0, p);  // config 0 mean 0.5, config 1 mean 0.425: config 1 goes on
  ASSERT_EQ(due.size(), 3u);          // trial 3 ended by patience: nothing to decide for it
  EXPECT_EQ(due[0].trial, 2);
  EXPECT_EQ(due[0].epochs, 4);
  EXPECT_EQ(due[1].epochs, 0);
  EXPECT_EQ(due[2].epochs, 0);
}

TEST(Hyperband, DealsConfigurationsToBracketsInHyperbandsProportions) {
  // Ladder 2, 6, 18, 50: s_max = 3; n_s = 27, 18, 6, 4 (sum 55) for brackets 0..3; 243 x n_s / 55 =
  // 119.29, 79.53, 26.51, 17.67, rounded by largest remainder to 119, 80, 26, 18.
  SyncBrackets hb(spec(Termination::kHyperband, 2), one_trial_per_config(243), 50, 7, true);
  ASSERT_EQ(hb.brackets(), 4);
  std::vector<int> sizes(4, 0);
  for (int c = 0; c < 243; ++c) ++sizes[static_cast<std::size_t>(hb.bracket_of_config(c))];
  EXPECT_EQ(sizes, (std::vector<int>{119, 80, 26, 18}));
  // Bracket b starts at rung b; the last trains fully.
  for (int c = 0; c < 243; ++c) EXPECT_EQ(hb.first_epochs(c), hb.ladder()[static_cast<std::size_t>(hb.bracket_of_config(c))]);
  // Dealt after a shuffle: bracket 0 holds configurations from the whole range, not a block.
  int low = 0;
  for (int c = 0; c < 120; ++c) low += hb.bracket_of_config(c) == 0 ? 1 : 0;
  EXPECT_GT(low, 30);
  EXPECT_LT(low, 90);
  SyncBrackets same(spec(Termination::kHyperband, 2), one_trial_per_config(243), 50, 7, true);
  for (int c = 0; c < 243; ++c) EXPECT_EQ(same.bracket_of_config(c), hb.bracket_of_config(c));
}

TEST(EarlyTerminateParse, ReadsEachTypeAndRejectsBadValues) {
  const std::string head = "name: s\nmethod: grid\nparameters:\n  lr: {values: [0.001, 0.01]}\n";
  SweepSpec s = parse_sweep(head + "early_terminate: {type: hyperband, min_iter: 3, eta: 3}\n", "s.yaml");
  EXPECT_EQ(s.early_terminate.type, Termination::kHyperband);
  EXPECT_EQ(s.early_terminate.min_epochs, 3);
  EXPECT_EQ(s.early_terminate.place, "s.yaml:5:18");
  s = parse_sweep(head + "early_terminate: {type: asha, grace_period: 2, reduction_factor: 4, max_t: 40}\n", "s.yaml");
  EXPECT_EQ(s.early_terminate.type, Termination::kAsha);
  EXPECT_EQ(s.early_terminate.eta, 4);
  EXPECT_EQ(s.early_terminate.max_epochs, 40);
  s = parse_sweep(head + "early_terminate: {type: median, grace_period: 5}\n", "s.yaml");
  EXPECT_EQ(s.early_terminate.type, Termination::kMedian);
  EXPECT_EQ(s.early_terminate.min_epochs, 5);
  EXPECT_FALSE(parse_sweep(head, "s.yaml").early_terminate.enabled());

  using testing::config_error;
  EXPECT_NE(config_error([&] { (void)parse_sweep(head + "early_terminate: {type: bohb}\n", "s.yaml"); })
                .find("s.yaml:5:25: early_terminate type must be one of asha, sha, hyperband, median"),
            std::string::npos);
  EXPECT_NE(config_error([&] { (void)parse_sweep(head + "early_terminate: {type: asha, eta: 3}\n", "s.yaml"); })
                .find("eta"),
            std::string::npos);
  EXPECT_NE(config_error([&] { (void)parse_sweep(head + "early_terminate: {type: sha, eta: 1}\n", "s.yaml"); })
                .find("early_terminate eta"),
            std::string::npos);
  EXPECT_NE(config_error([&] { (void)parse_sweep(head + "early_terminate: {min_iter: 3}\n", "s.yaml"); })
                .find("early_terminate needs a type"),
            std::string::npos);
  EXPECT_NE(config_error([&] {
              (void)parse_sweep(head + "early_terminate: {type: asha, grace_period: 9, max_t: 9}\n", "s.yaml");
            }).find("must lie below the last"),
            std::string::npos);
}

}  // namespace
}  // namespace hpsweep::search
