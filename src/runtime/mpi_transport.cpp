#include "hpsweep/runtime/mpi_transport.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "hpsweep/core/error.hpp"
#include "hpsweep/runtime/node_data.hpp"

namespace hpsweep::runtime {
namespace {

/// Open MPI's blocking receive spins a core; polling with a short, growing sleep costs about a
/// microsecond per probe and leaves the core to the trainers.
constexpr auto kFirstPause = std::chrono::microseconds(20);
constexpr auto kLongestPause = std::chrono::microseconds(250);

class MpiTransport final : public Transport {
 public:
  MpiTransport() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void send(int destination, Tag tag, const Bytes& payload) override {
    MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_BYTE, destination, static_cast<int>(tag),
             MPI_COMM_WORLD);
  }

  Message receive() override {
    while (true) {
      if (auto m = receive_for(1000)) return std::move(*m);
    }
  }

  std::optional<Message> receive_for(int milliseconds) override {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(milliseconds);
    auto pause = kFirstPause;
    while (true) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
      if (flag) return take(status);
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, kLongestPause);
    }
  }

  std::optional<Message> try_receive() override {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) return take(status);
    return std::nullopt;
  }

  [[noreturn]] void abort(int exit_code) override {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);
  }

  /// Every rank finds the same thread level: rank 0 says why, all end the job.
  [[noreturn]] void abort_with_message(const std::string& message, int exit_code) {
    if (rank_ == 0) std::fprintf(stderr, "hpsweep: error: %s\n", message.c_str());
    abort(exit_code);
  }

 private:
  Message take(const MPI_Status& status) {
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    Message m{status.MPI_SOURCE, static_cast<Tag>(status.MPI_TAG), Bytes(static_cast<std::size_t>(count))};
    MPI_Recv(m.payload.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return m;
  }

  int rank_ = 0;
  int size_ = 1;
};

/// Waits for a non-blocking collective with short sleeps: Open MPI's blocking collectives spin a
/// core, and 15 ranks spinning while their node's first rank loads the data would take the
/// cores it loads with (-np 16 on 2 cores: 2.6x the time to the first trial).
void wait_without_spinning(MPI_Request& request) {
  auto pause = kFirstPause;
  int done = 0;
  while (MPI_Test(&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && done == 0) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, kLongestPause);
  }
}

/// A node's ranks over MPI-3 shared memory. Errors return (MPI_ERRORS_RETURN) so that a node
/// that cannot share memory falls back to a copy per rank instead of ending the job.
class MpiNodeGroup final : public NodeGroup {
 public:
  MpiNodeGroup() {
    int world_rank = 0, world_size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    // Ordered by world rank, but rank 0 last: it coordinates, so another rank leads its node.
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, world_rank == 0 ? world_size : world_rank,
                        MPI_INFO_NULL, &comm_);
    MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
    int mine = world_rank == 0 ? 1 : 0;
    MPI_Allreduce(&mine, &holds_world_rank_zero_, 1, MPI_INT, MPI_MAX, comm_);
  }
  ~MpiNodeGroup() override {
    if (window_ != MPI_WIN_NULL) {
      // MPI_Win_free waits for the node's other ranks in a loop that spins a core: a worker done
      // early would take it from the trials still running beside it. Wait without spinning first.
      MPI_Request all_here = MPI_REQUEST_NULL;
      MPI_Ibarrier(comm_, &all_here);
      wait_without_spinning(all_here);
      MPI_Win_free(&window_);
    }
    MPI_Comm_free(&comm_);
  }
  MpiNodeGroup(const MpiNodeGroup&) = delete;
  MpiNodeGroup& operator=(const MpiNodeGroup&) = delete;

  int local_rank() const override { return rank_; }
  int size() const override { return size_; }
  bool holds_world_rank_zero() const override { return holds_world_rank_zero_ != 0; }

  std::byte* allocate_shared(std::size_t leader_bytes) override {
    void* own = nullptr;
    int ok = MPI_Win_allocate_shared(static_cast<MPI_Aint>(leader_bytes), 1, MPI_INFO_NULL, comm_, &own, &window_) ==
             MPI_SUCCESS;
    int everywhere = 0;
    MPI_Allreduce(&ok, &everywhere, 1, MPI_INT, MPI_MIN, comm_);
    void* leaders = nullptr;
    if (everywhere != 0) {
      MPI_Aint size = 0;
      int unit = 0;
      everywhere = MPI_Win_shared_query(window_, 0, &size, &unit, &leaders) == MPI_SUCCESS ? 1 : 0;
      MPI_Allreduce(MPI_IN_PLACE, &everywhere, 1, MPI_INT, MPI_MIN, comm_);
    }
    if (everywhere == 0) {
      if (window_ != MPI_WIN_NULL) MPI_Win_free(&window_);
      window_ = MPI_WIN_NULL;
      return nullptr;
    }
    return static_cast<std::byte*>(leaders);
  }

  void broadcast(void* data, std::size_t bytes) override {
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Ibcast(data, static_cast<int>(bytes), MPI_BYTE, 0, comm_, &request);
    wait_without_spinning(request);
  }

  void barrier() override {
    // Everyone waits (without spinning) for the leader to arrive; then a fence, which finds all
    // ranks there, makes the leader's stores into the window visible to the others. A fence
    // first would spin every other rank of the node while the leader fills the window.
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Ibarrier(comm_, &request);
    wait_without_spinning(request);
    if (window_ != MPI_WIN_NULL) MPI_Win_fence(0, window_);
  }

  int max_over_job(int value) override {
    int largest = value;
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Iallreduce(&value, &largest, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &request);
    wait_without_spinning(request);
    return largest;
  }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  MPI_Win window_ = MPI_WIN_NULL;
  int rank_ = 0;
  int size_ = 1;
  int holds_world_rank_zero_ = 0;
};

}  // namespace

std::unique_ptr<NodeGroup> node_group() { return std::make_unique<MpiNodeGroup>(); }

bool launched_by_mpi() noexcept {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "MPI_LOCALNRANKS"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

std::unique_ptr<Transport> init_mpi(int& argc, char**& argv) {
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    throw core::Error("MPI_Init_thread failed", core::ExitCode::kInternal);
  }
  // Only the main thread calls MPI (trainers are TBB threads that never do), but it does so while
  // those threads run: FUNNELED is the least level that allows it, and an MPI may give less.
  if (provided < MPI_THREAD_FUNNELED) {
    auto transport = std::make_unique<MpiTransport>();
    transport->abort_with_message("this MPI provides thread level " + std::to_string(provided) +
                                  " (MPI_THREAD_FUNNELED = " + std::to_string(MPI_THREAD_FUNNELED) +
                                  ") where hpsweep needs FUNNELED; use an MPI built with thread support",
                                  static_cast<int>(core::ExitCode::kInternal));
  }
  return std::make_unique<MpiTransport>();
}

void finalize_mpi() { MPI_Finalize(); }

}  // namespace hpsweep::runtime
