// A program sweep's stand-in trial for bench/program_overhead.sh: prints its start time, then
// REPORTS report lines of five fields as fast as it can, then its end time, and exits. The gap
// between one trial's end and the next one's start is hpsweep's overhead per trial; the time the
// reports take under hpsweep against writing them to /dev/null is its cost per report line.
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {
long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  const long long start = now_ns();
  long reports = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::sscanf(argv[i], "--reports=%ld", &reports) == 1) continue;
  }
  std::printf("{\"start_ns\": %lld}\n", start);
  for (long s = 1; s <= reports; ++s) {
    std::printf("{\"step\": %ld, \"loss\": %.17g, \"accuracy\": %.17g, \"lr\": 0.001, \"grad_norm\": %.17g}\n", s,
                1.0 / static_cast<double>(s), 1.0 - 1.0 / static_cast<double>(s + 1), 0.5 + 1e-6 * static_cast<double>(s));
  }
  std::printf("{\"end_ns\": %lld}\n", now_ns());
  return 0;
}
