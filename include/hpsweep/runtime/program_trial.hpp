#pragma once
/// A trial of a program sweep: the user's own program run as a child process, its JSON-line
/// reports turned into a record (curves, best and final value of the ranked metric, status).

#include <string>
#include <vector>

#include "hpsweep/runtime/sweep.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/search/spec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

/// What every trial of a program sweep shares; the same on every rank.
struct ProgramSetup {
  search::ProgramSpec program;
  search::Metric metric;
  std::string sweep_name;
  /// Where each trial gets a directory of its own (`trial-<index>/`): its stdout.log, stderr.log
  /// and params.json, and whatever the program keeps there (HPSWEEP_TRIAL_DIR; a rerun finds it).
  std::string trials_dir;
  int threads_per_trial = 1;      ///< HPSWEEP_THREADS and OMP_NUM_THREADS
  double kill_grace_seconds = 5;  ///< SIGTERM to SIGKILL, at a timeout or a stop
};

/// The setup of a prepared program sweep run with `options`: trials beside the results file, the
/// rank's threads shared among its trial slots, half the stop grace (at most 10 s) from SIGTERM to SIGKILL.
[[nodiscard]] ProgramSetup program_setup(const PreparedSweep& sweep, const RunOptions& options);

/// The trials directory of a results file: "sweep.h5" -> "sweep.trials".
[[nodiscard]] std::string trials_dir_of(const std::string& results_path);

/// A program sweep starting afresh (no results file, no journal, or --restart) must not find an
/// earlier sweep's trial directories (a program would resume its checkpoints): an existing trials
/// directory is moved aside to "<dir>.old-N" (the first free N), which is returned ("" when there
/// was none). Run by the coordinator alone, before any trial starts.
[[nodiscard]] std::string set_aside_stale_trials(const std::string& results_path, bool restart);

/// Limits on what one program may report: a trial's record stays under 32 MB whatever the
/// program prints (the coordinator keeps every record, so a sweep's memory is bounded by trials
/// x 32 MB); what lies beyond them is left out, with a note in the trial's message.
inline constexpr int kMaxReportedNames = 256;
inline constexpr int kMaxReports = 100'000;
/// Values (names x reports) one trial keeps: 32 MB, half the journal's largest record.
inline constexpr long long kMaxReportedValues = 4'000'000;
inline constexpr std::size_t kMaxReportLineBytes = std::size_t{1} << 20;

/// Folds report lines into a record: one step per report, a curve per metric name (NaN where a
/// report lacked it), the ranked metric's best (the first strictly better one wins) and last value.
/// Kept apart from the process so that it can be tested with plain lines.
class ReportFolder {
 public:
  explicit ReportFolder(search::Metric metric) : metric_(std::move(metric)) {}
  /// One stdout line. Returns false when the ranked metric became NaN or infinite (the trial
  /// diverged: the caller stops the program).
  bool add_line(std::string_view line, bool truncated);
  /// Fills the record's curves, best_metric, best_epoch, final_metric and epochs_run; notes on
  /// what was left out are appended to `notes`.
  void finish(store::TrialRecord& record, std::string& notes) const;
  [[nodiscard]] bool diverged() const noexcept { return diverged_at_ > 0; }
  [[nodiscard]] int reports() const noexcept { return reports_; }
  [[nodiscard]] bool reported_metric() const noexcept { return metric_reports_ > 0; }
  /// Reports that carried the ranked metric: early termination's rungs count these.
  [[nodiscard]] int metric_reports() const noexcept { return metric_reports_; }
  /// The ranked metric's best over the reports so far (NaN before it was reported): what early
  /// termination judges at a rung.
  [[nodiscard]] double best_so_far() const noexcept { return best_; }
  /// The names reported so far, for a message when the ranked metric is missing.
  [[nodiscard]] std::string names() const;

 private:
  int slot_of(std::string_view name);

  search::Metric metric_;
  std::vector<std::string> names_;
  std::vector<std::vector<double>> values_;  // per name, one per report
  int reports_ = 0;
  int metric_reports_ = 0;
  double best_ = 0.0 / 0.0;
  int diverged_at_ = 0;       // 1-based report where the ranked metric was not finite
  long long skipped_names_ = 0;    // names beyond the limits or not usable as a curve name
  long long skipped_reports_ = 0;  // reports beyond kMaxReports or kMaxReportedValues
  long long cut_lines_ = 0;        // lines beyond kMaxReportLineBytes
  long long not_objects_ = 0;      // JSON lines that are not objects
};

/// Whether a reported name can be a curve (an HDF5 dataset of /curves): 1 to 64 bytes, no '/',
/// no space or control character, not "." or "..".
[[nodiscard]] bool usable_metric_name(std::string_view name) noexcept;

/// Refuses (core::ConfigError at the sweep file's place) what a program sweep cannot run: a
/// command whose program cannot be found (in PATH, or as a path), a parameter named like one of
/// /trials' own columns, and a metric name that cannot be a curve.
void check_program_sweep(const search::SweepSpec& spec);

/// Runs `trial` as a child process of the program and returns its record: ok when it exits 0
/// having reported the metric; diverged when the metric became NaN/Inf (the program is stopped);
/// failed when it exits non-zero, dies by a signal, passes trial_timeout or never reports the
/// metric (the message says which, with the end of its standard error). A stop (budget.stop_requested)
/// passes SIGTERM to its process group and returns a pending record: the trial runs again on resume.
[[nodiscard]] store::TrialRecord run_program_trial(const ProgramSetup& setup, const search::Trial& trial, int rank,
                                                   const TrialBudget& budget);

}  // namespace hpsweep::runtime
