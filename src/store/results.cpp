#include "hpsweep/store/results.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>

#include "../h5/h5.hpp"
#include "hpsweep/core/crash_point.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"
#include "hpsweep/core/system.hpp"
#include "table_layout.hpp"

namespace hpsweep::store {
namespace {

namespace fs = std::filesystem;
using h5::Handle;

const char* kCurveNames[] = {"train_loss", "val_loss", "val_metric"};

const std::vector<double>& curve_of(const TrialRecord& r, int which) {
  return which == 0 ? r.curve.train_loss : which == 1 ? r.curve.val_loss : r.curve.val_metric;
}

std::vector<double>& curve_of(TrialRecord& r, int which) {
  return which == 0 ? r.curve.train_loss : which == 1 ? r.curve.val_loss : r.curve.val_metric;
}

/// H5Aread writes every value of an attribute: the readers below have room for one.
void check_one_value(hid_t attr, const char* name) {
  if (h5::attribute_values(attr, name) > 1) h5::fail(std::string("attribute ") + name + " holds more than one value");
}

/// The text of attribute `name`; empty when it is missing or not a fixed-length string (files
/// written by other tools are read leniently; read_results checks what it needs).
std::string read_string_attribute(hid_t location, const char* name) {
  if (!h5::has_attribute(location, name)) return {};
  const Handle attr = h5::open_attribute(location, name);
  const Handle type = h5::attribute_type(attr.id(), name);
  if (h5::type_class(type.id(), name) != H5T_STRING || h5::is_variable_string(type.id(), name)) return {};
  const std::size_t size = h5::type_size(type.id(), name);
  if (size > (std::size_t{1} << 24)) h5::fail(std::string("attribute ") + name + " is over 16 MiB");
  check_one_value(attr.id(), name);
  std::string text(size, '\0');
  h5::read_attribute(attr.id(), type.id(), text.data(), name);
  text.resize(strnlen(text.c_str(), text.size()));
  return text;
}

/// The number attribute `name` converted to T by HDF5, or `fallback` when it is missing.
template <typename T>
T read_attribute(hid_t location, const char* name, T fallback) {
  if (!h5::has_attribute(location, name)) return fallback;
  const Handle attr = h5::open_attribute(location, name);
  check_one_value(attr.id(), name);
  T value = fallback;
  h5::read_attribute(attr.id(), h5::native<T>(), &value, name);
  return value;
}

// Lists go to datasets, not attributes: an attribute must fit in 64 KiB (20,000 feature names
// would not), and a dataset can be as long as the data is wide.
void write_data_description(hid_t file, const DataDescription& d) {
  if (d.task.empty()) return;
  h5::write_attribute(file, "task", d.task);
  h5::write_attribute(file, "target", d.target);
  h5::write_attribute(file, "num_classes", static_cast<long long>(d.class_labels.size()));
  h5::write_attribute(file, "train_samples", d.train_samples);
  h5::write_attribute(file, "val_samples", d.val_samples);
  h5::write_attribute(file, "test_samples", d.test_samples);
  h5::write_attribute(file, "val_metric", d.val_metric);
  h5::write_strings(file, "feature_names", d.feature_names);
  h5::describe(file, "feature_names", "the input columns, in order (HDF5 input: x0, x1, ...)");
  h5::write_array(file, "class_labels", d.class_labels, {d.class_labels.size()}, h5::file_f64());
  h5::describe(file, "class_labels", "classification: the label of each class index; empty for regression");
}

/// Limits on what a file may declare: beyond them it is crafted or corrupt.
constexpr hsize_t kMaxFeatures = 1 << 24;
constexpr hsize_t kMaxClasses = 1 << 16;
constexpr hsize_t kMaxShards = 1 << 20;
constexpr std::size_t kMaxNameBytes = 1 << 16;

/// The lists of the description, read leniently: they only describe, so a damaged one is dropped
/// rather than making the whole file unreadable.
template <typename Read>
auto read_list(Read read) -> decltype(read()) {
  try {
    return read();
  } catch (const h5::H5Failure&) {
    return {};
  }
}

DataDescription read_data_description(hid_t file) {
  DataDescription d;
  d.task = h5::read_string_attribute(file, "task").value_or("");
  if (d.task.empty()) return d;
  d.target = h5::read_string_attribute(file, "target").value_or("");
  d.feature_names = read_list([&] {
    const auto n = h5::list_length(file, "feature_names", kMaxFeatures);
    return n ? h5::read_strings(file, "feature_names", *n, kMaxNameBytes) : std::vector<std::string>{};
  });
  d.class_labels = read_list([&] {
    const auto n = h5::list_length(file, "class_labels", kMaxClasses);
    return n ? h5::read_array(file, "class_labels", {*n}) : std::vector<double>{};
  });
  d.train_samples = h5::read_integer_attribute(file, "train_samples").value_or(0);
  d.val_samples = h5::read_integer_attribute(file, "val_samples").value_or(0);
  d.test_samples = h5::read_integer_attribute(file, "test_samples").value_or(0);
  d.val_metric = h5::read_string_attribute(file, "val_metric").value_or("");
  return d;
}

std::vector<std::string> read_shard_runs(hid_t file) {
  return read_list([&] {
    const auto n = h5::list_length(file, "shard_runs", kMaxShards);
    return n ? h5::read_strings(file, "shard_runs", *n, 4096) : std::vector<std::string>{};
  });
}

void write_info(hid_t file, const SweepInfo& info) {
  h5::write_attribute(file, "format", std::string(kFormatName));
  h5::write_attribute(file, "format_version", std::int32_t{kFormatVersion});
  h5::write_attribute(file, "name", info.name);
  h5::write_attribute(file, "sweep", info.sweep_text);
  h5::write_attribute(file, "sweep_path", info.sweep_path);
  h5::write_attribute(file, "hpsweep_version", info.hpsweep_version);
  h5::write_attribute(file, "created", info.created);
  h5::write_attribute(file, "data_fingerprint", info.data_fingerprint);
  h5::write_attribute(file, "max_epochs", static_cast<std::int32_t>(info.max_epochs));
  h5::write_attribute(file, "ranks", static_cast<std::int32_t>(info.ranks));
  h5::write_attribute(file, "threads", static_cast<std::int32_t>(info.threads));
  h5::write_attribute(file, "wall_seconds", info.wall_seconds);
  h5::write_attribute(file, "epochs_trained", static_cast<long long>(info.epochs_trained));  // int64
  if (!info.shard.empty()) h5::write_attribute(file, "shard", info.shard);
  if (!info.shard_runs.empty()) {
    h5::write_strings(file, "shard_runs", info.shard_runs);
    h5::describe(file, "shard_runs", "after hpsweep merge: what each shard ran with, one line each");
  }
  if (!info.reported_metric.empty()) h5::write_attribute(file, "metric", info.reported_metric);
  write_data_description(file, info.data);
}

void write_table(hid_t file, const std::vector<TrialRecord>& trials, bool with_reported_metric) {
  const TableLayout layout(trials.empty() ? search::Assignment{} : trials.front().settings, with_reported_metric);
  std::vector<std::byte> rows(layout.row_size() * trials.size());
  for (std::size_t t = 0; t < trials.size(); ++t) {
    for (const Column& c : layout.columns()) c.pack(trials[t], rows.data() + t * layout.row_size() + c.offset);
  }
  const hsize_t n = trials.size();
  const Handle space = h5::create_space({n}, "creating /trials");
  const Handle ds = h5::create_dataset(file, "trials", layout.type(), space.id(), "creating /trials");
  if (n > 0) h5::write_dataset(ds.id(), layout.type(), rows.data(), "writing /trials");
}

/// Most metrics a program sweep's file names beside the built-in curves (a program keeps at most
/// 256 per trial, but trials may name different ones).
constexpr hsize_t kMaxReportedMetrics = 1 << 16;

/// The names of the metrics programs reported beside the built-in three, sorted: the file's
/// layout never depends on the order results arrived in. Past kMaxReportedMetrics names the rest
/// are left out of the file, so that it always reads back.
std::vector<std::string> reported_names(const std::vector<TrialRecord>& trials) {
  std::set<std::string> names;
  for (const TrialRecord& t : trials) {
    for (const ReportedCurve& c : t.curve.reported) names.insert(c.name);
  }
  std::vector<std::string> sorted(names.begin(), names.end());
  if (sorted.size() > kMaxReportedMetrics) sorted.resize(kMaxReportedMetrics);
  return sorted;
}

void write_curves(hid_t file, const std::vector<TrialRecord>& trials, int max_epochs) {
  const Handle group = h5::create_group(file, "curves");
  const std::vector<hsize_t> dims = {trials.size(), static_cast<hsize_t>(std::max(max_epochs, 1))};
  const double nan = std::nan("");
  const Handle dcpl = h5::chunked_properties({std::clamp<hsize_t>(dims[0], 1, 64), dims[1]}, nan, "creating /curves");
  const Handle space = h5::create_space(dims, "creating /curves");
  std::vector<double> block(dims[0] * dims[1]);
  for (int which = 0; which < 3; ++which) {
    std::fill(block.begin(), block.end(), nan);
    for (std::size_t t = 0; t < trials.size(); ++t) {
      const auto& values = curve_of(trials[t], which);
      std::copy_n(values.begin(), std::min<std::size_t>(values.size(), dims[1]), block.begin() + t * dims[1]);
    }
    const Handle ds = h5::create_dataset(group.id(), kCurveNames[which], h5::file_f64(), space.id(),
                                         std::string("creating /curves/") + kCurveNames[which], dcpl.id());
    if (!block.empty()) {
      h5::write_dataset(ds.id(), h5::native<double>(), block.data(),
                        std::string("writing /curves/") + kCurveNames[which]);
    }
  }
  // A program sweep's other metrics, each a dataset of the same shape (NaN for a trial that never
  // reported it), named in /reported_metrics so that a reader knows them without listing the group.
  const std::vector<std::string> names = reported_names(trials);
  if (names.empty()) return;
  h5::write_strings(file, "reported_metrics", names);
  for (const std::string& name : names) {
    std::fill(block.begin(), block.end(), nan);
    for (std::size_t t = 0; t < trials.size(); ++t) {
      for (const ReportedCurve& c : trials[t].curve.reported) {
        if (c.name != name) continue;
        std::copy_n(c.values.begin(), std::min<std::size_t>(c.values.size(), dims[1]), block.begin() + t * dims[1]);
      }
    }
    const Handle ds = h5::create_dataset(group.id(), name, h5::file_f64(), space.id(), "creating /curves/" + name, dcpl.id());
    if (!block.empty()) h5::write_dataset(ds.id(), h5::native<double>(), block.data(), "writing /curves/" + name);
  }
}

/// A program sweep's datasets: what the program printed, in its own units.
void describe_program_datasets(hid_t file, const SweepInfo& info, const std::vector<std::string>& reported) {
  h5::describe(file, "trials",
           "one row per trial, in plan order: its identity (trial, config, repeat, seed), status, every parameter, "
           "best_metric (the best of " + info.reported_metric + " over the program's reports) at best_epoch (the "
           "1-based report), final_metric (its last report), epochs_run (reports), rung (early termination), "
           "seconds (the program's wall time), rank (MPI rank) and message; the built-in trainer's columns are NaN",
           "");
  const std::string per_report = "one row per trial, one column per report line (column s is report s + 1); NaN where "
                                 "a report lacked it and after the reports";
  for (const char* name : kCurveNames) {
    h5::describe(file, std::string("curves/") + name, std::string("the program's reported ") + name + "; " + per_report);
  }
  for (const std::string& name : reported) h5::describe(file, "curves/" + name, "the program's reported " + name + "; " + per_report);
  if (!reported.empty()) {
    h5::describe(file, "reported_metrics", "the metrics the program reported besides train_loss, val_loss and val_metric");
  }
}

void describe_datasets(hid_t file, const SweepInfo& info, const std::vector<TrialRecord>& trials) {
  if (!info.reported_metric.empty()) {
    describe_program_datasets(file, info, reported_names(trials));
    return;
  }
  const DataDescription& data = info.data;
  h5::describe(file, "trials",
           "one row per trial, in plan order: its identity (trial, config, repeat, seed), status, every setting, "
           "best_val_loss (the minimum of val_loss over the epochs run) at best_epoch (1-based), the final losses, "
           "best_val_metric (val_metric at best_epoch), test_loss/test_metric (at the weights training ended with), "
           "best_test_loss/best_test_metric (at the weights of best_epoch, the epoch validation selected), "
           "epochs_run, rung (early termination), seconds (training wall time), rank (MPI rank) and message",
           "");
  const std::string per_epoch = "one row per trial, one column per epoch (column e is epoch e + 1); NaN after the epochs run";
  h5::describe(file, "curves/train_loss",
           "training loss of each epoch, evaluated over the whole training split in inference mode (no dropout), "
           "without the L2 penalty; " + per_epoch,
           "mean loss per sample (cross-entropy in nats, or squared error for regression)");
  h5::describe(file, "curves/val_loss", "validation loss of each epoch; " + per_epoch,
           "mean loss per sample (cross-entropy in nats, or squared error for regression)");
  const std::string metric = data.val_metric.empty() ? "accuracy (classification) or RMSE (regression)" : data.val_metric;
  h5::describe(file, "curves/val_metric", "validation metric of each epoch: " + metric + "; " + per_epoch,
           data.val_metric == "rmse"       ? "units of the target"
           : data.val_metric == "accuracy" ? "fraction of samples classified correctly (0..1)"
                                           : "fraction correct (classification) or units of the target (regression)");
}

int max_epochs_of(const Results& results) {
  int max_epochs = results.info.max_epochs;
  for (const auto& t : results.trials) {
    max_epochs = std::max(max_epochs, static_cast<int>(t.curve.val_loss.size()));
    for (const ReportedCurve& c : t.curve.reported) max_epochs = std::max(max_epochs, static_cast<int>(c.values.size()));
  }
  return max_epochs;
}

/// Most trials and epochs a valid file holds (the sweep file's own limits).
constexpr hsize_t kMaxTrialRows = 10'000'000;
constexpr int kMaxEpochs = 1'000'000;

/// /trials, checked before anything is allocated from it: one dimension, a compound type with
/// every column hpsweep writes, at most kMaxTrialRows rows, and the rows stored in the file.
std::vector<TrialRecord> read_trials(hid_t file) {
  const Handle table = h5::open_dataset(file, "trials");
  const Handle file_type = h5::dataset_type(table.id(), "/trials");
  if (h5::type_class(file_type.id(), "/trials") != H5T_COMPOUND || h5::member_count(file_type.id(), "/trials") > 1024) {
    h5::fail("/trials is not a table of trials (a compound type)");
  }
  if (!h5::members_inside(file_type.id(), "/trials")) h5::fail("/trials has a column outside its rows");
  for (const char* column : {"trial", "config", "repeat", "seed", "status", "best_val_loss", "best_epoch",
                             "final_train_loss", "final_val_loss", "best_val_metric", "test_loss", "test_metric",
                             "epochs_run", "seconds", "rank", "message"}) {
    if (!h5::has_member(file_type.id(), column, "/trials")) h5::fail("/trials has no column " + std::string(column));
  }
  const TableLayout layout = TableLayout::from_file_type(file_type.id());
  const std::vector<hsize_t> dims = h5::dataset_dims(table.id(), "/trials");
  if (dims.size() != 1) h5::fail("/trials is not one-dimensional");
  const hsize_t n = dims[0];
  if (n > kMaxTrialRows) h5::fail("/trials has " + std::to_string(n) + " rows, more than a sweep can have");
  const std::size_t row_bytes = h5::type_size(file_type.id(), "/trials");
  if (n > 0 && (row_bytes == 0 || h5::storage_size(table.id(), "/trials") / row_bytes < n)) {
    h5::fail("/trials declares " + std::to_string(n) + " rows that the file does not hold");
  }
  std::vector<std::byte> rows(layout.row_size() * n);
  if (n > 0) h5::read_dataset(table.id(), layout.type(), rows.data(), "reading /trials");
  std::vector<TrialRecord> trials(n);
  for (std::size_t t = 0; t < n; ++t) {
    for (const Column& c : layout.columns()) c.unpack(rows.data() + t * layout.row_size() + c.offset, trials[t]);
  }
  return trials;
}

/// The curves into `trials`: each dataset must be (trials, max(max_epochs, 1)) and stored.
void read_curves(hid_t file, int max_epochs, std::vector<TrialRecord>& trials) {
  const hsize_t n = trials.size();
  const auto width = static_cast<hsize_t>(std::max(max_epochs, 1));
  for (int which = 0; which < 3; ++which) {
    const std::vector<double> block = h5::read_array(file, std::string("curves/") + kCurveNames[which], {n, width});
    for (std::size_t t = 0; t < n; ++t) {
      const auto epochs = static_cast<std::size_t>(std::clamp(trials[t].epochs_run, 0, static_cast<int>(width)));
      curve_of(trials[t], which).assign(block.begin() + static_cast<std::ptrdiff_t>(t * width),
                                        block.begin() + static_cast<std::ptrdiff_t>(t * width + epochs));
    }
  }
}

/// A program sweep's other curves into `trials`: each named in /reported_metrics, each dataset
/// (trials, max(max_epochs, 1)); a trial keeps a curve only where it has a value.
void read_reported_curves(hid_t file, int max_epochs, std::vector<TrialRecord>& trials) {
  const auto count = h5::list_length(file, "reported_metrics", kMaxReportedMetrics);
  if (!count) return;
  const std::vector<std::string> names = h5::read_strings(file, "reported_metrics", *count, 1024);
  const hsize_t n = trials.size();
  const auto width = static_cast<hsize_t>(std::max(max_epochs, 1));
  for (const std::string& name : names) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "train_loss" ||
        name == "val_loss" || name == "val_metric") {
      h5::fail("/reported_metrics names '" + name + "', which is not a curve of its own");
    }
    const std::vector<double> block = h5::read_array(file, "curves/" + name, {n, width});
    for (std::size_t t = 0; t < n; ++t) {
      const auto steps = static_cast<std::size_t>(std::clamp(trials[t].epochs_run, 0, static_cast<int>(width)));
      const auto first = block.begin() + static_cast<std::ptrdiff_t>(t * width);
      if (std::all_of(first, first + static_cast<std::ptrdiff_t>(steps), [](double v) { return std::isnan(v); })) continue;
      trials[t].curve.reported.push_back({name, std::vector<double>(first, first + static_cast<std::ptrdiff_t>(steps))});
    }
  }
}

