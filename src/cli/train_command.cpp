#include "hpsweep/cli/train_command.hpp"

#include <oneapi/tbb/task_arena.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <sstream>

#include "hpsweep/cli/format.hpp"
#include "option_checks.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"
#include "hpsweep/model/model_file.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/nn/trainer.hpp"
#include "hpsweep/runtime/sweep.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::cli {
namespace {

void add_data_options(CLI::App& cmd, TrainOptions& o) {
  auto* group = cmd.add_option_group("data");
  group->add_option("--data", o.data_file, "Training data: a CSV file with a header row, or an HDF5 file with X and y "
                                           "(default: the built-in synthetic set)");
  group->add_option("--target", o.data.target, "CSV target column name (default: the last column)");
  group->add_option("--task", o.task, "binary, multiclass or regression (default: inferred from the target)")
      ->check(CLI::IsMember({"binary", "multiclass", "regression"}));
  group->add_option("--val", o.data.val, "Separate validation file (default: a split of --data)");
  group->add_option("--test", o.data.test, "Separate test file (default: a split of --data by --test-fraction)");
  group->add_option("--val-fraction", o.data.fractions.val, "Share of --data held out for validation")
      ->capture_default_str();
  group->add_option("--test-fraction", o.data.fractions.test, "Share of --data held out for test")
      ->capture_default_str();
  group->add_option("--split-seed", o.data.split_seed, "Seed of the stratified split")->capture_default_str();
  group->add_option("--x-path", o.data.features_path, "HDF5 dataset of the features (samples x features)")
      ->capture_default_str();
  group->add_option("--y-path", o.data.target_path, "HDF5 dataset of the target")->capture_default_str();
  group->add_option("--synthetic-train", o.data.synthetic.train, "Synthetic set: training samples")
      ->capture_default_str();
  group->add_option("--synthetic-val", o.data.synthetic.val, "Synthetic set: validation samples")
      ->capture_default_str();
  group->add_option("--synthetic-noise", o.data.synthetic.label_noise, "Synthetic set: share of flipped labels")
      ->capture_default_str();
  group->add_option("--synthetic-seed", o.data.synthetic.seed, "Synthetic set: seed")->capture_default_str();
}

void add_model_options(CLI::App& cmd, TrainOptions& o) {
  nn::TrainConfig& c = o.config;
  auto* group = cmd.add_option_group("model and training");
  group->add_option("--width", c.width, "Units per hidden layer")->capture_default_str();
  group->add_option("--depth", c.depth, "Hidden layers")->capture_default_str();
  group->add_option("--activation", o.activation, "relu, tanh or gelu")->capture_default_str();
  group->add_option("--dropout", c.dropout, "Dropout rate after each hidden layer")->capture_default_str();
  group->add_option("--l2", c.l2, "L2 penalty λ·Σw² on the kernels (Keras l2)")->capture_default_str();
  group->add_option("--weight-decay", c.weight_decay, "Decoupled weight decay (AdamW style)")->capture_default_str();
  group->add_option("--input-noise", c.input_noise, "Gaussian input noise σ in training")->capture_default_str();
  group->add_option("--optimizer", o.optimizer, "adam or sgd")->capture_default_str();
  group->add_option("--lr", c.lr, "Learning rate")->capture_default_str();
  group->add_option("--momentum", c.momentum, "SGD momentum")->capture_default_str();
  group->add_flag("--nesterov", c.nesterov, "SGD with Nesterov momentum");
  group->add_option("--batch-size", c.batch_size, "Mini-batch size")->capture_default_str();
  group->add_option("--epochs", c.epochs, "Epochs")->capture_default_str();
  group->add_option("--patience", o.patience, "Early stopping on val_loss after this many epochs without "
                                              "improvement (default: off)");
  group->add_option("--min-delta", c.early_stopping.min_delta, "Early stopping: smallest improvement")
      ->capture_default_str();
  group->add_flag("--no-restore-best", o.no_restore, "Early stopping: keep the last weights, not the best");
  group->add_option("--precision", o.precision, "float32 or float64")->capture_default_str();
  group->add_option("--seed", c.seed, "Seed of initialization, shuffling, dropout and noise")->capture_default_str();
}

}  // namespace

