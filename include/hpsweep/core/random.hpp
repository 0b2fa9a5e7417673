#pragma once
/// Seeded random numbers with a fixed, documented algorithm, so that a trial's numbers depend only
/// on its seed and never on the standard library's implementation or on thread scheduling.

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace hpsweep::core {

/// SplitMix64 finalizer: a bijective mix of 64 bits (Steele, Lea, Flood 2014).
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Derives an independent stream seed from a base seed and a path of integers, e.g.
/// derive_seed(trial_seed, {epoch, step, shard}). Order of the parts matters.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t base,
                                                  std::initializer_list<std::uint64_t> parts) noexcept {
  std::uint64_t h = mix64(base);
  for (std::uint64_t p : parts) h = mix64(h ^ mix64(p + 0x632be59bd9b4e019ULL));
  return h;
}

/// xoshiro256** 1.0 (Blackman, Vigna): small, fast, good statistical quality.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept {
    std::uint64_t x = seed;
    for (auto& s : state_) {
      x = mix64(x);
      s = x;
    }
  }

  /// Next 64 random bits.
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform float in [0, 1) with 24 random bits (cheaper, for dropout masks).
  float uniform_float() noexcept { return static_cast<float>(next() >> 40) * 0x1.0p-24f; }

  /// Uniform integer in [0, n) without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t n) noexcept {
    __uint128_t m = static_cast<__uint128_t>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<__uint128_t>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// Standard normal deviate (Box-Muller; one value per call, the twin discarded for simplicity).
  double normal() noexcept {
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t state_[4];
};

/// Fisher-Yates shuffle driven by Rng (std::shuffle's algorithm is implementation-defined).
template <typename Container>
void shuffle(Container& items, Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng.below(i));
    using std::swap;
    swap(items[i - 1], items[j]);
  }
}

}  // namespace hpsweep::core
