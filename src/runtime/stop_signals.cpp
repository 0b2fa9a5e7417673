#include "hpsweep/runtime/stop_signals.hpp"

#include <csignal>

namespace hpsweep::runtime {
namespace {

// A signal handler can only reach static storage; these two are written only by it.
volatile std::sig_atomic_t g_signal_count = 0;
volatile std::sig_atomic_t g_last_signal = 0;

extern "C" void count_signal(int number) {
  g_signal_count = g_signal_count + 1;
  g_last_signal = number;
}

constexpr int kSignals[] = {SIGTERM, SIGINT, SIGUSR1};
struct sigaction g_previous[3];

}  // namespace

StopSignals::StopSignals() {
  g_signal_count = 0;
  g_last_signal = 0;
  struct sigaction action {};
  action.sa_handler = count_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &action, &g_previous[i]);
}

StopSignals::~StopSignals() {
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

int StopSignals::count() const noexcept { return g_signal_count; }
int StopSignals::last() const noexcept { return g_last_signal; }

bool StopPolicy::stop_requested() {
  if (signals_.count() == 0) return false;
  if (!seen_) {
    seen_ = true;
    first_seen_ = std::chrono::steady_clock::now();
  }
  return true;
}

bool StopPolicy::give_up() {
  if (!stop_requested()) return false;
  return signals_.count() >= 2 || std::chrono::steady_clock::now() - first_seen_ >= grace_;
}

}  // namespace hpsweep::runtime
