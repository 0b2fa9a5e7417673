// Early termination carried out on trial records: the budgets jobs get, promotions made due by
// results (a paused trial stopped, another sent on), and a resume in the middle of a rung, which
// must pick up exactly where the killed run stood.

#include "hpsweep/runtime/early_termination.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hpsweep/core/error.hpp"
#include "hpsweep/search/parse.hpp"

namespace hpsweep::runtime {
namespace {

/// 9 configurations (dropout x lr), one repeat each; sha with rungs 2 and 6 below 12 epochs.
search::SweepSpec sha_spec(const std::string& termination = "{type: sha, min_iter: 2, eta: 3}") {
  return search::parse_sweep("name: s\nmethod: grid\nseed: 3\nfixed: {epochs: 12}\n"
                             "parameters:\n  dropout: {values: [0.0, 0.2, 0.4]}\n  lr: {values: [0.001, 0.003, 0.01]}\n"
                             "early_terminate: " + termination + "\n",
                             "s.yaml");
}

store::Results fresh(const std::vector<search::Trial>& plan) {
  store::Results r;
  for (const auto& t : plan) r.trials.push_back(pending_record(t));
  return r;
}

/// Trial t paused (or, with `status`, settled) after `epochs` epochs with val loss `loss` throughout.
void report(store::Results& results, int t, int epochs, double loss,
            search::TrialStatus status = search::TrialStatus::kPaused) {
  store::TrialRecord& r = results.trials.at(static_cast<std::size_t>(t));
  r.status = status;
  r.epochs_run = epochs;
  r.curve.val_loss.assign(static_cast<std::size_t>(epochs), loss);
  r.curve.val_metric.assign(static_cast<std::size_t>(epochs), 0.5);
  r.best_val_loss = loss;
}

TEST(EarlyTermination, BudgetsFollowTheRungs) {
  const search::SweepSpec spec = sha_spec();
  const auto plan = search::make_plan(spec);
  EarlyTermination sha(spec, plan);
  const TrialBudget first = sha.budget({0, 2}, plan[0], {});
  EXPECT_EQ(first.epochs, 2);
  EXPECT_EQ(first.pause_rung, 0);
  EXPECT_EQ(sha.budget({0, 6}, plan[0], {}).pause_rung, 1);
  EXPECT_EQ(sha.budget({0, 0}, plan[0], {}).epochs, 0);  // the full epochs: no pause
  const search::SweepSpec asha_spec = sha_spec("{type: asha, grace_period: 2, reduction_factor: 3}");
  EarlyTermination asha(asha_spec, search::make_plan(asha_spec));
  const TrialBudget b = asha.budget({0, 0}, plan[0], [](int, double) { return true; });
  EXPECT_EQ(b.rungs, (std::vector<int>{2, 6}));
  EXPECT_TRUE(static_cast<bool>(b.ask));
  EXPECT_EQ(b.epochs, 0);
}

TEST(EarlyTermination, AResultCompletingTheRungStopsSomeAndPromotesTheRest) {
  const search::SweepSpec spec = sha_spec();
  const auto plan = search::make_plan(spec);
  EarlyTermination sha(spec, plan);
  store::Results results = fresh(plan);
  std::vector<store::TrialRecord> settled;
  const std::vector<Job> start = sha.start(results, {}, settled);
  ASSERT_EQ(start.size(), 9u);
  for (const Job& j : start) EXPECT_EQ(j.epochs, 2);
  EXPECT_TRUE(settled.empty());
  // Trials report in reverse order; the loss of trial t is 0.1 * (t + 1).
  for (int t = 8; t >= 1; --t) {
    report(results, t, 2, 0.1 * (t + 1));
    EXPECT_TRUE(sha.after_result(results, t, settled).empty()) << "rung 0 is incomplete until trial 0 reports";
  }
  report(results, 0, 2, 0.1);
  const std::vector<Job> due = sha.after_result(results, 0, settled);
  // floor(9 / 3) = 3 go on to 6 epochs: trials 0, 1, 2; the other 6 stop at rung 0.
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0], (Job{0, 6}));
  EXPECT_EQ(due[1], (Job{1, 6}));
  EXPECT_EQ(due[2], (Job{2, 6}));
  ASSERT_EQ(settled.size(), 6u);
  for (const auto& s : settled) {
    EXPECT_EQ(s.status, search::TrialStatus::kStopped);
    EXPECT_EQ(s.rung, 0);
    EXPECT_GE(s.trial, 3);
  }
}

