#pragma once
/// SIGTERM, SIGINT and SIGUSR1 (what SLURM sends before a time limit with --signal) ask a sweep
/// to stop: the first stops handing out trials and lets running ones finish within the grace
/// period; a second stops at once. The handlers only count (async-signal-safe); the coordinator
/// polls. Workers install them too, so a signal forwarded by mpirun or srun does not kill them
/// before the coordinator has decided.

#include <chrono>

namespace hpsweep::runtime {

class StopSignals {
 public:
  /// Installs the handlers; the destructor restores the previous ones. One instance at a time.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// Signals received since construction.
  [[nodiscard]] int count() const noexcept;
  /// The last signal's number (0 when none).
  [[nodiscard]] int last() const noexcept;
};

/// The coordinator's stop policy over StopSignals and a grace period.
class StopPolicy {
 public:
  StopPolicy(const StopSignals& signals, std::chrono::duration<double> grace) : signals_(signals), grace_(grace) {}
  /// True after the first signal: hand out nothing new.
  [[nodiscard]] bool stop_requested();
  /// True after a second signal, or when the grace period after the first has passed: stop
  /// waiting for running trials.
  [[nodiscard]] bool give_up();

 private:
  const StopSignals& signals_;
  std::chrono::duration<double> grace_;
  std::chrono::steady_clock::time_point first_seen_{};
  bool seen_ = false;
};

}  // namespace hpsweep::runtime
