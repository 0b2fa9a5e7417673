#pragma once
/// `hpsweep curves` and `hpsweep report`: reading a finished (or partial) results file.

#include <CLI/App.hpp>
#include <iosfwd>
#include <string>

namespace hpsweep::cli {

struct CurvesOptions {
  std::string results;
  int trial = -1;
  std::string format = "table";
};
void add_curves_options(CLI::App& command, CurvesOptions& options);
/// Prints one trial's per-epoch train_loss, val_loss and val_metric. A trial index outside the
/// file throws core::ConfigError naming the valid range; a pending trial prints no rows.
int run_curves(const CurvesOptions& options, std::ostream& out);

}  // namespace hpsweep::cli
