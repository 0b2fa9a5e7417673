#include "test_faults.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>
#include <utility>

namespace hpsweep::cli {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The record of a run whose weights turned NaN during epoch `epoch` (1-based): the curves before
/// it as trained, that epoch NaN, the best of the epochs before, diverged: what the trainer reports
/// of a real divergence.
void diverge_at(store::TrialRecord& r, int epoch) {
  if (epoch < 1 || epoch > r.epochs_run) return;  // the trial ended first: no fault
  const int kept = epoch - 1;
  for (auto* curve : {&r.curve.train_loss, &r.curve.val_loss, &r.curve.val_metric}) {
    curve->resize(static_cast<std::size_t>(kept));
    curve->push_back(kNaN);
  }
  r.epochs_run = r.epochs_trained = epoch;
  r.best_epoch = 0;
  r.best_val_loss = r.best_val_metric = kNaN;
  for (int e = 0; e < kept; ++e) {
    const double v = r.curve.val_loss[static_cast<std::size_t>(e)];
    if (r.best_epoch == 0 || v < r.best_val_loss) {
      r.best_epoch = e + 1;
      r.best_val_loss = v;
      r.best_val_metric = r.curve.val_metric[static_cast<std::size_t>(e)];
    }
  }
  r.final_train_loss = r.final_val_loss = kNaN;
  r.test_loss = r.test_metric = r.best_test_loss = r.best_test_metric = kNaN;
  r.status = search::TrialStatus::kDiverged;
  r.message = "loss became NaN at epoch " + std::to_string(epoch);
}

}  // namespace

runtime::TrialFunction with_test_fault(runtime::TrialFunction train) {
  const char* spec = std::getenv("HPSWEEP_TEST_FAULT");
  if (spec == nullptr) return train;
  int trial = -1, epoch = 0;
  if (std::sscanf(spec, "nan:%d:%d", &trial, &epoch) == 2) {
    return [train = std::move(train), trial, epoch](const search::Trial& t, const nn::TrainingData& data, int rank,
                                                     const runtime::TrialBudget& budget) {
      store::TrialRecord record = train(t, data, rank, budget);
      if (t.index == trial) diverge_at(record, epoch);
      return record;
    };
  }
  if (std::sscanf(spec, "bad_alloc:%d", &trial) == 1) {
    return [train = std::move(train), trial](const search::Trial& t, const nn::TrainingData& data, int rank,
                                             const runtime::TrialBudget& budget) {
      // Thrown out of the trial function: the worker must turn it into a failed record itself.
      if (t.index == trial) throw std::bad_alloc();
      return train(t, data, rank, budget);
    };
  }
  return train;
}

}  // namespace hpsweep::cli
