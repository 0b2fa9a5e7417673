#pragma once
// Private: numeric helpers shared by the search space (space.cpp) and the reading of its
// parameters (parse_parameter.cpp): multiples of a step q inside [min, max] (grid enumeration,
// sampling and validation of the q_* distributions) and the mass of a normal between two points
// (the truncated normals' sampling and the check that a truncation keeps some of the mass).

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

/// P(Z > z) for a standard normal Z; erfc keeps its relative precision far into the tail
/// (1 - Phi(z) would be 0 from z = 8.3 on).
inline double upper_tail(double z) noexcept { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

/// P(a <= Z <= b) for a standard normal Z (a <= b, either may be infinite), computed in the tail
/// the interval lies in, so that [9, 10] gives 1.1e-19 and not Phi(10) - Phi(9) = 0.
inline double normal_mass(double a, double b) noexcept {
  return a > 0.0 ? upper_tail(a) - upper_tail(b) : upper_tail(-b) - upper_tail(-a);
}

}  // namespace hpsweep::search::detail
