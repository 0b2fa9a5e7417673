#pragma once
/// Ranking a results file's configurations the way its sweep file asks (metric and goal), shared by
/// `hpsweep rank` and `hpsweep report` so both show the same order and numbers.

#include <string>
#include <vector>

#include "hpsweep/search/rank.hpp"
#include "hpsweep/search/spec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::report {

/// The sweep stored in a results file (its metric and swept settings); throws core::ConfigError
/// when the stored text no longer parses.
[[nodiscard]] search::SweepSpec stored_spec(const store::Results& results);

/// Whether `spec` ranks by the trainer's val_metric (else by its val_loss, or by a metric a
/// program reports: see ranked_metric).
[[nodiscard]] bool ranks_by_metric(const search::SweepSpec& spec) noexcept;

/// What ranks a sweep's records and what to call it: the built-in trainer's validation loss or
/// validation metric, or (a program sweep) a metric the program reports. The report, `compare`
/// and `rank` take every score from best_of and final_of, which agree with store::ranked_value.
struct RankedMetric {
  enum class Kind { kValLoss, kValMetric, kReported };
  Kind kind = Kind::kValLoss;
  std::string name = "val_loss";  ///< "val_loss", "val_metric", or the name the program reports it by
  search::Goal goal = search::Goal::kMinimize;
  [[nodiscard]] bool reported() const noexcept { return kind == Kind::kReported; }
};

/// The metric `spec` ranks by.
[[nodiscard]] RankedMetric ranked_metric(const search::SweepSpec& spec);

/// The value a record is ranked by: best_val_loss, best_val_metric or (a program sweep) best_metric.
[[nodiscard]] double best_of(const RankedMetric& metric, const store::TrialRecord& record) noexcept;

/// The metric at the record's last epoch (or report): final_val_loss, the val_metric curve at
/// epochs_run, or (a program sweep) final_metric; NaN when unknown.
[[nodiscard]] double final_of(const RankedMetric& metric, const store::TrialRecord& record) noexcept;

/// search::rank_configs over the file's trials, by the sweep's metric and goal.
[[nodiscard]] std::vector<search::RankedConfig> rank_results(const store::Results& results,
                                                             const search::SweepSpec& spec);

/// Whether any trial scored a test split (reported beside the ranking, never used for it).
[[nodiscard]] bool has_test_scores(const store::Results& results);

/// One line that says what the numbers are: "val_metric is accuracy (classification); means over
/// finished repeats; best_* at the epoch of minimum val_loss, final_* at the last epoch run; rise =
/// final_val_loss - best_val_loss". The file's own `val_metric` attribute names the metric. A
/// program sweep's (info.reported_metric set) says that its metric is as the program reported it.
[[nodiscard]] std::string metric_note(const store::Results& results);

/// "ok", "all diverged/failed", "1 diverged 2 pending": what became of a configuration's repeats.
[[nodiscard]] std::string status_note(const search::RankedConfig& config);

/// The settings to show beside a ranking: the swept ones, or every setting when none is swept.
[[nodiscard]] std::vector<std::string> shown_settings(const store::Results& results,
                                                     const search::SweepSpec& spec);

/// The trial whose curves stand for a configuration: its first finished trial, else its first
/// ranked one; -1 when it has none.
[[nodiscard]] int representative_trial(const store::Results& results, const search::RankedConfig& config);

}  // namespace hpsweep::report
