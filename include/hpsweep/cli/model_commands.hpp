#pragma once
/// `hpsweep predict` and `hpsweep split`: models and data that leave hpsweep.

#include <CLI/App.hpp>
#include <iosfwd>
#include <string>

namespace hpsweep::cli {

struct PredictOptions {
  std::string model;
  std::string data;
  std::string output;  ///< empty: standard output
  std::string x_path = "X";
  std::string y_path = "y";
};
void add_predict_options(CLI::App& command, PredictOptions& options);
/// Writes one CSV row per input row: `prediction` and, for classification, `p_<label>` per
/// class. With the target in the data, prints the loss and metric to `log`. The output may not
/// be an input (exit 2); a data file that does not fit the model exits 4.
int run_predict(const PredictOptions& options, std::ostream& out, std::ostream& log);

struct SplitOptions {
  std::string source;  ///< a sweep file or a results file (its sweep)
  std::string directory;
};
void add_split_options(CLI::App& command, SplitOptions& options);
/// Writes the train, validation and (when there is one) test splits the sweep trains on, in the
/// data's own units and labels, as train.csv, val.csv and test.csv in `directory` (created).
int run_split(const SplitOptions& options, std::ostream& log);

}  // namespace hpsweep::cli