void add_train_options(CLI::App& cmd, TrainOptions& o) {
  add_data_options(cmd, o);
  add_model_options(cmd, o);
  cmd.add_option("--threads", o.threads, "TBB threads (default: the CPUs this process may use)")->check(thread_count());
  auto* from = cmd.add_option("--from", o.from, "Rerun a trial of this results file exactly (with --trial)");
  cmd.add_option("--trial", o.trial, "With --from: the trial index to rerun")->needs(from);
  from->needs("--trial");
  cmd.add_option("--format", o.format, "table or csv")->check(CLI::IsMember({"table", "csv"}))->capture_default_str();
  cmd.add_option("--save", o.save, "Write the trained model (weights, standardization, columns, classes) to this HDF5 "
                                   "file, for `hpsweep predict` or h5py");
}

namespace {

/// Takes data, settings and seed of trial `o.trial` of the results file `o.from`.
void load_stored_trial(TrainOptions& o) {
  const store::Results results = store::read_results(o.from);
  if (o.trial < 0 || o.trial >= static_cast<int>(results.trials.size())) {
    throw core::Error("--trial " + std::to_string(o.trial) + " is not a trial of " + o.from + " (0.." +
                          std::to_string(static_cast<long long>(results.trials.size()) - 1) + ")",
                      core::ExitCode::kUsage);
  }
  const search::SweepSpec spec = search::parse_sweep(results.info.sweep_text, results.info.sweep_path, search::ParseMode::kStored);
  // The row's own settings and seed, as the sweep trained it (an adaptive method's trials are in
  // no plan that could be remade from the sweep file).
  const store::TrialRecord& row = results.trials[static_cast<std::size_t>(o.trial)];
  const search::Trial trial{row.trial, row.config, row.repeat, row.seed, row.settings};
  o.config = runtime::train_config(trial.settings, trial.seed);
  o.data = runtime::to_data_source(spec.data);
  o.stored_val_loss = results.trials[static_cast<std::size_t>(o.trial)].curve.val_loss;
  o.sweep_name = spec.name;
  o.settings_text = search::format_assignment(trial.settings);
  o.fingerprint_in_file = results.info.data_fingerprint;
}

/// The settings of a run from the command line, as a model file records them.
std::string describe_config(const nn::TrainConfig& c) {
  std::ostringstream text;
  text << "width=" << c.width << " depth=" << c.depth << " activation=" << nn::activation_name(c.activation)
       << " dropout=" << c.dropout << " l2=" << c.l2 << " weight_decay=" << c.weight_decay << " input_noise=" << c.input_noise
       << " optimizer=" << nn::optimizer_name(c.optimizer) << " lr=" << c.lr << " batch_size=" << c.batch_size
       << " epochs=" << c.epochs << " precision=" << nn::precision_name(c.precision);
  if (c.optimizer == nn::OptimizerKind::kSgd) text << " momentum=" << c.momentum << " nesterov=" << c.nesterov;
  if (c.early_stopping.enabled) text << " patience=" << c.early_stopping.patience;
  return text.str();
}

/// --save must not destroy an input or a file that is not a model (a results file, data).
void check_save_target(const TrainOptions& o) {
  if (o.save.empty()) return;
  core::refuse_input_as_output(o.save, {o.from, o.data.train, o.data.val, o.data.test}, "--save");
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(o.save, ec)) {
    throw core::Error("--save " + o.save + " is a directory; give the model's file name, e.g. model.h5", core::ExitCode::kUsage);
  }
  if (fs::exists(o.save, ec) && !model::is_model_file(o.save)) {
    throw core::Error("--save " + o.save + ": the file exists and is not an hpsweep model; remove it or choose another name",
                      core::ExitCode::kUsage);
  }
  // Found before training, not after: the directory must exist and take new files.
  const fs::path parent = fs::path(o.save).has_parent_path() ? fs::path(o.save).parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK | X_OK) != 0) {
    throw core::StoreError("--save " + o.save + ": the directory " + parent.string() + " does not exist or is not writable");
  }
}

