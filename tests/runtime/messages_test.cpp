// Every payload that crosses ranks: each round-trips, and a payload cut short or carrying bytes
// left over is refused (core::Error), never read as zeros. A rank that reads garbage as a trial
// index or a slot count would corrupt a sweep silently; a refused message stops it loudly.

#include "hpsweep/runtime/messages.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/wire.hpp"
#include "hpsweep/search/trial_codec.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::runtime {
namespace {

constexpr int kIntMin = std::numeric_limits<std::int32_t>::min();
constexpr int kIntMax = std::numeric_limits<std::int32_t>::max();

/// Doubles compared by their bits: NaN == NaN, and -0.0 != 0.0, as a byte codec must keep them.
std::uint64_t bits(double value) { return std::bit_cast<std::uint64_t>(value); }

std::vector<std::uint64_t> bits(const std::vector<double>& values) {
  std::vector<std::uint64_t> out;
  for (double v : values) out.push_back(bits(v));
  return out;
}

Bytes prefix(const Bytes& bytes, std::size_t size) {
  return Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
}

/// Every proper prefix of `encoded`, the empty one included, must throw core::Error.
template <typename Decode>
void expect_every_prefix_throws(const Bytes& encoded, Decode decode) {
  ASSERT_FALSE(encoded.empty());
  for (std::size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_THROW((void)decode(prefix(encoded, size)), core::Error) << "prefix of " << size << " of " << encoded.size() << " bytes";
  }
}

/// One byte, a zero byte and a whole second copy after a valid payload must all be refused.
template <typename Decode>
void expect_trailing_bytes_throw(const Bytes& encoded, Decode decode) {
  ASSERT_NO_THROW((void)decode(encoded));
  Bytes one_more = encoded;
  one_more.push_back(std::byte{0});
  EXPECT_THROW((void)decode(one_more), core::Error) << "one zero byte left over";
  Bytes twice = encoded;
  twice.insert(twice.end(), encoded.begin(), encoded.end());
  EXPECT_THROW((void)decode(twice), core::Error) << "a second message left over";
}

Bytes some_bytes(std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::byte>((i * 131 + 7) & 0xff);
  return out;
}

// --- Tag::kReady ------------------------------------------------------------------------------

TEST(ReadyMessage, RoundTripsSlotsAndHost) {
  const std::string with_nul_and_utf8 = std::string("node\0-7", 7) + "\xc3\xa9";
  for (int slots : {0, 1, 64, -1, kIntMin, kIntMax}) {
    for (const std::string& host : {std::string(), std::string("node-01.cluster"), std::string(100'000, 'h'), with_nul_and_utf8}) {
      const ReadyMessage sent{slots, host};
      EXPECT_EQ(decode_ready(encode_ready(sent)), sent) << slots << " on a host of " << host.size() << " bytes";
    }
  }
}

TEST(ReadyMessage, KeepsTheLayoutWorkersHaveAlwaysSent) {
  // Hand-built messages (coordinator_test.cpp) and older workers use this layout.
  EXPECT_EQ(encode_ready({3, "h"}), core::wire::Writer().put<std::int32_t>(3).put(std::string("h")).take());
}

TEST(ReadyMessage, EveryTruncationThrows) {
  expect_every_prefix_throws(encode_ready({4, "node-01"}), decode_ready);
  expect_every_prefix_throws(encode_ready({4, ""}), decode_ready);
}

TEST(ReadyMessage, BytesLeftOverThrow) {
  expect_trailing_bytes_throw(encode_ready({4, "node-01"}), decode_ready);
  expect_trailing_bytes_throw(encode_ready({0, ""}), decode_ready);
}

TEST(ReadyMessage, AHostLengthLargerThanThePayloadThrowsWithoutAllocating) {
  const Bytes crafted = core::wire::Writer().put<std::int32_t>(1).put<std::uint64_t>(~std::uint64_t{0}).take();
  EXPECT_THROW((void)decode_ready(crafted), core::Error);
}

// --- Tag::kAssign -----------------------------------------------------------------------------

TEST(AssignMessage, RoundTripsTrialEpochsAndTrialBytes) {
  for (int trial : {0, 7, -1, kIntMin, kIntMax}) {
    for (int epochs : {0, 30, -5, kIntMax}) {
      for (const Bytes& trial_bytes : {Bytes{}, Bytes{std::byte{0}}, some_bytes(70'000)}) {
        const AssignMessage sent{trial, epochs, trial_bytes};
        EXPECT_EQ(decode_assign(encode_assign(sent)), sent) << trial << " to " << epochs << " with " << trial_bytes.size() << " bytes";
      }
    }
  }
}

TEST(AssignMessage, CarriesAnEncodedTrialIntact) {
  search::Trial trial;
  trial.index = 12;
  trial.config = 3;
  trial.repeat = 1;
  trial.seed = 0xfeedfacecafebeefULL;
  trial.settings = {{"lr", 0.001}, {"batch_size", 32LL}, {"activation", std::string("relu")}, {"nesterov", true}};
  const AssignMessage received = decode_assign(encode_assign({12, 0, search::encode_trial(trial)}));
  const search::Trial decoded = search::decode_trial(received.trial_bytes);
  EXPECT_EQ(decoded.index, 12);
  EXPECT_EQ(decoded.seed, trial.seed);
  EXPECT_EQ(decoded.settings, trial.settings);
}

TEST(AssignMessage, KeepsTheLayoutTheCoordinatorHasAlwaysSent) {
  const Bytes block = some_bytes(5);
  EXPECT_EQ(encode_assign({9, 4, block}), core::wire::Writer().put<std::int32_t>(9).put<std::int32_t>(4).put(block).take());
}

TEST(AssignMessage, EveryTruncationThrows) {
  expect_every_prefix_throws(encode_assign({5, 10, some_bytes(33)}), decode_assign);
  expect_every_prefix_throws(encode_assign({5, 10, Bytes{}}), decode_assign);
}

TEST(AssignMessage, BytesLeftOverThrow) {
  expect_trailing_bytes_throw(encode_assign({5, 10, some_bytes(33)}), decode_assign);
  expect_trailing_bytes_throw(encode_assign({0, 0, Bytes{}}), decode_assign);
}

// --- Tag::kRung -------------------------------------------------------------------------------

TEST(RungMessage, RoundTripsEveryValueBitForBit) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const double values[] = {0.0, -0.0, 0.125, -3.5e300, nan, -nan, inf, -inf,
                           std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::lowest()};
  for (int trial : {0, -1, kIntMin, kIntMax}) {
    for (int rung : {0, 3, -1, kIntMax}) {
      for (double value : values) {
        const RungMessage received = decode_rung(encode_rung({trial, rung, value}));
        EXPECT_EQ(received.trial, trial);
        EXPECT_EQ(received.rung, rung);
        EXPECT_EQ(bits(received.value), bits(value)) << value;
      }
    }
  }
  EXPECT_TRUE(std::isnan(decode_rung(encode_rung({1, 0, nan})).value));
}

TEST(RungMessage, KeepsTheLayoutWorkersHaveAlwaysSent) {
  EXPECT_EQ(encode_rung({2, 1, 0.5}), core::wire::Writer().put<std::int32_t>(2).put<std::int32_t>(1).put<double>(0.5).take());
}

TEST(RungMessage, EveryTruncationThrows) {
  expect_every_prefix_throws(encode_rung({5, 2, 0.75}), decode_rung);
}

TEST(RungMessage, BytesLeftOverThrow) {
  expect_trailing_bytes_throw(encode_rung({5, 2, 0.75}), decode_rung);
}

// --- Tag::kVerdict ----------------------------------------------------------------------------

TEST(VerdictMessage, RoundTripsTrialAndGoOn) {
  for (int trial : {0, 17, -1, kIntMin, kIntMax}) {
    for (bool go_on : {true, false}) {
      const VerdictMessage sent{trial, go_on};
      EXPECT_EQ(decode_verdict(encode_verdict(sent)), sent) << trial << " " << go_on;
    }
  }
}

TEST(VerdictMessage, AnyNonzeroGoOnByteMeansGoOn) {
  // Workers have always read the byte as "!= 0"; the decoder keeps that.
  const Bytes two = core::wire::Writer().put<std::int32_t>(4).put<std::uint8_t>(2).take();
  EXPECT_TRUE(decode_verdict(two).go_on);
  EXPECT_EQ(encode_verdict({4, true}), core::wire::Writer().put<std::int32_t>(4).put<std::uint8_t>(1).take());
  EXPECT_EQ(encode_verdict({4, false}), core::wire::Writer().put<std::int32_t>(4).put<std::uint8_t>(0).take());
}

TEST(VerdictMessage, EveryTruncationThrows) {
  expect_every_prefix_throws(encode_verdict({5, true}), decode_verdict);
  expect_every_prefix_throws(encode_verdict({5, false}), decode_verdict);
}

TEST(VerdictMessage, BytesLeftOverThrow) {
  expect_trailing_bytes_throw(encode_verdict({5, true}), decode_verdict);
}

// --- Across kinds -----------------------------------------------------------------------------

TEST(Messages, APayloadOfAnotherKindIsRefused) {
  // A rung question (16 bytes) read as a verdict (5) leaves bytes over; a verdict read as a rung
  // question is short. Neither is silently taken for the other.
  EXPECT_THROW((void)decode_verdict(encode_rung({1, 2, 0.5})), core::Error);
  EXPECT_THROW((void)decode_rung(encode_verdict({1, true})), core::Error);
  EXPECT_THROW((void)decode_ready(encode_rung({1, 2, 0.5})), core::Error);
  EXPECT_THROW((void)decode_assign(encode_ready({1, "host"})), core::Error);
}

// --- Tag::kResult: store::TrialRecord ---------------------------------------------------------

store::TrialRecord full_record() {
  store::TrialRecord r;
  r.trial = 7;
  r.config = 3;
  r.repeat = 2;
  r.seed = 0xdeadbeefcafef00dULL;
  r.status = search::TrialStatus::kPaused;
  r.settings = {{"lr", 0.001}, {"batch_size", 32LL}, {"activation", std::string("relu")}, {"nesterov", true}};
  r.best_val_loss = 0.25;
  r.best_epoch = 5;
  r.final_train_loss = 0.125;
  r.final_val_loss = 0.375;
  r.best_val_metric = 0.875;
  r.test_loss = 0.3;
  r.test_metric = 0.8;
  r.best_test_loss = 0.31;
  r.best_test_metric = -0.0;
  r.epochs_run = 6;
  r.rung = 1;
  r.epochs_trained = 4;
  r.seconds = 12.5;
  r.rank = 3;
  r.message = "diverged at epoch 4";
  r.curve.train_loss = {1.0, 0.5, 0.25, 0.2, 0.15, 0.125};
  r.curve.val_loss = {1.1, 0.6, std::numeric_limits<double>::quiet_NaN(), 0.3, 0.28, 0.375};
  r.curve.val_metric = {0.5, 0.6, 0.7, std::numeric_limits<double>::infinity(), 0.85, 0.875};
  // A program sweep's fields (appended last).
  r.best_metric = 0.0625;
  r.final_metric = std::numeric_limits<double>::quiet_NaN();
  r.curve.reported = {{"epoch", {1, 2, 3, 4, 5, 6}}, {"grad.norm", {9, 8, std::nan(""), 6, 5, 4}}};
  return r;
}

/// Every field but the ones appended in later versions (best_test_*, settings).
void expect_same_fixed_fields(const store::TrialRecord& got, const store::TrialRecord& want) {
  EXPECT_EQ(got.trial, want.trial);
  EXPECT_EQ(got.config, want.config);
  EXPECT_EQ(got.repeat, want.repeat);
  EXPECT_EQ(got.seed, want.seed);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(bits(got.best_val_loss), bits(want.best_val_loss));
  EXPECT_EQ(got.best_epoch, want.best_epoch);
  EXPECT_EQ(bits(got.final_train_loss), bits(want.final_train_loss));
  EXPECT_EQ(bits(got.final_val_loss), bits(want.final_val_loss));
  EXPECT_EQ(bits(got.best_val_metric), bits(want.best_val_metric));
  EXPECT_EQ(bits(got.test_loss), bits(want.test_loss));
  EXPECT_EQ(bits(got.test_metric), bits(want.test_metric));
  EXPECT_EQ(got.epochs_run, want.epochs_run);
  EXPECT_EQ(got.rung, want.rung);
  EXPECT_EQ(got.epochs_trained, want.epochs_trained);
  EXPECT_EQ(bits(got.seconds), bits(want.seconds));
  EXPECT_EQ(got.rank, want.rank);
  EXPECT_EQ(got.message, want.message);
  EXPECT_EQ(bits(got.curve.train_loss), bits(want.curve.train_loss));
  EXPECT_EQ(bits(got.curve.val_loss), bits(want.curve.val_loss));
  EXPECT_EQ(bits(got.curve.val_metric), bits(want.curve.val_metric));
}

void expect_same_record(const store::TrialRecord& got, const store::TrialRecord& want) {
  expect_same_fixed_fields(got, want);
  EXPECT_EQ(bits(got.best_test_loss), bits(want.best_test_loss));
  EXPECT_EQ(bits(got.best_test_metric), bits(want.best_test_metric));
  EXPECT_EQ(got.settings, want.settings);
  EXPECT_EQ(bits(got.best_metric), bits(want.best_metric));
  EXPECT_EQ(bits(got.final_metric), bits(want.final_metric));
  ASSERT_EQ(got.curve.reported.size(), want.curve.reported.size());
  for (std::size_t c = 0; c < want.curve.reported.size(); ++c) {
    EXPECT_EQ(got.curve.reported[c].name, want.curve.reported[c].name);
    EXPECT_EQ(bits(got.curve.reported[c].values), bits(want.curve.reported[c].values));
  }
}

/// Where a record of an earlier version ended (record_codec.cpp): after the curves (before
/// best_test_* were appended), and after best_test_* (before the settings were).
struct RecordBoundaries {
  std::size_t after_curves;
  std::size_t after_best_test;
  std::size_t after_settings;  // before program sweeps' best_metric, final_metric and reported curves
};

RecordBoundaries boundaries_of(const store::TrialRecord& r) {
  // trial, config, repeat; seed; status; best_val_loss; best_epoch; final_train_loss,
  // final_val_loss, best_val_metric, test_loss, test_metric; epochs_run, rung, epochs_trained;
  // seconds; rank.
  constexpr std::size_t kFixedFields = 3 * 4 + 8 + 1 + 8 + 4 + 5 * 8 + 3 * 4 + 8 + 4;
  const auto counted = [](std::size_t payload) { return sizeof(std::uint64_t) + payload; };
  const std::size_t after_curves = kFixedFields + counted(r.message.size()) + counted(8 * r.curve.train_loss.size()) +
                                   counted(8 * r.curve.val_loss.size()) + counted(8 * r.curve.val_metric.size());
  core::wire::Writer settings;
  search::put_assignment(settings, r.settings);
  const std::size_t after_best_test = after_curves + 2 * sizeof(double);
  return {after_curves, after_best_test, after_best_test + settings.take().size()};
}

TEST(ResultMessage, RoundTripsAFullRecord) {
  const store::TrialRecord sent = full_record();
  const Bytes encoded = store::encode_record(sent);
  // The layout the boundaries below assume: everything, the settings, then a program sweep's fields.
  std::size_t reported = 2 * sizeof(double) + sizeof(std::uint32_t);
  for (const store::ReportedCurve& c : sent.curve.reported) reported += 8 + c.name.size() + 8 + 8 * c.values.size();
  ASSERT_EQ(encoded.size(), boundaries_of(sent).after_settings + reported);
  expect_same_record(store::decode_record(encoded), sent);
}

TEST(ResultMessage, RoundTripsAnUnrunRecordAndExtremes) {
  store::TrialRecord unrun;  // NaN metrics, no curves, no message, no settings
  expect_same_record(store::decode_record(store::encode_record(unrun)), unrun);

  store::TrialRecord extreme = full_record();
  extreme.trial = kIntMax;
  extreme.config = kIntMin;
  extreme.rung = -1;
  extreme.rank = -1;
  extreme.seed = ~std::uint64_t{0};
  extreme.best_val_loss = -std::numeric_limits<double>::infinity();
  extreme.best_test_loss = std::numeric_limits<double>::quiet_NaN();
  extreme.message = std::string(50'000, 'm');
  extreme.curve.train_loss.assign(10'000, 0.5);
  extreme.settings.push_back({std::string(), std::string()});
  expect_same_record(store::decode_record(store::encode_record(extreme)), extreme);
}

TEST(ResultMessage, ACutAtAnOlderVersionsEndDecodesAsThatVersionAndAnyOtherCutThrows) {
  const store::TrialRecord sent = full_record();
  const Bytes encoded = store::encode_record(sent);
  const RecordBoundaries ends = boundaries_of(sent);
  int older_versions_read = 0;
  for (std::size_t size = 0; size < encoded.size(); ++size) {
    const Bytes cut = prefix(encoded, size);
    if (size == ends.after_curves) {
      // Written before the test split was scored at best_epoch: NaN there, no settings.
      const store::TrialRecord got = store::decode_record(cut);
      expect_same_fixed_fields(got, sent);
      EXPECT_TRUE(std::isnan(got.best_test_loss));
      EXPECT_TRUE(std::isnan(got.best_test_metric));
      EXPECT_TRUE(got.settings.empty());
      ++older_versions_read;
    } else if (size == ends.after_best_test) {
      // Written before settings travelled with records: none.
      const store::TrialRecord got = store::decode_record(cut);
      expect_same_fixed_fields(got, sent);
      EXPECT_EQ(bits(got.best_test_loss), bits(sent.best_test_loss));
      EXPECT_EQ(bits(got.best_test_metric), bits(sent.best_test_metric));
      EXPECT_TRUE(got.settings.empty());
      ++older_versions_read;
    } else if (size == ends.after_settings) {
      // Written before program sweeps: no best_metric, no reported curves.
      const store::TrialRecord got = store::decode_record(cut);
      expect_same_fixed_fields(got, sent);
      EXPECT_EQ(got.settings, sent.settings);
      EXPECT_TRUE(std::isnan(got.best_metric));
      EXPECT_TRUE(got.curve.reported.empty());
      ++older_versions_read;
    } else {
      EXPECT_THROW((void)store::decode_record(cut), core::Error) << "cut at " << size << " of " << encoded.size() << " bytes";
    }
  }
  EXPECT_EQ(older_versions_read, 3);
}

}  // namespace
}  // namespace hpsweep::runtime
