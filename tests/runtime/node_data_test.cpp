// One copy of the data per node, with the node's ranks as threads over a NodeGroup of plain
// shared memory: only the first rank holds a prepared data set, the others none, every rank's
// trial has the numbers of a one-process run to the bit, and an error on the first rank ends all.

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../common/data_files.hpp"
#include "../common/test_util.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/data/source.hpp"
#include "hpsweep/runtime/node_data.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/search/parse.hpp"

namespace hpsweep::runtime {
namespace {

/// What the threads of one fake node share.
struct FakeNode {
  FakeNode(int ranks, bool can_share, bool holds_rank_zero)
      : ranks(ranks), sync(ranks), can_share(can_share), holds_rank_zero(holds_rank_zero) {}
  int ranks;
  std::barrier<> sync;
  std::atomic<int> allocations{0};  // calls of allocate_shared, by any rank
  std::vector<std::byte> memory;  // its start aligned to 64 bytes below, as an MPI window's is
  std::vector<std::byte> message;
  std::atomic<int> largest{0};
  bool can_share;  // false: as a node whose MPI_Win_allocate_shared fails
  bool holds_rank_zero;  // world rank 0 is then the last local rank, as MpiNodeGroup orders them
};

class ThreadNodeGroup final : public NodeGroup {
 public:
  ThreadNodeGroup(FakeNode& node, int rank) : node_(node), rank_(rank) {}
  int local_rank() const override { return rank_; }
  int size() const override { return node_.ranks; }
  bool holds_world_rank_zero() const override { return node_.holds_rank_zero; }
  std::byte* allocate_shared(std::size_t leader_bytes) override {
    ++node_.allocations;
    if (rank_ == 0) node_.memory.resize(leader_bytes + 64);
    node_.sync.arrive_and_wait();
    if (!node_.can_share) return nullptr;
    void* start = node_.memory.data();
    std::size_t room = node_.memory.size();
    return static_cast<std::byte*>(std::align(64, leader_bytes, start, room));
  }
  void broadcast(void* data, std::size_t bytes) override {
    auto* p = static_cast<std::byte*>(data);
    if (rank_ == 0) node_.message.assign(p, p + bytes);
    node_.sync.arrive_and_wait();
    if (rank_ != 0) std::copy(node_.message.begin(), node_.message.end(), p);
    node_.sync.arrive_and_wait();
  }
  void barrier() override { node_.sync.arrive_and_wait(); }
  int max_over_job(int value) override {
    int seen = node_.largest.load();
    while (value > seen && !node_.largest.compare_exchange_weak(seen, value)) {
    }
    node_.sync.arrive_and_wait();
    const int result = node_.largest.load();
    node_.sync.arrive_and_wait();
    if (rank_ == 0) node_.largest = 0;  // ready for the next agreement
    node_.sync.arrive_and_wait();
    return result;
  }

