#include "hpsweep/search/space.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

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

/// The index of the value that u in [0, 1) picks when value i has probability w[i]: the first
/// whose cumulative probability exceeds u (scaled by the sum, which the parser keeps within 1e-6
/// of 1); a value of probability 0 is never picked.
std::size_t pick(const std::vector<double>& w, double u) {
  double total = 0.0;
  for (double x : w) total += x;
  const double target = u * total;
  double cumulative = 0.0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!(w[i] > 0.0)) continue;
    cumulative += w[i];
    last = i;
    if (target < cumulative) return i;
  }
  return last;  // u * total rounded past the last sum
}

/// The standard normal quantile Phi^-1(p): Acklam's rational approximation (relative error
/// 1.15e-9), refined by one Halley step on erfc to full double precision. -inf and inf at 0 and 1.
double probit(double p) {
  constexpr double kA[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                           1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  constexpr double kB[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                           6.680131188771972e+01,  -1.328068155288572e+01};
  constexpr double kC[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                           -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  constexpr double kD[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                           3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  if (!(p > 0.0)) return -std::numeric_limits<double>::infinity();
  if (!(p < 1.0)) return std::numeric_limits<double>::infinity();
  const auto tail = [&](double q) {  // the lower tail's form at probability q
    const double r = std::sqrt(-2.0 * std::log(q));
    return (((((kC[0] * r + kC[1]) * r + kC[2]) * r + kC[3]) * r + kC[4]) * r + kC[5]) /
           ((((kD[0] * r + kD[1]) * r + kD[2]) * r + kD[3]) * r + 1.0);
  };
  double x = 0.0;
  if (p < kLow) {
    x = tail(p);
  } else if (p <= 1.0 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((kA[0] * r + kA[1]) * r + kA[2]) * r + kA[3]) * r + kA[4]) * r + kA[5]) * q /
        (((((kB[0] * r + kB[1]) * r + kB[2]) * r + kB[3]) * r + kB[4]) * r + 1.0);
  } else {
    x = -tail(1.0 - p);
  }
  // Halley: e is Phi(x) - p; far in the tail exp(x^2 / 2) overflows and the step is skipped.
  const double e = detail::upper_tail(-x) - p;
  const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  if (std::isfinite(u)) x -= u / (1.0 + 0.5 * x * u);
  return x;
}

/// How a numeric parameter's prior is shaped: one exhaustive switch, so that a new distribution
/// does not fall into another's case.
struct Shape {
  bool cells = false;      ///< int_uniform: each integer of [min, max] gets an equal cell of [0, 1]
  bool log = false;        ///< the prior lies on log x
  bool normal = false;     ///< a normal(mu, sigma) truncated to [min, max]; else uniform
  bool quantized = false;  ///< values are multiples of q
};

Shape shape_of(const Parameter& p) {
  switch (p.distribution) {
    case Distribution::kCategorical: break;
    case Distribution::kUniform: return {};
    // The inverse forms are log-uniform too: -log X is uniform exactly when log X is.
    case Distribution::kLogUniformValues:
    case Distribution::kLogUniform:
    case Distribution::kInvLogUniform:
    case Distribution::kInvLogUniformValues: return {.log = true};
    case Distribution::kIntUniform: return {.cells = true};
    case Distribution::kQUniform: return {.quantized = true};
    case Distribution::kQLogUniformValues:
    case Distribution::kQLogUniform: return {.log = true, .quantized = true};
    case Distribution::kNormal: return {.normal = true};
    case Distribution::kQNormal: return {.normal = true, .quantized = true};
    case Distribution::kLogNormal: return {.log = true, .normal = true};
    case Distribution::kQLogNormal: return {.log = true, .normal = true, .quantized = true};
  }
  throw core::Error(p.name + ": distribution " + distribution_name(p.distribution) + " has no unit scale",
                    core::ExitCode::kInternal);
}

/// The continuous prior of a (not int_uniform) numeric parameter on its scale (x or log x):
/// uniform on [lo, hi], or normal(mu, sigma) truncated to [lo, hi]. The normal's probabilities
/// are taken from whichever end is nearer (Phi(z) - Phi(a) below the mean, Q(z) - Q(b) above it,
/// with Q = 1 - Phi from erfc), so that a bound far in a tail, [9, 10] or Phi(b) = 1 - 1e-12,
/// keeps its precision: from_unit(1) is max, not a value 1e-7 below it.
class Prior {
 public:
  Prior(const Parameter& p, const Shape& shape)
      : lo_(shape.log ? std::log(p.min) : p.min), hi_(shape.log ? std::log(p.max) : p.max), normal_(shape.normal),
        mu_(p.mu), sigma_(p.sigma) {
    if (!normal_) return;
    const double a = (lo_ - mu_) / sigma_;
    const double b = (hi_ - mu_) / sigma_;
    below_lo_ = detail::upper_tail(-a);
    above_hi_ = detail::upper_tail(b);
    mass_ = detail::normal_mass(a, b);
  }

  /// The prior's CDF at t, in [0, 1]; 0.5 when the prior is a single point.
  [[nodiscard]] double cdf(double t) const {
    if (!normal_) return hi_ > lo_ ? (t - lo_) / (hi_ - lo_) : 0.5;
    if (!(mass_ > 0.0)) return 0.5;
    const double z = (t - mu_) / sigma_;
    return z <= 0.0 ? (detail::upper_tail(-z) - below_lo_) / mass_ : 1.0 - (detail::upper_tail(z) - above_hi_) / mass_;
  }

