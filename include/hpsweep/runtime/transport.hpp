#pragma once
/// The thin seam between the coordinator's logic and MPI: ranks exchanging tagged byte messages.
/// The MPI implementation lives in one file (mpi_transport.cpp); an in-process one runs several
/// ranks as threads so that the coordinator and workers are tested without MPI.

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace hpsweep::runtime {

using Bytes = std::vector<std::byte>;

/// What the coordinator and workers say to each other.
enum class Tag : int {
  kReady = 1,   ///< worker -> coordinator: I run up to N trials at once (payload: N, its host name)
  kResult = 2,  ///< worker -> coordinator: a finished trial (and give me the next)
  kAssign = 3,  ///< coordinator -> worker: run this trial (payload: its index, the epochs to train, its settings)
  kStop = 4,    ///< coordinator -> worker: no more work, return
  kRung = 5,    ///< worker -> coordinator: a running trial reached a rung (trial, rung, value)
  kVerdict = 6, ///< coordinator -> worker: go on with that trial, or stop it (trial, continue)
  kAlive = 7,   ///< worker -> coordinator: still here, training (sent while trials run and nothing else is)
};

struct Message {
  int source = -1;
  Tag tag = Tag::kReady;
  Bytes payload;
};

/// A rank's view of the job.
class Transport {
 public:
  virtual ~Transport() = default;
  [[nodiscard]] virtual int rank() const = 0;
  [[nodiscard]] virtual int size() const = 0;
  virtual void send(int destination, Tag tag, const Bytes& payload) = 0;
  /// Waits for the next message from any rank, without spinning a core.
  [[nodiscard]] virtual Message receive() = 0;
  /// Like receive(), but gives up after `milliseconds` (so a loop can check for signals).
  [[nodiscard]] virtual std::optional<Message> receive_for(int milliseconds) = 0;
  /// The next message if one has arrived, without waiting.
  [[nodiscard]] virtual std::optional<Message> try_receive() = 0;
  /// Ends the whole job at once (all ranks), e.g. after an error on one rank.
  [[noreturn]] virtual void abort(int exit_code) = 0;
};

/// Ranks as threads of one process: make_in_process_ranks(n)[r] is rank r's endpoint.
[[nodiscard]] std::vector<std::unique_ptr<Transport>> make_in_process_ranks(int size);

}  // namespace hpsweep::runtime
