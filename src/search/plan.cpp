#include "hpsweep/search/plan.hpp"

#include <algorithm>
#include <limits>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
#include "hpsweep/search/sampler.hpp"
#include "hpsweep/search/tpe.hpp"

namespace hpsweep::search {
namespace {

constexpr long long kSaturated = 1LL << 62;

long long saturating_product(long long a, long long b) {
  if (a == 0 || b == 0) return 0;
  return a > kSaturated / b ? kSaturated : a * b;
}

/// Grid configuration `config`: a mixed-radix number whose last digit is the last parameter.
Assignment grid_config(const SweepSpec& spec, long long config) {
  std::vector<Value> swept(spec.parameters.size());
  for (std::size_t i = spec.parameters.size(); i-- > 0;) {
    const long long size = grid_size(spec.parameters[i]);
    swept[i] = grid_value(spec.parameters[i], config % size);
    config /= size;
  }
  return assemble_settings(spec, std::move(swept));
}

/// Grid and random: every configuration in the first batch; what finishes changes nothing.
class FixedSampler final : public Sampler {
 public:
  explicit FixedSampler(const SweepSpec& spec) : spec_(spec) {}
  std::vector<Proposal> propose(int decided, std::span<const Observation>) override {
    std::vector<Proposal> batch;
    for (long long c = decided; c < num_configs(spec_); ++c) {
      batch.push_back({static_cast<int>(c), config_settings(spec_, static_cast<int>(c))});
    }
    return batch;
  }
  bool decides_all_upfront() const noexcept override { return true; }
  int batch_start(int) const noexcept override { return 0; }

 private:
  SweepSpec spec_;
};

void check_config(const SweepSpec& spec, long long config) {
  const long long n = num_configs(spec);
  if (config < 0 || config >= n) {
    throw core::ConfigError("configuration " + std::to_string(config) + " is outside the plan (it has " +
                            std::to_string(n) + " configurations)");
  }
}

}  // namespace

Assignment assemble_settings(const SweepSpec& spec, std::vector<Value> swept) {
  Assignment settings = spec.fixed;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    settings.push_back({spec.parameters[i].name, std::move(swept[i])});
  }
  // The built-in trainer's settings in the settings table's order; a program's parameters in the
  // sweep file's, the order its arguments and JSON get them in.
  if (spec.runs_program()) return settings;
  std::stable_sort(settings.begin(), settings.end(), [](const SettingValue& a, const SettingValue& b) {
    return setting_order(a.name) < setting_order(b.name);
  });
  return settings;
}

Assignment random_settings(const SweepSpec& spec, int config) {
  std::vector<Value> swept;
  swept.reserve(spec.parameters.size());
  for (const Parameter& p : spec.parameters) {
    core::Rng rng(core::derive_seed(spec.seed, {kSampleStream, static_cast<std::uint64_t>(config), fnv1a64(p.name)}));
    swept.push_back(sample(p, rng));
  }
  return assemble_settings(spec, std::move(swept));
}

long long num_configs(const SweepSpec& spec) {
  switch (spec.method) {
    case Method::kRandom:
    case Method::kBayes: return spec.run_cap.value_or(0);
    case Method::kGrid: {
      long long n = 1;
      for (const Parameter& p : spec.parameters) n = saturating_product(n, grid_size(p));
      return spec.run_cap ? std::min<long long>(n, *spec.run_cap) : n;
    }
  }
  throw core::Error("unknown search method", core::ExitCode::kInternal);
}

long long num_trials(const SweepSpec& spec) { return saturating_product(num_configs(spec), spec.repeats); }

std::uint64_t trial_seed(std::uint64_t sweep_seed, int config, int repeat) noexcept {
  return core::derive_seed(sweep_seed, {static_cast<std::uint64_t>(config), static_cast<std::uint64_t>(repeat)});
}

Assignment config_settings(const SweepSpec& spec, int config) {
  check_config(spec, config);
  switch (spec.method) {
    case Method::kRandom: return random_settings(spec, config);
    case Method::kGrid: return grid_config(spec, config);
    case Method::kBayes:
      if (config < spec.bayes.startup_trials) return random_settings(spec, config);
      throw core::ConfigError("configuration " + std::to_string(config) +
                              " of a bayes sweep is decided by the model during the sweep; read it from the results file");
  }
  throw core::Error("unknown search method", core::ExitCode::kInternal);
}

std::unique_ptr<Sampler> make_sampler(const SweepSpec& spec) {
  switch (spec.method) {
    case Method::kGrid:
    case Method::kRandom: return std::make_unique<FixedSampler>(spec);
    case Method::kBayes: return std::make_unique<TpeSampler>(spec);
  }
  throw core::Error("unknown search method", core::ExitCode::kInternal);
}

std::vector<Trial> trials_of(const SweepSpec& spec, const Proposal& proposal) {
  std::vector<Trial> trials;
  for (int r = 0; r < spec.repeats; ++r) {
    const int c = proposal.config;
    trials.push_back({c * spec.repeats + r, c, r, trial_seed(spec.seed, c, r), proposal.settings});
  }
  return trials;
}

Trial make_trial(const SweepSpec& spec, int index) {
  const long long n = num_trials(spec);
  if (index < 0 || index >= n) {
    throw core::ConfigError("trial " + std::to_string(index) + " is outside the plan (it has " + std::to_string(n) +
                            " trials)");
  }
  const int config = index / spec.repeats;
  const int repeat = index % spec.repeats;
  return {index, config, repeat, trial_seed(spec.seed, config, repeat), config_settings(spec, config)};
}

std::vector<Trial> make_plan(const SweepSpec& spec) {
  if (num_trials(spec) > std::numeric_limits<int>::max()) {
    throw core::ConfigError("the plan has too many trials (" + std::to_string(num_trials(spec)) + ")");
  }
  // The first batch the sweep's sampler decides with nothing finished: grid and random, all of it.
  std::vector<Trial> plan;
  for (const Proposal& p : make_sampler(spec)->propose(0, {})) {
    for (Trial& t : trials_of(spec, p)) plan.push_back(std::move(t));
  }
  return plan;
}

}  // namespace hpsweep::search
