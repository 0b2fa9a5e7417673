#pragma once
/// The state of a trial, as stored in the results file and used by the ranking.

#include <cstdint>
#include <string_view>

namespace hpsweep::search {

/// What became of a trial. The numeric codes are stable: the results file stores them.
enum class TrialStatus : std::int8_t {
  kPending = 0,   ///< not run (yet)
  kOk = 1,        ///< trained for all its epochs
  kDiverged = 2,  ///< the loss became NaN or infinite; a result, not an error
  kFailed = 3,    ///< the trial threw; its message is recorded elsewhere
  kStopped = 4,   ///< stopped at a rung by the sweep's early termination; best_val_loss is what it reached
  kPaused = 5,    ///< at a rung of sha/hyperband, waiting for the verdict (continue or stop); not final
};

/// "pending", "ok", "diverged", "failed", "stopped", "paused".
[[nodiscard]] const char* status_name(TrialStatus status) noexcept;

/// The status of a name; throws core::ConfigError listing the names for anything else.
[[nodiscard]] TrialStatus parse_status(std::string_view name);

/// Whether the trial is still to run (or to go on): pending, or paused at a rung.
[[nodiscard]] constexpr bool is_unsettled(TrialStatus status) noexcept {
  switch (status) {
    case TrialStatus::kPending:
    case TrialStatus::kPaused: return true;
    case TrialStatus::kOk:
    case TrialStatus::kDiverged:
    case TrialStatus::kFailed:
    case TrialStatus::kStopped: return false;
  }
  return false;
}

/// Whether the trial finished with a usable metric (ok or stopped).
[[nodiscard]] constexpr bool is_finished(TrialStatus status) noexcept {
  switch (status) {
    case TrialStatus::kOk:
    case TrialStatus::kStopped: return true;
    case TrialStatus::kPending:
    case TrialStatus::kDiverged:
    case TrialStatus::kFailed:
    case TrialStatus::kPaused: return false;
  }
  return false;
}

}  // namespace hpsweep::search
