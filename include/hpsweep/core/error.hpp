#pragma once
/// Errors of hpsweep: one base carrying the process exit code, one subclass per kind of
/// user-facing failure. Messages are lower-case and carry their context (file:line:col).

#include <stdexcept>
#include <string>

namespace hpsweep::core {

/// Exit codes of the command-line tool; each error kind maps to one.
enum class ExitCode : int {
  kOk = 0,
  kUsage = 2,      ///< bad command-line arguments
  kConfig = 3,     ///< bad sweep file or training setting
  kData = 4,       ///< bad or missing data
  kStore = 5,      ///< results file cannot be read or written
  kNoUsableTrial = 6,  ///< the sweep completed but every trial diverged or failed
  kStopped = 75,   ///< a signal stopped the sweep; run it again to resume (EX_TEMPFAIL)
  kInternal = 70,  ///< a bug: please report
};

/// Base of every error hpsweep raises on purpose.
class Error : public std::runtime_error {
 public:
  Error(const std::string& message, ExitCode code) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

/// An impossible or inconsistent setting (e.g. dropout 1.2, width 0).
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(message, ExitCode::kConfig) {}
};

/// Data that cannot be used: missing file, ragged rows, NaN cells, a single class.
class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(message, ExitCode::kData) {}
};

/// The results file cannot be created, read or written.
class StoreError : public Error {
 public:
  explicit StoreError(const std::string& message) : Error(message, ExitCode::kStore) {}
};

}  // namespace hpsweep::core
