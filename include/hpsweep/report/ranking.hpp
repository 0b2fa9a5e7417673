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

/// Whether `spec` ranks by val_metric (else by val_loss).
[[nodiscard]] bool ranks_by_metric(const search::SweepSpec& spec) noexcept;

/// search::rank_configs over the file's trials, by the sweep's metric and goal.
[[nodiscard]] std::vector<search::RankedConfig> rank_results(const store::Results& results,
                                                             const search::SweepSpec& spec);

/// Whether any trial scored a test split (reported beside the ranking, never used for it).
[[nodiscard]] bool has_test_scores(const store::Results& results);

/// One line that says what the numbers are: "val_metric is accuracy (classification); means over
/// finished repeats; best_* at the epoch of minimum val_loss, final_* at the last epoch run; rise =
/// final_val_loss - best_val_loss". The file's own `val_metric` attribute names the metric.
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
