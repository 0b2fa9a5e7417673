#pragma once
/// Printing learning curves for people (aligned table) and scripts (CSV).

#include <iosfwd>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/nn/trainer.hpp"

namespace hpsweep::cli {

/// What the val_metric column holds for a task: "accuracy" or "rmse" (the results file's
/// `val_metric` attribute says the same).
[[nodiscard]] const char* metric_meaning(data::Task task) noexcept;

void print_table_header(std::ostream& out);
void print_table_row(std::ostream& out, const nn::EpochRecord& record);
void print_csv_header(std::ostream& out);
void print_csv_row(std::ostream& out, const nn::EpochRecord& record);
/// Best validation loss and its epoch, final losses, status.
void print_summary(std::ostream& out, const nn::TrainResult& result, data::Task task);

}  // namespace hpsweep::cli
