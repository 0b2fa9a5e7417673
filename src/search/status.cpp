#include "hpsweep/search/status.hpp"

#include <string>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {

const char* status_name(TrialStatus status) noexcept {
  switch (status) {
    case TrialStatus::kPending: return "pending";
    case TrialStatus::kOk: return "ok";
    case TrialStatus::kDiverged: return "diverged";
    case TrialStatus::kFailed: return "failed";
    case TrialStatus::kStopped: return "stopped";
    case TrialStatus::kPaused: return "paused";
  }
  return "?";
}

TrialStatus parse_status(std::string_view name) {
  for (auto s : {TrialStatus::kPending, TrialStatus::kOk, TrialStatus::kDiverged, TrialStatus::kFailed,
                 TrialStatus::kStopped, TrialStatus::kPaused}) {
    if (name == status_name(s)) return s;
  }
  throw core::ConfigError("unknown trial status '" + std::string(name) +
                          "'; accepted: pending, ok, diverged, failed, stopped, paused");
}

}  // namespace hpsweep::search
