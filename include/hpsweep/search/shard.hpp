#pragma once
/// A share of a sweep's trials, for job arrays: shard I of N holds the trials whose plan index
/// is I modulo N, so the shards are disjoint, cover the plan, and differ in size by at most one
/// trial whatever the order of the plan.

#include <string>
#include <string_view>

namespace hpsweep::search {

struct Shard {
  int index = 0;
  int count = 1;  ///< 1: the whole sweep

  [[nodiscard]] bool whole() const noexcept { return count == 1; }
  [[nodiscard]] bool contains(int trial) const noexcept { return trial % count == index; }
  /// "I/N", or "" for the whole sweep (how the results file records it).
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Shard&, const Shard&) = default;
};

/// "I/N" with 0 <= I < N (e.g. "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT"); "" is the whole
/// sweep. Throws core::ConfigError saying what is wrong and the form expected.
[[nodiscard]] Shard parse_shard(std::string_view text);

}  // namespace hpsweep::search
