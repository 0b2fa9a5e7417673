#include "hpsweep/runtime/coordinator.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::runtime {
namespace {

/// How often a waiting coordinator looks at stop_requested.
constexpr int kStopCheckMilliseconds = 100;
/// How long a worker waits for a finished trial before it looks for messages again: short
/// enough that a new assignment waits little, long enough to cost no measurable CPU.
constexpr auto kWorkerPoll = std::chrono::microseconds(250);

Bytes encode_index(int trial) {
  Bytes bytes(sizeof(std::int32_t));
  const auto value = static_cast<std::int32_t>(trial);
  std::memcpy(bytes.data(), &value, sizeof value);
  return bytes;
}

int decode_index(const Bytes& bytes) {
  std::int32_t value = 0;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

}  // namespace

std::deque<int> coordinate(Transport& transport, const std::vector<int>& workers, std::deque<int> pending,
                           const CoordinatorEvents& events, CoordinatorStats* stats) {
  std::size_t registered = 0;  // workers that said how many slots they have
  int open_slots = 0;          // slots not yet told to stop
  auto answer = [&](int worker) {
    const bool stopping = events.stop_requested && events.stop_requested();
    if (!pending.empty() && !stopping) {
      const int trial = pending.front();
      pending.pop_front();
      transport.send(worker, Tag::kAssign, encode_index(trial));
      if (events.assigned) events.assigned(trial, worker);
    } else {
      transport.send(worker, Tag::kStop, {});
      --open_slots;
    }
  };
  while (registered < workers.size() || open_slots > 0) {
    if (events.give_up && events.give_up()) break;
    std::optional<Message> message = transport.receive_for(kStopCheckMilliseconds);
    if (!message) continue;
    const auto start = std::chrono::steady_clock::now();
    if (message->tag == Tag::kReady) {
      const int slots = decode_index(message->payload);
      ++registered;
      open_slots += slots;
      for (int s = 0; s < slots; ++s) answer(message->source);
    } else if (message->tag == Tag::kResult) {
      store::TrialRecord record = store::decode_record(message->payload);
      if (stats != nullptr) ++stats->results;
      if (events.finished) events.finished(std::move(record));
      answer(message->source);
    }
    if (stats != nullptr) {
      stats->handling_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  }
  return pending;
}

void work(Transport& transport, int coordinator, int slots, const std::function<std::vector<std::byte>(int trial)>& run,
          const Submit& submit) {
  std::mutex mutex;
  std::condition_variable done;
  std::deque<Bytes> finished;  // results waiting to be sent by this thread
  transport.send(coordinator, Tag::kReady, encode_index(slots));
  int open = slots;
  int running = 0;
  while (open > 0 || running > 0) {
    std::deque<Bytes> ready;
    {
      std::unique_lock lock(mutex);
      done.wait_for(lock, kWorkerPoll, [&] { return !finished.empty(); });
      ready.swap(finished);
    }
    for (Bytes& result : ready) {
      transport.send(coordinator, Tag::kResult, result);
      --running;
    }
    while (std::optional<Message> message = transport.try_receive()) {
      if (message->tag == Tag::kStop) {
        --open;
        continue;
      }
      ++running;
      submit([&, trial = decode_index(message->payload)] {
        Bytes result = run(trial);
        // Notify under the lock: once it is released, the loop may return and destroy `done`.
        std::lock_guard lock(mutex);
        finished.push_back(std::move(result));
        done.notify_one();
      });
    }
  }
}

}  // namespace hpsweep::runtime
