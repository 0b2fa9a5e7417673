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
  kLogUniform,        ///< exp(uniform(min, max)): W&B's exponent form, min and max are natural logs
  kQLogUniform,       ///< round(log_uniform(min, max) / q) * q
  kInvLogUniform,     ///< 1 / exp(uniform(min, max)) = exp(-uniform(min, max)); min, max exponents
  kInvLogUniformValues, ///< 1 / X with X log-uniform in [1/max, 1/min]: values in [min, max]
  kNormal,            ///< normal(mu, sigma) truncated to [min, max] (see below)
  kQNormal,           ///< round(normal(mu, sigma) / q) * q
  kLogNormal,         ///< exp(normal(mu, sigma)) truncated to [min, max]: mu and sigma are log x's
  kQLogNormal,        ///< round(log_normal(mu, sigma) / q) * q
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
  double mu = 0.0;                  ///< *normal only: the mean (of the log for log_normal)
  double sigma = 1.0;               ///< *normal only: the standard deviation (> 0)
  /// categorical only: W&B's `probabilities`, one per value, summing to 1; empty: all equal.
  std::vector<double> probabilities;
  int line = 0;                     ///< 1-based place in the sweep file, for later messages
  int column = 0;
};

/// For the exponent forms (log_uniform, q_log_uniform, inv_log_uniform) min and max hold the
/// range of values drawn (exp(min)..exp(max), or exp(-max)..exp(-min)), not the exponents the file
/// gives, so that every numeric distribution keeps its values within [min, max]. The normals hold
/// their truncation there: the file's min/max, else the setting's range (an excluded end moved to
/// the next double inside; the log forms' lower end at 0 is no bound), and mu -/+ 8 sigma (of log x
/// for the log forms) on a side that is unbounded; always finite.

/// Whether grid search can enumerate the parameter: categorical, int_uniform and q_uniform are
/// finite; every other distribution is not (a log-spaced or normal draw has no meaningful
/// enumeration).
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
/// Uses only core::Rng (and libm's exp, log and erfc for the log and normal forms), so the result
/// is the same on every platform. The first six distributions draw as the first release did; the
/// others draw one rng.uniform() through from_unit (inverse-CDF sampling), and a categorical with
/// probabilities picks by their cumulative sums from one rng.uniform().
[[nodiscard]] Value sample(const Parameter& parameter, core::Rng& rng);

/// How a model-based search (TPE) sees a numeric (not categorical) parameter: a point u in
/// [0, 1] of its prior's quantiles, u = CDF(x) of its distribution truncated to [min, max]. So
/// every prior is uniform on [0, 1], log scales are log scales, and a normal's centre gets more
/// room. from_unit is the inverse: it quantizes (q_*) or rounds (integer settings) and keeps the
/// value within [min, max]; to_unit(from_unit(u)) is u up to that rounding. int_uniform gives each
/// integer an equal cell of [0, 1], and to_unit an integer the centre of its cell. u outside [0, 1]
/// is clamped. Both throw core::Error (internal) for a categorical parameter or a NaN.
[[nodiscard]] double to_unit(const Parameter& parameter, const Value& value);
[[nodiscard]] Value from_unit(const Parameter& parameter, double u);

}  // namespace hpsweep::search
