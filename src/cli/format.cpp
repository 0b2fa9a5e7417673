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

const char* metric_label(data::Task task) noexcept {
  return task == data::Task::kRegression ? "val_rmse" : "val_acc";
}

void print_table_header(std::ostream& out, data::Task task) {
  out << printf_string("%6s %12s %12s %10s %12s %9s\n", "epoch", "train_loss", "val_loss", metric_label(task),
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
    out << printf_string("best val_loss %.6f at epoch %d (%s %.4f)\n", result.best_val_loss, result.best_epoch,
                         metric_label(task), result.best_val_metric);
  }
  if (!result.curve.empty()) {
    const nn::EpochRecord& last = result.curve.back();
    out << printf_string("final train_loss %.6f, val_loss %.6f, gap %.6f after %d epochs\n", last.train_loss,
                         last.val_loss, last.val_loss - last.train_loss, last.epoch);
  }
  if (result.test_loss) {
    out << printf_string("test loss %.6f, test %s %.4f\n", *result.test_loss,
                         task == data::Task::kRegression ? "rmse" : "acc", *result.test_metric);
  }
  out << printf_string("trained in %.3f s\n", result.seconds);
}

}  // namespace hpsweep::cli