 private:
  FakeNode& node_;
  int rank_;
};

/// prepare_sweep_on_node on `ranks` threads: each rank's sweep, or the error it threw.
struct RankOutcome {
  int world_rank = -1;
  std::optional<PreparedSweep> sweep;
  std::optional<core::ExitCode> error;
  std::string what;
};

/// A node of threads after prepare_sweep_on_node: its shared memory, each rank's outcome, the log.
struct NodeRun {
  std::unique_ptr<FakeNode> node;
  std::vector<RankOutcome> ranks;
  std::string log;
};

/// The node's ranks in local order (ranks[0] leads); world ranks 1, 2, ... and, when the node
/// holds it, world rank 0 last.
NodeRun prepare_on_threads(const std::string& path, int ranks, bool can_share = true, bool holds_rank_zero = true,
                           FingerprintKind rank_zeros_kind = FingerprintKind::kCurrent) {
  const search::SweepSpec spec = search::load_sweep(path);
  NodeRun run{std::make_unique<FakeNode>(ranks, can_share, holds_rank_zero),
              std::vector<RankOutcome>(static_cast<std::size_t>(ranks)), {}};
  std::vector<std::ostringstream> logs(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      ThreadNodeGroup group(*run.node, r);
      RankOutcome& out = run.ranks[static_cast<std::size_t>(r)];
      out.world_rank = holds_rank_zero ? (r + 1) % ranks : r + 1;
      try {
        // Only rank 0 reads the results file: what the others pass must not count.
        const FingerprintKind kind = out.world_rank == 0 ? rank_zeros_kind : FingerprintKind::kCurrent;
        out.sweep = prepare_sweep_on_node(spec, group, out.world_rank, logs[static_cast<std::size_t>(r)], kind);
      } catch (const core::Error& e) {
        out.error = e.code();
        out.what = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& l : logs) run.log += l.str();
  return run;
}

const std::string kSource = HPSWEEP_SOURCE_DIR;

TEST(NodeData, OnlyTheFirstRankHoldsTheDataAndEveryRankTrainsTheOneProcessNumbers) {
  const std::string path = kSource + "/tests/runtime/tiny_sweep.yaml";
  const NodeRun run = prepare_on_threads(path, 3);
  const std::vector<RankOutcome>& ranks = run.ranks;
  const PreparedSweep alone = prepare_sweep(path);
  const nn::TrainingData alone_data(alone.splits);
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    ASSERT_TRUE(ranks[r].sweep) << "rank " << r << ": " << ranks[r].what;
    const PreparedSweep& s = *ranks[r].sweep;
    EXPECT_EQ(s.splits.train.features.size(), 0) << "rank " << r << " keeps a copy of the data of its own";
    ASSERT_NE(s.training_data, nullptr);
    EXPECT_EQ(s.training_data->shape().train, alone.splits.train.num_samples());
    ASSERT_EQ(s.plan.size(), alone.plan.size());
    const store::TrialRecord shared = run_trial(s.plan[3], *s.training_data, static_cast<int>(r));
    const store::TrialRecord own = run_trial(alone.plan[3], alone_data, static_cast<int>(r));
    EXPECT_EQ(shared.curve.val_loss, own.curve.val_loss) << "rank " << r;
    EXPECT_EQ(shared.curve.train_loss, own.curve.train_loss) << "rank " << r;
  }
  // Rank 0 records the data in the results file without loading it: it comes last on its node,
  // and the leader (world rank 1) tells it the description and fingerprint.
  ASSERT_EQ(ranks.back().world_rank, 0);
  ASSERT_EQ(ranks.front().world_rank, 1);
  for (const RankOutcome& rank : ranks) {
    const PreparedSweep& s = *rank.sweep;
    EXPECT_EQ(s.fingerprint, alone.fingerprint) << "rank " << rank.world_rank;
    EXPECT_TRUE(s.data_description == alone.data_description) << "rank " << rank.world_rank;
  }
  EXPECT_EQ(run.log, "");
}

TEST(NodeData, TheLeaderTakesTheFingerprintKindRankZeroFoundInTheResultsFile) {
  const std::string path = kSource + "/tests/runtime/tiny_sweep.yaml";
  const NodeRun run = prepare_on_threads(path, 3, true, true, FingerprintKind::kLegacy);
  const PreparedSweep alone = prepare_sweep(path);
  for (const RankOutcome& rank : run.ranks) {
    ASSERT_TRUE(rank.sweep) << rank.what;
    EXPECT_EQ(rank.sweep->fingerprint, data::legacy_fingerprint(alone.splits)) << "rank " << rank.world_rank;
  }
}

// A float32 sweep of float32 HDF5 data: the leader holds it only in float32 and copies that
// into the node's memory; every rank trains the numbers of a one-process run of the float64
// path (the same sweep naming its precision) and records its fingerprint.
TEST(NodeData, TheFloat32CopyOfFloat32DataIsSharedWithTheFloat64PathsNumbers) {
  const testing::TempDir dir;
  const std::string data = dir.file("data.h5");
  ASSERT_TRUE(testing::write_float32_hdf5(data, 40000, 5));  // more samples than a block the leader moves at once
  const std::string sweep = "name: f\nmethod: grid\nseed: 2\ndata: {source: hdf5, train: " + data +
                            ", val_fraction: 0.3}\nfixed: {epochs: 3, width: 8}\nparameters:\n"
                            "  dropout: {values: [0.0, 0.2]}\n";
  const std::string path = dir.write("f.yaml", sweep);
  const NodeRun run = prepare_on_threads(path, 3);
  const PreparedSweep wide = prepare_sweep(search::load_sweep(dir.write("w.yaml", sweep + "  precision: {values: [float32]}\n")));
  ASSERT_GT(wide.splits.train.num_samples(), 0);
  const nn::TrainingData wide_data(wide.splits);
  for (const RankOutcome& rank : run.ranks) {
    ASSERT_TRUE(rank.sweep) << rank.what;
    const PreparedSweep& s = *rank.sweep;
    EXPECT_EQ(s.fingerprint, wide.fingerprint) << "rank " << rank.world_rank;
    EXPECT_TRUE(s.data_description == wide.data_description) << "rank " << rank.world_rank;
    ASSERT_NE(s.training_data, nullptr);
    const store::TrialRecord shared = run_trial(s.plan[1], *s.training_data, rank.world_rank);
    const store::TrialRecord own = run_trial(wide.plan[1], wide_data, rank.world_rank);
    EXPECT_EQ(shared.curve.val_loss, own.curve.val_loss) << "rank " << rank.world_rank;
    EXPECT_EQ(shared.curve.train_loss, own.curve.train_loss) << "rank " << rank.world_rank;
  }
  EXPECT_EQ(run.log, "");
  // A node that cannot share memory: each training rank holds its own float32 copy.
  const NodeRun apart = prepare_on_threads(path, 3, false);
  for (const RankOutcome& rank : apart.ranks) {
    ASSERT_TRUE(rank.sweep) << rank.what;
    if (rank.world_rank == 0) continue;  // it coordinates: no data
    ASSERT_NE(rank.sweep->training_data, nullptr) << "rank " << rank.world_rank;
    const store::TrialRecord own = run_trial(rank.sweep->plan[0], *rank.sweep->training_data, rank.world_rank);
    EXPECT_EQ(own.curve.val_loss, run_trial(wide.plan[0], wide_data, rank.world_rank).curve.val_loss);
  }
}

// A rank alone on its node (`mpirun -np 1`; one rank per node) loads the data and keeps it: no
// shared memory, which would cost another pass over fresh pages.
TEST(NodeData, ARankAloneOnItsNodeLoadsTheDataAndKeepsIt) {
  const std::string path = kSource + "/tests/runtime/tiny_sweep.yaml";
  const PreparedSweep alone = prepare_sweep(path);
  const nn::TrainingData alone_data(alone.splits);
  for (const bool holds_rank_zero : {true, false}) {
    const NodeRun run = prepare_on_threads(path, 1, true, holds_rank_zero);
    const RankOutcome& rank = run.ranks[0];
    ASSERT_TRUE(rank.sweep) << rank.what;
    EXPECT_EQ(rank.world_rank, holds_rank_zero ? 0 : 1);
    EXPECT_EQ(run.node->allocations, 0) << "rank " << rank.world_rank;
    ASSERT_NE(rank.sweep->training_data, nullptr);  // as under `mpirun -np 1`, rank 0 trains too
    EXPECT_EQ(rank.sweep->fingerprint, alone.fingerprint);
    const store::TrialRecord own = run_trial(rank.sweep->plan[1], *rank.sweep->training_data, rank.world_rank);
    EXPECT_EQ(own.curve.val_loss, run_trial(alone.plan[1], alone_data, rank.world_rank).curve.val_loss);
    EXPECT_EQ(run.log, "");
  }
}

TEST(NodeData, ANodeThatCannotShareMemoryLoadsACopyPerRankAndSaysSo) {
  const std::string path = kSource + "/tests/runtime/tiny_sweep.yaml";
  const NodeRun run = prepare_on_threads(path, 3, false);
  const PreparedSweep alone = prepare_sweep(path);
  const nn::TrainingData alone_data(alone.splits);
  for (const RankOutcome& rank : run.ranks) {
    ASSERT_TRUE(rank.sweep) << "rank " << rank.world_rank << ": " << rank.what;
    EXPECT_EQ(rank.sweep->fingerprint, alone.fingerprint);
    EXPECT_EQ(rank.sweep->splits.train.features.size(), 0);  // a float32 copy at most
    if (rank.world_rank == 0) {  // it coordinates: it loads nothing, even then
      EXPECT_EQ(rank.sweep->training_data, nullptr);
    } else {  // its own copy, in float32 only (the sweep trains in float32)
      ASSERT_NE(rank.sweep->training_data, nullptr);
      const store::TrialRecord own = run_trial(rank.sweep->plan[2], *rank.sweep->training_data, rank.world_rank);
      EXPECT_EQ(own.curve.val_loss, run_trial(alone.plan[2], alone_data, rank.world_rank).curve.val_loss);
    }
  }
  EXPECT_NE(run.log.find("cannot share memory"), std::string::npos) << run.log;
}

TEST(NodeData, BadDataOnTheFirstRankEndsEveryRankWithItsCode) {
  const std::string path = kSource + "/tests/corpus/bad/data_nan_cell.yaml";
  const NodeRun run = prepare_on_threads(path, 3);
  const std::vector<RankOutcome>& ranks = run.ranks;
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    EXPECT_FALSE(ranks[r].sweep) << "rank " << r;
    EXPECT_EQ(ranks[r].error, core::ExitCode::kData) << "rank " << r;
  }
  // Rank 0 throws the leader's own error, which main prints once; the leader does not say it too.
  ASSERT_EQ(ranks.back().world_rank, 0);
  EXPECT_NE(ranks.back().what.find("nan_cell.csv:8"), std::string::npos) << ranks.back().what;
  EXPECT_EQ(run.log, "");
}

TEST(NodeData, BadDataOnANodeWithoutRankZeroIsSaidThereByItsFirstRank) {
  const std::string path = kSource + "/tests/corpus/bad/data_nan_cell.yaml";
  const NodeRun run = prepare_on_threads(path, 2, true, false);
  for (const RankOutcome& rank : run.ranks) EXPECT_EQ(rank.error, core::ExitCode::kData) << "rank " << rank.world_rank;
  EXPECT_NE(run.log.find("error on rank 1"), std::string::npos) << run.log;
  EXPECT_NE(run.log.find("nan_cell.csv:8"), std::string::npos) << run.log;
}

}  // namespace
}  // namespace hpsweep::runtime
