// Loads one CSV file with hpsweep's reader (target: the last column) and prints one line: its
// shape, size, wall time, MB/s and the process's peak RSS. With --coded, the features are read as
// DecimalCodes (4 bytes each, as a float32 sweep holds a CSV of short decimals until it
// standardizes it) and the line also says how many values needed the side table.
// bench/csv_vs_pandas.py runs both against pandas.read_csv on the same file.
//
//   build/release/bench/csv_load [--coded] data.csv
//   csv_load: 1000000 rows x 100 features, 1150.3 MB in 3.21 s (358 MB/s), peak RSS 812 MiB
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "hpsweep/data/csv_reader.hpp"

namespace {

/// The shape of the file's data set, read as float64 or as codes.
struct Shape {
  long long rows = 0;
  long long features = 0;
};

template <typename Dataset>
Shape shape_of(const Dataset& d) {
  return {static_cast<long long>(d.num_samples()), static_cast<long long>(d.num_features())};
}

}  // namespace

int main(int argc, char** argv) {
  const bool coded = argc == 3 && std::string(argv[1]) == "--coded";
  if (argc != 2 && !coded) {
    std::fprintf(stderr, "usage: csv_load [--coded] <file.csv>   (the target is the last column)\n");
    return 2;
  }
  const std::string path = argv[argc - 1];
  try {
    const auto start = std::chrono::steady_clock::now();
    hpsweep::data::DecimalCodes codes;
    const Shape d = coded ? shape_of(hpsweep::data::read_csv_coded(path, {}, codes))
                          : shape_of(hpsweep::data::read_csv(path, {}));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);  // ru_maxrss: KiB on Linux
    std::printf("csv_load: %lld rows x %lld features, %.1f MB in %.2f s (%.0f MB/s), peak RSS %.0f MiB", d.rows,
                d.features, mb, seconds, mb / seconds, static_cast<double>(usage.ru_maxrss) / 1024.0);
    if (coded) std::printf(", %zu values in the side table", codes.side_table_size());
    std::printf("\n");
  } catch (const hpsweep::data::DecimalCodes::NotCompact&) {
    std::fprintf(stderr, "csv_load: %s is not short decimals (more than one value in 16 needs the side table)\n",
                 path.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "csv_load: %s\n", e.what());
    return 1;
  }
  return 0;
}
