#include "hpsweep/runtime/mpi_transport.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "hpsweep/core/error.hpp"

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

}  // namespace

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
