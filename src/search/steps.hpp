#pragma once
// Private: multiples of a step q inside [min, max], shared by grid enumeration, sampling and
// validation of q_uniform and q_log_uniform_values.

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace hpsweep::search::detail {

/// The multiples k*q in [min, max] are those with first <= k <= last (none when first > last).
struct Steps {
  double first;
  double last;
  [[nodiscard]] bool empty() const noexcept { return first > last; }
};

/// Tolerates rounding in min/q and max/q (0.3 / 0.1 is 2.9999999999999996), so that bounds
/// written as multiples of q count as multiples.
inline Steps multiples_of(double q, double min, double max) noexcept {
  constexpr double kSlack = 1e-9;
  return {std::ceil(min / q - kSlack), std::floor(max / q + kSlack)};
}

/// k*q rounded to 15 significant digits, so 3 * 0.1 is 0.3 and not 0.30000000000000004.
inline double snap(double x) noexcept {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.15g", x);
  return std::strtod(buffer, nullptr);
}

}  // namespace hpsweep::search::detail
