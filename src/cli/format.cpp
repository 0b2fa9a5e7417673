#include "hpsweep/cli/format.hpp"

#include <cstdio>
#include <ostream>
#include <string>

namespace hpsweep::cli {
namespace {

std::string printf_string(const char* format, auto... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, args...);
  return buffer;
}

}  // namespace

const char* metric_meaning(data::Task task) noexcept {
  return task == data::Task::kRegression ? "rmse" : "accuracy";
}

void print_table_header(std::ostream& out) {
  out << printf_string("%6s %12s %12s %10s %12s %9s\n", "epoch", "train_loss", "val_loss", "val_metric",
                       "l2_penalty", "seconds");
}

void print_table_row(std::ostream& out, const nn::EpochRecord& r) {
  out << printf_string("%6d %12.6f %12.6f %10.4f %12.6g %9.4f\n", r.epoch, r.train_loss, r.val_loss, r.val_metric,
                       r.l2_penalty, r.seconds)
      << std::flush;
}

void print_csv_header(std::ostream& out) { out << "epoch,train_loss,val_loss,val_metric,seconds,l2_penalty\n"; }

void print_csv_row(std::ostream& out, const nn::EpochRecord& r) {
  out << printf_string("%d,%.9g,%.9g,%.9g,%.6f,%.9g\n", r.epoch, r.train_loss, r.val_loss, r.val_metric, r.seconds,
                       r.l2_penalty);
}

void print_summary(std::ostream& out, const nn::TrainResult& result, data::Task task) {
  const bool diverged = result.status == nn::TrialStatus::kDiverged;
  out << "status: " << (diverged ? "diverged (" + result.message + ")" : std::string("ok"))
      << (result.stopped_early ? ", stopped early" : "") << "\n";
  if (result.best_epoch > 0) {
    out << printf_string("best val_loss %.6f at epoch %d (val_metric %.4f, %s)\n", result.best_val_loss,
                         result.best_epoch, result.best_val_metric, metric_meaning(task));
  }
  if (!result.curve.empty()) {
    const nn::EpochRecord& last = result.curve.back();
    out << printf_string("final train_loss %.6f, val_loss %.6f, gap %.6f after %d epochs\n", last.train_loss,
                         last.val_loss, last.val_loss - last.train_loss, last.epoch);
  }
  if (result.best_test_loss) {
    out << printf_string("test loss %.6f, test %s %.4f at the best epoch (%d, selected by validation)\n",
                         *result.best_test_loss, metric_meaning(task), *result.best_test_metric, result.best_epoch);
  }
  if (result.test_loss) {
    out << printf_string("test loss %.6f, test %s %.4f with the weights training ended with (epoch %d)\n",
                         *result.test_loss, metric_meaning(task), *result.test_metric, result.weights_epoch);
  }
  out << printf_string("trained in %.3f s\n", result.seconds);
}

}  // namespace hpsweep::cli
