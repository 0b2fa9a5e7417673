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
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/search/rank.hpp"
#include "hpsweep/search/value.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::report {

/// A trial's value of `curve` at its final epoch (epochs_run), NaN when the curve does not reach it.
[[nodiscard]] double final_value(const store::TrialRecord& trial, const std::vector<double>& curve);

/// The epochs a trial was set to train: its `epochs` setting, else the sweep's max_epochs.
[[nodiscard]] int configured_epochs(const store::Results& results, const store::TrialRecord& trial);

/// One configuration's numbers over its finished repeats. "score" is the sweep's metric
/// (best_of: best_val_loss, best_val_metric, or a program's best_metric); "final_score" the same
/// metric at the final epoch (final_of), i.e. what the ranking would see without early stopping.
/// The validation-loss figures (best_val_loss, final_val_loss, rise, gap, val_loss_epoch) come from
/// loss_course(): in a program sweep over the repeats whose program reported val_loss and
/// train_loss only (n == 0 when none did). The trainer's other columns (best_val_metric, test_*)
/// are NaN in a program sweep.
struct ConfigSummary {
  int config = 0;
  int first_trial = 0;  ///< whose settings stand for the configuration
  Stat score;
  Stat final_score;
  Stat best_val_loss;
  Stat final_val_loss;
  Stat rise;  ///< final_val_loss - best_val_loss per trial: how far validation loss rose after its minimum
  Stat gap;   ///< final_val_loss - final_train_loss per trial: the generalization gap at the end
  Stat best_epoch;       ///< the records' best_epoch: of the ranked metric (a program sweep: its best report)
  Stat val_loss_epoch;   ///< the epoch (report) of minimum validation loss: best_epoch for the built-in trainer
  Stat best_val_metric;  ///< accuracy (classification) or RMSE (regression) at best_epoch
  Stat final_val_metric;
  Stat best_test_loss;   ///< the test split at best_epoch's weights (the epoch validation selected)
  Stat best_test_metric;
  Stat test_loss;        ///< the test split at the weights training ended with
  Stat test_metric;
  Stat epochs_run;
  /// Every finished repeat trained all its configured epochs (none ended by early stopping's
  /// patience or at a rung): its final epoch is "training every epoch". A program sweep: every
  /// finished repeat ran to its end (ok, not stopped at a rung).
  bool full_length = false;
};

/// One summary per ranked configuration, in ranking order, scored by `metric`.
[[nodiscard]] std::vector<ConfigSummary> summarize_configs(const store::Results& results,
                                                           std::span<const search::RankedConfig> ranking,
                                                           const RankedMetric& metric);

/// Per epoch, the mean and standard deviation over `trials` that finished of one of their curves
/// (`which` points at Curve::train_loss, val_loss or val_metric), up to the last epoch every one of
/// them reached (early stopping may end repeats at different epochs); NaN values are left out.
struct MeanCurve {
  std::vector<double> mean;
  std::vector<double> spread;  ///< sample sd where at least 2 trials reached the epoch, else NaN
};

[[nodiscard]] MeanCurve mean_curve(const store::Results& results, std::span<const int> trials,
                                   std::vector<double> store::Curve::*which);

/// A trial's curve by name: train_loss, val_loss, val_metric, or one of a program sweep's other
/// reported metrics (Curve::reported); nullptr when it has none of that name.
[[nodiscard]] const std::vector<double>* named_curve(const store::Curve& curve, const std::string& name);

/// mean_curve() of the curve named `name` (see named_curve): a trial without it adds no value
/// (and does not shorten the mean).
[[nodiscard]] MeanCurve mean_curve(const store::Results& results, std::span<const int> trials, const std::string& name);

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
  Stat final_score;  ///< the sweep's metric at the final epoch: a cure must not be worse there than the baseline
};

struct Verdict {
  enum class Kind {
    kNothingFinished,  ///< no configuration has a finished repeat
    kNoBaseline,       ///< no regularization setting varies, or no configuration is unregularized
    kNoOverfitting,    ///< the baseline's validation loss does not rise after its minimum
    kOverfitting,
    /// A program sweep whose program reported no val_loss and train_loss (has_loss_curves() is
    /// false): rise and gap are unknown; `baseline` is the best configuration, and only the picks
    /// (pick_best_epoch, pick_final_epoch) are judged.
    kNoLossCurves,
  };
  Kind kind = Kind::kNothingFinished;
  /// Whether any regularization setting is swept (kNoBaseline: none is, or none is 0 everywhere).
  bool regularization_swept = false;
  /// The configuration described: the best-ranked unregularized one (preferring one not stopped
  /// at a rung), else (kNoBaseline) the best; in a program sweep, among the configurations with a
  /// rise (some repeat reported val_loss and train_loss).
  std::size_t baseline = 0;
  /// Early stopping's patience ended some baseline repeat before its configured epochs: the rise
  /// after the minimum was cut short, so a small rise does not mean no overfitting.
  bool baseline_cut_short = false;
  /// The largest mean rise among the first kTopConfigs configurations not stopped at a rung, when
  /// it is not the baseline's and exceeds it (and 1% of its own minimum): overfitting elsewhere.
  std::optional<std::size_t> largest_rise;
  static constexpr std::size_t kTopConfigs = 5;
  /// The rise below which a configuration counts as not overfitting: 1% of its best validation loss.
  double threshold = 0.0;
  /// Among the one-setting changes of the baseline that trained every epoch and whose final-epoch
  /// score is no worse than the baseline's (a cure must not trade overfitting for underfitting):
  /// the smallest mean rise below the baseline's, and the smallest mean gap below the baseline's.
  std::optional<Cure> rise_cure;
  std::optional<Cure> gap_cure;
  /// What the ranking picks by best-epoch score (early stopping at the best epoch; the first
  /// configuration not stopped at a rung) and by final-epoch score among the configurations that
  /// trained every epoch (full_length); indices into the summaries; nullopt when none qualifies.
  std::optional<std::size_t> pick_best_epoch;
  std::optional<std::size_t> pick_final_epoch;
};

/// The verdict over `summaries` (summarize_configs' output with the same `metric`, in ranking
/// order); `metric.goal` says which scores are better. Cures are searched among the swept settings only.
[[nodiscard]] Verdict judge(const store::Results& results, std::span<const search::RankedConfig> ranking,
                            std::span<const ConfigSummary> summaries, const std::vector<std::string>& swept,
                            const RankedMetric& metric);

}  // namespace hpsweep::report
