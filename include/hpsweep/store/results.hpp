#pragma once
/// The results file: one HDF5 file per sweep, written only by the coordinator and readable by
/// h5py, pandas and h5dump without hpsweep. The layout is documented in docs/results-format.md.
///
/// The file is always written whole to a temporary file in the same directory, synced, and
/// renamed over the old one, so a reader (or a crash) only ever sees a complete file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/search/spec.hpp"
#include "hpsweep/search/status.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::store {

/// `format_version` of files this code writes. Version 2 (docs/results-format.md): /trials holds
/// the trials decided so far (an adaptive sampler adds rows as it decides them), with the
/// best_test_* columns; journal records carry the trial's settings.
inline constexpr int kFormatVersion = 2;
/// The oldest version this code reads: files of the first release, which it resumes to completion
/// and rewrites as version 2.
inline constexpr int kOldestFormatVersion = 1;
/// `format` attribute that marks an hpsweep results file.
inline constexpr const char* kFormatName = "hpsweep-results";

/// A metric a program reported (a program sweep), one value per report: NaN where a report
/// lacked it. Stored as /curves/<name>.
struct ReportedCurve {
  std::string name;
  std::vector<double> values;
};

/// One trial's learning curve, one value per epoch run (a program sweep: per report; the three
/// built-in curves then hold what the program reported under their names, else NaN).
struct Curve {
  std::vector<double> train_loss;
  std::vector<double> val_loss;
  std::vector<double> val_metric;
  std::vector<ReportedCurve> reported;  ///< a program sweep: every other reported metric, by name
};

/// One row of /trials and its curves. Metrics are NaN until the trial has run.
struct TrialRecord {
  int trial = 0;
  int config = 0;
  int repeat = 0;
  std::uint64_t seed = 0;
  search::TrialStatus status = search::TrialStatus::kPending;
  search::Assignment settings;  ///< every setting; the same names in the same order for all trials
  double best_val_loss = 0.0 / 0.0;
  int best_epoch = 0;
  double final_train_loss = 0.0 / 0.0;
  double final_val_loss = 0.0 / 0.0;
  double best_val_metric = 0.0 / 0.0;
  double test_loss = 0.0 / 0.0;
  double test_metric = 0.0 / 0.0;
  double best_test_loss = 0.0 / 0.0;    ///< test split at best_epoch's weights (NaN in older files)
  double best_test_metric = 0.0 / 0.0;
  /// A program sweep: the ranked metric (SweepInfo::reported_metric) at its best report (best_epoch)
  /// and at the last one. NaN for the built-in trainer, whose metric is best_val_loss or best_val_metric.
  double best_metric = 0.0 / 0.0;
  double final_metric = 0.0 / 0.0;
  int epochs_run = 0;
  int rung = -1;         ///< early termination: the last rung reached (index into the rung epochs); -1: none
  /// Epochs the worker trained for this record: epochs_run, less those a resumed checkpoint
  /// already had. Travels with the record (and in the journal), not stored in /trials.
  int epochs_trained = 0;
  double seconds = 0.0;  ///< training wall time
  int rank = -1;         ///< MPI rank that trained it; -1 when not run
  std::string message;   ///< why it diverged or failed
  Curve curve;
};

/// What the sweep trained on, so that the file explains itself (root attributes). Empty in files
/// written before hpsweep recorded it.
struct DataDescription {
  std::string task;                        ///< "binary", "multiclass" or "regression"
  std::string target;                      ///< the target column (or HDF5 dataset)
  std::vector<std::string> feature_names;  ///< the input columns, in order
  std::vector<double> class_labels;        ///< classification: the label of each class index
  long long train_samples = 0;
  long long val_samples = 0;
  long long test_samples = 0;
  std::string val_metric;                  ///< what /curves/val_metric holds: "accuracy" or "rmse"

  bool operator==(const DataDescription&) const = default;
};

