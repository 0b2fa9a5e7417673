#pragma once
/// Method bayes: a Tree-structured Parzen Estimator (Bergstra et al. 2011; the algorithm of
/// hyperopt and of Optuna's TPESampler), multivariate over the swept parameters.
///
/// Each batch is decided from the settled configurations so far:
/// 1. Score each configuration: the mean of its finished repeats' metric. Configurations stopped
///    by early termination rank after every finished one, those that reached a later rung first
///    (they are judged on the budget they reached, as BOHB and Optuna do); diverged ones rank
///    last; failed ones (which say nothing about their settings) are left out.
/// 2. The best ceil(gamma * n) (at most 25) form the good group, the rest the bad one.
/// 3. Each group is a mixture density: one kernel per configuration (weighted, older ones less
///    once there are more than 25) plus the prior. Numeric parameters live in their prior's
///    quantile space [0, 1] (space.hpp: to_unit), where a kernel is a normal truncated to [0, 1]
///    as wide as the larger gap to its neighbours along that parameter (Optuna's rule), clipped
///    to [1/min(100, n+2), 1]; categorical ones get a kernel of one value plus a share of the prior.
/// 4. `candidates` points are drawn from the good density; the one with the highest
///    log good(x) - log bad(x) is proposed. Within a batch each proposal joins the bad group
///    ("constant liar"), so a batch spreads out instead of proposing one point several times.
/// The first `startup_trials` configurations are method random's draws. Randomness comes from
/// the sweep seed and the batch's first configuration number only, so the same history gives the
/// same batch on any number of ranks and threads, and after a kill and resume.

#include <memory>
#include <span>
#include <vector>

#include "hpsweep/search/sampler.hpp"
#include "hpsweep/search/spec.hpp"

namespace hpsweep::search {

class TpeSampler final : public Sampler {
 public:
  explicit TpeSampler(SweepSpec spec);
  ~TpeSampler() override;
  TpeSampler(const TpeSampler&) = delete;
  TpeSampler& operator=(const TpeSampler&) = delete;
  [[nodiscard]] std::vector<Proposal> propose(int decided, std::span<const Observation> history) override;
  [[nodiscard]] int batch_start(int config) const noexcept override;

 private:
  struct Workspace;
  SweepSpec spec_;
  std::unique_ptr<Workspace> work_;
};

}  // namespace hpsweep::search
