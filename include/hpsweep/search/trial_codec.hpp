#pragma once
/// Trials and their settings as bytes (core/wire.hpp): how a trial's settings travel from the
/// coordinator to a worker in the assignment, and sit in journal records, so that no worker needs
/// a plan of its own and a record can be checked against the sweep it claims to belong to.

#include "hpsweep/core/wire.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::search {

/// Most settings an encoded assignment may hold (the settings table has 16; a crafted count is refused).
inline constexpr std::uint64_t kMaxEncodedSettings = 1024;

/// Appends `assignment`: a count, then per setting its name, a kind byte and the value.
void put_assignment(core::wire::Writer& out, const Assignment& assignment);
/// Reads what put_assignment wrote; throws core::Error (truncated or unknown kind) on anything else.
[[nodiscard]] Assignment get_assignment(core::wire::Reader& in);

/// One trial: its index, configuration, repeat, seed and settings.
[[nodiscard]] core::wire::Bytes encode_trial(const Trial& trial);
/// Throws core::Error on a truncated or malformed message (and on bytes left over).
[[nodiscard]] Trial decode_trial(const core::wire::Bytes& bytes);

}  // namespace hpsweep::search
