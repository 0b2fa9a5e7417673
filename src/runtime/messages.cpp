#include "hpsweep/runtime/messages.hpp"

#include <cstdint>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/wire.hpp"

namespace hpsweep::runtime {
namespace {

using core::wire::Reader;
using core::wire::Writer;

/// The Reader already refuses a short payload; a long one (a message of another kind, or a
/// layout this binary does not know) is refused here, after the last field.
void expect_end(const Reader& in, const char* what) {
  if (!in.at_end()) {
    throw core::Error(std::string("bytes left over after a ") + what + " message between ranks",
                      core::ExitCode::kInternal);
  }
}

}  // namespace

Bytes encode_ready(const ReadyMessage& message) {
  return Writer().put<std::int32_t>(message.slots).put(message.host).take();
}

ReadyMessage decode_ready(const Bytes& payload) {
  Reader in(payload);
  ReadyMessage message;
  message.slots = in.get<std::int32_t>();
  message.host = in.get_string();
  expect_end(in, "ready");
  return message;
}

Bytes encode_assign(const AssignMessage& message) {
  return Writer().put<std::int32_t>(message.trial).put<std::int32_t>(message.epochs).put(message.trial_bytes).take();
}

AssignMessage decode_assign(const Bytes& payload) {
  Reader in(payload);
  AssignMessage message;
  message.trial = in.get<std::int32_t>();
  message.epochs = in.get<std::int32_t>();
  message.trial_bytes = in.get_bytes();
  expect_end(in, "assign");
  return message;
}

Bytes encode_rung(const RungMessage& message) {
  return Writer().put<std::int32_t>(message.trial).put<std::int32_t>(message.rung).put<double>(message.value).take();
}

RungMessage decode_rung(const Bytes& payload) {
  Reader in(payload);
  RungMessage message;
  message.trial = in.get<std::int32_t>();
  message.rung = in.get<std::int32_t>();
  message.value = in.get<double>();
  expect_end(in, "rung");
  return message;
}

Bytes encode_verdict(const VerdictMessage& message) {
  return Writer().put<std::int32_t>(message.trial).put<std::uint8_t>(message.go_on ? 1 : 0).take();
}

VerdictMessage decode_verdict(const Bytes& payload) {
  Reader in(payload);
  VerdictMessage message;
  message.trial = in.get<std::int32_t>();
  message.go_on = in.get<std::uint8_t>() != 0;
  expect_end(in, "verdict");
  return message;
}

}  // namespace hpsweep::runtime
