// The byte codec of messages between ranks and journal payloads: trial records and rung decisions.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/wire.hpp"
#include "hpsweep/store/record_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data), reinterpret_cast<const std::byte*>(data) + size);
  try {
    (void)hpsweep::store::decode_record(bytes);
  } catch (const hpsweep::core::Error&) {
  }
  try {
    if (hpsweep::store::is_decision(bytes)) (void)hpsweep::store::decode_decision(bytes);
  } catch (const hpsweep::core::Error&) {
  }
  try {
    hpsweep::core::wire::Reader in(bytes);
    (void)in.get<std::int32_t>();
    (void)in.get_string();
    (void)in.get_doubles();
  } catch (const hpsweep::core::Error&) {
  }
  return 0;
}
