#pragma once
/// Running one planned trial: the only place where a search assignment meets the trainer.

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/nn/config.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

/// The training configuration of a trial's settings and seed; settings a sweep does not
/// mention keep TrainConfig's defaults. Throws core::ConfigError for an impossible value.
[[nodiscard]] nn::TrainConfig train_config(const search::Assignment& settings, std::uint64_t seed);

/// Trains `trial` on `splits` and returns its record (curves, best epoch, status). A trial that
/// diverges or throws is a record with that status and the message, never an exception.
[[nodiscard]] store::TrialRecord run_trial(const search::Trial& trial, const data::Splits& splits, int rank);

}  // namespace hpsweep::runtime
