#include "hpsweep/search/space.hpp"

#include <algorithm>
#include <cmath>

#include "hpsweep/core/error.hpp"
#include "steps.hpp"

namespace hpsweep::search {
namespace {

constexpr long long kSaturated = 1LL << 62;

/// A number as the setting's Value alternative.
Value as_value(const Parameter& p, double x) {
  switch (p.kind) {
    case SettingKind::kInteger: return static_cast<long long>(std::llround(x));
    case SettingKind::kReal: return x;
    case SettingKind::kBoolean:
    case SettingKind::kChoice: break;  // take only categorical distributions (parse refuses the others)
  }
  throw core::Error(p.name + ": a numeric distribution for a setting that is not a number", core::ExitCode::kInternal);
}

/// k*q, kept within [min, max] by moving one step inward when rounding left the bounds.
Value quantize(const Parameter& p, double x) {
  const detail::Steps steps = detail::multiples_of(p.q, p.min, p.max);
  const double k = std::clamp(std::round(x / p.q), steps.first, steps.last);
  const double v = std::clamp(detail::snap(k * p.q), p.min, p.max);
  return as_value(p, v);
}

double log_uniform(const Parameter& p, core::Rng& rng) {
  const double lo = std::log(p.min);
  const double hi = std::log(p.max);
  return std::clamp(std::exp(lo + rng.uniform() * (hi - lo)), p.min, p.max);
}

}  // namespace

const char* distribution_name(Distribution d) noexcept {
  switch (d) {
    case Distribution::kCategorical: return "categorical";
    case Distribution::kUniform: return "uniform";
    case Distribution::kLogUniformValues: return "log_uniform_values";
    case Distribution::kIntUniform: return "int_uniform";
    case Distribution::kQUniform: return "q_uniform";
    case Distribution::kQLogUniformValues: return "q_log_uniform_values";
  }
  return "?";
}

bool is_enumerable(const Parameter& parameter) noexcept {
  switch (parameter.distribution) {
    case Distribution::kCategorical:
    case Distribution::kIntUniform:
    case Distribution::kQUniform: return true;
    case Distribution::kUniform:
    case Distribution::kLogUniformValues:
    case Distribution::kQLogUniformValues: return false;
  }
  return false;
}

long long grid_size(const Parameter& parameter) noexcept {
  double count = 0.0;
  switch (parameter.distribution) {
    case Distribution::kCategorical: count = static_cast<double>(parameter.values.size()); break;
    case Distribution::kIntUniform: count = std::floor(parameter.max) - std::ceil(parameter.min) + 1.0; break;
    case Distribution::kQUniform: {
      const detail::Steps steps = detail::multiples_of(parameter.q, parameter.min, parameter.max);
      count = steps.last - steps.first + 1.0;
      break;
    }
    case Distribution::kUniform:
    case Distribution::kLogUniformValues:
    case Distribution::kQLogUniformValues: return 0;
  }
  if (!(count > 0.0)) return 0;
  return count >= static_cast<double>(kSaturated) ? kSaturated : static_cast<long long>(count);
}

Value grid_value(const Parameter& parameter, long long index) {
  if (!is_enumerable(parameter)) {
    throw core::ConfigError(parameter.name + ": grid search needs finite values, but its distribution is " +
                            distribution_name(parameter.distribution));
  }
  if (index < 0 || index >= grid_size(parameter)) {
    throw core::ConfigError(parameter.name + ": grid value " + std::to_string(index) + " out of range");
  }
  const auto i = static_cast<double>(index);
  switch (parameter.distribution) {
    case Distribution::kCategorical: return parameter.values[static_cast<std::size_t>(index)];
    case Distribution::kIntUniform: return as_value(parameter, std::ceil(parameter.min) + i);
    case Distribution::kQUniform: {
      const detail::Steps steps = detail::multiples_of(parameter.q, parameter.min, parameter.max);
      const double v = detail::snap((steps.first + i) * parameter.q);
      return as_value(parameter, std::clamp(v, parameter.min, parameter.max));
    }
    case Distribution::kUniform:
    case Distribution::kLogUniformValues:
    case Distribution::kQLogUniformValues: break;  // not enumerable: refused above
  }
  throw core::Error(parameter.name + ": distribution " + distribution_name(parameter.distribution) +
                        " has no grid values",
                    core::ExitCode::kInternal);
}

std::vector<Value> grid_values(const Parameter& parameter) {
  const long long n = grid_size(parameter);
  if (n == 0) (void)grid_value(parameter, 0);  // throws the not-enumerable error
  std::vector<Value> values;
  values.reserve(static_cast<std::size_t>(n));
  for (long long i = 0; i < n; ++i) values.push_back(grid_value(parameter, i));
  return values;
}

Value sample(const Parameter& parameter, core::Rng& rng) {
  const Parameter& p = parameter;
  switch (p.distribution) {
    case Distribution::kCategorical:
      return p.values.at(static_cast<std::size_t>(rng.below(p.values.size())));
    case Distribution::kUniform:
      return as_value(p, std::clamp(p.min + rng.uniform() * (p.max - p.min), p.min, p.max));
    case Distribution::kLogUniformValues:
      return as_value(p, log_uniform(p, rng));
    case Distribution::kIntUniform: {
      const double first = std::ceil(p.min);
      const auto span = static_cast<std::uint64_t>(std::floor(p.max) - first) + 1;
      return as_value(p, first + static_cast<double>(rng.below(span)));
    }
    case Distribution::kQUniform:
      return quantize(p, p.min + rng.uniform() * (p.max - p.min));
    case Distribution::kQLogUniformValues:
      return quantize(p, log_uniform(p, rng));
  }
  throw core::Error(p.name + ": unknown distribution", core::ExitCode::kInternal);
}

}  // namespace hpsweep::search
