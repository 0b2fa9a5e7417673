#include "hpsweep/runtime/checkpoint_cache.hpp"

namespace hpsweep::runtime {

void CheckpointCache::put(int trial, nn::TrainCheckpoint checkpoint) {
  std::lock_guard lock(mutex_);
  if (auto old = held_.find(trial); old != held_.end()) {
    bytes_ -= old->second.bytes;
    held_.erase(old);
  }
  bytes_ += checkpoint.bytes;
  held_.emplace(trial, std::move(checkpoint));
  order_.push_back(trial);
  while (bytes_ > budget_ && !order_.empty()) {
    const int oldest = order_.front();
    order_.pop_front();
    if (auto it = held_.find(oldest); it != held_.end() && (oldest != trial || held_.size() == 1)) {
      bytes_ -= it->second.bytes;
      held_.erase(it);
    }
  }
}

std::optional<nn::TrainCheckpoint> CheckpointCache::take(int trial) {
  std::lock_guard lock(mutex_);
  const auto it = held_.find(trial);
  if (it == held_.end()) return std::nullopt;
  nn::TrainCheckpoint checkpoint = std::move(it->second);
  bytes_ -= checkpoint.bytes;
  held_.erase(it);
  return checkpoint;
}

std::size_t CheckpointCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace hpsweep::runtime
