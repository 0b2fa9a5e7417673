#pragma once
/// `hpsweep train`: train one configuration and print its learning curve.

#include <CLI/App.hpp>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "hpsweep/data/source.hpp"
#include "hpsweep/nn/config.hpp"

namespace hpsweep::cli {

/// Everything `hpsweep train` accepts.
struct TrainOptions {
  data::DataSource data;
  std::string data_file;   ///< empty: the synthetic set
  std::string task;        ///< empty: inferred
  nn::TrainConfig config;
  std::string activation = "relu";
  std::string optimizer = "adam";
  std::string precision = "float32";
  int patience = -1;       ///< < 0: no early stopping
  bool no_restore = false;
  int threads = 0;         ///< 0: the CPUs this process may use
  std::string format = "table";
  std::string from;        ///< a results file: rerun one of its trials
  int trial = -1;          ///< with `from`: the trial index
  std::vector<double> stored_val_loss;  ///< with `from`: the curve in the file, to compare
  std::string save;        ///< write the trained model here (empty: do not)
  /// Filled by finish_train_options: what a saved model records of its origin.
  std::string sweep_name;
  std::string settings_text;
  std::string fingerprint_in_file;  ///< with `from`: the data fingerprint the sweep recorded
  std::string version;     ///< hpsweep's version, for a saved model
};

/// Registers the options of `train` on `command`, bound to `options`.
void add_train_options(CLI::App& command, TrainOptions& options);

/// Resolves the option strings into `options.data` and `options.config` (throws on bad values).
void finish_train_options(TrainOptions& options);

/// Runs `hpsweep train`; prints the curve and summary to `out`. Returns the exit code.
int run_train(const TrainOptions& options, std::ostream& out);

}  // namespace hpsweep::cli
