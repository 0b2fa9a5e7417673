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

}  // namespace hpsweep::store
