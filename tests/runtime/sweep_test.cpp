// Whole sweeps in one process: the results file, resuming it, refusing another sweep's file,
// and results that do not depend on the number of threads.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../common/data_files.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/runtime/sweep.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/search/sampler.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

/// A record as it was before it ran: its trial, pending.
store::TrialRecord as_pending(const store::TrialRecord& r) {
  return pending_record({r.trial, r.config, r.repeat, r.seed, r.settings});
}

/// These runs end normally: a run that wanted to end the process would be a failure here.
const ExitNow never_exit = [](int code) { FAIL() << "run_sweep asked to end the process with " << code; };

class Sweep : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hpsweep_sweep_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    sweep_path_ = (dir_ / "s.yaml").string();
    write_sweep("0.0, 0.3");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_sweep(const std::string& dropouts) {
    std::ofstream(sweep_path_) << "name: s\nmethod: grid\nseed: 5\nrepeats: 2\n"
                                  "data: {source: synthetic, train: 200, val: 100, seed: 2}\n"
                                  "fixed: {epochs: 4, width: 16}\n"
                                  "parameters:\n  dropout: {values: ["
                               << dropouts << "]}\n  batch_size: {values: [8, 128]}\n";
  }

  store::Results run(int threads, bool restart = false) {
    const PreparedSweep sweep = prepare_sweep(sweep_path_);
    RunOptions options;
    options.output = (dir_ / "s.h5").string();
    options.threads = threads;
    options.quiet = true;
    options.restart = restart;
    std::ostringstream log;
    EXPECT_EQ(run_sweep(sweep, options, nullptr, log, false, never_exit).exit_code, 0);
    return store::read_results(options.output);
  }

  fs::path dir_;
  std::string sweep_path_;
};

TEST_F(Sweep, WritesEveryTrialWithItsCurveAndSettings) {
  const store::Results r = run(2);
  ASSERT_EQ(r.trials.size(), 8u);
  EXPECT_EQ(r.info.name, "s");
  EXPECT_EQ(r.info.max_epochs, 4);
  EXPECT_THAT(r.info.data_fingerprint, ::testing::MatchesRegex("xxh3:[0-9a-f]{16}"));
  EXPECT_THAT(r.info.sweep_text, HasSubstr("batch_size"));
  for (const auto& t : r.trials) {
    EXPECT_EQ(t.status, search::TrialStatus::kOk) << t.message;
    EXPECT_EQ(t.curve.val_loss.size(), 4u);
    EXPECT_EQ(t.best_val_loss, *std::min_element(t.curve.val_loss.begin(), t.curve.val_loss.end()));
    EXPECT_EQ(search::get_double(t.settings, "dropout"), t.config / 2 == 0 ? 0.0 : 0.3);
  }
}

TEST_F(Sweep, CurvesDoNotDependOnTheThreadCount) {
  const store::Results one = run(1, true);
  const store::Results two = run(2, true);
  const store::Results four = run(4, true);
  for (std::size_t t = 0; t < one.trials.size(); ++t) {
    EXPECT_EQ(one.trials[t].curve.val_loss, two.trials[t].curve.val_loss) << "trial " << t;
    EXPECT_EQ(one.trials[t].curve.train_loss, four.trials[t].curve.train_loss) << "trial " << t;
  }
}

TEST_F(Sweep, ResumingACompleteFileRunsNothingAndChangesNoResult) {
  const store::Results first = run(2);
  const store::Results again = run(2);
  for (std::size_t t = 0; t < first.trials.size(); ++t) {
    EXPECT_EQ(first.trials[t].seconds, again.trials[t].seconds) << "trial " << t << " was rerun";
    EXPECT_EQ(first.trials[t].curve.val_loss, again.trials[t].curve.val_loss);
  }
}

