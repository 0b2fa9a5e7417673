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
  std::function<bool()> give_up;         ///< when true, return at once (running trials are lost)
};

/// Counters for the benchmark of the coordinator's own cost.
struct CoordinatorStats {
  long long results = 0;
  double handling_seconds = 0.0;  ///< time spent handling messages, waiting excluded
};

/// Runs the coordinator on `transport` until every trial in `pending` has a result (or a stop
/// was requested and the running trials came back) and every slot of every worker in `workers`
/// was told to stop, or until events.give_up. Returns the trials never handed out.
std::deque<int> coordinate(Transport& transport, const std::vector<int>& workers, std::deque<int> pending,
                           const CoordinatorEvents& events, CoordinatorStats* stats = nullptr);

/// Runs a task somewhere else (a thread pool), so the worker's own thread stays free for messages.
using Submit = std::function<void(std::function<void()> task)>;

/// The worker loop: tells `coordinator` it runs up to `slots` trials at once, runs each assigned
/// trial with `run` through `submit`, and sends every encoded result back as soon as it is done,
/// until every slot was told to stop. Only the calling thread touches the transport (MPI's
/// FUNNELED model); `run` executes on the threads behind `submit`.
void work(Transport& transport, int coordinator, int slots, const std::function<std::vector<std::byte>(int trial)>& run,
          const Submit& submit);

}  // namespace hpsweep::runtime