/// Every row is the trial of its index, with a known status and epochs within the file's: a file
/// that says otherwise is not resumed or ranked (its corruption would be written onward).
void check_rows(const std::vector<TrialRecord>& trials, int max_epochs) {
  for (std::size_t t = 0; t < trials.size(); ++t) {
    const TrialRecord& r = trials[t];
    const auto status = static_cast<int>(r.status);
    const std::string row = "/trials row " + std::to_string(t);
    if (r.trial != static_cast<int>(t)) h5::fail(row + " holds trial " + std::to_string(r.trial));
    if (status < static_cast<int>(search::TrialStatus::kPending) || status > static_cast<int>(search::TrialStatus::kPaused)) {
      h5::fail(row + " has an unknown status " + std::to_string(status));
    }
    if (r.epochs_run < 0 || r.epochs_run > std::max(max_epochs, 1) || r.best_epoch < 0 || r.best_epoch > r.epochs_run) {
      h5::fail(row + " has epochs_run " + std::to_string(r.epochs_run) + " and best_epoch " +
                          std::to_string(r.best_epoch) + " (the curves hold " + std::to_string(max_epochs) + ")");
    }
  }
}

}  // namespace

void write_results(const std::string& path, const Results& results) {
  h5::silence_library_errors();
  try {
    // A fresh name (O_EXCL | O_NOFOLLOW): a file or link planted beside the results is never opened.
    core::PendingFile pending(path);
    try {
      {
        const Handle file = h5::create_file(pending.path());
        SweepInfo info = results.info;
        info.max_epochs = max_epochs_of(results);
        write_info(file.id(), info);
        write_table(file.id(), results.trials, !info.reported_metric.empty());
        write_curves(file.id(), results.trials, info.max_epochs);
        describe_datasets(file.id(), info, results.trials);
        h5::flush(file.id());
      }
      core::crash_point("before-rename");
      pending.publish();  // fsync, rename over `path`, fsync the directory
    } catch (const h5::H5Failure& failure) {
      throw core::StoreError(failure.what());
    }
  } catch (const core::StoreError& e) {
    throw core::StoreError("cannot write results file '" + path + "' (" + e.what() +
                           "); check that the directory exists, is writable and has space");
  }
}

