#include "hpsweep/cli/model_commands.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"
#include "hpsweep/data/source.hpp"
#include "hpsweep/model/predict.hpp"
#include "hpsweep/runtime/sweep.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::cli {
namespace {

namespace fs = std::filesystem;

/// The shortest text that reads back as the same double (CSV that other tools load bit for bit).
std::string number(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

/// A class label as users wrote it: 1, not 1.0000000000000000.
std::string label(double value) {
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  return number(value);
}

std::string predictions_csv(const model::Model& m, const model::Predictions& p) {
  std::string text = "prediction";
  for (double c : m.class_values) text += ",p_" + label(c);
  text += "\n";
  for (Eigen::Index i = 0; i < p.outputs.cols(); ++i) {
    const double predicted = p.predicted[static_cast<std::size_t>(i)];
    text += m.task == data::Task::kRegression ? number(predicted) : label(predicted);
    if (m.task != data::Task::kRegression) {
      for (Eigen::Index c = 0; c < p.outputs.rows(); ++c) text += "," + number(p.outputs(c, i));
    }
    text += "\n";
  }
  return text;
}

/// A split as CSV: the features, then the target in its original labels.
std::string split_csv(const data::Dataset& d) {
  std::string text;
  for (const auto& name : d.feature_names) text += name + ",";
  text += d.target_name + "\n";
  for (Eigen::Index s = 0; s < d.num_samples(); ++s) {
    for (Eigen::Index f = 0; f < d.num_features(); ++f) text += number(d.features(f, s)) + ",";
    const double target = d.target(s);
    text += d.task == data::Task::kRegression ? number(target) : label(d.class_values[static_cast<std::size_t>(target)]);
    text += "\n";
  }
  return text;
}

/// The sweep a split comes from: a sweep file, or the sweep stored in a results file (with the
/// fingerprint of the data it trained on, so that changed data is not passed off as its splits).
search::SweepSpec sweep_of(const std::string& source, std::string& fingerprint) {
  std::error_code ec;
  if (!fs::exists(source, ec)) throw core::ConfigError("no such file '" + source + "' (give a sweep file or a results file)");
  if (store::is_results_file(source)) {
    const store::Results results = store::read_results(source);
    fingerprint = results.info.data_fingerprint;
    return search::parse_sweep(results.info.sweep_text, results.info.sweep_path, search::ParseMode::kStored);
  }
  return search::load_sweep(source);
}

}  // namespace

void add_predict_options(CLI::App& cmd, PredictOptions& o) {
  cmd.add_option("model", o.model, "Model file written by `hpsweep train --save`")->required();
  cmd.add_option("--data", o.data, "Rows to predict: CSV with the model's feature columns (the target column optional), "
                                   "or HDF5 (--x-path, optional --y-path)")
      ->required();
  cmd.add_option("-o,--output", o.output, "CSV file to write (default: standard output)");
  cmd.add_option("--x-path", o.x_path, "HDF5 input: dataset of the features (samples x features)")->capture_default_str();
  cmd.add_option("--y-path", o.y_path, "HDF5 input: dataset of the target, when present")->capture_default_str();
}

int run_predict(const PredictOptions& o, std::ostream& out, std::ostream& log) {
  if (!o.output.empty()) core::refuse_input_as_output(o.output, {o.model, o.data}, "-o");
  const model::Model m = model::read_model(o.model);
  const data::Dataset rows = model::read_for_prediction(m, o.data, o.x_path, o.y_path);
  const model::Predictions p = model::predict(m, rows);
  const std::string text = predictions_csv(m, p);
  if (o.output.empty()) {
    out << text << std::flush;
  } else {
    core::PendingFile file(o.output);
    file.write(text);
    file.publish();
  }
  log << "predicted " << rows.num_samples() << " rows with " << o.model;
  if (p.loss) {
    log << "; against the target '" << m.target_name << "': loss " << number(*p.loss) << ", "
        << (m.task == data::Task::kRegression ? "RMSE " : "accuracy ") << number(*p.metric);
  }
  log << (o.output.empty() ? "" : "; wrote " + o.output) << "\n";
  return 0;
}

void add_split_options(CLI::App& cmd, SplitOptions& o) {
  cmd.add_option("sweep", o.source, "Sweep file, or a results file (the sweep it ran)")->required();
  cmd.add_option("-o,--output", o.directory, "Directory for train.csv, val.csv and test.csv (created if missing)")->required();
}

int run_split(const SplitOptions& o, std::ostream& log) {
  std::string recorded;
  const search::SweepSpec spec = sweep_of(o.source, recorded);
  runtime::check_data_files(spec);
  const data::DataSource source = runtime::to_data_source(spec.data);
  const data::Splits splits = data::load_raw_splits(source);
  if (!recorded.empty()) {
    data::Splits standardized = splits;
    (void)data::standardize(standardized);
    if (const std::string now = data::fingerprint_like(recorded, standardized); now != recorded) {
      throw core::DataError("the data of " + o.source + " has changed since the sweep ran (fingerprint " + now +
                            ", the file recorded " + recorded + "); these would not be its splits");
    }
  }
  std::error_code ec;
  fs::create_directories(o.directory, ec);
  if (!fs::is_directory(o.directory, ec)) throw core::StoreError("cannot create the directory '" + o.directory + "'");
  const std::pair<const char*, const data::Dataset*> parts[] = {
      {"train.csv", &splits.train}, {"val.csv", &splits.val}, {"test.csv", &splits.test}};
  for (const auto& [name, dataset] : parts) {  // refuse before writing anything
    core::refuse_input_as_output((fs::path(o.directory) / name).string(),
                                 {o.source, spec.data.train, spec.data.val, spec.data.test}, "-o");
  }
  for (const auto& [name, dataset] : parts) {
    if (dataset->num_samples() == 0) continue;
    const std::string path = (fs::path(o.directory) / name).string();
    core::PendingFile file(path);
    file.write(split_csv(*dataset));
    file.publish();
    log << "wrote " << path << ": " << dataset->num_samples() << " rows x " << dataset->num_features() << " features + '"
        << dataset->target_name << "'\n";
  }
  return 0;
}

}  // namespace hpsweep::cli
