#include "hpsweep/store/merge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hpsweep/core/error.hpp"

namespace hpsweep::store {
namespace {

using ::testing::HasSubstr;
using search::TrialStatus;

/// A sweep of `trials` trials, of which shard `index` of `count` has run (best_val_loss = trial).
Results shard_file(int index, int count, int trials = 7) {
  Results r;
  r.info.name = "demo";
  r.info.sweep_text = "name: demo\n";
  r.info.data_fingerprint = "f00d";
  r.info.created = "2026-12-0" + std::to_string(index + 1) + "T00:00:00Z";
  r.info.shard = std::to_string(index) + "/" + std::to_string(count);
  r.info.ranks = 2;
  r.info.wall_seconds = 10.0 + index;
  r.info.epochs_trained = 100;
  for (int t = 0; t < trials; ++t) {
    TrialRecord rec;
    rec.trial = t;
    if (t % count == index) {
      rec.status = TrialStatus::kOk;
      rec.best_val_loss = t;
      rec.epochs_run = 1;
      rec.curve.val_loss = {static_cast<double>(t)};
    }
    r.trials.push_back(rec);
  }
  return r;
}

TEST(Merge, TakesEachTrialFromTheShardThatRanIt) {
  const Merged m = merge_results({{"s2.h5", shard_file(2, 3)}, {"s0.h5", shard_file(0, 3)}, {"s1.h5", shard_file(1, 3)}});
  EXPECT_TRUE(m.unsettled.empty());
  ASSERT_EQ(m.results.trials.size(), 7u);
  for (int t = 0; t < 7; ++t) {
    EXPECT_EQ(m.results.trials[static_cast<std::size_t>(t)].status, TrialStatus::kOk);
    EXPECT_EQ(m.results.trials[static_cast<std::size_t>(t)].best_val_loss, t);
  }
  EXPECT_EQ(m.results.info.shard, "");
  EXPECT_EQ(m.results.info.created, "2026-12-01T00:00:00Z");
  // Each shard ran on its own ranks: the file keeps what each ran with, not their sum.
  EXPECT_EQ(m.results.info.ranks, 2);
  EXPECT_EQ(m.results.info.shard_runs,
            (std::vector<std::string>{"shard 2/3: 2 rank(s) x 1 thread(s), 12.0 s", "shard 0/3: 2 rank(s) x 1 thread(s), 10.0 s",
                                      "shard 1/3: 2 rank(s) x 1 thread(s), 11.0 s"}));
  EXPECT_EQ(m.results.info.wall_seconds, 12.0);
  EXPECT_EQ(m.results.info.epochs_trained, 300);
}

TEST(Merge, AMergedFileMergedAgainKeepsEachShardsRunOnce) {
  const Merged first = merge_results({{"s0.h5", shard_file(0, 2)}, {"s1.h5", shard_file(1, 2)}});
  const Merged again = merge_results({{"merged.h5", first.results}, {"s0.h5", shard_file(0, 2)}, {"s1.h5", shard_file(1, 2)}});
  EXPECT_EQ(again.results.info.shard_runs, first.results.info.shard_runs);
  EXPECT_EQ(again.results.info.shard_runs.size(), 2u);
}

TEST(Merge, AMissingShardLeavesItsTrialsUnsettled) {
  const Merged m = merge_results({{"s0.h5", shard_file(0, 3)}, {"s2.h5", shard_file(2, 3)}});
  EXPECT_EQ(m.unsettled, (std::vector<int>{1, 4}));
  EXPECT_EQ(m.results.trials[1].status, TrialStatus::kPending);
}

TEST(Merge, RefusesFilesOfAnotherSweepNamingThem) {
  Results other = shard_file(1, 3);
  other.info.sweep_text = "name: other\n";
  Results fewer = shard_file(1, 3, 6);
  Results moved = shard_file(1, 3);
  moved.info.data_fingerprint = "beef";
  Results upgraded = shard_file(1, 3);  // its data fingerprint taken by a later hpsweep
  upgraded.info.data_fingerprint = "xxh3:f00d";
  for (auto& [bad, why] : std::vector<std::pair<Results, std::string>>{{other, "sweep file text differs"},
                                                                       {fewer, "6 trials, not 7"},
                                                                       {moved, "data differs"},
                                                                       {upgraded, "fingerprint is of another kind"}}) {
    try {
      (void)merge_results({{"s0.h5", shard_file(0, 3)}, {"bad.h5", bad}});
      ADD_FAILURE() << "merged " << why;
    } catch (const core::StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr("bad.h5"));
      EXPECT_THAT(e.what(), HasSubstr(why));
    }
  }
  EXPECT_THROW((void)merge_results({}), core::StoreError);
}

}  // namespace
}  // namespace hpsweep::store
