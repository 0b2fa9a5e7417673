#pragma once
// Checks of numeric options shared by the commands: an impossible value is a usage error (exit
// 2) naming the option, never silently accepted (a NaN grace, a negative --top) or fatal later
// (100,000 threads abort in pthread_create).

#include <CLI/Validators.hpp>
#include <cmath>
#include <string>

namespace hpsweep::cli {

/// Most TBB threads (or trials side by side) a rank may be given: far above any node's cores,
/// far below what makes thread creation fail.
inline constexpr int kMaxThreads = 1024;

/// A count of threads or trials: an integer in [1, kMaxThreads].
inline CLI::Validator thread_count() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        try {
          std::size_t used = 0;
          const long long n = std::stoll(text, &used);
          if (used == text.size() && n >= 1 && n <= kMaxThreads) return {};
        } catch (const std::exception&) {
        }
        return "must be an integer in [1, " + std::to_string(kMaxThreads) + "], got " + text;
      },
      "INT in [1, 1024]");
}

/// A duration in seconds: a finite number >= 0 (NaN and infinity are refused).
inline CLI::Validator seconds() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        try {
          std::size_t used = 0;
          const double x = std::stod(text, &used);
          if (used == text.size() && std::isfinite(x) && x >= 0.0) return {};
        } catch (const std::exception&) {
        }
        return "must be a finite number of seconds >= 0, got " + text;
      },
      "SECONDS");
}

/// A timeout in seconds: 0 (none) or in [1, 3.2e7] (under a second every heartbeat is late; above
/// a year, durations overflow).
inline CLI::Validator timeout_seconds() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        try {
          std::size_t used = 0;
          const double x = std::stod(text, &used);
          if (used == text.size() && (x == 0.0 || (x >= 1.0 && x <= 3.2e7))) return {};
        } catch (const std::exception&) {
        }
        return "must be 0 (never) or a number of seconds in [1, 32000000], got " + text;
      },
      "SECONDS");
}

}  // namespace hpsweep::cli
