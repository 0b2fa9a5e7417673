// The background rewriter: the file it writes holds the records it was handed (applied in order,
// settings kept), the sealed journal goes once the file holds it, and a failed rewrite's error
// reaches the coordinator's thread.

#include "hpsweep/store/background_rewriter.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../common/test_util.hpp"

#include "hpsweep/core/error.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::store {
namespace {

namespace fs = std::filesystem;

class Rewriter : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int t = 0; t < 3; ++t) {
      store::TrialRecord row;
      row.trial = t;
      row.settings = {{"lr", 0.1 * (t + 1)}};
      results_.trials.push_back(row);
    }
    results_.info.name = "demo";
    results_.info.sweep_text = "name: demo\nmethod: grid\n";  // every results file holds its sweep
    store::write_results(path_, results_);
  }

  static std::vector<std::byte> finished(int trial, double loss, search::TrialStatus status) {
    store::TrialRecord r;
    r.trial = trial;
    r.status = status;
    r.best_val_loss = loss;
    r.curve.val_loss = {loss};
    r.epochs_run = 1;
    return store::encode_record(r);
  }

  testing::TempDir dir_;
  std::string path_ = dir_.file("r.h5");
  store::Results results_;
};

TEST_F(Rewriter, TheFileHoldsTheRecordsInOrderAndTheSealedJournalGoes) {
  const std::string sealed = store::sealed_journal_path(path_);
  std::ofstream(sealed) << "sealed records";
  BackgroundRewriter rewriter(path_, results_);
  store::SweepInfo info = results_.info;
  info.epochs_trained = 7;
  rewriter.start({finished(0, 0.9, search::TrialStatus::kPaused), finished(2, 0.5, search::TrialStatus::kOk),
                  store::encode_decision({0, 0, 0.9, false}), finished(0, 0.4, search::TrialStatus::kOk)},
                 info, sealed);
  rewriter.wait();
  EXPECT_FALSE(rewriter.busy());
  EXPECT_EQ(rewriter.rewrites(), 1);
  EXPECT_FALSE(fs::exists(sealed)) << "the file holds its records now";
  const store::Results file = store::read_results_file(path_);
  EXPECT_EQ(file.info.epochs_trained, 7);
  EXPECT_EQ(file.trials[0].status, search::TrialStatus::kOk) << "the later record of trial 0 wins";
  EXPECT_EQ(file.trials[0].best_val_loss, 0.4);
  EXPECT_EQ(file.trials[1].status, search::TrialStatus::kPending);
  EXPECT_EQ(file.trials[2].best_val_loss, 0.5);
  EXPECT_EQ(file.trials[2].settings, (search::Assignment{{"lr", 0.1 * 3}})) << "rows keep their settings";

  // A second rewrite builds on the first: its copy was kept up to date.
  rewriter.start({finished(1, 0.7, search::TrialStatus::kOk)}, info, sealed);
  rewriter.wait();
  const store::Results again = store::read_results_file(path_);
  EXPECT_EQ(again.trials[0].best_val_loss, 0.4);
  EXPECT_EQ(again.trials[1].best_val_loss, 0.7);
}

TEST_F(Rewriter, AFailedRewriteIsReportedAndTheLastGoodFileStays) {
  BackgroundRewriter rewriter(dir_.file("missing/r.h5"), results_);
  rewriter.start({finished(0, 0.4, search::TrialStatus::kOk)}, results_.info, store::sealed_journal_path(path_));
  EXPECT_THROW(rewriter.wait(), core::StoreError);
  EXPECT_EQ(store::read_results_file(path_).trials[0].status, search::TrialStatus::kPending);
}

}  // namespace
}  // namespace hpsweep::store