TEST(EarlyTermination, AResumeInTheMiddleOfARungPicksUpWhereTheRunStood) {
  const search::SweepSpec spec = sha_spec();
  const auto plan = search::make_plan(spec);
  // The killed run: rung 0 complete (trials 0-2 promoted, 3-8 stopped), trial 1 back from rung 1,
  // trial 0's continuation lost in the kill (it is still paused at rung 0), trial 2 not back yet.
  store::Results results = fresh(plan);
  for (int t = 0; t < 9; ++t) {
    report(results, t, 2, 0.1 * (t + 1), t < 3 ? search::TrialStatus::kPaused : search::TrialStatus::kStopped);
  }
  report(results, 1, 6, 0.15);
  EarlyTermination resumed(spec, plan);
  std::vector<store::TrialRecord> settled;
  std::vector<Job> jobs = resumed.start(results, {}, settled);
  // Trials 0 and 2 go on to 6 epochs again; nothing is stopped twice, nothing new starts.
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].epochs, 6);
  EXPECT_EQ(jobs[1].epochs, 6);
  EXPECT_TRUE(settled.empty());
  report(results, 0, 6, 0.05);
  EXPECT_TRUE(resumed.after_result(results, 0, settled).empty());
  report(results, 2, 6, 0.30);
  const std::vector<Job> due = resumed.after_result(results, 2, settled);
  // Rung 1 complete: the best of 3 (trial 0, 0.05) trains fully; 1 and 2 stop at rung 1.
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (Job{0, 12}));
  ASSERT_EQ(settled.size(), 2u);
  EXPECT_EQ(settled[0].rung, 1);
}

TEST(EarlyTermination, AshaRestoresVerdictsFromRecordsAndTheJournal) {
  const search::SweepSpec spec = sha_spec("{type: asha, grace_period: 2, reduction_factor: 3}");
  const auto plan = search::make_plan(spec);
  store::Results results = fresh(plan);
  report(results, 0, 12, 0.2, search::TrialStatus::kOk);  // passed rungs 0 and 1
  results.trials[0].rung = 1;
  report(results, 1, 2, 0.9, search::TrialStatus::kStopped);  // stopped at rung 0
  results.trials[1].rung = 0;
  EarlyTermination asha(spec, plan);
  std::vector<store::TrialRecord> settled;
  // Trial 2 was running when the run was killed: told to go on at rung 0 with 0.95, worse than
  // both values there now; its rerun must get the same verdict.
  const std::vector<Job> jobs = asha.start(results, {{2, 0, 0.95, false}}, settled);
  EXPECT_EQ(jobs.size(), 7u);  // trials 2..8, fully (asha asks on the way)
  EXPECT_TRUE(asha.at_rung(2, 0, 0.95));
  EXPECT_FALSE(asha.at_rung(3, 0, 0.95));  // a new trial with that value is 4th of 4: stopped
  EXPECT_TRUE(asha.at_rung(4, 0, 0.1));
}

TEST(EarlyTermination, RefusesWhatTheSweepCannotUse) {
  auto error_of = [](const std::string& text) {
    const search::SweepSpec spec = search::parse_sweep(text, "s.yaml");
    try {
      EarlyTermination e(spec, search::make_plan(spec));
    } catch (const core::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of("name: s\nmethod: grid\nfixed: {epochs: 3}\nparameters:\n  lr: {values: [0.001, 0.01]}\n"
                     "early_terminate: {type: asha, grace_period: 3}\n")
                .find("s.yaml:6:18: early_terminate (asha): no rung lies below the trials' 3 epochs"),
            std::string::npos);
  EXPECT_NE(error_of("name: s\nmethod: grid\nparameters:\n  epochs: {values: [10, 20]}\n"
                     "early_terminate: {type: sha, min_iter: 2}\n")
                .find("every trial must train the same number of epochs"),
            std::string::npos);
  EXPECT_NE(error_of("name: s\nmethod: grid\nfixed: {epochs: 10}\nparameters:\n  lr: {values: [0.001, 0.01]}\n"
                     "early_terminate: {type: asha, grace_period: 2, max_t: 50}\n")
                .find("max_t/max_iter 50 is beyond the trials' 10 epochs"),
            std::string::npos);
}

}  // namespace
}  // namespace hpsweep::runtime
