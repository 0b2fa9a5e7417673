// The sweep-file reader on arbitrary text, in both modes (a new sweep, a results file's stored one).
#include <cstddef>
#include <cstdint>
#include <string>

#include "hpsweep/core/error.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/search/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const auto mode : {hpsweep::search::ParseMode::kNew, hpsweep::search::ParseMode::kStored}) {
    try {
      const hpsweep::search::SweepSpec spec = hpsweep::search::parse_sweep(text, "fuzz.yaml", mode);
      if (hpsweep::search::num_trials(spec) <= 1000) (void)hpsweep::search::make_plan(spec);
    } catch (const hpsweep::core::Error&) {
    }
  }
  return 0;
}
