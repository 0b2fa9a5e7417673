// The HDF5 data reader on arbitrary bytes (X and y, the target optional).
#include "fuzz_file.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/data/hdf5_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz_file(data, size);
  for (const bool optional : {false, true}) {
    try {
      hpsweep::data::Hdf5Options options;
      options.target_optional = optional;
      (void)hpsweep::data::read_hdf5(path, options);
    } catch (const hpsweep::core::Error&) {
    }
  }
  return 0;
}