Results read_results_file(const std::string& path) {
  if (!fs::exists(path)) throw core::StoreError("no results file '" + path + "'");
  if (!h5::is_hdf5(path)) throw core::StoreError("'" + path + "' is not an HDF5 file");
  try {
    const Handle file = h5::open_file(path, H5F_ACC_RDONLY);
    if (read_string_attribute(file.id(), "format") != kFormatName) {
      throw core::StoreError("'" + path + "' is not an hpsweep results file (no format = \"" + kFormatName + "\")");
    }
    const int version = read_attribute(file.id(), "format_version", -1);
    if (version < kOldestFormatVersion || version > kFormatVersion) {
      throw core::StoreError("'" + path + "' has format_version " + std::to_string(version) + "; this hpsweep reads " +
                             std::to_string(kOldestFormatVersion) + " to " + std::to_string(kFormatVersion) +
                             (version > kFormatVersion ? " (a newer hpsweep wrote it)" : ""));
    }
    Results results;
    SweepInfo& info = results.info;
    info.name = read_string_attribute(file.id(), "name");
    info.sweep_text = read_string_attribute(file.id(), "sweep");
    if (info.sweep_text.empty()) h5::fail("it holds no sweep text (attribute sweep)");
    info.sweep_path = read_string_attribute(file.id(), "sweep_path");
    info.hpsweep_version = read_string_attribute(file.id(), "hpsweep_version");
    info.created = read_string_attribute(file.id(), "created");
    info.data_fingerprint = read_string_attribute(file.id(), "data_fingerprint");
    info.max_epochs = read_attribute(file.id(), "max_epochs", 0);
    if (info.max_epochs < 0 || info.max_epochs > kMaxEpochs) {
      h5::fail("attribute max_epochs is " + std::to_string(info.max_epochs) + ", outside [0, " +
                          std::to_string(kMaxEpochs) + "]");
    }
    info.ranks = read_attribute(file.id(), "ranks", 1);
    info.threads = read_attribute(file.id(), "threads", 1);
    info.wall_seconds = read_attribute(file.id(), "wall_seconds", 0.0);
    info.epochs_trained = read_attribute<std::int64_t>(file.id(), "epochs_trained", 0);
    if (h5::has_attribute(file.id(), "shard")) info.shard = read_string_attribute(file.id(), "shard");
    info.shard_runs = read_shard_runs(file.id());
    info.data = read_data_description(file.id());
    if (h5::has_attribute(file.id(), "metric")) info.reported_metric = read_string_attribute(file.id(), "metric");

    results.trials = read_trials(file.id());
    read_curves(file.id(), info.max_epochs, results.trials);
    read_reported_curves(file.id(), info.max_epochs, results.trials);
    check_rows(results.trials, info.max_epochs);
    return results;
  } catch (const h5::H5Failure& failure) {
    throw core::StoreError("'" + path + "' is not a valid results file: " + failure.what());
  } catch (const std::bad_alloc&) {
    throw core::StoreError("'" + path + "' is not a valid results file: it declares more data than this machine's memory");
  }
}

