// The results-file reader on arbitrary bytes.
#include "fuzz_file.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/store/results.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)hpsweep::store::read_results_file(fuzz_file(data, size));
  } catch (const hpsweep::core::Error&) {
  }
  return 0;
}
