#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>

#include "hpsweep/runtime/transport.hpp"

namespace hpsweep::runtime {
namespace {

/// One mailbox per rank, shared by all endpoints.
struct Mailboxes {
  struct Box {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Message> queue;
  };
  explicit Mailboxes(int size) : boxes(static_cast<std::size_t>(size)) {}
  std::vector<Box> boxes;
};

class InProcessTransport final : public Transport {
 public:
  InProcessTransport(std::shared_ptr<Mailboxes> boxes, int rank) : boxes_(std::move(boxes)), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(boxes_->boxes.size()); }

  void send(int destination, Tag tag, const Bytes& payload) override {
    auto& box = boxes_->boxes.at(static_cast<std::size_t>(destination));
    {
      std::lock_guard lock(box.mutex);
      box.queue.push_back(Message{rank_, tag, payload});
    }
    box.ready.notify_one();
  }

  Message receive() override {
    auto& box = own_box();
    std::unique_lock lock(box.mutex);
    box.ready.wait(lock, [&] { return !box.queue.empty(); });
    return pop(box);
  }

  std::optional<Message> receive_for(int milliseconds) override {
    auto& box = own_box();
    std::unique_lock lock(box.mutex);
    if (!box.ready.wait_for(lock, std::chrono::milliseconds(milliseconds), [&] { return !box.queue.empty(); })) {
      return std::nullopt;
    }
    return pop(box);
  }

  std::optional<Message> try_receive() override {
    auto& box = own_box();
    std::lock_guard lock(box.mutex);
    if (box.queue.empty()) return std::nullopt;
    return pop(box);
  }

  [[noreturn]] void abort(int exit_code) override { std::_Exit(exit_code); }

 private:
  Mailboxes::Box& own_box() { return boxes_->boxes[static_cast<std::size_t>(rank_)]; }
  static Message pop(Mailboxes::Box& box) {
    Message m = std::move(box.queue.front());
    box.queue.pop_front();
    return m;
  }

  std::shared_ptr<Mailboxes> boxes_;
  int rank_;
};

}  // namespace

std::vector<std::unique_ptr<Transport>> make_in_process_ranks(int size) {
  auto boxes = std::make_shared<Mailboxes>(size);
  std::vector<std::unique_ptr<Transport>> ranks;
  for (int r = 0; r < size; ++r) ranks.push_back(std::make_unique<InProcessTransport>(boxes, r));
  return ranks;
}

}  // namespace hpsweep::runtime
