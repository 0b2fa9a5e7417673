#pragma once
/// Samplers: what decides a sweep's configurations. A trial is one repeat of a configuration
/// (trial index = config * repeats + repeat, seed = trial_seed(sweep seed, config, repeat)), so a
/// sampler only decides configurations, and a configuration's trials follow from its number.
///
/// The contract, which keeps every method reproducible on any number of ranks and threads:
/// - Configurations are decided in batches, numbered in order from 0. propose(decided, history)
///   returns the next batch, numbered from `decided` on, or nothing when the sweep has them all.
/// - `history` holds the outcomes of the trials of every configuration decided so far that have
///   settled (finished, diverged, failed or stopped at a rung), in trial order. The runtime asks
///   for the next batch only when every trial of the batches before it has settled, so the
///   history a batch is decided from never depends on the order in which results arrived, the
///   number of workers, or a kill and resume; and a sampler must give the same batch for the same
///   history (its randomness seeded from the sweep seed and `decided`, never from a clock).
/// - Batch boundaries depend on the sweep file alone (batch_start), never on timing.
/// - A larger batch keeps more workers busy (the next batch waits for the slowest trial of this
///   one); a smaller one lets the model learn sooner. Grid and random decide everything in the
///   first batch: they do not learn, and their numbering and seeds are those of the first release.
///
/// Adding a method: a class implementing Sampler (search/), a case in make_sampler() and in the
/// Method switch of spec.cpp/parse.cpp; nothing in runtime, store or the file format changes.

#include <memory>
#include <span>
#include <vector>

#include "hpsweep/search/spec.hpp"
#include "hpsweep/search/status.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::search {

/// What a sampler learns from one settled trial.
struct Observation {
  int trial = 0;
  int config = 0;
  TrialStatus status = TrialStatus::kPending;
  double value = 0.0;  ///< the sweep's metric (best_val_loss, or best_val_metric): NaN unless finished
  int epochs = 0;      ///< epochs it trained: a trial stopped at a rung was judged on fewer
  const Assignment* settings = nullptr;  ///< the trial's settings; valid during propose()
};

/// A configuration a sampler decided.
struct Proposal {
  int config = 0;
  Assignment settings;  ///< every fixed and swept setting, in the settings table's order
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  /// The next batch of configurations, numbered decided, decided + 1, ...; empty when the sweep
  /// has all of its configurations. See the contract above.
  [[nodiscard]] virtual std::vector<Proposal> propose(int decided, std::span<const Observation> history) = 0;
  /// True when the first batch is the whole sweep (grid, random): nothing is decided later, so the
  /// runtime need not look for a batch boundary, and shards and early termination may apply.
  [[nodiscard]] virtual bool decides_all_upfront() const noexcept { return false; }
  /// The first configuration of the batch that decides `config` (batch boundaries are the
  /// sampler's, and a resumed sweep needs them again: sha and hyperband run each batch apart).
  [[nodiscard]] virtual int batch_start(int config) const noexcept = 0;
};

/// The sampler of spec.method.
[[nodiscard]] std::unique_ptr<Sampler> make_sampler(const SweepSpec& spec);

}  // namespace hpsweep::search
