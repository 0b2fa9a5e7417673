#pragma once
/// Early termination (the sweep file's `early_terminate`, W&B's key): trials that are not
/// promising at a rung are stopped, so a sweep spends its epochs on the configurations that are
/// still improving. Pure scheduling logic, no training and no MPI: the coordinator feeds it the
/// value a trial reached at a rung (its ranked metric so far: best validation loss, or the
/// validation metric at that epoch) and carries out its verdicts.
///
/// Rungs are epochs min_epochs * eta^k below max_epochs (grace 3, factor 3, 50 epochs: 3, 9, 27).
/// - asha: asynchronous successive halving, the stopping variant of Ray Tune's ASHAScheduler. When
///   a configuration first reaches a rung, it continues if its value ranks within the best
///   ceil(n / eta) of the n configurations recorded at that rung so far, else it stops. Decided at
///   once, so no worker waits; the verdicts depend on the order in which trials arrive.
/// - median: the median stopping rule (Golovin et al., Google Vizier): from `min_epochs` on, at
///   every epoch, a configuration stops when its value is worse than the median of the other
///   configurations' values at that epoch (once at least min_samples others reported it).
/// - sha: synchronous successive halving, one bracket: every configuration trains to the first
///   rung and pauses; once all have, the best floor(n / eta) continue to the next rung, the rest
///   stop; the last promoted ones train to the full epochs.
/// - hyperband: Hyperband's brackets of synchronous successive halving, bracket b starting at rung
///   b (the last bracket trains everything fully), configurations dealt to brackets in proportion
///   to Hyperband's n_s = ceil((s_max + 1) / (s + 1)) * eta^s after a seeded shuffle.
/// sha and hyperband decide from the values alone, so their results never depend on timing or the
/// number of ranks: they are the reproducible choice; asha keeps every worker busy instead.
///
/// Repeats: a configuration's value at a rung is the mean over its repeats that reported there;
/// all repeats of a configuration share its verdicts. asha and median decide when the first
/// repeat arrives (later repeats follow); sha and hyperband wait for all repeats.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace hpsweep::search {

enum class Termination { kNone, kAsha, kMedian, kSha, kHyperband };

/// "none", "asha", "median", "sha", "hyperband".
[[nodiscard]] const char* termination_name(Termination type) noexcept;

/// The `early_terminate` section of a sweep file.
struct EarlyTerminate {
  Termination type = Termination::kNone;
  int min_epochs = 3;  ///< asha/median grace_period, sha/hyperband min_iter: the first rung
  int eta = 3;         ///< asha reduction_factor, sha/hyperband eta: the halving factor
  int max_epochs = 0;  ///< asha max_t, sha/hyperband max_iter: no rung at or above it; 0: the trials' epochs
  int brackets = 0;    ///< hyperband s: the number of brackets; 0: one per rung plus the full one
  int min_samples = 3; ///< median: other configurations needed at an epoch before the rule applies
  std::string place;   ///< "sweep.yaml:12:3", for messages about the section

  [[nodiscard]] bool enabled() const noexcept { return type != Termination::kNone; }
  [[nodiscard]] bool synchronous() const noexcept {
    switch (type) {
      case Termination::kSha:
      case Termination::kHyperband: return true;
      case Termination::kNone:
      case Termination::kAsha:
      case Termination::kMedian: return false;
    }
    return false;
  }
};

/// The epochs at which a trial of `epochs` epochs is judged, ascending, all below `epochs` (and
/// below max_epochs when set): the rungs, or for median every epoch from min_epochs on.
[[nodiscard]] std::vector<int> rung_epochs(const EarlyTerminate& spec, int epochs);

/// Whether `a` is strictly better than `b` (NaN is worse than anything).
[[nodiscard]] bool better(double a, double b, bool minimize) noexcept;

/// A verdict at a rung.
enum class Verdict : std::uint8_t { kContinue = 1, kStop = 2 };

