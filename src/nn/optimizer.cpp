#include "hpsweep/nn/optimizer.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "hpsweep/core/error.hpp"

namespace hpsweep::nn {
namespace {

[[noreturn]] void unknown_optimizer(OptimizerKind kind) {
  throw core::Error("unknown optimizer " + std::to_string(static_cast<int>(kind)), core::ExitCode::kInternal);
}

/// Length of the second-moment vector: Adam keeps one per parameter, SGD none.
Eigen::Index second_moment_size(OptimizerKind kind, Eigen::Index size) {
  switch (kind) {
    case OptimizerKind::kAdam: return size;
    case OptimizerKind::kSgd: return 0;
  }
  unknown_optimizer(kind);
}

}  // namespace

template <typename Scalar>
Optimizer<Scalar>::Optimizer(const TrainConfig& config, Eigen::Index size)
    : config_(config), first_(Vector::Zero(size)), second_(Vector::Zero(second_moment_size(config.optimizer, size))) {}

template <typename Scalar>
void Optimizer<Scalar>::step(Vector& params, const Vector& gradient) {
  ++steps_;
  const auto lr = static_cast<Scalar>(config_.lr);
  const auto decay = static_cast<Scalar>(config_.weight_decay);
  const double t = static_cast<double>(steps_);
  const auto alpha = static_cast<Scalar>(config_.lr * std::sqrt(1.0 - std::pow(config_.beta2, t)) / (1.0 - std::pow(config_.beta1, t)));
  const auto b1 = static_cast<Scalar>(1.0 - config_.beta1);
  const auto b2 = static_cast<Scalar>(1.0 - config_.beta2);
  const auto eps = static_cast<Scalar>(config_.epsilon);
  const auto momentum = static_cast<Scalar>(config_.momentum);
  // The update of [lo, lo + n): element-wise, yet not every partition gives the same bits.
  // Eigen computes a range's unaligned head and its tail with scalar code, and with AVX-512 its
  // vector sqrt is an approximation (EIGEN_FAST_MATH: rsqrt14 and one Newton step) where the
  // scalar one is std::sqrt: they differ on about a third of Adam's inputs. Ranges that start at
  // multiples of 16, as these, put the same elements through the vector code every time.
  auto update = [&](Eigen::Index lo, Eigen::Index n) {
    auto p = params.segment(lo, n);
    const auto g = gradient.segment(lo, n);
    auto m = first_.segment(lo, n);
    if (config_.weight_decay > 0.0) p *= Scalar(1) - lr * decay;
    switch (config_.optimizer) {
      case OptimizerKind::kAdam: {
        // Memory-bound: in pieces small enough that the three statements re-read m and v from L1.
        constexpr Eigen::Index kPiece = 2048;
        for (Eigen::Index at = 0; at < n; at += kPiece) {
          const Eigen::Index k = std::min(kPiece, n - at);
          auto pk = p.segment(at, k);
          const auto gk = g.segment(at, k);
          auto mk = m.segment(at, k);
          auto vk = second_.segment(lo + at, k);
          mk.array() += (gk.array() - mk.array()) * b1;
          vk.array() += (gk.array().square() - vk.array()) * b2;
          pk.array() -= (mk.array() * alpha) / (vk.array().sqrt() + eps);
        }
        return;
      }
      case OptimizerKind::kSgd:
        if (config_.momentum == 0.0) {
          p -= lr * g;
        } else if (config_.nesterov) {
          m = momentum * m - lr * g;
          p += momentum * m - lr * g;
        } else {
          m = momentum * m - lr * g;
          p += m;
        }
        return;
    }
    unknown_optimizer(config_.optimizer);
  };
  // Memory-bound: worth threads only for large networks (8.6M parameters take ~15 ms alone).
  constexpr Eigen::Index kChunk = Eigen::Index{1} << 16;
  const Eigen::Index size = params.size();
  if (size <= kChunk) {
    update(0, size);
    return;
  }
  tbb::parallel_for(Eigen::Index{0}, (size + kChunk - 1) / kChunk, [&](Eigen::Index c) {
    update(c * kChunk, std::min(kChunk, size - c * kChunk));
  });
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace hpsweep::nn
