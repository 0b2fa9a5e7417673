#pragma once
/// Paused trials' training state on a worker rank (sha/hyperband), so that a promoted trial goes
/// on from where it paused instead of training again from its first epoch. Bounded: past the
/// budget the oldest checkpoints are dropped, and a trial without one is retrained from scratch,
/// which gives the same numbers (training is deterministic), only later. Thread-safe.

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

#include "hpsweep/nn/trainer.hpp"

namespace hpsweep::runtime {

class CheckpointCache {
 public:
  /// Default budget of one rank: 1 GiB.
  static constexpr std::size_t kDefaultBytes = std::size_t{1} << 30;
  explicit CheckpointCache(std::size_t budget_bytes = kDefaultBytes) : budget_(budget_bytes) {}

  /// Keeps `trial`'s checkpoint (replacing an older one), dropping the oldest others past the budget.
  void put(int trial, nn::TrainCheckpoint checkpoint);
  /// Removes and returns `trial`'s checkpoint, if still held.
  [[nodiscard]] std::optional<nn::TrainCheckpoint> take(int trial);
  [[nodiscard]] std::size_t bytes() const;

 private:
  std::size_t budget_;
  mutable std::mutex mutex_;
  std::map<int, nn::TrainCheckpoint> held_;
  std::deque<int> order_;  // trials in the order they were put (may name ones already taken)
  std::size_t bytes_ = 0;
};

}  // namespace hpsweep::runtime
