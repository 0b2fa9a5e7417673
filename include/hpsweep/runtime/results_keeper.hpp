#pragma once
/// The coordinator's results, kept safe: one writer (a file lock), every finished trial in the
/// journal (fsync'd) before it counts, and the results file rewritten whole from memory now and
/// then and at the end. A kill at any moment loses at most the trials in flight.

#include <chrono>
#include <deque>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/runtime/file_lock.hpp"
#include "hpsweep/runtime/sweep.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/record_codec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

class ResultsKeeper {
 public:
  /// Locks `path`, and starts from an existing file of the same sweep, data and shard plus its journal
  /// (a torn or garbage journal tail is dropped with a warning on `log`), or fresh. Refuses (core::StoreError,
  /// nothing changed) a file of another sweep unless options.restart, and a file that is not a
  /// results file always. Leaves a consolidated file on disk and an empty journal.
  ResultsKeeper(const PreparedSweep& sweep, const RunOptions& options, const std::string& path, int ranks,
                int threads, std::ostream& log);

  [[nodiscard]] const store::Results& results() const noexcept { return results_; }
  /// How many trials this run takes: the whole plan, or its shard's share.
  [[nodiscard]] int planned() const;
  /// The trials still to run (of this run's shard), in plan order (paused ones are early termination's to schedule).
  [[nodiscard]] std::deque<int> pending() const;
  /// How many of this run's trials are not settled yet: pending, or paused at a rung.
  [[nodiscard]] int unsettled() const;

  /// A finished (or paused, or stopped) trial: journaled (durable) first, then kept; the file is
  /// rewritten when the last rewrite is older than `rewrite_every`. `epochs_trained` counts the
  /// epochs a worker spent on it (0 for a record the coordinator settled itself).
  void record(store::TrialRecord&& record, long long epochs_trained = 0);
  /// An asha/median verdict on a running trial: journaled, and journaled again after every
  /// rewrite until the trial's own record settles it, so a resume gives the same verdicts.
  void record_decision(const store::RungDecision& decision);
  /// The verdicts on unsettled trials found in the journal when the keeper started.
  [[nodiscard]] const std::vector<store::RungDecision>& journaled_decisions() const noexcept { return resumed_decisions_; }
  /// Rewrites the results file from memory and empties the journal.
  void checkpoint();
  /// The final rewrite, with the run's wall time; removes the journal.
  void finish(double wall_seconds);
  /// Time spent making results durable (journal appends and fsyncs, rewrites) since the start:
  /// the price of crash safety.
  [[nodiscard]] double durability_seconds() const noexcept { return durability_.count(); }
  /// Of that, the whole-file rewrites: how many, their total and their longest time.
  [[nodiscard]] int rewrites() const noexcept { return rewrites_; }
  [[nodiscard]] double rewrite_seconds() const noexcept { return rewriting_.count(); }
  [[nodiscard]] double longest_rewrite_seconds() const noexcept { return longest_rewrite_.count(); }

 private:
  std::string path_;
  search::Shard shard_;
  FileLock lock_;
  store::Results results_;
  std::optional<store::JournalWriter> journal_;
  std::chrono::steady_clock::time_point last_rewrite_;
  std::chrono::duration<double> rewrite_every_{2.0};
  std::chrono::duration<double> durability_{0.0};
  std::chrono::duration<double> rewriting_{0.0};
  std::chrono::duration<double> longest_rewrite_{0.0};
  int rewrites_ = 0;
  std::vector<store::RungDecision> open_decisions_;     // verdicts on trials not settled yet
  std::vector<store::RungDecision> resumed_decisions_;
};

}  // namespace hpsweep::runtime
