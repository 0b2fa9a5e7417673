#include "hpsweep/runtime/coordinator.hpp"

#include "hpsweep/core/error.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <future>
#include <map>
#include <mutex>

#include "hpsweep/core/system.hpp"
#include "hpsweep/runtime/messages.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::runtime {
namespace {

/// How often a waiting coordinator looks at stop_requested.
constexpr int kStopCheckMilliseconds = 100;
/// While the coordinator owes a worker an answer, the worker looks for it after a pause that
/// starts short (an assignment usually comes within tens of microseconds) and grows while nothing
/// comes, so a worker that waits long costs no measurable CPU.
constexpr auto kWorkerFirstPoll = std::chrono::microseconds(20);
constexpr auto kWorkerLongestPoll = std::chrono::microseconds(250);

/// Jobs still to hand out. A promoted trial goes first to the worker that paused it (which keeps
/// its checkpoint and so goes on without retraining); a worker with none of its own takes the
/// next general job, or else another worker's (which then retrains it: the same numbers).
class JobQueue {
 public:
  explicit JobQueue(std::deque<Job> jobs) : general_(std::move(jobs)), size_(general_.size()) {}
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// Due work, ahead of the rest: for `worker`'s own queue, or the general one when -1.
  void push_due(const std::vector<Job>& due, const std::map<int, int>& paused_on) {
    for (auto it = due.rbegin(); it != due.rend(); ++it) {
      const auto where = paused_on.find(it->trial);
      (where == paused_on.end() ? general_ : own_[where->second]).push_front(*it);
      ++size_;
    }
  }
  [[nodiscard]] Job take(int worker) {
    --size_;
    std::deque<Job>* from = &general_;
    if (auto own = own_.find(worker); own != own_.end() && !own->second.empty()) {
      from = &own->second;
    } else if (general_.empty()) {
      for (auto& [other, jobs] : own_) {
        if (!jobs.empty() && (from == &general_ || jobs.size() > from->size())) from = &jobs;
      }
    }
    const Job job = from->front();
    from->pop_front();
    return job;
  }
  [[nodiscard]] std::deque<Job> drain() {
    std::deque<Job> left = std::move(general_);
    for (auto& [worker, jobs] : own_) left.insert(left.end(), jobs.begin(), jobs.end());
    return left;
  }

 private:
  std::deque<Job> general_;
  std::map<int, std::deque<Job>> own_;
  std::size_t size_ = 0;
};

}  // namespace

