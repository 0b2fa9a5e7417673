#pragma once
/// One copy of the data per node under MPI. The first rank of each node loads, splits and
/// standardizes the data, puts the values trials read into memory shared with the node's other
/// ranks (MPI-3 shared windows, behind NodeGroup), and drops its own copy; the other ranks read
/// no data file at all. Rank 0, which coordinates and trains nothing, is never that first rank
/// when its node has another: it gets the fingerprint and description it records from it. Every
/// rank then trains on the same values, so curves are bitwise those of one process whatever the
/// node layout.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <iosfwd>
#include <string>

#include "hpsweep/runtime/sweep.hpp"

namespace hpsweep::runtime {

/// The ranks of one node. The MPI implementation is in mpi_transport.cpp; tests may fake it.
class NodeGroup {
 public:
  virtual ~NodeGroup() = default;
  /// 0 on the node's leader, which loads the data. World rank 0 comes last on its node, so it
  /// leads only a node of its own: it coordinates, and loads nothing it does not need.
  [[nodiscard]] virtual int local_rank() const = 0;
  /// The number of ranks on this node.
  [[nodiscard]] virtual int size() const = 0;
  /// Whether world rank 0 is one of this node's ranks.
  [[nodiscard]] virtual bool holds_world_rank_zero() const = 0;
  /// Collective over the node: `leader_bytes` of memory given by the leader (the others pass 0)
  /// and mapped in every rank of the node; its address, or nullptr in every rank of the node when
  /// the node cannot share it (the caller then falls back to a copy per rank). Lives as long as
  /// this object.
  [[nodiscard]] virtual std::byte* allocate_shared(std::size_t leader_bytes) = 0;
  /// Collective over the node: `bytes` at `data` copied from the leader to every rank.
  virtual void broadcast(void* data, std::size_t bytes) = 0;
  /// Collective over the node: returns when every rank reached it (the leader has filled the memory).
  virtual void barrier() = 0;
  /// Collective over the whole job: the largest `value` of any rank.
  [[nodiscard]] virtual int max_over_job(int value) = 0;
};

/// Prepares the sweep `spec` (search::load_sweep) on this rank with the data read once per node
/// (see above). Collective over the job. A data or configuration error on any node ends every
/// rank: a node's first rank whose preparation failed rethrows its error (core::Error, with its
/// file and place), and the other ranks of that node throw a core::Error with its text and code,
/// so rank 0 prints the real error. On a node without rank 0 the first rank also writes its error
/// to `log`, since only rank 0 prints errors; ranks of other nodes throw with the same code.
/// `log` also gets a warning when a node cannot share memory and each of its ranks loads the
/// data itself.
/// `kind` counts on rank 0 only (fingerprint_kind_for reads the results file there): the job
/// follows it.
[[nodiscard]] PreparedSweep prepare_sweep_on_node(const search::SweepSpec& spec, NodeGroup& node, int world_rank,
                                                  std::ostream& log, FingerprintKind kind = FingerprintKind::kCurrent);

}  // namespace hpsweep::runtime