/// asha and median: one verdict per configuration and rung, given at once.
class AsyncRungs {
 public:
  /// `config_of[t]` is trial t's configuration.
  AsyncRungs(const EarlyTerminate& spec, std::vector<int> config_of, bool minimize);

  /// Trial `trial` reached rung `rung` (an index into rung_epochs) with `value`. The first repeat
  /// of a configuration to arrive decides for all of them; a rung already decided (earlier
  /// repeat, or a verdict restored on resume) returns the same verdict. A trial counts once per rung.
  Verdict decide(int trial, int rung, double value);
  /// Trials numbered from the end of config_of on, of the configurations `config_of` gives (an
  /// adaptive method decides them during the sweep); they join the same rungs.
  void add_trials(const std::vector<int>& config_of);
  /// A verdict made earlier (from the journal, or implied by a finished trial's record), restored
  /// on resume before any new decision: its value joins the rung, its verdict is kept.
  void restore(int trial, int rung, double value, Verdict verdict);
  /// The verdict on a configuration at a rung, if any.
  [[nodiscard]] std::optional<Verdict> verdict(int config, int rung) const;

 private:
  struct Mean {
    double sum = 0.0;
    int count = 0;
    [[nodiscard]] double value() const { return count > 0 ? sum / count : 0.0 / 0.0; }
  };
  void add(int trial, int rung, double value);
  [[nodiscard]] Verdict judge(int config, int rung) const;

  EarlyTerminate spec_;
  std::vector<int> config_of_;
  bool minimize_;
  std::map<int, std::map<int, Mean>> values_;                 // rung -> config -> mean over repeats
  std::set<std::pair<int, int>> counted_;                     // (trial, rung) already in values_
  std::map<std::pair<int, int>, Verdict> verdicts_;           // (config, rung) -> verdict
};

/// Where a trial of sha or hyperband stands.
struct TrialProgress {
  std::vector<double> best_so_far;  ///< its ranked value after each epoch it ran (epoch e at e - 1)
  bool paused = false;              ///< at the end of a budget below the full epochs, awaiting a decision
  bool ended = false;               ///< trained as far as it ever will (finished, diverged, failed, stopped)
};

/// A decision of sha and hyperband on a paused trial.
struct Promotion {
  int trial = 0;
  int epochs = 0;  ///< train to this epoch; 0: stop at the rung it reached
  int rung = 0;    ///< the rung (ladder index) it was judged at
};

/// sha and hyperband: brackets of synchronous successive halving over a ladder of rungs.
class SyncBrackets {
 public:
  /// `config_of[t]` is trial t's configuration, `epochs` the full training length, `seed` the
  /// sweep's (it deals configurations to hyperband's brackets).
  SyncBrackets(const EarlyTerminate& spec, std::vector<int> config_of, int epochs, std::uint64_t seed,
               bool minimize);

  /// The epochs a trial trains first: its bracket's first rung (the full epochs in the last bracket).
  [[nodiscard]] int first_epochs(int trial) const;
  /// The bracket of a configuration.
  [[nodiscard]] int bracket_of_config(int config) const { return bracket_of_config_.at(static_cast<std::size_t>(config)); }
  [[nodiscard]] int brackets() const noexcept { return brackets_; }
  /// The rung epochs followed by the full epochs.
  [[nodiscard]] const std::vector<int>& ladder() const noexcept { return ladder_; }

  /// Every decision now due in `bracket`, given each trial's progress (indexed by trial; trials of
  /// other brackets are ignored). A pure function of the values, whatever the order they came in:
  /// a decision is due for a trial paused at rung k once every trial of the configurations still
  /// in the bracket at rung k reached it (or ended).
  [[nodiscard]] std::vector<Promotion> decide(int bracket, std::span<const TrialProgress> progress) const;

 private:
  EarlyTerminate spec_;
  std::vector<int> config_of_;
  bool minimize_;
  int brackets_ = 1;
  std::vector<int> ladder_;             // rung epochs, then the full epochs
  std::vector<int> bracket_of_config_;
  std::vector<std::vector<int>> trials_of_config_;
};

}  // namespace hpsweep::search