  /// The t of CDF u, within [lo, hi].
  [[nodiscard]] double quantile(double u) const {
    if (!normal_) return lo_ + u * (hi_ - lo_);
    if (!(mass_ > 0.0)) return std::clamp(mu_, lo_, hi_);
    const double below = below_lo_ + u * mass_;          // Phi(z)
    const double above = above_hi_ + (1.0 - u) * mass_;  // Q(z): the smaller of the two is the precise one
    const double z = below <= above ? probit(below) : -probit(above);
    return std::clamp(mu_ + sigma_ * z, lo_, hi_);
  }

 private:
  double lo_;
  double hi_;
  bool normal_;
  double mu_;
  double sigma_;
  double below_lo_ = 0.0;  ///< Phi(a): the normal's mass below the interval
  double above_hi_ = 0.0;  ///< Q(b): its mass above the interval
  double mass_ = 0.0;      ///< its mass within the interval
};

/// The number a numeric value holds; throws core::Error (internal) for any other value.
double number_of(const Parameter& p, const Value& value) {
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<long long>(&value)) return static_cast<double>(*i);
  throw core::Error(p.name + ": to_unit of the non-numeric value " + format_value(value), core::ExitCode::kInternal);
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
    case Distribution::kLogUniform: return "log_uniform";
    case Distribution::kQLogUniform: return "q_log_uniform";
    case Distribution::kInvLogUniform: return "inv_log_uniform";
    case Distribution::kInvLogUniformValues: return "inv_log_uniform_values";
    case Distribution::kNormal: return "normal";
    case Distribution::kQNormal: return "q_normal";
    case Distribution::kLogNormal: return "log_normal";
    case Distribution::kQLogNormal: return "q_log_normal";
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
    case Distribution::kQLogUniformValues:
    case Distribution::kLogUniform:
    case Distribution::kQLogUniform:
    case Distribution::kInvLogUniform:
    case Distribution::kInvLogUniformValues:
    case Distribution::kNormal:
    case Distribution::kQNormal:
    case Distribution::kLogNormal:
    case Distribution::kQLogNormal: return false;
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
    case Distribution::kQLogUniformValues:
    case Distribution::kLogUniform:
    case Distribution::kQLogUniform:
    case Distribution::kInvLogUniform:
    case Distribution::kInvLogUniformValues:
    case Distribution::kNormal:
    case Distribution::kQNormal:
    case Distribution::kLogNormal:
    case Distribution::kQLogNormal: return 0;
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
    case Distribution::kQLogUniformValues:
    case Distribution::kLogUniform:
    case Distribution::kQLogUniform:
    case Distribution::kInvLogUniform:
    case Distribution::kInvLogUniformValues:
    case Distribution::kNormal:
    case Distribution::kQNormal:
    case Distribution::kLogNormal:
    case Distribution::kQLogNormal: break;  // not enumerable: refused above
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
      if (p.probabilities.empty()) return p.values.at(static_cast<std::size_t>(rng.below(p.values.size())));
      if (p.probabilities.size() != p.values.size()) {
        throw core::Error(p.name + ": " + std::to_string(p.probabilities.size()) + " probabilities for " +
                              std::to_string(p.values.size()) + " values",
                          core::ExitCode::kInternal);
      }
      return p.values[pick(p.probabilities, rng.uniform())];
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
    // Inverse-CDF sampling: one uniform draw through the prior's quantile function.
    case Distribution::kLogUniform:
    case Distribution::kQLogUniform:
    case Distribution::kInvLogUniform:
    case Distribution::kInvLogUniformValues:
    case Distribution::kNormal:
    case Distribution::kQNormal:
    case Distribution::kLogNormal:
    case Distribution::kQLogNormal:
      return from_unit(p, rng.uniform());
  }
  throw core::Error(p.name + ": unknown distribution", core::ExitCode::kInternal);
}

double to_unit(const Parameter& parameter, const Value& value) {
  const Parameter& p = parameter;
  const Shape shape = shape_of(p);
  const double x = number_of(p, value);
  if (std::isnan(x)) throw core::Error(p.name + ": to_unit of NaN", core::ExitCode::kInternal);
  if (shape.cells) {
    const double first = std::ceil(p.min);
    const double last = std::floor(p.max);
    const double k = std::clamp(std::round(x), first, last);
    return (k - first + 0.5) / (last - first + 1.0);  // the centre of k's cell
  }
  // A value below a log prior's range (<= 0 included: log gives -inf or NaN) is at its start.
  if (shape.log && !(x >= p.min)) return 0.0;
  return std::clamp(Prior(p, shape).cdf(shape.log ? std::log(x) : x), 0.0, 1.0);
}

Value from_unit(const Parameter& parameter, double u) {
  const Parameter& p = parameter;
  const Shape shape = shape_of(p);
  if (std::isnan(u)) throw core::Error(p.name + ": from_unit of NaN", core::ExitCode::kInternal);
  u = std::clamp(u, 0.0, 1.0);
  if (shape.cells) {
    const double first = std::ceil(p.min);
    const double last = std::floor(p.max);
    return as_value(p, std::clamp(std::floor(first + u * (last - first + 1.0)), first, last));
  }
  const double t = Prior(p, shape).quantile(u);
  const double x = std::clamp(shape.log ? std::exp(t) : t, p.min, p.max);
  return shape.quantized ? quantize(p, x) : as_value(p, x);
}

}  // namespace hpsweep::search