std::deque<Job> coordinate(Transport& transport, const std::vector<int>& workers, std::deque<Job> jobs,
                           const CoordinatorEvents& events, CoordinatorStats* stats) {
  using Clock = std::chrono::steady_clock;
  JobQueue pending(std::move(jobs));
  std::map<int, int> returned_by;  // trial -> the worker its last result came from
  struct WorkerState {
    bool registered = false;
    bool lost = false;
    int slots = 0;
    int open = 0;  // slots not yet told to stop
    std::string host = "?";
    Clock::time_point last_heard = Clock::now();
    std::vector<Job> in_flight;  // assigned, no result yet
  };
  std::map<int, WorkerState> state;
  for (int w : workers) state[w];
  std::size_t registered = 0;  // workers that said how many slots they have
  int open_slots = 0;          // slots not yet told to stop
  int running = 0;             // jobs handed out whose result has not come back
  std::deque<int> parked;      // idle slots (their worker, once per slot) waiting for due work
  auto stopping = [&] { return events.stop_requested && events.stop_requested(); };
  // Gives a free slot a job; with none left, keeps it while running trials may still make work
  // due (a promotion), else tells it to stop.
  auto answer = [&](int worker) {
    if (!pending.empty() && !stopping()) {
      const Job job = pending.take(worker);
      AssignMessage assignment{job.trial, job.epochs, {}};
      if (events.describe) assignment.trial_bytes = events.describe(job.trial);
      transport.send(worker, Tag::kAssign, encode_assign(assignment));
      WorkerState& w = state[worker];
      // It owes from now on: its silence counts from here, not from its last result (an idle
      // worker waiting for due work sends nothing, and must not be lost the moment it gets some).
      if (w.in_flight.empty()) w.last_heard = Clock::now();
      w.in_flight.push_back(job);
      ++running;
      if (events.assigned) events.assigned(job.trial, worker);
    } else if (running > 0 && !stopping()) {
      parked.push_back(worker);
    } else {
      transport.send(worker, Tag::kStop, {});
      --open_slots;
      --state[worker].open;
    }
  };
  auto release_parked = [&] {
    while (!parked.empty() && (!pending.empty() || running == 0 || stopping())) {
      const int worker = parked.front();
      parked.pop_front();
      answer(worker);
    }
  };
  // A worker silent past the timeout while it owes results (or never registered) is lost: its
  // trials go to the others, and nothing more is expected of it.
  auto lose = [&](int worker, WorkerState& w) {
    w.lost = true;
    std::vector<int> trials;
    for (const Job& job : w.in_flight) trials.push_back(job.trial);
    if (w.registered) {
      open_slots -= w.open;  // its slots already told to stop were counted then
      w.open = 0;
      running -= static_cast<int>(w.in_flight.size());
      parked.erase(std::remove(parked.begin(), parked.end(), worker), parked.end());
      pending.push_due(w.in_flight, {});
      w.in_flight.clear();
      std::erase_if(returned_by, [&](const auto& entry) { return entry.second == worker; });
    } else {
      ++registered;
    }
    if (events.worker_lost) events.worker_lost(worker, w.host, trials);
    release_parked();
  };
  auto next_check = Clock::now();
  auto check_liveness = [&] {
    if (events.worker_timeout <= 0.0) return;
    const auto now = Clock::now();
    // A pass over every worker, a few times a second at most: with thousands of ranks and
    // thousands of results a second, checking at every message would cost more than the rest.
    if (now < next_check) return;
    next_check = now + std::chrono::milliseconds(100);
    for (auto& [worker, w] : state) {
      const bool owes = !w.registered || !w.in_flight.empty();
      if (!w.lost && owes && std::chrono::duration<double>(now - w.last_heard).count() > events.worker_timeout) lose(worker, w);
    }
  };
  while (registered < workers.size() || open_slots > 0) {
    if (events.give_up && events.give_up()) break;
    std::optional<Message> message = transport.receive_for(kStopCheckMilliseconds);
    if (message && !state[message->source].lost) state[message->source].last_heard = Clock::now();
    check_liveness();
    if (!message) {
      release_parked();  // a stop may have been requested while slots waited
      continue;
    }
    WorkerState& from = state[message->source];
    if (from.lost) continue;  // its trials went elsewhere; a late result would only repeat theirs
    const auto start = std::chrono::steady_clock::now();
    // A payload that does not decode (truncated, or bytes left over) throws core::Error out of
    // coordinate(), as it always has: it means ranks running different binaries, i.e. a bug.
    if (message->tag == Tag::kReady) {
      ReadyMessage ready = decode_ready(message->payload);
      const int slots = ready.slots;
      from.host = std::move(ready.host);
      from.registered = true;
      from.slots = slots;
      from.open = slots;
      ++registered;
      open_slots += slots;
      for (int s = 0; s < slots; ++s) answer(message->source);
    } else if (message->tag == Tag::kResult) {
      store::TrialRecord record = store::decode_record(message->payload);
      auto& in_flight = from.in_flight;
      if (const auto it = std::find_if(in_flight.begin(), in_flight.end(), [&](const Job& j) { return j.trial == record.trial; });
          it != in_flight.end()) {
        in_flight.erase(it);
      }
      --running;
      if (stats != nullptr) {
        ++stats->results;
        stats->result_bytes += static_cast<long long>(message->payload.size());
      }
      if (record.status == search::TrialStatus::kPaused) returned_by[record.trial] = message->source;
      if (events.finished) pending.push_due(events.finished(std::move(record)), returned_by);
      answer(message->source);
      release_parked();
    } else if (message->tag == Tag::kRung) {
      const RungMessage asked = decode_rung(message->payload);
      const bool go_on = !events.rung || events.rung(asked.trial, asked.rung, asked.value);
      transport.send(message->source, Tag::kVerdict, encode_verdict({asked.trial, go_on}));
    }
    const double handling = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (stats != nullptr) stats->handling_seconds += handling;
    // The coordinator itself was held up (a slow fsync on a stalled file system): it did not
    // listen meanwhile, so nobody's silence counts; the heartbeats are queued, not missing.
    if (events.worker_timeout > 0.0 && handling > events.worker_timeout / 4.0) {
      for (auto& [worker, w] : state) w.last_heard = Clock::now();
    }
  }
  return pending.drain();
}