void save_model(const TrainOptions& o, const data::Splits& splits, const data::Standardizer& standardizer,
                const nn::TrainResult& result, std::vector<double> parameters, std::ostream& out) {
  if (result.status != nn::TrialStatus::kOk) {
    throw core::Error("the run diverged (" + result.message + "); no model saved to " + o.save,
                      core::ExitCode::kNoUsableTrial);
  }
  model::Model m;
  m.architecture = nn::Architecture{static_cast<int>(splits.train.num_features()), o.config.width, o.config.depth,
                                    splits.train.num_outputs(), o.config.activation};
  m.precision = o.config.precision;
  m.task = splits.train.task;
  m.parameters = std::move(parameters);
  m.standardizer = standardizer;
  m.feature_names = splits.train.feature_names;
  m.target_name = splits.train.target_name;
  m.class_values = splits.train.class_values;
  model::Provenance& p = m.provenance;
  p.sweep = o.sweep_name;
  std::error_code ec;
  p.results_file = o.from.empty() ? "" : std::filesystem::absolute(o.from, ec).string();
  p.trial = o.from.empty() ? -1 : o.trial;
  p.seed = o.config.seed;
  p.settings = o.settings_text.empty() ? describe_config(o.config) : o.settings_text;
  p.data_fingerprint = data::fingerprint(splits);
  p.weights_epoch = result.weights_epoch;
  p.epochs_run = static_cast<int>(result.curve.size());
  if (result.weights_epoch >= 1) {
    p.val_loss = result.curve[static_cast<std::size_t>(result.weights_epoch - 1)].val_loss;
    p.val_metric = result.curve[static_cast<std::size_t>(result.weights_epoch - 1)].val_metric;
  }
  p.hpsweep_version = o.version;
  p.created = store::iso8601_now();
  model::write_model(o.save, m);
  out << "saved the model (weights of epoch " << p.weights_epoch << ", val_loss " << p.val_loss << ") to " << o.save << "\n";
}

}  // namespace

void finish_train_options(TrainOptions& o) {
  if (!o.from.empty()) {
    load_stored_trial(o);
    check_save_target(o);
    return;
  }
  o.config.activation = nn::parse_activation(o.activation);
  o.config.optimizer = nn::parse_optimizer(o.optimizer);
  o.config.precision = nn::parse_precision(o.precision);
  o.config.early_stopping.enabled = o.patience >= 0;
  if (o.patience >= 0) o.config.early_stopping.patience = o.patience;
  o.config.early_stopping.restore_best_weights = !o.no_restore;
  if (!o.task.empty()) o.data.task = data::parse_task(o.task);
  if (o.data_file.empty()) {
    o.data.kind = data::SourceKind::kSynthetic;
  } else {
    o.data.kind = data::detect_kind(o.data_file);
    o.data.train = o.data_file;
  }
  if (o.threads < 0) throw core::ConfigError("--threads must be >= 1, got " + std::to_string(o.threads));
  if (o.config.optimizer != nn::OptimizerKind::kSgd && (o.config.momentum != 0.0 || o.config.nesterov)) {
    throw core::ConfigError(std::string(o.config.nesterov ? "--nesterov" : "--momentum") +
                            " applies to --optimizer sgd only; with " + nn::optimizer_name(o.config.optimizer) +
                            " it has no effect: add --optimizer sgd or leave it out");
  }
  o.config.validate();
  check_save_target(o);
}

int run_train(const TrainOptions& o, std::ostream& out) {
  data::Standardizer standardizer;
  const data::Splits splits = data::load_splits(o.data, &standardizer);
  const std::string now = o.fingerprint_in_file.empty() ? "" : data::fingerprint_like(o.fingerprint_in_file, splits);
  if (now != o.fingerprint_in_file) {
    const std::string why = "the data of " + o.from + " has changed since the sweep ran (fingerprint " + now +
                            ", the file recorded " + o.fingerprint_in_file + ")";
    // A model must be the trial's; a rerun may still be of interest, and says it differs.
    if (!o.save.empty()) throw core::DataError(why + "; no model of trial " + std::to_string(o.trial) + " can be saved");
    std::cerr << "hpsweep: warning: " << why << "\n";
  }
  const data::Task task = splits.train.task;
  const bool csv = o.format == "csv";
  csv ? print_csv_header(out) : print_table_header(out);
  tbb::task_arena arena(o.threads > 0 ? o.threads : core::available_cpus());
  nn::TrainResult result;
  std::vector<double> parameters;
  arena.execute([&] {
    result = nn::train(splits, o.config, [&](const nn::EpochRecord& r) {
      csv ? print_csv_row(out, r) : print_table_row(out, r);
    }, {}, nullptr, nullptr, o.save.empty() ? nullptr : &parameters);
  });
  if (!csv) print_summary(out, result, task);
  if (!o.from.empty() && !csv) {
    std::vector<double> val_loss;
    for (const auto& r : result.curve) val_loss.push_back(r.val_loss);
    out << (val_loss == o.stored_val_loss ? "reproduces the stored curve of trial " + std::to_string(o.trial) + " exactly\n"
                                          : "differs from the stored curve of trial " + std::to_string(o.trial) + "\n");
  }
  if (!o.save.empty()) save_model(o, splits, standardizer, result, std::move(parameters), csv ? std::cerr : out);
  return 0;
}

}  // namespace hpsweep::cli