std::uint64_t sweep_identity(const SweepInfo& info) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto add = [&h](const std::string& text) {
    for (const char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    h ^= 0xff;  // a separator, so that ("ab", "c") and ("a", "bc") differ
    h *= 0x100000001b3ULL;
  };
  add(info.sweep_text);
  add(info.data_fingerprint);
  return h == 0 ? 1 : h;
}

bool is_results_file(const std::string& path) { return h5::format_of(path) == kFormatName; }

bool same_fingerprint_kind(const std::string& a, const std::string& b) {
  // data::fingerprint's prefix; store does not depend on data.
  const auto xxh3 = [](const std::string& f) { return f.rfind("xxh3:", 0) == 0; };
  return xxh3(a) == xxh3(b);
}

std::optional<std::string> recorded_data_fingerprint(const std::string& path) {
  if (!h5::is_hdf5(path)) return std::nullopt;
  try {
    const Handle file = h5::open_file(path, H5F_ACC_RDONLY);
    if (h5::read_string_attribute(file.id(), "format") != kFormatName) return std::nullopt;
    return h5::read_string_attribute(file.id(), "data_fingerprint");
  } catch (const h5::H5Failure&) {
    return std::nullopt;
  }
}

std::string iso8601_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

double ranked_value(const search::Metric& metric, const TrialRecord& record) noexcept {
  if (metric.reported) return record.best_metric;
  return metric.name == "val_metric" ? record.best_val_metric : record.best_val_loss;
}

void put_record(Results& results, TrialRecord&& record) {
  if (record.trial == static_cast<int>(results.trials.size())) {  // a trial decided after the others: a new row
    results.trials.push_back(std::move(record));
    return;
  }
  TrialRecord& row = results.trials.at(static_cast<std::size_t>(record.trial));
  record.settings = std::move(row.settings);  // the row's, typed by the file: the same names and values
  row = std::move(record);
}

}  // namespace hpsweep::store
