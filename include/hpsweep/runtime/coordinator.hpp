#pragma once
/// The coordinator (rank 0) and the worker loop: dynamic scheduling over a Transport. Idle
/// workers ask for the next trial, so long and short trials balance by themselves.

#include <deque>
#include <functional>
#include <vector>

#include "hpsweep/runtime/transport.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

/// What the coordinator tells the rest of the program.
struct CoordinatorEvents {
  std::function<void(int trial, int worker)> assigned;        ///< a trial was handed out
  std::function<void(store::TrialRecord&& record)> finished;  ///< a result arrived
  std::function<bool()> stop_requested;  ///< when true, hand out nothing new and drain
};

/// Counters for the benchmark of the coordinator's own cost.
struct CoordinatorStats {
  long long results = 0;
  double handling_seconds = 0.0;  ///< time spent handling messages, waiting excluded
};

/// Runs the coordinator on `transport` until every trial in `pending` has a result (or a stop
/// was requested and the running trials came back) and every worker in `workers` was told to
/// stop. Returns the trials never handed out.
std::deque<int> coordinate(Transport& transport, const std::vector<int>& workers, std::deque<int> pending,
                           const CoordinatorEvents& events, CoordinatorStats* stats = nullptr);

/// The worker loop: asks `coordinator` for trials, runs each with `run` and sends the encoded
/// result back, until told to stop.
void work(Transport& transport, int coordinator, const std::function<std::vector<std::byte>(int trial)>& run);

}  // namespace hpsweep::runtime