TEST_F(Sweep, ResumeRunsOnlyThePendingTrials) {
  store::Results partial = run(2);
  for (std::size_t t = 3; t < partial.trials.size(); ++t) {
    partial.trials[t] = as_pending(partial.trials[t]);
  }
  store::write_results((dir_ / "s.h5").string(), partial);
  const store::Results resumed = run(1);
  const store::Results fresh = run(2, true);
  for (std::size_t t = 0; t < resumed.trials.size(); ++t) {
    EXPECT_EQ(resumed.trials[t].status, search::TrialStatus::kOk);
    EXPECT_EQ(resumed.trials[t].curve.val_loss, fresh.trials[t].curve.val_loss) << "trial " << t;
  }
  EXPECT_EQ(resumed.trials[0].seconds, partial.trials[0].seconds) << "a finished trial was rerun";
}

/// An adaptive stand-in: 2 configurations a batch, 3 batches, each batch's dropout derived from
/// the best validation losses of every settled trial so far, so its settings depend on the history.
class LearningSampler final : public search::Sampler {
 public:
  explicit LearningSampler(search::SweepSpec spec) : spec_(std::move(spec)) {}
  std::vector<search::Proposal> propose(int decided, std::span<const search::Observation> history) override {
    history_sizes.push_back(static_cast<int>(history.size()));
    if (decided >= 6) return {};  // asked once more when all 12 trials have settled: done
    double sum = 0.0;
    for (const search::Observation& o : history) sum += o.value;
    const double dropout = history.empty() ? 0.0 : 0.5 * sum / static_cast<double>(history.size());
    std::vector<search::Proposal> batch;
    for (int c = decided; c < decided + 2; ++c) {
      search::Assignment settings = search::config_settings(spec_, c % 4);
      for (auto& s : settings) {
        if (s.name == "dropout") s.value = dropout;
      }
      batch.push_back({c, settings});
    }
    return batch;
  }
  int batch_start(int config) const noexcept override { return config / 2 * 2; }
  std::vector<int> history_sizes;

 private:
  search::SweepSpec spec_;
};

TEST_F(Sweep, AnAdaptiveSamplerDecidesEachBatchFromTheSettledOnesAndAnyThreadCountAgrees) {
  std::vector<store::Results> files;
  for (int threads : {2, 1}) {
    PreparedSweep sweep = prepare_sweep(sweep_path_);
    auto sampler = std::make_shared<LearningSampler>(sweep.spec);
    sweep.sampler = sampler;
    sweep.plan.clear();
    for (const search::Proposal& p : sampler->propose(0, {})) {
      for (search::Trial& t : search::trials_of(sweep.spec, p)) sweep.plan.push_back(std::move(t));
    }
    RunOptions options;
    options.output = (dir_ / ("adaptive" + std::to_string(threads) + ".h5")).string();
    options.threads = threads;
    options.quiet = true;
    std::ostringstream log;
    ASSERT_EQ(run_sweep(sweep, options, nullptr, log, false, never_exit).exit_code, 0) << log.str();
    // Batches decided from nothing, then from the 4 trials of batch 0, then from the 8 of batches 0
    // and 1; then asked once more with all 12.
    EXPECT_EQ(sampler->history_sizes, (std::vector<int>{0, 4, 8, 12}));
    files.push_back(store::read_results(options.output));
  }
  const store::Results& r = files[0];
  ASSERT_EQ(r.trials.size(), 12u);  // 6 configurations x 2 repeats, rows added as they were decided
  for (const store::TrialRecord& t : r.trials) EXPECT_EQ(t.status, search::TrialStatus::kOk) << "trial " << t.trial;
  // Batch 1's dropout is half the mean best val loss of batch 0's trials, as the file records them.
  double sum = 0.0;
  for (int t = 0; t < 4; ++t) sum += r.trials[static_cast<std::size_t>(t)].best_val_loss;
  EXPECT_DOUBLE_EQ(search::get_double(r.trials[4].settings, "dropout"), 0.5 * sum / 4);
  EXPECT_NE(search::get_double(r.trials[8].settings, "dropout"), search::get_double(r.trials[4].settings, "dropout"));
  for (std::size_t t = 0; t < r.trials.size(); ++t) {
    EXPECT_EQ(r.trials[t].settings, files[1].trials[t].settings) << "trial " << t;
    EXPECT_EQ(r.trials[t].curve.val_loss, files[1].trials[t].curve.val_loss) << "trial " << t;
  }
}

