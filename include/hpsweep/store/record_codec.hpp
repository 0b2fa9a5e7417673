#pragma once
/// A trial record as bytes: what a worker sends to the coordinator and what the journal keeps.
/// Settings are not encoded: the plan has them. All ranks run the same binary on the same kind of
/// machine, so values are in native byte order.

#include <cstddef>
#include <vector>

#include "hpsweep/store/results.hpp"

namespace hpsweep::store {

[[nodiscard]] std::vector<std::byte> encode_record(const TrialRecord& record);
/// Throws core::Error (internal) on a truncated encoding.
[[nodiscard]] TrialRecord decode_record(const std::vector<std::byte>& bytes);

/// An asha or median verdict on a running trial at a rung, journaled so that a resumed sweep
/// gives a rerun trial the verdicts it had (its final record implies them once it finishes).
struct RungDecision {
  int trial = 0;
  int rung = 0;        ///< index into the rung epochs
  double value = 0.0;  ///< the ranked metric it reached there
  bool stop = false;
};

/// Encoded with a leading int32 -1, which no trial record has (they start with their index).
[[nodiscard]] std::vector<std::byte> encode_decision(const RungDecision& decision);
[[nodiscard]] bool is_decision(const std::vector<std::byte>& bytes) noexcept;
[[nodiscard]] RungDecision decode_decision(const std::vector<std::byte>& bytes);

}  // namespace hpsweep::store
