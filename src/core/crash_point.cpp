#include "hpsweep/core/crash_point.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hpsweep::core {
namespace {

struct CrashPlan {
  std::string name;
  long countdown = 0;
};

/// Read once from the environment: the only process-wide state, and only for tests.
CrashPlan& plan() {
  static CrashPlan parsed = [] {
    CrashPlan p;
    if (const char* spec = std::getenv("HPSWEEP_TEST_CRASH")) {
      const char* colon = std::strchr(spec, ':');
      p.name = colon != nullptr ? std::string(spec, colon) : std::string(spec);
      p.countdown = colon != nullptr ? std::atol(colon + 1) : 1;
    }
    return p;
  }();
  return parsed;
}

}  // namespace

void crash_point(const char* name) noexcept {
  CrashPlan& p = plan();
  if (p.name.empty() || p.name != name) return;
  if (--p.countdown <= 0) std::raise(SIGKILL);
}

}  // namespace hpsweep::core
