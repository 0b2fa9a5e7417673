// The CSV reader on arbitrary text, with the target last, named, and optional.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hpsweep/core/error.hpp"
#include "hpsweep/data/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  hpsweep::data::CsvOptions named;
  named.target = "y";
  hpsweep::data::CsvOptions optional = named;
  optional.target_optional = true;
  for (const auto& options : {hpsweep::data::CsvOptions{}, named, optional}) {
    try {
      (void)hpsweep::data::parse_csv(text, "fuzz.csv", options);
    } catch (const hpsweep::core::Error&) {
    }
  }
  return 0;
}
