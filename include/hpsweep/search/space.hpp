#pragma once
/// The search space as data: each swept setting is a Parameter with a distribution (the
/// Weights & Biases sweep names), from which grid search enumerates and random search samples.

#include <string>
#include <vector>

#include "hpsweep/core/random.hpp"
#include "hpsweep/search/settings.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::search {

/// How a parameter's values are drawn (the W&B sweep `distribution` names).
enum class Distribution {
  kCategorical,       ///< one of `values` (also `value:` and `values:` without a distribution)
  kUniform,           ///< real in [min, max)
  kLogUniformValues,  ///< exp(uniform(log min, log max)); 0 < min
  kIntUniform,        ///< integer in [min, max], both inclusive
  kQUniform,          ///< round(uniform(min, max) / q) * q, kept in [min, max]
  kQLogUniformValues, ///< round(log_uniform_values(min, max) / q) * q, kept in [min, max]
};

/// The W&B name of a distribution ("categorical", "log_uniform_values", ...).
[[nodiscard]] const char* distribution_name(Distribution d) noexcept;

/// One swept setting.
struct Parameter {
  std::string name;                 ///< a setting name (settings.hpp)
  SettingKind kind = SettingKind::kReal;
  Distribution distribution = Distribution::kCategorical;
  std::vector<Value> values;        ///< kCategorical: the choices, in file order
  double min = 0.0;                 ///< numeric distributions: bounds, within the setting's range
  double max = 0.0;
  double q = 1.0;                   ///< q_* only: the step; an integer for integer settings
  int line = 0;                     ///< 1-based place in the sweep file, for later messages
  int column = 0;
};

/// Whether grid search can enumerate the parameter: categorical, int_uniform and q_uniform are
/// finite; uniform, log_uniform_values and q_log_uniform_values are not (a log-spaced draw has
/// no meaningful enumeration).
[[nodiscard]] bool is_enumerable(const Parameter& parameter) noexcept;

/// The number of values grid_values() returns (0 when not enumerable); saturates at 2^62.
[[nodiscard]] long long grid_size(const Parameter& parameter) noexcept;

/// The values grid search visits, in order: `values` as written, int_uniform min..max ascending,
/// q_uniform the multiples of q in [min, max] ascending. Throws core::ConfigError when the
/// parameter is not enumerable.
[[nodiscard]] std::vector<Value> grid_values(const Parameter& parameter);

/// grid_values(parameter)[index] without building the list; throws core::ConfigError when the
/// parameter is not enumerable or `index` is outside [0, grid_size).
[[nodiscard]] Value grid_value(const Parameter& parameter, long long index);

/// One draw from the parameter's distribution, of the setting's Value alternative. Always within
/// [min, max] (q_* values are moved by one step of q when rounding would leave the bounds).
/// Uses only core::Rng, so the result is the same on every platform.
[[nodiscard]] Value sample(const Parameter& parameter, core::Rng& rng);

}  // namespace hpsweep::search
