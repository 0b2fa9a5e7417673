// Loads one CSV file with hpsweep's reader (target: the last column) and prints one line: its
// shape, size, wall time, MB/s and the process's peak RSS. bench/csv_vs_pandas.py runs it against
// pandas.read_csv on the same file.
//
//   build/release/bench/csv_load data.csv
//   csv_load: 1000000 rows x 100 features, 1150.3 MB in 3.21 s (358 MB/s), peak RSS 812 MiB
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "hpsweep/data/csv_reader.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: csv_load <file.csv>   (the target is the last column)\n");
    return 2;
  }
  const std::string path = argv[1];
  try {
    const auto start = std::chrono::steady_clock::now();
    const hpsweep::data::Dataset d = hpsweep::data::read_csv(path, {});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);  // ru_maxrss: KiB on Linux
    std::printf("csv_load: %lld rows x %lld features, %.1f MB in %.2f s (%.0f MB/s), peak RSS %.0f MiB\n",
                static_cast<long long>(d.num_samples()), static_cast<long long>(d.num_features()), mb, seconds,
                mb / seconds, static_cast<double>(usage.ru_maxrss) / 1024.0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "csv_load: %s\n", e.what());
    return 1;
  }
  return 0;
}
