// The machine's single-precision FMA peak, per core: the denominator of "% of peak" in
// bench/shapes_vs_torch.py. Independent fused multiply-adds on the widest vectors the build has
// (AVX-512, else AVX2), enough chains to cover the FMA latency of two pipes, no memory traffic. Prints the best of several timed runs, one thread per requested
// thread count, as `fma_peak: <threads> thread(s) <GFLOP/s> GFLOP/s total, <per thread> per thread`.
//
//   build/release/bench/fma_peak [threads...]     (default: 1)

#include <immintrin.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

#if defined(__AVX512F__)
using Vec = __m512;
constexpr int kLanes = 16;
inline Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline Vec broadcast(float v) { return _mm512_set1_ps(v); }
inline float first_lane(Vec v) { return _mm512_cvtss_f32(v); }
#elif defined(__FMA__)
using Vec = __m256;
constexpr int kLanes = 8;
inline Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline Vec broadcast(float v) { return _mm256_set1_ps(v); }
inline float first_lane(Vec v) { return _mm256_cvtss_f32(v); }
#else
#error "fma_peak needs FMA (build with -march=native on a machine that has it)"
#endif

constexpr long kIterations = 100'000'000;
constexpr double kFlopsPerRun = double(kIterations) * 12 * kLanes * 2;  // 12 FMAs of kLanes, 2 flops each

/// Twelve independent chains (FMA latency 4 x 2 pipes, with slack), in registers, no memory.
float run_fmas(float seed) {
  const Vec a = broadcast(0.999999f), b = broadcast(1e-7f);
  Vec x0 = broadcast(seed), x1 = broadcast(seed + 1), x2 = broadcast(seed + 2), x3 = broadcast(seed + 3);
  Vec x4 = broadcast(seed + 4), x5 = broadcast(seed + 5), x6 = broadcast(seed + 6), x7 = broadcast(seed + 7);
  Vec x8 = broadcast(seed + 8), x9 = broadcast(seed + 9), x10 = broadcast(seed + 10), x11 = broadcast(seed + 11);
  for (long it = 0; it < kIterations; ++it) {
    x0 = fma(x0, a, b); x1 = fma(x1, a, b); x2 = fma(x2, a, b); x3 = fma(x3, a, b);
    x4 = fma(x4, a, b); x5 = fma(x5, a, b); x6 = fma(x6, a, b); x7 = fma(x7, a, b);
    x8 = fma(x8, a, b); x9 = fma(x9, a, b); x10 = fma(x10, a, b); x11 = fma(x11, a, b);
  }
  return first_lane(x0) + first_lane(x1) + first_lane(x2) + first_lane(x3) + first_lane(x4) + first_lane(x5) +
         first_lane(x6) + first_lane(x7) + first_lane(x8) + first_lane(x9) + first_lane(x10) + first_lane(x11);
}

double measure(int threads) {
  double best = 0.0;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    std::vector<float> sinks(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) pool.emplace_back([t, &sinks] { sinks[static_cast<std::size_t>(t)] = run_fmas(float(t + 1)); });
    for (auto& th : pool) th.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sinks[0] == 42.0f) std::puts("");  // the results are used
    const double gflops = double(threads) * kFlopsPerRun / seconds / 1e9;
    if (gflops > best) best = gflops;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> counts;
  for (int i = 1; i < argc; ++i) counts.push_back(std::atoi(argv[i]));
  if (counts.empty()) counts.push_back(1);
  for (int threads : counts) {
    if (threads < 1) {
      std::fprintf(stderr, "fma_peak: thread counts must be positive\n");
      return 2;
    }
    const double total = measure(threads);
    std::printf("fma_peak: %d thread(s) %.1f GFLOP/s total, %.1f per thread\n", threads, total, total / threads);
  }
  return 0;
}