TEST_F(Sweep, AnotherSweepsFileIsRefusedAndLeftAlone) {
  const store::Results first = run(2);
  write_sweep("0.0, 0.5");
  try {
    (void)run(2);
    FAIL() << "another sweep's file was accepted";
  } catch (const core::StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("holds another sweep: the sweep file differs"));
    EXPECT_THAT(e.what(), HasSubstr("--restart"));
  }
  EXPECT_EQ(store::read_results((dir_ / "s.h5").string()).info.sweep_text, first.info.sweep_text);
  EXPECT_EQ(run(2, true).trials.size(), 8u);  // --restart starts over explicitly
}

TEST_F(Sweep, AFileThatIsNotAResultsFileIsNeverOverwritten) {
  std::ofstream(dir_ / "s.h5") << "precious notes";
  const PreparedSweep sweep = prepare_sweep(sweep_path_);
  RunOptions options;
  options.output = (dir_ / "s.h5").string();
  options.quiet = true;
  options.restart = true;
  std::ostringstream log;
  EXPECT_THROW((void)run_sweep(sweep, options, nullptr, log, false, never_exit), core::StoreError);
  std::ifstream in(dir_ / "s.h5");
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "precious notes");
}

TEST_F(Sweep, BadSweepFilesFailBeforeAnyTraining) {
  std::ofstream(sweep_path_) << "name: s\nmethod: grid\nparameters:\n  dropout: {values: [1.5]}\n  widht: {value: 3}\n";
  try {
    (void)prepare_sweep(sweep_path_);
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("s.yaml:4:"));
    EXPECT_THAT(e.what(), HasSubstr("dropout"));
    EXPECT_THAT(e.what(), HasSubstr("widht"));
  }
  EXPECT_FALSE(fs::exists(dir_ / "s.h5"));
}

// A sweep whose trials all train in float32, on float32 HDF5 data, holds the data once, in
// float32 (no float64 splits); its fingerprint and every trial's numbers are those of the float64
// path, which a sweep that names the precision takes: the two resume each other's files.
TEST_F(Sweep, Float32DataOfAFloat32SweepIsHeldOnceWithTheFloat64PathsNumbers) {
  for (const std::string source : {"hdf5", "csv"}) {
    SCOPED_TRACE(source);
    const std::string data = (dir_ / ("data." + source)).string();
    ASSERT_TRUE(source == "csv" ? testing::write_short_decimal_csv(data, 411, 7) : testing::write_float32_hdf5(data, 411, 7));
    const auto write = [&](const std::string& extra, const std::string& fixed = "") {
      std::ofstream(sweep_path_) << "name: s\nmethod: grid\nseed: 5\n"
                                    "data: {source: " << source << ", train: " << data << ", val_fraction: 0.25, test_fraction: 0.1}\n"
                                    "fixed: {epochs: 5, width: 12" << fixed << "}\n"
                                    "parameters:\n  dropout: {values: [0.0, 0.3]}\n  batch_size: {values: [16, 200]}\n"
                                 << extra;
    };
    write("");
    const PreparedSweep narrow = prepare_sweep(sweep_path_);
    EXPECT_EQ(narrow.splits.train.num_samples(), 0);
    ASSERT_NE(narrow.training_data, nullptr);
    EXPECT_EQ(narrow.training_data->shape().train + narrow.training_data->shape().val +
                  narrow.training_data->shape().test, 411);
    const store::Results narrow_results = run(2, true);
    write("  precision: {values: [float32]}\n");
    const PreparedSweep wide = prepare_sweep(sweep_path_);
    EXPECT_EQ(wide.splits.train.num_samples(), narrow.data_description.train_samples);
    EXPECT_EQ(wide.fingerprint, narrow.fingerprint);
    EXPECT_TRUE(wide.data_description == narrow.data_description);
    const store::Results wide_results = run(2, true);
    ASSERT_EQ(narrow_results.trials.size(), 4u);
    ASSERT_EQ(wide_results.trials.size(), 4u);
    for (std::size_t t = 0; t < 4; ++t) {
      const store::TrialRecord& a = narrow_results.trials[t];
      const store::TrialRecord& b = wide_results.trials[t];
      EXPECT_EQ(a.status, search::TrialStatus::kOk) << a.message;
      EXPECT_EQ(a.curve.train_loss, b.curve.train_loss) << "trial " << t;
      EXPECT_EQ(a.curve.val_loss, b.curve.val_loss) << "trial " << t;
      EXPECT_EQ(a.test_loss, b.test_loss) << "trial " << t;
      EXPECT_EQ(a.best_test_loss, b.best_test_loss) << "trial " << t;
      EXPECT_LT(a.curve.val_loss.back(), a.curve.val_loss.front()) << "trial " << t << " learnt nothing";
    }
    write("", ", precision: float64");  // float64 trials read the float64 splits
    EXPECT_EQ(prepare_sweep(sweep_path_).splits.train.num_samples(), narrow.data_description.train_samples);
    EXPECT_EQ(run(2, true).trials[0].status, search::TrialStatus::kOk);
  }
}