/// The sweep-level facts stored as root attributes.
struct SweepInfo {
  std::string name;
  std::string sweep_text;        ///< the sweep file's text
  std::string sweep_path;        ///< where it was (absolute): its data paths are relative to it
  std::string hpsweep_version;
  std::string created;           ///< ISO 8601, UTC
  std::string data_fingerprint;  ///< hash of the data used
  int max_epochs = 0;            ///< width of the curve datasets
  int ranks = 1;
  int threads = 1;
  double wall_seconds = 0.0;
  /// Epochs trained over every run of the sweep, including the epochs sha/hyperband retrain when
  /// a paused trial continues (it starts again from scratch) and those of trials lost to a kill.
  long long epochs_trained = 0;
  /// "I/N" when the file holds one shard of a job array (`run --shard I/N`: trials with index
  /// % N == I; the others stay pending); empty for a whole sweep, and after `hpsweep merge`.
  std::string shard;
  DataDescription data;
  /// After `hpsweep merge`: what each shard ran with ("shard 1/4: 2 rank(s) x 4 thread(s), 61.2 s"),
  /// one line per shard; `ranks` and `threads` then hold the largest shard's.
  std::vector<std::string> shard_runs;
  /// A program sweep: the metric it ranks by (the sweep file's metric.name, a name the program
  /// reports; root attribute `metric`), whose values are the best_metric and final_metric columns.
  /// Empty for the built-in trainer.
  std::string reported_metric;
};

/// A whole results file.
struct Results {
  SweepInfo info;
  std::vector<TrialRecord> trials;  ///< one per trial decided so far, in trial order
};

/// Puts a trial's newer record (finished, paused or stopped) in its row; the row keeps its settings.
/// A record of the trial after the last row (a trial decided later, with its settings) becomes a new row.
void put_record(Results& results, TrialRecord&& record);

/// The value `metric` ranks a trial by: best_metric in a program sweep (metric.reported), else
/// best_val_metric for val_metric and best_val_loss for val_loss.
[[nodiscard]] double ranked_value(const search::Metric& metric, const TrialRecord& record) noexcept;

/// Whether `name` is one of /trials' own columns (trial, status, best_metric, message, ...): a
/// program sweep's parameter of that name would collide with it.
[[nodiscard]] bool is_fixed_column(const std::string& name);

/// Writes `results` to `path` atomically (temporary file, fsync, rename). Throws
/// core::StoreError naming the path when the directory is missing or not writable or the disk
/// is full; an existing file at `path` is then left as it was.
void write_results(const std::string& path, const Results& results);

/// Reads the results file alone, without its journals; throws core::StoreError naming the path
/// when it is missing, not HDF5, not an hpsweep results file, or of a format version this code does
/// not read. For the keeper, which merges the journals itself; every reader uses read_results
/// (journal.hpp), which applies them.
[[nodiscard]] Results read_results_file(const std::string& path);

/// The identity of a sweep: a 64-bit hash (FNV-1a) of its sweep text and data fingerprint, never
/// 0. Journal records carry it, so that another sweep's journal beside a file never joins it.
[[nodiscard]] std::uint64_t sweep_identity(const SweepInfo& info) noexcept;

/// True when `path` is an HDF5 file marked as an hpsweep results file (any format version).
[[nodiscard]] bool is_results_file(const std::string& path);

/// Whether two recorded data fingerprints are of one kind, both XXH3 (data::fingerprint) or both
/// legacy (data::legacy_fingerprint): only then does comparing them tell whether the data differs.
[[nodiscard]] bool same_fingerprint_kind(const std::string& a, const std::string& b);

/// The data fingerprint the results file at `path` records; nullopt when there is no readable
/// results file there. Reads one attribute, not the trials.
[[nodiscard]] std::optional<std::string> recorded_data_fingerprint(const std::string& path);

/// Current UTC time as ISO 8601 ("2026-11-30T04:18:10Z").
[[nodiscard]] std::string iso8601_now();

}  // namespace hpsweep::store
