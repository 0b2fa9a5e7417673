#include "hpsweep/store/merge.hpp"

#include <algorithm>
#include <cstdio>

#include "hpsweep/core/error.hpp"

namespace hpsweep::store {
namespace {

/// Why `other` cannot be merged with `first`, or "" when it can.
std::string difference(const Results& first, const Results& other) {
  if (other.info.sweep_text != first.info.sweep_text) return "its sweep file text differs";
  if (other.info.data_fingerprint != first.info.data_fingerprint) {
    if (!same_fingerprint_kind(other.info.data_fingerprint, first.info.data_fingerprint)) {
      return "its data fingerprint is of another kind (one shard began under an hpsweep from before XXH3 "
             "fingerprints and was resumed, the other not), so whether the data is the same cannot be told; run "
             "every shard of a sweep with one hpsweep";
    }
    return "its data differs (fingerprint)";
  }
  if (other.trials.size() != first.trials.size()) {
    return "it has " + std::to_string(other.trials.size()) + " trials, not " + std::to_string(first.trials.size());
  }
  return {};
}

}  // namespace

Merged merge_results(const std::vector<MergeInput>& inputs) {
  if (inputs.empty()) throw core::StoreError("nothing to merge: give the shards' results files");
  const Results& first = inputs.front().results;
  for (const MergeInput& input : inputs) {
    if (const std::string why = difference(first, input.results); !why.empty()) {
      throw core::StoreError(input.path + " is not a shard of the same sweep as " + inputs.front().path + ": " + why +
                             "; nothing was written");
    }
  }
  Merged merged;
  SweepInfo& info = merged.results.info;
  info = first.info;
  info.shard.clear();
  info.ranks = 0;
  info.wall_seconds = 0.0;
  info.epochs_trained = 0;
  info.threads = 0;
  info.shard_runs.clear();
  for (const MergeInput& input : inputs) {
    const SweepInfo& shard = input.results.info;
    info.created = std::min(info.created, shard.created);
    // Each shard ran on its own: keep what each ran with, not their sum.
    if (!shard.shard_runs.empty()) {
      info.shard_runs.insert(info.shard_runs.end(), shard.shard_runs.begin(), shard.shard_runs.end());
    } else {
      char line[160];
      std::snprintf(line, sizeof line, "%s %s: %d rank(s) x %d thread(s), %.1f s", shard.shard.empty() ? "run" : "shard",
                    shard.shard.empty() ? "(whole sweep)" : shard.shard.c_str(), shard.ranks, shard.threads, shard.wall_seconds);
      info.shard_runs.emplace_back(line);
    }
    info.ranks = std::max(info.ranks, shard.ranks);
    info.threads = std::max(info.threads, input.results.info.threads);
    info.wall_seconds = std::max(info.wall_seconds, input.results.info.wall_seconds);
    info.epochs_trained += input.results.info.epochs_trained;
  }
  // A merged file given again (as -o) repeats its shards' lines: keep each once, in order.
  std::vector<std::string> unique_runs;
  for (const std::string& line : info.shard_runs) {
    if (std::find(unique_runs.begin(), unique_runs.end(), line) == unique_runs.end()) unique_runs.push_back(line);
  }
  info.shard_runs = std::move(unique_runs);
  merged.results.trials = first.trials;
  for (std::size_t t = 0; t < merged.results.trials.size(); ++t) {
    TrialRecord& row = merged.results.trials[t];
    for (const MergeInput& input : inputs) {
      const TrialRecord& candidate = input.results.trials[t];
      if (!search::is_unsettled(candidate.status)) {
        row = candidate;
        break;
      }
    }
    if (search::is_unsettled(row.status)) merged.unsettled.push_back(static_cast<int>(t));
  }
  return merged;
}

}  // namespace hpsweep::store
