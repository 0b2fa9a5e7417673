#include "hpsweep/runtime/trial_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <exception>
#include <limits>
#include <string>

#include "hpsweep/core/error.hpp"
#include "hpsweep/nn/trainer.hpp"

namespace hpsweep::runtime {
namespace {

/// An integer setting as the trainer's int; one out of its range is refused, never wrapped (the
/// sweep file's rules refuse it first, with its place; this guards every other way in).
int narrow(long long value, const char* name) {
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    throw core::ConfigError(std::string(name) + " must fit in 32 bits, got " + std::to_string(value));
  }
  return static_cast<int>(value);
}

}  // namespace

nn::TrainConfig train_config(const search::Assignment& s, std::uint64_t seed) {
  // A setting's kind and range are the settings table's (search/settings.cpp): a sweep file's
  // values met them when the file was read, with their place; an assignment from anywhere else
  // meets the same rules here, before any narrowing. TrainConfig::validate below is a backstop.
  for (const search::SettingValue& v : s) {
    const search::SettingInfo* setting = search::find_setting(v.name);
    if (setting == nullptr) {
      throw core::ConfigError("unknown setting '" + v.name + "'; accepted: " + search::setting_names());
    }
    if (const std::string problem = search::check_value(*setting, v.value); !problem.empty()) {
      throw core::ConfigError(problem);
    }
  }
  nn::TrainConfig c;
  c.lr = search::get_double(s, "lr", c.lr);
  c.l2 = search::get_double(s, "l2", c.l2);
  c.weight_decay = search::get_double(s, "weight_decay", c.weight_decay);
  c.dropout = search::get_double(s, "dropout", c.dropout);
  c.input_noise = search::get_double(s, "input_noise", c.input_noise);
  c.batch_size = narrow(search::get_int(s, "batch_size", c.batch_size), "batch_size");
  c.width = narrow(search::get_int(s, "width", c.width), "width");
  c.depth = narrow(search::get_int(s, "depth", c.depth), "depth");
  c.activation = nn::parse_activation(search::get_string(s, "activation", nn::activation_name(c.activation)));
  c.optimizer = nn::parse_optimizer(search::get_string(s, "optimizer", nn::optimizer_name(c.optimizer)));
  c.momentum = search::get_double(s, "momentum", c.momentum);
  c.nesterov = search::get_bool(s, "nesterov", c.nesterov);
  c.epochs = narrow(search::get_int(s, "epochs", c.epochs), "epochs");
  if (search::find_value(s, "patience") != nullptr) {
    c.early_stopping.enabled = true;
    c.early_stopping.patience = narrow(search::get_int(s, "patience"), "patience");
  }
  c.early_stopping.min_delta = search::get_double(s, "min_delta", c.early_stopping.min_delta);
  c.precision = nn::parse_precision(search::get_string(s, "precision", nn::precision_name(c.precision)));
  c.seed = seed;
  c.validate();
  return c;
}

namespace {

void fill_from_result(store::TrialRecord& record, const nn::TrainResult& result) {
  record.status = result.status == nn::TrialStatus::kDiverged ? search::TrialStatus::kDiverged : search::TrialStatus::kOk;
  record.message = result.message;
  for (const nn::EpochRecord& e : result.curve) {
    record.curve.train_loss.push_back(e.train_loss);
    record.curve.val_loss.push_back(e.val_loss);
    record.curve.val_metric.push_back(e.val_metric);
  }
  record.epochs_run = static_cast<int>(result.curve.size());
  if (result.best_epoch > 0) {
    record.best_epoch = result.best_epoch;
    record.best_val_loss = result.best_val_loss;
    record.best_val_metric = result.best_val_metric;
  }
  if (!result.curve.empty()) {
    record.final_train_loss = result.curve.back().train_loss;
    record.final_val_loss = result.curve.back().val_loss;
  }
  if (result.test_loss) {
    record.test_loss = *result.test_loss;
    record.test_metric = *result.test_metric;
  }
  if (result.best_test_loss) {
    record.best_test_loss = *result.best_test_loss;
    record.best_test_metric = *result.best_test_metric;
  }
  record.seconds = result.seconds;
}

}  // namespace

store::TrialRecord pending_record(const search::Trial& trial) {
  store::TrialRecord record;
  record.trial = trial.index;
  record.config = trial.config;
  record.repeat = trial.repeat;
  record.seed = trial.seed;
  record.settings = trial.settings;
  return record;
}

store::TrialRecord run_trial(const search::Trial& trial, const nn::TrainingData& data, int rank,
                             const TrialBudget& budget) {
  store::TrialRecord record = pending_record(trial);
  record.rank = rank;
  try {
    const nn::TrainConfig config = train_config(trial.settings, trial.seed);
    bool paused = false, stopped = false, timed_out = false;
    const auto start = std::chrono::steady_clock::now();
    const nn::EpochGate gate = [&](const nn::TrainResult& so_far) {
      const auto epoch = static_cast<int>(so_far.curve.size());
      if (budget.timeout_seconds > 0.0 &&
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > budget.timeout_seconds) {
        timed_out = true;
        return false;
      }
      if (budget.epochs > 0 && epoch >= budget.epochs) {
        paused = true;
        record.rung = budget.pause_rung;
        return false;
      }
      const auto at = std::find(budget.rungs.begin(), budget.rungs.end(), epoch);
      if (at == budget.rungs.end() || !budget.ask) return true;
      record.rung = static_cast<int>(at - budget.rungs.begin());
      stopped = !budget.ask(record.rung, budget.by_metric ? so_far.best_val_metric : so_far.best_val_loss);
      return !stopped;
    };
    const bool gated = budget.epochs > 0 || budget.ask || budget.timeout_seconds > 0.0;
    const nn::TrainResult result =
        nn::train(data, config, {}, gated ? gate : nn::EpochGate{}, budget.resume, budget.save);
    fill_from_result(record, result);
    record.epochs_trained = record.epochs_run - (budget.resume != nullptr ? budget.resume->epochs : 0);
    if (paused) record.status = search::TrialStatus::kPaused;
    if (stopped) record.status = search::TrialStatus::kStopped;
    if (timed_out) {
      record.status = search::TrialStatus::kFailed;
      char message[160];
      std::snprintf(message, sizeof message, "timed out: %.3g s after %d of %d epochs (trial_timeout: %g s)", result.seconds,
                    record.epochs_run, config.epochs, budget.timeout_seconds);
      record.message = message;
    }
  } catch (const std::exception& e) {
    record.status = search::TrialStatus::kFailed;
    record.message = e.what();
  }
  return record;
}

}  // namespace hpsweep::runtime
