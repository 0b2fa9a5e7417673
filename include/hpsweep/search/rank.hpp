#pragma once
/// Ranking configurations by their trials' best validation metric. Pure data: the caller reads
/// the outcomes (e.g. from the results file) and prints the ranking.
///
/// The order, a total order:
/// 1. configurations with at least one finished repeat (ok or stopped) and a non-NaN mean: first
///    by the budget they reached, the most first (trained fully, then stopped at the last rung,
///    ..., then stopped at the first rung: a configuration stopped early is judged on fewer epochs
///    and ranks after those that went further), then by mean best_val_loss over their finished
///    repeats, ascending for Goal::kMinimize and descending for Goal::kMaximize;
/// 2. then those whose mean is NaN (a finished repeat reported NaN);
/// 3. then, marked `all_bad`, those whose every non-pending repeat diverged or failed.
/// Within a group and between equal means, the configuration with the smallest trial index comes
/// first. Pending (and paused) trials are left out; a configuration with only pending trials is not ranked.
/// Diverged and failed repeats of a configuration that also has finished repeats are counted but
/// do not enter its mean.

#include <span>
#include <vector>

#include "hpsweep/search/spec.hpp"
#include "hpsweep/search/status.hpp"

namespace hpsweep::search {

/// What one trial produced.
struct Outcome {
  int trial = 0;   ///< index in the plan
  int config = 0;
  int repeat = 0;
  TrialStatus status = TrialStatus::kPending;
  double best_val_loss = 0.0;  ///< the ranked metric; ignored unless finished
  int budget = kFullBudget;    ///< epochs a stopped trial reached; kFullBudget for every other
  static constexpr int kFullBudget = 1 << 30;
};

/// One configuration's place in the ranking.
struct RankedConfig {
  int rank = 0;           ///< 1-based position
  int config = 0;
  int first_trial = 0;    ///< smallest trial index among its ranked (non-pending) trials
  int finished = 0;       ///< ok or stopped repeats: those in the statistics
  int diverged = 0;
  int failed = 0;
  int pending = 0;        ///< not ranked (pending or paused), shown so a partial mean is visible
  int stopped = 0;        ///< finished repeats stopped at a rung by early termination
  int budget = Outcome::kFullBudget;  ///< the most epochs a finished repeat reached when all were stopped
  bool all_bad = false;   ///< every ranked repeat diverged or failed: placed after all others
  double mean = 0.0;      ///< over finished repeats, summed in trial order; NaN when none
  double stddev = 0.0;    ///< sample standard deviation (n - 1); 0 for one repeat, NaN for none
  double min = 0.0;       ///< NaN when none (or when a finished value is NaN)
  double max = 0.0;
  std::vector<int> trials;  ///< the ranked trials' indices, ascending
};

/// Ranks the configurations of `outcomes` (any order; each trial at most once, else
/// core::ConfigError) as described above.
[[nodiscard]] std::vector<RankedConfig> rank_configs(std::span<const Outcome> outcomes, Goal goal);

}  // namespace hpsweep::search
