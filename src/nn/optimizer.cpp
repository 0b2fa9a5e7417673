#include "hpsweep/nn/optimizer.hpp"

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
  if (config_.weight_decay > 0.0) params *= Scalar(1) - lr * static_cast<Scalar>(config_.weight_decay);
  switch (config_.optimizer) {
    case OptimizerKind::kAdam: {
      const double t = static_cast<double>(steps_);
      const auto alpha = static_cast<Scalar>(config_.lr * std::sqrt(1.0 - std::pow(config_.beta2, t)) /
                                             (1.0 - std::pow(config_.beta1, t)));
      const auto b1 = static_cast<Scalar>(1.0 - config_.beta1);
      const auto b2 = static_cast<Scalar>(1.0 - config_.beta2);
      const auto eps = static_cast<Scalar>(config_.epsilon);
      first_.array() += (gradient.array() - first_.array()) * b1;
      second_.array() += (gradient.array().square() - second_.array()) * b2;
      params.array() -= (first_.array() * alpha) / (second_.array().sqrt() + eps);
      return;
    }
    case OptimizerKind::kSgd: {
      const auto momentum = static_cast<Scalar>(config_.momentum);
      if (config_.momentum == 0.0) {
        params -= lr * gradient;
      } else if (config_.nesterov) {
        first_ = momentum * first_ - lr * gradient;
        params += momentum * first_ - lr * gradient;
      } else {
        first_ = momentum * first_ - lr * gradient;
        params += first_;
      }
      return;
    }
  }
  unknown_optimizer(config_.optimizer);
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace hpsweep::nn
