#pragma once
/// The record of a stand-in trial for the coordinator and results-file benchmarks: a real trial's
/// shape and size (status ok, every setting, a curve over the trial's epochs with a falling train
/// loss and a validation loss that turns up), deterministic in the trial's seed, without training.

#include <algorithm>
#include <cmath>
#include <random>

#include "hpsweep/runtime/trial_runner.hpp"

namespace hpsweep::bench {

inline store::TrialRecord stand_in_record(const search::Trial& trial, int rank) {
  store::TrialRecord record = runtime::pending_record(trial);
  record.rank = rank;
  const int epochs = runtime::train_config(trial.settings, trial.seed).epochs;
  std::mt19937_64 random(trial.seed);
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  const double floor = 0.3 * jitter(random);
  const int turn = std::max(1, epochs / 2);
  record.best_val_loss = INFINITY;
  for (int e = 1; e <= epochs; ++e) {
    record.curve.train_loss.push_back(floor + 1.0 / e);
    record.curve.val_loss.push_back(floor + 1.0 / std::min(e, turn) + 0.01 * std::max(0, e - turn));
    record.curve.val_metric.push_back(0.5 + 0.4 * (1.0 - 1.0 / e) * jitter(random));
    if (record.curve.val_loss.back() < record.best_val_loss) {
      record.best_val_loss = record.curve.val_loss.back();
      record.best_epoch = e;
      record.best_val_metric = record.curve.val_metric.back();
    }
  }
  record.final_train_loss = record.curve.train_loss.back();
  record.final_val_loss = record.curve.val_loss.back();
  record.epochs_run = record.epochs_trained = epochs;
  record.status = search::TrialStatus::kOk;
  return record;
}

}  // namespace hpsweep::bench
