#pragma once
/// The plan: the deterministic list of trials a sweep runs, as its sampler (sampler.hpp) decides them.
///
/// Grid order: the cartesian product of the parameters' grid values (space.hpp) in the order the
/// parameters appear in the file, the LAST parameter varying fastest (like nested loops written in
/// file order, or numpy's C order). With parameters a: [1, 2] and b: [x, y, z], configurations
/// 0..5 are (1,x) (1,y) (1,z) (2,x) (2,y) (2,z). run_cap keeps the first run_cap of them.
///
/// Random: configuration k draws parameter p from its own stream,
/// Rng(derive_seed(seed, {kSampleStream, k, fnv1a64(p.name)})), so configuration k is the same
/// whatever run_cap, the order of the parameters, or the other parameters.
///
/// Repeats are innermost: trial index = config * repeats + repeat. A trial's seed is
/// derive_seed(sweep seed, {config, repeat}) (core/random.hpp): it depends on nothing else, so any
/// trial can be rerun alone with make_trial().

#include <cstdint>
#include <string_view>
#include <vector>

#include "hpsweep/search/sampler.hpp"
#include "hpsweep/search/spec.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::search {

/// First part of the derive_seed path of random sampling, apart from trial seeds' {config, repeat}.
inline constexpr std::uint64_t kSampleStream = 0x73616d706c65ULL;  // "sample"

/// FNV-1a, 64 bits, of a name: a platform-independent string hash (std::hash is not).
[[nodiscard]] constexpr std::uint64_t fnv1a64(std::string_view text) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// One run of the trainer.
struct Trial {
  int index = 0;           ///< position in the plan, 0-based
  int config = 0;          ///< configuration (a point of the search space)
  int repeat = 0;          ///< which seed of the configuration, 0..repeats-1
  std::uint64_t seed = 0;  ///< trial_seed(sweep seed, config, repeat)
  Assignment settings;     ///< every fixed and swept setting, in the settings table's order
};

/// Number of configurations: grid, the product of the grid sizes capped by run_cap; random and
/// bayes, run_cap.
[[nodiscard]] long long num_configs(const SweepSpec& spec);

/// num_configs(spec) * spec.repeats.
[[nodiscard]] long long num_trials(const SweepSpec& spec);

/// derive_seed(sweep_seed, {config, repeat}).
[[nodiscard]] std::uint64_t trial_seed(std::uint64_t sweep_seed, int config, int repeat) noexcept;

/// The settings of one configuration; throws core::ConfigError outside [0, num_configs), and for
/// a configuration of bayes past its startup ones (the model decides those during the sweep).
[[nodiscard]] Assignment config_settings(const SweepSpec& spec, int config);

/// The settings method random draws for configuration `config` (also bayes' startup ones).
[[nodiscard]] Assignment random_settings(const SweepSpec& spec, int config);

/// The fixed settings and one value per parameter (in spec.parameters' order), in the settings
/// table's order.
[[nodiscard]] Assignment assemble_settings(const SweepSpec& spec, std::vector<Value> swept);

/// One trial alone, identical to make_plan(spec)[index]; throws core::ConfigError outside the plan.
[[nodiscard]] Trial make_trial(const SweepSpec& spec, int index);

/// The trials of a configuration a sampler decided (sampler.hpp), repeats innermost.
[[nodiscard]] std::vector<Trial> trials_of(const SweepSpec& spec, const Proposal& proposal);

/// The trials of the first batch the sweep's sampler decides (make_sampler(spec)->propose(0, {})),
/// in index order: for grid and random, every trial of the sweep.
[[nodiscard]] std::vector<Trial> make_plan(const SweepSpec& spec);

}  // namespace hpsweep::search
