#include "hpsweep/runtime/coordinator.hpp"

#include <chrono>
#include <cstdint>
#include <cstring>

#include "hpsweep/runtime/trial_runner.hpp"

namespace hpsweep::runtime {
namespace {

/// How often a waiting coordinator looks at stop_requested.
constexpr int kStopCheckMilliseconds = 100;

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
  std::size_t stopped = 0;
  while (stopped < workers.size()) {
    std::optional<Message> message = transport.receive_for(kStopCheckMilliseconds);
    if (!message) continue;
    const auto start = std::chrono::steady_clock::now();
    if (message->tag == Tag::kResult) {
      store::TrialRecord record = decode_record(message->payload);
      if (stats != nullptr) ++stats->results;
      if (events.finished) events.finished(std::move(record));
    }
    const bool stopping = events.stop_requested && events.stop_requested();
    if (!pending.empty() && !stopping) {
      const int trial = pending.front();
      pending.pop_front();
      transport.send(message->source, Tag::kAssign, encode_index(trial));
      if (events.assigned) events.assigned(trial, message->source);
    } else {
      transport.send(message->source, Tag::kStop, {});
      ++stopped;
    }
    if (stats != nullptr) {
      stats->handling_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  }
  return pending;
}

void work(Transport& transport, int coordinator, const std::function<std::vector<std::byte>(int trial)>& run) {
  transport.send(coordinator, Tag::kReady, {});
  while (true) {
    const Message message = transport.receive();
    if (message.tag == Tag::kStop) return;
    transport.send(coordinator, Tag::kResult, run(decode_index(message.payload)));
  }
}

}  // namespace hpsweep::runtime
