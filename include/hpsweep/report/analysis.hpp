#pragma once
/// The numbers of `hpsweep report`, as plain data computed from a results file: a summary,
/// the overfitting diagnosis of each trial, the rise and gap per value of each swept setting,
/// heat maps and importance of the sweep's metric, and the failures (the verdict is in verdict.hpp). No HTML here (see html.hpp), so each figure can be tested on its own.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hpsweep/report/ranking.hpp"
#include "hpsweep/search/rank.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::report {

/// Mean and sample standard deviation (n - 1) of some values, summed in the given order.
/// n == 0: both NaN; n == 1: sd NaN (no spread to show).
struct Stat {
  double mean = 0.0 / 0.0;
  double sd = 0.0 / 0.0;
  int n = 0;
};

[[nodiscard]] Stat stat_of(std::span<const double> values);

/// How many trials are in each state.
struct StatusCounts {
  int pending = 0;
  int ok = 0;
  int stopped = 0;
  int diverged = 0;
  int failed = 0;
};

/// Sweep-wide totals.
struct Summary {
  StatusCounts counts;
  double trial_seconds = 0.0;  ///< sum of the trials' training times
  long long epochs = 0;        ///< sum of epochs_run
  bool partial = false;        ///< some trial is still pending
};

[[nodiscard]] Summary summarize(const store::Results& results);

/// What early termination did: how many epochs the curves hold against a sweep that trained
/// every trial fully, and where trials were stopped.
struct TerminationSummary {
  long long epochs_run = 0;      ///< sum of epochs_run
  long long full_epochs = 0;     ///< every trial's configured epochs (the `epochs` setting, else max_epochs)
  long long epochs_trained = 0;  ///< the compute spent (the file's epochs_trained)
  std::map<int, int> stopped_at;  ///< epochs reached -> trials stopped there
  [[nodiscard]] double saved() const noexcept {
    return full_epochs > 0 ? 1.0 - static_cast<double>(epochs_run) / static_cast<double>(full_epochs) : 0.0;
  }
};

[[nodiscard]] TerminationSummary summarize_termination(const store::Results& results);

/// Whether the file holds a program sweep (info.reported_metric names its metric): its records'
/// trainer columns (best_val_loss, final_train_loss, test_*, ...) are NaN, its curves what the
/// program reported.
[[nodiscard]] bool is_program_sweep(const store::Results& results) noexcept;

/// What a trial's overfitting is judged by. The trainer's columns; in a program sweep, its
/// reported val_loss and train_loss curves: best_val_loss the minimum of val_loss (at the first
/// report that has it), final_* the last report that has each (NaN: never reported).
struct LossCourse {
  double best_val_loss = 0.0 / 0.0;
  int best_epoch = 0;  ///< 1-based epoch (report) of best_val_loss; 0: none
  double final_val_loss = 0.0 / 0.0;
  double final_train_loss = 0.0 / 0.0;
  /// How far validation loss rose after its minimum, and the generalization gap at the end.
  [[nodiscard]] double rise() const noexcept { return final_val_loss - best_val_loss; }
  [[nodiscard]] double gap() const noexcept { return final_val_loss - final_train_loss; }
  /// Both rise and gap are finite: in a program sweep, the trial reported val_loss and train_loss.
  [[nodiscard]] bool known() const noexcept;
};

[[nodiscard]] LossCourse loss_course(const store::Results& results, const store::TrialRecord& trial);

/// Whether the file can tell overfitting: always for the built-in trainer; in a program sweep,
/// when some finished trial's program reported both val_loss and train_loss (LossCourse::known).
[[nodiscard]] bool has_loss_curves(const store::Results& results);

/// Overfitting diagnosis of one finished (ok or stopped) trial.
struct TrialDiagnosis {
  int trial = 0;
  int config = 0;
  int best_epoch = 0;  ///< 1-based epoch (a program sweep: report) of minimum validation loss
  int epochs_run = 0;
  double best_val_loss = 0.0;
  double rise = 0.0;  ///< final_val_loss - best_val_loss: how far validation loss rose after its minimum
  double gap = 0.0;   ///< final_val_loss - final_train_loss: the generalization gap at the end
};

/// One diagnosis per finished trial, in trial order, from its loss_course(); pending, diverged and
/// failed trials are left out, and in a program sweep those whose program did not report both
/// val_loss and train_loss.
[[nodiscard]] std::vector<TrialDiagnosis> diagnose(const store::Results& results);

/// A setting's value as a number (integers and flags converted); nullopt when absent or a name.
[[nodiscard]] std::optional<double> numeric_setting(const search::Assignment& settings, const std::string& name);

/// Values of a numeric setting over the trials (NaN where absent or a name), in trial order.
[[nodiscard]] std::vector<double> setting_column(const store::Results& results, const std::string& name);