void work(Transport& transport, int coordinator, int slots, const RunJob& run, const Submit& submit,
          std::chrono::milliseconds heartbeat) {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Bytes> finished;                // results waiting to be sent by this thread
  std::deque<Bytes> questions;               // rung questions waiting to be sent by this thread
  std::map<int, std::promise<bool>> asking;  // trial -> its thread, waiting for the verdict
  transport.send(coordinator, Tag::kReady, encode_ready({slots, core::host_name()}));
  auto last_sent = std::chrono::steady_clock::now();
  int open = slots;
  int running = 0;
  // The coordinator only ever answers: an assignment or a stop for each free slot it was told
  // of, a verdict for each rung question. With no answer owed, there is nothing to look for, and
  // the loop sleeps until a trial finishes or asks (no polling while every slot trains).
  int answers_owed = slots;
  int verdicts_owed = 0;
  auto poll = kWorkerFirstPoll;
  while (open > 0 || running > 0) {
    std::deque<Bytes> ready, asked;
    {
      std::unique_lock lock(mutex);
      const auto something_to_send = [&] { return !finished.empty() || !questions.empty(); };
      if (answers_owed > 0 || verdicts_owed > 0) {
        wake.wait_for(lock, poll, something_to_send);
      } else if (heartbeat.count() > 0) {
        wake.wait_for(lock, heartbeat, something_to_send);
      } else {
        wake.wait(lock, something_to_send);
      }
      ready.swap(finished);
      asked.swap(questions);
    }
    const auto now = std::chrono::steady_clock::now();
    if (!asked.empty() || !ready.empty()) last_sent = now;
    if (heartbeat.count() > 0 && running > 0 && now - last_sent >= heartbeat) {
      transport.send(coordinator, Tag::kAlive, {});  // a long trial, not a stuck rank
      last_sent = now;
    }
    for (Bytes& question : asked) transport.send(coordinator, Tag::kRung, question);
    verdicts_owed += static_cast<int>(asked.size());
    for (Bytes& result : ready) {
      transport.send(coordinator, Tag::kResult, result);
      --running;
      ++answers_owed;
    }
    poll = ready.empty() && asked.empty() ? std::min(poll * 2, kWorkerLongestPoll) : kWorkerFirstPoll;
    while (std::optional<Message> message = transport.try_receive()) {
      poll = kWorkerFirstPoll;
      if (message->tag == Tag::kStop) {
        --open;
        --answers_owed;
        continue;
      }
      if (message->tag == Tag::kVerdict) {
        --verdicts_owed;
        const VerdictMessage verdict = decode_verdict(message->payload);
        std::lock_guard lock(mutex);
        auto it = asking.find(verdict.trial);
        if (it != asking.end()) {
          it->second.set_value(verdict.go_on);
          asking.erase(it);
        }
        continue;
      }
      if (message->tag != Tag::kAssign) {
        throw core::Error("worker: unexpected message (tag " + std::to_string(static_cast<int>(message->tag)) +
                              ") from the coordinator", core::ExitCode::kInternal);
      }
      AssignMessage assignment = decode_assign(message->payload);
      Job job{assignment.trial, assignment.epochs, std::move(assignment.trial_bytes)};
      ++running;
      --answers_owed;
      submit([&, job = std::move(job)] {
        const AskRung ask = [&, trial = job.trial](int rung, double value) {
          std::future<bool> verdict;
          {
            std::lock_guard lock(mutex);
            verdict = asking[trial].get_future();
            questions.push_back(encode_rung({trial, rung, value}));
            wake.notify_one();
          }
          return verdict.get();
        };
        Bytes result = run(job, ask);
        // Notify under the lock: once it is released, the loop may return and destroy `wake`.
        std::lock_guard lock(mutex);
        finished.push_back(std::move(result));
        wake.notify_one();
      });
    }
  }
}

}  // namespace hpsweep::runtime