namespace bayes_tests {

/// A bayes sweep of 14 configurations x 2 repeats: 4 startup ones, then batches of 4 (and 2).
std::string bayes_sweep(const std::string& extra) {
  return "name: b\nmethod: bayes\nseed: 9\nrepeats: 2\nrun_cap: 14\n"
         "bayes: {startup_trials: 4, batch_size: 4}\n"
         "data: {source: synthetic, train: 200, val: 100, seed: 2}\n"
         "fixed: {epochs: 9, width: 16, batch_size: 32}\n"
         "parameters:\n  lr: {distribution: log_uniform_values, min: 1.0e-4, max: 0.5}\n"
         "  dropout: {min: 0.0, max: 0.8}\n  activation: {values: [relu, tanh]}\n" + extra;
}

}  // namespace bayes_tests

class BayesSweep : public Sweep {
 protected:
  store::Results run_bayes(const std::string& extra, int threads, const std::string& file, int expected_code = 0) {
    std::ofstream(sweep_path_) << bayes_tests::bayes_sweep(extra);
    const PreparedSweep sweep = prepare_sweep(sweep_path_);
    RunOptions options;
    options.output = (dir_ / file).string();
    options.threads = threads;
    options.quiet = true;
    std::ostringstream log;
    EXPECT_EQ(run_sweep(sweep, options, nullptr, log, false, never_exit).exit_code, expected_code) << log.str();
    log_ = log.str();
    return store::read_results(options.output);
  }
  static void expect_same_trials(const store::Results& a, const store::Results& b) {
    ASSERT_EQ(a.trials.size(), b.trials.size());
    for (std::size_t t = 0; t < a.trials.size(); ++t) {
      EXPECT_EQ(a.trials[t].settings, b.trials[t].settings) << "trial " << t;
      EXPECT_EQ(a.trials[t].status, b.trials[t].status) << "trial " << t;
      EXPECT_EQ(a.trials[t].curve.val_loss, b.trials[t].curve.val_loss) << "trial " << t;
    }
  }
  std::string log_;
};

TEST_F(BayesSweep, GivesTheSameTrialsOnAnyThreadCountAndLearnsFromEachBatch) {
  const store::Results two = run_bayes("", 2, "two.h5");
  const store::Results one = run_bayes("", 1, "one.h5");
  ASSERT_EQ(two.trials.size(), 28u);
  expect_same_trials(one, two);
  const search::SweepSpec spec = prepare_sweep(sweep_path_).spec;
  for (int c = 0; c < 4; ++c) {  // the startup ones are method random's draws
    EXPECT_EQ(two.trials[static_cast<std::size_t>(2 * c)].settings, search::random_settings(spec, c));
  }
  EXPECT_NE(two.trials[8].settings, search::random_settings(spec, 4));
  for (const store::TrialRecord& r : two.trials) EXPECT_FALSE(search::is_unsettled(r.status)) << r.trial;
}