/// A setting value for people: reals to 4 significant digits, everything else as the sweep file writes it.
[[nodiscard]] std::string short_value(const search::Value& value);

/// The numeric settings whose value differs between trials, in the file's settings order.
[[nodiscard]] std::vector<std::string> varying_settings(const store::Results& results);

/// One axis of a chart over a numeric setting: its distinct values when there are at most
/// kMaxCategories, else kBins equal bins (in log10 space when `log`).
struct Axis {
  static constexpr int kMaxCategories = 10;
  static constexpr int kBins = 8;
  std::string setting;
  bool log = false;     ///< values all positive and spanning at least 2 decades (max >= 100 min)
  bool binned = false;  ///< `points` are bin edges (size bins + 1), not values
  std::vector<double> points;  ///< ascending distinct values, or bin edges
  std::vector<std::string> labels;

  [[nodiscard]] int size() const noexcept { return static_cast<int>(labels.size()); }
  /// The category or bin of `value`; -1 when it is not on the axis (or NaN).
  [[nodiscard]] int index(double value) const noexcept;
};

/// The axis of `setting` over `values` (NaN values ignored).
[[nodiscard]] Axis make_axis(const std::string& setting, std::span<const double> values);

/// The rise and the final gap of the finished trials at each point of one setting's axis (mean and
/// sd over the trials there, whatever their other settings).
struct RiseGapBySetting {
  Axis axis;
  std::vector<Stat> rise;  ///< per axis index; n == 0 where no trial falls
  std::vector<Stat> gap;
};

/// For each varying numeric setting, in the file's settings order.
[[nodiscard]] std::vector<RiseGapBySetting> rise_gap_by_setting(const store::Results& results,
                                                                std::span<const TrialDiagnosis> diagnoses);

/// One term of the variance decomposition of the sweep's metric.
struct Importance {
  std::string term;  ///< "lr", or "lr x l2" for a pair's interaction
  double share = 0.0;  ///< fraction of the total variance, in [0, 1] up to rounding
};

/// The sweep's metric over two settings, scored like the ranking: each cell holds the best
/// configuration mean among the configurations whose two values fall in it, whatever their other settings.
struct HeatMap {
  Axis x;
  Axis y;
  std::vector<double> cells;  ///< row-major: cells[yi * x.size() + xi]; NaN when empty
  [[nodiscard]] double at(int xi, int yi) const { return cells.at(static_cast<std::size_t>(yi * x.size() + xi)); }
};

/// A configuration's place and score, for heat maps: the settings of its first finished trial and
/// its mean score over finished repeats (NaN: none).
struct ScoredConfig {
  int first_trial = 0;
  double score = 0.0 / 0.0;
};

struct HeatMaps {
  std::vector<HeatMap> maps;
  int pairs = 0;  ///< pairs of varying numeric settings there are to choose from
};

/// Whether score `a` is strictly better than `b` under `goal` (false when either is NaN).
[[nodiscard]] bool better(double a, double b, search::Goal goal);

/// The map of settings x and y (see HeatMap); `goal` says which configuration mean is best.
[[nodiscard]] HeatMap make_heat_map(const store::Results& results, std::span<const ScoredConfig> configs,
                                    const std::string& x, const std::string& y, search::Goal goal);

/// At most `limit` maps over the pairs of varying numeric settings that matter most: pairs ordered
/// by the importance shares of both settings plus their interaction (`terms`, see importance();
/// settings order when empty), maps without any scored configuration left out.
[[nodiscard]] HeatMaps heat_maps(const store::Results& results, std::span<const ScoredConfig> configs,
                                 std::span<const Importance> terms, search::Goal goal, int limit = 3);

/// How much of the variance of the finished trials' metric (best_of(metric), the value the
/// ranking uses) each varying numeric setting explains, and each pair's interaction beyond its two
/// main effects; largest first (ties
/// in settings order). The estimator, documented for grid and random sweeps alike: settings are
/// put on their make_axis() categories or bins; a setting's share is the correlation ratio
/// eta^2 = (between-group sum of squares) / (total sum of squares), which on a balanced full grid
/// is the functional-ANOVA main effect; a pair's interaction is eta^2 over its joint cells minus
/// both main effects, computed only when there are at least 2 trials per occupied cell (else it
/// would mostly measure noise). Repeat noise stays in the total, so shares sum to at most 1.
/// Empty when fewer than 2 trials finished or their losses do not vary.
[[nodiscard]] std::vector<Importance> importance(const store::Results& results, const RankedMetric& metric);

/// Diverged and failed trials, in trial order.
[[nodiscard]] std::vector<int> failed_trials(const store::Results& results);

}  // namespace hpsweep::report
