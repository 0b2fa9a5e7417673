#pragma once
/// Running one planned trial: the only place where a search assignment meets the trainer.

#include <functional>
#include <vector>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/nn/config.hpp"
#include "hpsweep/nn/trainer.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

/// The training configuration of a trial's settings and seed; settings a sweep does not
/// mention keep TrainConfig's defaults. Throws core::ConfigError for an impossible value.
[[nodiscard]] nn::TrainConfig train_config(const search::Assignment& settings, std::uint64_t seed);

/// The record of a planned trial that has not run: its identity and settings, status pending.
[[nodiscard]] store::TrialRecord pending_record(const search::Trial& trial);

/// How far a trial trains this time under early termination (default: fully, asking nobody).
struct TrialBudget {
  /// sha/hyperband: pause after this epoch (status paused, rung `pause_rung`); 0: train fully.
  int epochs = 0;
  int pause_rung = -1;
  /// asha/median: the epochs at which to ask, and whom (true: go on). The value asked about is
  /// the ranked metric so far: the best validation loss, or with `by_metric` the validation
  /// metric at that epoch of best loss.
  std::vector<int> rungs;
  std::function<bool(int rung, double value)> ask;
  bool by_metric = false;
  /// sha/hyperband: go on from this checkpoint of an earlier pause (else train from the first
  /// epoch), and save the run here when it pauses.
  const nn::TrainCheckpoint* resume = nullptr;
  nn::TrainCheckpoint* save = nullptr;
  /// The sweep's trial_timeout: past it the trial ends after its current epoch, failed; 0: none.
  double timeout_seconds = 0.0;
  /// True once the sweep is asked to stop (a signal): a program trial passes it on to its program
  /// at once; the built-in trainer finishes its trial within the grace period instead.
  std::function<bool()> stop_requested;
};

/// Trains `trial` on `data` and returns its record (curves, best epoch, status). A trial that
/// diverges or throws (std::bad_alloc included) is a record with that status and the message,
/// never an exception. Under a budget, a trial told to stop at a rung is `stopped` there (rung
/// set), one that reached its pause epoch is `paused`; a trial that passed rungs records the last.
[[nodiscard]] store::TrialRecord run_trial(const search::Trial& trial, const nn::TrainingData& data, int rank,
                                           const TrialBudget& budget = {});

/// How a worker turns a trial into its record: run_trial, a stand-in of fixed duration in the
/// coordinator's scale benchmark (bench/coordinator_scale.cpp), or run_trial wrapped by a test
/// that injects a fault (src/cli/test_faults.cpp): the seam where tests reach a trial.
using TrialFunction =
    std::function<store::TrialRecord(const search::Trial&, const nn::TrainingData&, int rank, const TrialBudget&)>;

}  // namespace hpsweep::runtime