TEST_F(BayesSweep, AResumeFromAnyBatchGivesTheUninterruptedFile) {
  const store::Results whole = run_bayes("", 2, "whole.h5");
  // Cut the file after the second batch, with the last two trials of that batch never run.
  store::Results partial = whole;
  partial.trials.resize(16);
  for (std::size_t t = 14; t < 16; ++t) {
    partial.trials[t] = as_pending(partial.trials[t]);
  }
  store::write_results((dir_ / "cut.h5").string(), partial);
  expect_same_trials(run_bayes("", 1, "cut.h5"), whole);
  // A kill while a batch was being journaled: its first row only (configuration 8, repeat 0,
  // never run). The resume completes the batch with the same rows, then goes on as before.
  store::Results torn = whole;
  torn.trials.resize(17);
  torn.trials[16] = as_pending(torn.trials[16]);
  store::write_results((dir_ / "torn.h5").string(), torn);
  expect_same_trials(run_bayes("", 2, "torn.h5"), whole);
}

TEST_F(BayesSweep, ABatchSizeTheDataCannotHoldIsRefusedBeforeAnyTraining) {
  // The startup draws may all fit; a later proposal might not: refused up front.
  std::ofstream(sweep_path_) << "name: b\nmethod: bayes\nrun_cap: 30\n"
                                "data: {source: synthetic, train: 200, val: 100, seed: 2}\n"
                                "fixed: {epochs: 2}\nparameters:\n  lr: {min: 0.001, max: 0.1}\n"
                                "  batch_size: {values: [8, 16, 1024]}\n";
  try {
    (void)prepare_sweep(sweep_path_);
    FAIL() << "accepted";
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("s.yaml:8:3: parameter batch_size reaches 1024, more than the 200 training samples"));
  }
}

TEST_F(BayesSweep, RunsWithEarlyTerminationAndResumesToTheSameFile) {
  for (const std::string et : {"early_terminate: {type: hyperband, min_iter: 3, eta: 3}\n",
                               "early_terminate: {type: asha, grace_period: 3, reduction_factor: 3}\n"}) {
    SCOPED_TRACE(et);
    const store::Results whole = run_bayes(et, 2, "et.h5");
    ASSERT_EQ(whole.trials.size(), 28u);
    int stopped = 0;
    for (const store::TrialRecord& r : whole.trials) {
      EXPECT_TRUE(r.status == search::TrialStatus::kOk || r.status == search::TrialStatus::kStopped) << r.trial;
      stopped += r.status == search::TrialStatus::kStopped ? 1 : 0;
    }
    EXPECT_GT(stopped, 0);
    if (et.find("hyperband") != std::string::npos) {
      // sha/hyperband decide from values alone: one thread gives the same file, and so does a
      // resume from a file cut after the second batch (its stopped trials judged again).
      expect_same_trials(run_bayes(et, 1, "et1.h5"), whole);
      store::Results cut = whole;
      cut.trials.resize(16);
      store::write_results((dir_ / "et1.h5").string(), cut);
      expect_same_trials(run_bayes(et, 1, "et1.h5"), whole);
    }
    fs::remove(dir_ / "et.h5");
    fs::remove(dir_ / "et1.h5");
  }
}

TEST_F(BayesSweep, StopsStartingTrialsOnceOneReachesTheTarget) {
  // Reached by some startup trial for sure: every finished one has a loss below 10.
  const store::Results r = run_bayes("metric: {name: val_loss, goal: minimize, target: 10.0}\n", 1, "t.h5");
  EXPECT_LT(r.trials.size(), 28u);  // no batch was decided after the startup one
  EXPECT_THAT(log_, HasSubstr("reached metric.target 10"));
  const store::Results again = run_bayes("metric: {name: val_loss, goal: minimize, target: 10.0}\n", 1, "t.h5");
  EXPECT_THAT(log_, HasSubstr("nothing to run"));
  expect_same_trials(r, again);
}

}  // namespace
}  // namespace hpsweep::runtime
