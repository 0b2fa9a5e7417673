#include "hpsweep/store/record_codec.hpp"

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/wire.hpp"
#include "hpsweep/search/trial_codec.hpp"

namespace hpsweep::store {
namespace wire = core::wire;

std::vector<std::byte> encode_record(const TrialRecord& r) {
  wire::Writer w;
  w.put<std::int32_t>(r.trial).put<std::int32_t>(r.config).put<std::int32_t>(r.repeat).put(r.seed);
  w.put(static_cast<std::uint8_t>(r.status)).put(r.best_val_loss).put<std::int32_t>(r.best_epoch);
  w.put(r.final_train_loss).put(r.final_val_loss).put(r.best_val_metric).put(r.test_loss).put(r.test_metric);
  w.put<std::int32_t>(r.epochs_run).put<std::int32_t>(r.rung).put<std::int32_t>(r.epochs_trained).put(r.seconds).put<std::int32_t>(r.rank).put(r.message);
  w.put(r.curve.train_loss).put(r.curve.val_loss).put(r.curve.val_metric);
  // Appended in later versions, so that the records of earlier ones still decode: the test split
  // at best_epoch, then the trial's settings (a record says which trial of which sweep it is).
  w.put(r.best_test_loss).put(r.best_test_metric);
  search::put_assignment(w, r.settings);
  // Then a program sweep's ranked metric and the metrics it reported under other names.
  w.put(r.best_metric).put(r.final_metric).put<std::uint32_t>(static_cast<std::uint32_t>(r.curve.reported.size()));
  for (const ReportedCurve& c : r.curve.reported) w.put(c.name).put(c.values);
  return w.take();
}

TrialRecord decode_record(const std::vector<std::byte>& bytes) {
  wire::Reader in(bytes);
  TrialRecord r;
  r.trial = in.get<std::int32_t>();
  r.config = in.get<std::int32_t>();
  r.repeat = in.get<std::int32_t>();
  r.seed = in.get<std::uint64_t>();
  r.status = static_cast<search::TrialStatus>(in.get<std::uint8_t>());
  r.best_val_loss = in.get<double>();
  r.best_epoch = in.get<std::int32_t>();
  r.final_train_loss = in.get<double>();
  r.final_val_loss = in.get<double>();
  r.best_val_metric = in.get<double>();
  r.test_loss = in.get<double>();
  r.test_metric = in.get<double>();
  r.epochs_run = in.get<std::int32_t>();
  r.rung = in.get<std::int32_t>();
  r.epochs_trained = in.get<std::int32_t>();
  r.seconds = in.get<double>();
  r.rank = in.get<std::int32_t>();
  r.message = in.get_string();
  r.curve.train_loss = in.get_doubles();
  r.curve.val_loss = in.get_doubles();
  r.curve.val_metric = in.get_doubles();
  if (!in.at_end()) {  // records written before the test split was scored at best_epoch end here
    r.best_test_loss = in.get<double>();
    r.best_test_metric = in.get<double>();
  }
  if (!in.at_end()) r.settings = search::get_assignment(in);  // before settings travelled with records: none
  if (!in.at_end()) {  // before program sweeps: none
    r.best_metric = in.get<double>();
    r.final_metric = in.get<double>();
    const auto curves = in.get<std::uint32_t>();
    // Each curve takes at least its two length words: a count the bytes cannot hold is refused
    // before anything is reserved for it.
    if (curves > in.remaining() / 16) throw core::Error("truncated message between ranks: a record claims more reported curves than it holds", core::ExitCode::kInternal);
    r.curve.reported.resize(curves);
    for (ReportedCurve& c : r.curve.reported) {
      c.name = in.get_string();
      c.values = in.get_doubles();
    }
  }
  return r;
}

namespace {
constexpr std::int32_t kDecisionMark = -1;
}  // namespace

std::vector<std::byte> encode_decision(const RungDecision& d) {
  wire::Writer w;
  w.put(kDecisionMark).put<std::int32_t>(d.trial).put<std::int32_t>(d.rung).put(d.value);
  w.put<std::uint8_t>(d.stop ? 1 : 0);
  return w.take();
}

bool is_decision(const std::vector<std::byte>& bytes) noexcept {
  std::int32_t first = 0;
  if (bytes.size() < sizeof first) return false;
  std::memcpy(&first, bytes.data(), sizeof first);
  return first == kDecisionMark;
}

RungDecision decode_decision(const std::vector<std::byte>& bytes) {
  wire::Reader in(bytes);
  (void)in.get<std::int32_t>();
  RungDecision d;
  d.trial = in.get<std::int32_t>();
  d.rung = in.get<std::int32_t>();
  d.value = in.get<double>();
  d.stop = in.get<std::uint8_t>() != 0;
  return d;
}

}  // namespace hpsweep::store
