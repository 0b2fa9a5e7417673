#pragma once
/// The sweep's early termination (search/termination.hpp) carried out on trial records: which
/// budget a job trains with, which verdict a rung question gets, which paused trials a result
/// promotes or stops, and how all of it is rebuilt from the results file and the journal when a
/// sweep resumes, so that resumed decisions equal uninterrupted ones.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/runtime/coordinator.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/search/spec.hpp"
#include "hpsweep/search/termination.hpp"
#include "hpsweep/store/record_codec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

class EarlyTermination {
 public:
  /// For `spec`'s early_terminate over `plan`. Throws core::ConfigError (naming the section) when
  /// the sweep cannot use it: no rung below the trials' epochs, or sha/hyperband with trials of
  /// different lengths.
  EarlyTermination(const search::SweepSpec& spec, const std::vector<search::Trial>& plan);

  /// A batch an adaptive method decided during the sweep (or found in the file on resume): trials
  /// numbered on from the last one known. sha and hyperband run it as brackets of its own, so a
  /// batch's verdicts never wait for another's. Returns the jobs that start it.
  std::vector<Job> add_batch(const std::vector<search::Trial>& batch);

  [[nodiscard]] bool enabled() const noexcept { return spec_.enabled(); }
  [[nodiscard]] const search::EarlyTerminate& spec() const noexcept { return spec_; }

  /// What `job` of `trial` trains with on a worker; `ask` reaches the coordinator (asha, median).
  [[nodiscard]] TrialBudget budget(const Job& job, const search::Trial& trial, const AskRung& ask) const;

  /// The jobs a sweep starts (or resumes) with, given the records so far and the verdicts in the
  /// journal: pending trials with their first budget, then paused trials whose promotion is due.
  /// Paused trials that are now to stop are returned in `settled` (status stopped), for the caller
  /// to record.
  [[nodiscard]] std::vector<Job> start(const store::Results& results,
                                       const std::vector<store::RungDecision>& journaled,
                                       std::vector<store::TrialRecord>& settled);

  /// After `results` took a worker's record of `trial`: the jobs now due (promotions, handed out
  /// first), and in `settled` the paused trials now stopped.
  [[nodiscard]] std::vector<Job> after_result(const store::Results& results, int trial,
                                              std::vector<store::TrialRecord>& settled);

  /// asha/median: the verdict on a running trial at a rung; true to go on.
  [[nodiscard]] bool at_rung(int trial, int rung, double value);

 private:
  /// sha/hyperband over one batch: trials first_trial.. of configurations first_config..
  struct Segment {
    int first_trial = 0;
    int first_config = 0;
    int trials = 0;
    search::SyncBrackets brackets;
  };
  void update_progress(const store::TrialRecord& record);
  /// The epochs a trial trains fully: its settings' epochs, or in a program sweep the reports of a
  /// whole trial (max_t/max_iter), which hpsweep cannot know otherwise.
  [[nodiscard]] int epochs_of(const search::Trial& trial) const;
  [[nodiscard]] const Segment& segment_of(int trial) const;
  /// The epochs `trial` trains first under sha/hyperband (0: fully), noted as handed out.
  int first_job_epochs(int trial);
  std::vector<Job> due_in_bracket(const store::Results& results, const Segment& segment, int bracket,
                                  std::vector<store::TrialRecord>& settled);

  search::EarlyTerminate spec_;
  bool minimize_ = true;
  bool by_metric_ = false;
  bool program_ = false;
  std::string metric_name_;
  std::uint64_t seed_ = 0;
  std::vector<int> epochs_of_;  // per trial
  std::optional<search::AsyncRungs> async_;
  std::vector<Segment> segments_;                // sync: one per batch, by first_trial
  std::vector<search::TrialProgress> progress_;  // sync: per trial
  std::vector<int> handed_out_;                  // sync: epochs of the last job of each trial
};

/// The ranked value a record reached after each epoch of its curve: the best validation loss so
/// far, or (by_metric) the validation metric at the epoch of best loss so far.
[[nodiscard]] std::vector<double> best_so_far(const store::Curve& curve, bool by_metric);

/// A program sweep's counterpart: after each report that carried `metric`, its best so far (what
/// run_program_trial asked the coordinator at a rung), the goal's way.
[[nodiscard]] std::vector<double> reported_best_so_far(const store::Curve& curve, const std::string& metric, bool minimize);

}  // namespace hpsweep::runtime
