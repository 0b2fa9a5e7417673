#pragma once
/// Optimizers over the contiguous parameter vector, with Keras's update rules.

#include <Eigen/Core>

#include "hpsweep/nn/config.hpp"

namespace hpsweep::nn {

/// Adam (Keras: bias correction folded into the step size, ε outside the square root) or SGD
/// with momentum and Nesterov. Decoupled weight decay, when set, shrinks every parameter by
/// lr·wd before the update (Keras and PyTorch AdamW).
template <typename Scalar>
class Optimizer {
 public:
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  Optimizer(const TrainConfig& config, Eigen::Index size);

  /// One update of `params` from the gradient of the training objective.
  void step(Vector& params, const Vector& gradient);

  /// Bytes of its state (moments), for checkpoint budgets. Copying the optimizer copies its state.
  [[nodiscard]] std::size_t state_bytes() const noexcept {
    return static_cast<std::size_t>(first_.size() + second_.size()) * sizeof(Scalar);
  }

 private:
  TrainConfig config_;
  long long steps_ = 0;
  Vector first_;   // Adam's m, or SGD's velocity
  Vector second_;  // Adam's v
};

extern template class Optimizer<float>;
extern template class Optimizer<double>;

}  // namespace hpsweep::nn
