// The journal: records survive, a torn or garbage tail is dropped and counted, and merging puts
// each finished trial into the results exactly once.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::store {
namespace {

namespace fs = std::filesystem;

class Journal : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hpsweep_journal_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = (dir_ / ".r.h5.journal").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static TrialRecord finished(int trial, double loss) {
    TrialRecord r;
    r.trial = trial;
    r.status = search::TrialStatus::kOk;
    r.best_val_loss = loss;
    r.curve.val_loss = {loss + 0.1, loss};
    r.epochs_run = 2;
    return r;
  }

  void write_three() {
    JournalWriter writer(path_);
    for (int t = 0; t < 3; ++t) writer.append(encode_record(finished(t, 0.5 + t)));
  }

  void append_raw(const std::string& bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::app) << bytes;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(Journal, PathIsAHiddenFileBesideTheResults) {
  EXPECT_EQ(journal_path("/a/b/run.h5"), "/a/b/.run.h5.journal");
}

TEST_F(Journal, RecordsReadBackInOrder) {
  write_three();
  const JournalContents j = read_journal(path_);
  ASSERT_EQ(j.records.size(), 3u);
  EXPECT_EQ(j.dropped_records, 0);
  for (int t = 0; t < 3; ++t) EXPECT_EQ(decode_record(j.records[t]).best_val_loss, 0.5 + t);
}

TEST_F(Journal, ATornTailIsDroppedAndCounted) {
  write_three();
  const auto full = fs::file_size(path_);
  JournalWriter(path_).append(encode_record(finished(3, 9.0)));
  fs::resize_file(path_, full + 20);  // a kill in the middle of the fourth append
  const JournalContents j = read_journal(path_);
  EXPECT_EQ(j.records.size(), 3u);
  EXPECT_EQ(j.dropped_records, 1);
  EXPECT_EQ(j.dropped_bytes, 20u);
}

TEST_F(Journal, GarbageIsSkippedAndValidRecordsAfterItAreKept) {
  write_three();
  append_raw("this is not a journal record at all");
  JournalWriter(path_).append(encode_record(finished(7, 1.25)));
  append_raw(std::string("HPSJ\x10\0\0\0garbage", 15));
  const JournalContents j = read_journal(path_);
  ASSERT_EQ(j.records.size(), 4u);
  EXPECT_EQ(decode_record(j.records[3]).trial, 7);
  EXPECT_EQ(j.dropped_records, 2);
}

TEST_F(Journal, AFlippedBitFailsTheChecksum) {
  write_three();
  std::fstream f(path_, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(40);
  f.put('\x7f');
  f.close();
  const JournalContents j = read_journal(path_);
  EXPECT_EQ(j.records.size(), 2u);
  EXPECT_EQ(j.dropped_records, 1);
}

TEST_F(Journal, MissingFileIsEmpty) {
  const JournalContents j = read_journal((dir_ / "none").string());
  EXPECT_TRUE(j.records.empty());
  EXPECT_EQ(j.dropped_records, 0);
}

TEST_F(Journal, ClearEmptiesIt) {
  JournalWriter writer(path_);
  writer.append(encode_record(finished(0, 1.0)));
  writer.clear();
  writer.append(encode_record(finished(1, 2.0)));
  const JournalContents j = read_journal(path_);
  ASSERT_EQ(j.records.size(), 1u);
  EXPECT_EQ(decode_record(j.records[0]).trial, 1);
}

TEST_F(Journal, RecordsThatWouldBreakTheFileAreNotMerged) {
  // Valid checksums over records no sweep produces: an unknown status, more epochs than the
  // sweep trains, a best epoch past the last. Merged, they would make the file unreadable (or
  // widen its curves to a crafted size) once written.
  Results results;
  results.info.max_epochs = 5;
  results.trials.resize(3);
  for (int t = 0; t < 3; ++t) results.trials[static_cast<std::size_t>(t)].trial = t;
  TrialRecord bad_status = finished(0, 0.5);
  bad_status.status = static_cast<search::TrialStatus>(9);
  TrialRecord too_long = finished(1, 0.5);
  too_long.epochs_run = 1 << 30;
  TrialRecord bad_best = finished(2, 0.5);
  bad_best.best_epoch = 3;  // of 2 epochs
  JournalContents j;
  j.records = {encode_record(bad_status), encode_record(too_long), encode_record(bad_best)};
  EXPECT_EQ(merge_journal(results, j), 0);
  EXPECT_EQ(j.foreign_records, 3);
  for (const TrialRecord& row : results.trials) EXPECT_EQ(row.status, search::TrialStatus::kPending);
}

TEST_F(Journal, MergeFillsPendingRowsExactlyOnce) {
  Results results;
  for (int t = 0; t < 4; ++t) {
    TrialRecord row;
    row.trial = t;
    row.settings = {{"lr", 0.1 * t}};
    results.trials.push_back(row);
  }
  results.trials[1] = finished(1, 0.25);  // already in the file
  results.trials[1].settings = {{"lr", 0.1}};
  JournalContents j;
  j.records = {encode_record(finished(1, 99.0)), encode_record(finished(2, 0.75)), encode_record(finished(2, 88.0)),
               encode_record(finished(42, 0.0))};
  EXPECT_EQ(merge_journal(results, j), 1);
  EXPECT_EQ(results.trials[1].best_val_loss, 0.25) << "a trial already in the file was taken twice";
  EXPECT_EQ(results.trials[2].best_val_loss, 0.75);
  EXPECT_EQ(results.trials[2].settings, (search::Assignment{{"lr", 0.2}}));
  EXPECT_EQ(results.trials[3].status, search::TrialStatus::kPending);
}

TEST_F(Journal, RowsDecidedLaterAreAddedOnceAndRecordsOfOtherSettingsAreForeign) {
  Results results;
  for (int t = 0; t < 2; ++t) {
    TrialRecord row;
    row.trial = t;
    row.seed = 10 + t;
    row.settings = {{"lr", 0.1 * (t + 1)}};
    results.trials.push_back(row);
  }
  TrialRecord added;  // an adaptive sampler's next trial, journaled when decided
  added.trial = 2;
  added.seed = 12;
  added.settings = {{"lr", 0.3}};
  TrialRecord done = finished(2, 0.5);
  done.seed = 12;
  done.settings = {{"lr", 0.3}};
  TrialRecord again = added;  // the same pending row, still in a sealed journal the file already took
  TrialRecord other = finished(0, 0.1);
  other.seed = 10;
  other.settings = {{"lr", 0.9}};  // trial 0's seed, another sweep's settings
  JournalContents j;
  j.records = {encode_record(added), encode_record(done), encode_record(again), encode_record(other)};
  EXPECT_EQ(merge_journal(results, j), 1);
  ASSERT_EQ(results.trials.size(), 3u);
  EXPECT_EQ(results.trials[2].status, search::TrialStatus::kOk);
  EXPECT_EQ(results.trials[2].best_val_loss, 0.5);
  EXPECT_EQ(results.trials[0].status, search::TrialStatus::kPending);
  EXPECT_EQ(j.foreign_records, 1) << "only the record of other settings is foreign; the repeated row is not";
}

TEST_F(Journal, SealSetsTheRecordsAsideAndReadJournalsGivesThemFirst) {
  const std::string results = (dir_ / "r.h5").string();
  ASSERT_EQ(journal_path(results), path_);
  {
    JournalWriter writer(path_);
    writer.append(encode_record(finished(0, 1.0)));
    writer.append(encode_record(finished(1, 2.0)));
    writer.seal(sealed_journal_path(results));
    writer.append(encode_record(finished(2, 3.0)));
  }
  EXPECT_EQ(read_journal(sealed_journal_path(results)).records.size(), 2u);
  EXPECT_EQ(read_journal(path_).records.size(), 1u) << "the writer went on in a new file";
  const JournalContents both = read_journals(results);
  ASSERT_EQ(both.records.size(), 3u);
  for (int t = 0; t < 3; ++t) EXPECT_EQ(decode_record(both.records[t]).trial, t) << "sealed records come first";
}

}  // namespace
}  // namespace hpsweep::store
