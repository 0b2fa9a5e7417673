#pragma once
/// The payloads of the messages between the coordinator and workers (see Tag in transport.hpp),
/// one struct and one encode/decode pair per tag that carries one, so that the byte layout of
/// each message is written in one place and tested on its own (tests/runtime/messages_test.cpp).
/// Tag::kStop and Tag::kAlive carry nothing; Tag::kResult carries a store::TrialRecord
/// (store::encode_record / store::decode_record, which the journal shares).
///
/// Every decode_* throws core::Error (internal) on a truncated payload (core::wire::Reader does)
/// and on bytes left over after the last field: a payload of the wrong kind or length is refused,
/// never read as zeros or half-read.

#include <string>

#include "hpsweep/runtime/transport.hpp"

namespace hpsweep::runtime {

/// Tag::kReady, worker -> coordinator: it runs up to `slots` trials at once, on host `host`.
struct ReadyMessage {
  int slots = 0;
  std::string host;
  friend bool operator==(const ReadyMessage&, const ReadyMessage&) = default;
};
[[nodiscard]] Bytes encode_ready(const ReadyMessage& message);
[[nodiscard]] ReadyMessage decode_ready(const Bytes& payload);

/// Tag::kAssign, coordinator -> worker: train `trial` to epoch `epochs` (0: fully); `trial_bytes`
/// is the trial as CoordinatorEvents::describe gave it (search::encode_trial), possibly empty.
struct AssignMessage {
  int trial = 0;
  int epochs = 0;
  Bytes trial_bytes;
  friend bool operator==(const AssignMessage&, const AssignMessage&) = default;
};
[[nodiscard]] Bytes encode_assign(const AssignMessage& message);
[[nodiscard]] AssignMessage decode_assign(const Bytes& payload);

/// Tag::kRung, worker -> coordinator: running `trial` reached rung `rung` with `value` (may be
/// NaN or infinite: a diverging trial still asks). No operator==: NaN would never compare equal.
struct RungMessage {
  int trial = 0;
  int rung = 0;
  double value = 0.0;
};
[[nodiscard]] Bytes encode_rung(const RungMessage& message);
[[nodiscard]] RungMessage decode_rung(const Bytes& payload);

/// Tag::kVerdict, coordinator -> worker: whether `trial` goes on after the rung it asked about.
struct VerdictMessage {
  int trial = 0;
  bool go_on = true;
  friend bool operator==(const VerdictMessage&, const VerdictMessage&) = default;
};
[[nodiscard]] Bytes encode_verdict(const VerdictMessage& message);
/// Any nonzero go-on byte means go on (as the coordinator's workers have always read it).
[[nodiscard]] VerdictMessage decode_verdict(const Bytes& payload);

}  // namespace hpsweep::runtime
