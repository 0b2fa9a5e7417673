#pragma once
/// The coordinator's results, kept safe: one writer (a file lock), every finished trial in the
/// journal (fsync'd) before it counts, and the results file rewritten whole now and then (on a
/// background thread, from a sealed part of the journal) and at the end. A kill at any moment
/// loses at most the trials in flight.

#include <chrono>
#include <deque>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/search/shard.hpp"
#include "hpsweep/store/background_rewriter.hpp"
#include "hpsweep/store/file_lock.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/record_codec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::store {

/// How a keeper treats an existing file and how often it rewrites it.
struct KeeperOptions {
  bool restart = false;        ///< start over instead of resuming an existing file of another sweep
  double rewrite_every = 2.0;  ///< seconds between background rewrites (the journal holds the rest)
  search::Shard shard;         ///< the trials this run takes; the others stay pending
};

class ResultsKeeper {
 public:
  /// Locks `path`, and starts from `fresh` (the sweep's info and its trials decided so far, all
  /// pending) merged with an existing file of the same sweep, data and shard plus its journal (a
  /// torn or garbage journal tail is dropped with a warning on `log`). Refuses (core::StoreError,
  /// nothing changed) a file of another sweep unless options.restart, and a file that is not a
  /// results file always. Leaves a consolidated file on disk and an empty journal.
  ResultsKeeper(Results fresh, const KeeperOptions& options, const std::string& path, std::ostream& log);

  [[nodiscard]] const Results& results() const noexcept { return results_; }
  /// Trials decided after the start (an adaptive sampler's): new pending rows, journaled first so
  /// a resume finds them; their indices must follow the existing rows. `max_epochs`: the most
  /// epochs any of them trains (the curves' width grows to it).
  void add_trials(std::vector<TrialRecord> decided, int max_epochs);
  /// How many trials this run takes: all decided so far, or its shard's share.
  [[nodiscard]] int planned() const;
  /// The trials still to run (of this run's shard), in plan order (paused ones are early termination's to schedule).
  [[nodiscard]] std::deque<int> pending() const;
  /// How many of this run's trials are not settled yet: pending, or paused at a rung.
  [[nodiscard]] int unsettled() const;

  /// A finished (or paused, or stopped) trial: journaled (durable) first, then kept. When the last
  /// rewrite started `options.rewrite_every` seconds ago or more (and at least 4 of its durations,
  /// so the disk is busy rewriting a quarter of the time at most) and is done, the journal is
  /// sealed and the file rewritten from it in the background. `epochs_trained` counts the epochs
  /// a worker spent on it (0 for a record the coordinator settled itself).
  void record(TrialRecord&& record, long long epochs_trained = 0);
  /// An asha/median verdict on a running trial: journaled, and journaled again after every
  /// rewrite until the trial's own record settles it, so a resume gives the same verdicts.
  void record_decision(const RungDecision& decision);
  /// The verdicts on unsettled trials found in the journal when the keeper started.
  [[nodiscard]] const std::vector<RungDecision>& journaled_decisions() const noexcept { return resumed_decisions_; }
  /// Waits for a background rewrite, then the final rewrite from memory, with the run's wall
  /// time; removes the journal.
  void finish(double wall_seconds);

  /// The price of crash safety: time on the coordinator's thread (journal appends, seals, the
  /// final rewrite) and the background rewrites.
  struct DurabilityCost {
    std::chrono::duration<double> journal{0.0}, sealing{0.0}, final_rewrite{0.0};
    int background_rewrites = 0;
    std::chrono::duration<double> background{0.0}, longest_background{0.0};
    [[nodiscard]] double coordinator_seconds() const { return (journal + sealing + final_rewrite).count(); }
  };
  [[nodiscard]] DurabilityCost durability() const;

 private:
  void rewrite_in_background();

  std::string path_;
  std::ostream& log_;
  search::Shard shard_;
  FileLock lock_;
  Results results_;
  std::optional<JournalWriter> journal_;
  std::chrono::steady_clock::time_point last_rewrite_;  // when the last rewrite started
  std::chrono::duration<double> rewrite_every_;
  std::optional<BackgroundRewriter> rewriter_;
  std::vector<std::vector<std::byte>> unsealed_;  // journaled since the last seal, for the rewriter
  DurabilityCost cost_;
  std::vector<RungDecision> open_decisions_;     // verdicts on trials not settled yet
  std::vector<RungDecision> resumed_decisions_;
};

}  // namespace hpsweep::store
