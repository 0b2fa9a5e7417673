#pragma once
/// The coordinator (rank 0) and the worker loop: dynamic scheduling over a Transport. Idle
/// workers ask for the next trial, so long and short trials balance by themselves. Early
/// termination adds two things: a running trial may ask at a rung whether to go on (asha,
/// median), and a finished result may make new work due (sha/hyperband promotions), which is
/// handed out before the rest; slots with nothing to do wait while such work may still come.

#include <chrono>
#include <deque>
#include <string>
#include <functional>
#include <utility>
#include <vector>

#include "hpsweep/runtime/transport.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

/// A unit of work: train `trial`, to epoch `epochs` (then pause) when it is > 0, else fully.
struct Job {
  Job() = default;
  Job(int trial_index, int epochs_to_train, Bytes trial_as_sent = {})
      : trial(trial_index), epochs(epochs_to_train), trial_bytes(std::move(trial_as_sent)) {}
  int trial = 0;
  int epochs = 0;
  /// On the worker: the trial as the assignment carried it (CoordinatorEvents::describe), so a
  /// worker needs no plan of its own. Empty in the coordinator's queues.
  Bytes trial_bytes;
  friend bool operator==(const Job&, const Job&) = default;
};

/// What the coordinator tells the rest of the program.
struct CoordinatorEvents {
  /// The bytes an assignment of `trial` carries to the worker (its settings, search::encode_trial);
  /// unset: none.
  std::function<const Bytes&(int trial)> describe;
  std::function<void(int trial, int worker)> assigned;  ///< a trial was handed out
  /// A result arrived. Returns the work it made due (promoted trials), handed out first.
  std::function<std::vector<Job>(store::TrialRecord&& record)> finished;
  /// A running trial reached rung `rung` with `value`: true to let it go on.
  std::function<bool(int trial, int rung, double value)> rung;
  std::function<bool()> stop_requested;  ///< when true, hand out nothing new and drain
  std::function<bool()> give_up;         ///< when true, return at once (running trials are lost)
  /// Liveness: a worker that owes results (or has not registered) and has sent nothing for this
  /// many seconds is lost: its trials go back to the queue for the others, its later messages are
  /// ignored, and worker_lost is told. 0: never (workers then send no heartbeats either).
  double worker_timeout = 0.0;
  std::function<void(int worker, const std::string& host, const std::vector<int>& trials)> worker_lost;
};

/// Counters for the benchmark of the coordinator's own cost.
struct CoordinatorStats {
  long long results = 0;
  long long result_bytes = 0;     ///< payload bytes of the result messages
  double handling_seconds = 0.0;  ///< time spent handling messages, waiting excluded
};

/// Runs the coordinator on `transport` until every job in `pending` (and every job a result made
/// due) has a result, or a stop was requested and the running trials came back, and every slot of
/// every worker in `workers` was told to stop; or until events.give_up. Returns the jobs never
/// handed out.
std::deque<Job> coordinate(Transport& transport, const std::vector<int>& workers, std::deque<Job> pending,
                           const CoordinatorEvents& events, CoordinatorStats* stats = nullptr);

/// Runs a task somewhere else (a thread pool), so the worker's own thread stays free for messages.
using Submit = std::function<void(std::function<void()> task)>;

/// Asks the coordinator whether a running trial goes on after rung `rung` with `value`; blocks the
/// calling (trial) thread until the verdict arrives.
using AskRung = std::function<bool(int rung, double value)>;

/// Runs one job and returns its encoded record; `ask` reaches the coordinator at rungs.
using RunJob = std::function<std::vector<std::byte>(const Job& job, const AskRung& ask)>;

/// The worker loop: tells `coordinator` it runs up to `slots` trials at once, runs each assigned
/// job with `run` through `submit`, passes on the jobs' rung questions and their verdicts, and sends
/// every encoded result back as soon as it is done, until every slot was told to stop. Only the
/// calling thread touches the transport (MPI's FUNNELED model); `run` executes on the threads
/// behind `submit`.
/// With `heartbeat` > 0, a worker with running trials sends Tag::kAlive at least that often, so
/// the coordinator can tell a long trial from a stuck or stopped rank.
void work(Transport& transport, int coordinator, int slots, const RunJob& run, const Submit& submit,
          std::chrono::milliseconds heartbeat = std::chrono::milliseconds(0));

}  // namespace hpsweep::runtime
