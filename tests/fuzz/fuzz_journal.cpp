// The journal reader on arbitrary bytes, and its records merged into a small sweep's results.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/store/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data), reinterpret_cast<const std::byte*>(data) + size);
  for (const std::uint64_t identity : {std::uint64_t{0}, std::uint64_t{42}}) {
    hpsweep::store::JournalContents journal = hpsweep::store::parse_journal(bytes, identity);
    hpsweep::store::Results results;
    results.trials.resize(4);
    for (int t = 0; t < 4; ++t) results.trials[static_cast<std::size_t>(t)].trial = t;
    try {
      (void)hpsweep::store::merge_journal(results, journal);
    } catch (const hpsweep::core::Error&) {
    }
  }
  return 0;
}
