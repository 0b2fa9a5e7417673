#pragma once
// Checks of numeric options shared by the commands: an impossible value is a usage error (exit
// 2) naming the option, never silently accepted (a NaN grace, a negative --top) or fatal later
// (100,000 threads abort in pthread_create).

#include <CLI/Error.hpp>  // Validators.hpp uses ValidationError without including it (CLI11 2.1)
#include <CLI/Validators.hpp>
#include <cmath>
#include <string>

namespace hpsweep::cli {

/// Most TBB threads (or trials side by side) a rank may be given: far above any node's cores,
/// far below what makes thread creation fail.
inline constexpr int kMaxThreads = 1024;

/// A validator of a number that `accept` must take whole (no trailing text), else "must be `what`".
template <typename Accept>
CLI::Validator number_check(Accept accept, const std::string& what, const std::string& type_name) {
  return CLI::Validator(
      [accept, what](const std::string& text) -> std::string {
        try {
          std::size_t used = 0;
          const double x = std::stod(text, &used);
          if (used == text.size() && accept(x)) return {};
        } catch (const std::exception&) {
        }
        return "must be " + what + ", got " + text;
      },
      type_name);
}

/// A count of threads or trials: an integer in [1, kMaxThreads].
inline CLI::Validator thread_count() {
  return number_check([](double x) { return x >= 1 && x <= kMaxThreads && std::nearbyint(x) == x; },
                      "an integer in [1, " + std::to_string(kMaxThreads) + "]", "INT in [1, 1024]");
}

/// A duration in seconds: a finite number >= 0 (NaN and infinity are refused).
inline CLI::Validator seconds() {
  return number_check([](double x) { return std::isfinite(x) && x >= 0.0; }, "a finite number of seconds >= 0",
                      "SECONDS");
}

/// A timeout in seconds: 0 (none) or in [1, 3.2e7] (under a second every heartbeat is late; above
/// a year, durations overflow).
inline CLI::Validator timeout_seconds() {
  return number_check([](double x) { return x == 0.0 || (x >= 1.0 && x <= 3.2e7); },
                      "0 (never) or a number of seconds in [1, 32000000]", "SECONDS");
}

}  // namespace hpsweep::cli
