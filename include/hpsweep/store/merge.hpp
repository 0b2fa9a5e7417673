#pragma once
/// Combining the results files of a sweep's shards (`run --shard I/N`, one per job-array task)
/// into one results file of the whole sweep, equal to a single job's apart from timing and ranks.

#include <string>
#include <vector>

#include "hpsweep/store/results.hpp"

namespace hpsweep::store {

/// One input of a merge: its path (for messages) and its contents, journal included.
struct MergeInput {
  std::string path;
  Results results;
};

struct Merged {
  Results results;
  std::vector<int> unsettled;  ///< trials no input settled (pending or paused everywhere), ascending
};

/// Takes each trial from the first input that settled it. The inputs must hold the same sweep
/// file text, data fingerprint and trial count (else core::StoreError naming the file that differs
/// and how). The result records no shard; its wall time is the longest input's, its compute
/// (epochs_trained) and ranks the inputs' sums, its threads the largest, its creation time the earliest.
[[nodiscard]] Merged merge_results(const std::vector<MergeInput>& inputs);

}  // namespace hpsweep::store
