#pragma once
/// The answer to the question the report exists for: does validation loss rise after a few
/// epochs (overfitting), and which setting cures it? Plain data computed from a results file and
/// its ranking; html.cpp puts it into words. Every configuration is scored one way everywhere:
/// the mean over its finished (ok or stopped) repeats, summed in trial order.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hpsweep/report/analysis.hpp"
#include "hpsweep/search/rank.hpp"
#include "hpsweep/search/value.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::report {

/// The last finite value of a curve (the final epoch's), NaN when none.
[[nodiscard]] double final_value(const std::vector<double>& curve);

/// One configuration's numbers over its finished repeats. "score" is the sweep's metric (best_val_loss,
/// or best_val_metric when the sweep ranks by val_metric); "final_score" the same metric at the final
/// epoch, i.e. what the ranking would see without early stopping.
struct ConfigSummary {
  int config = 0;
  int first_trial = 0;  ///< whose settings stand for the configuration
  Stat score;
  Stat final_score;
  Stat best_val_loss;
  Stat final_val_loss;
  Stat rise;  ///< final_val_loss - best_val_loss per trial: how far validation loss rose after its minimum
  Stat gap;   ///< final_val_loss - final_train_loss per trial: the generalization gap at the end
  Stat best_epoch;
  Stat best_val_metric;  ///< accuracy (classification) or RMSE (regression) at best_epoch
  Stat final_val_metric;
  Stat best_test_loss;   ///< the test split at best_epoch's weights (the epoch validation selected)
  Stat best_test_metric;
  Stat test_loss;        ///< the test split at the weights training ended with
  Stat test_metric;
};

/// One summary per ranked configuration, in ranking order.
[[nodiscard]] std::vector<ConfigSummary> summarize_configs(const store::Results& results,
                                                           std::span<const search::RankedConfig> ranking,
                                                           bool by_metric);

/// Per epoch, the mean and standard deviation over `trials` that finished of one of their curves
/// (`which` points at Curve::train_loss, val_loss or val_metric); epochs no finished trial reached are NaN.
struct MeanCurve {
  std::vector<double> mean;
  std::vector<double> spread;  ///< sample sd where at least 2 trials reached the epoch, else NaN
};

[[nodiscard]] MeanCurve mean_curve(const store::Results& results, std::span<const int> trials,
                                   std::vector<double> store::Curve::*which);

/// The settings that regularize: a configuration with all of them 0 (absent counting as 0) is unregularized.
[[nodiscard]] std::span<const char* const> regularization_settings() noexcept;

/// A setting value that changes the baseline's overfitting, and by how much.
struct Cure {
  std::string setting;
  std::string value;  ///< the value as the sweep file writes it, or a bin of make_axis() ("0.001-0.01")
  /// true: over every finished trial with that value (or bin), whatever its other settings (no
  /// configuration differs from the baseline in one setting alone); false: the configuration `summary` does.
  bool marginal = false;
  std::size_t summary = 0;  ///< index into the summaries when !marginal
  Stat rise;
  Stat gap;
};

struct Verdict {
  enum class Kind {
    kNothingFinished,  ///< no configuration has a finished repeat
    kNoBaseline,       ///< no regularization setting varies, or no configuration is unregularized
    kNoOverfitting,    ///< the baseline's validation loss does not rise after its minimum
    kOverfitting,
  };
  Kind kind = Kind::kNothingFinished;
  /// The configuration described: the best-ranked unregularized one, else (kNoBaseline) the best.
  std::size_t baseline = 0;
  /// The rise below which a configuration counts as not overfitting: 1% of its best validation loss.
  double threshold = 0.0;
  std::optional<Cure> rise_cure;  ///< smallest mean rise among the one-setting changes of the baseline
  std::optional<Cure> gap_cure;   ///< smallest mean gap among the same
  /// What the ranking picks by best-epoch score (early stopping at the best epoch, the ranking's
  /// own first) and by final-epoch score (training every epoch), among configurations whose
  /// repeats all ran their full budget; indices into the summaries; nullopt when none qualifies.
  std::optional<std::size_t> pick_best_epoch;
  std::optional<std::size_t> pick_final_epoch;
};

/// The verdict over `summaries` (summarize_configs' output, in ranking order) for a sweep whose
/// metric has `goal`. Cures are searched among the swept settings (`swept`) only.
[[nodiscard]] Verdict judge(const store::Results& results, std::span<const search::RankedConfig> ranking,
                            std::span<const ConfigSummary> summaries, const std::vector<std::string>& swept,
                            search::Goal goal);

}  // namespace hpsweep::report
