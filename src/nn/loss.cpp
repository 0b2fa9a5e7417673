#include "hpsweep/nn/loss.hpp"

#include <cmath>

namespace hpsweep::nn {
namespace {

template <typename Scalar>
using MatrixX = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

/// log(1 + exp(-|z|)) + max(z, 0) - z·y: binary cross-entropy from a logit, stable for any z.
template <typename Scalar>
Scalar binary_cross_entropy(Scalar z, Scalar y) {
  return std::max(z, Scalar(0)) - z * y + std::log1p(std::exp(-std::abs(z)));
}

template <typename Scalar>
Scalar sigmoid(Scalar z) {
  if (z >= Scalar(0)) return Scalar(1) / (Scalar(1) + std::exp(-z));
  const Scalar e = std::exp(z);
  return e / (Scalar(1) + e);
}

/// log Σ exp(z) over one column, shifted by its maximum.
template <typename Column>
typename Column::Scalar log_sum_exp(const Column& z) {
  const auto top = z.maxCoeff();
  return top + std::log((z.array() - top).exp().sum());
}

/// One pass over the samples: the loss sum, and (when `gradient` is non-null) its gradient.
template <typename Scalar>
double loss_pass(data::Task task, const Eigen::Ref<const MatrixX<Scalar>>& logits, const Scalar* targets,
                 Eigen::Ref<MatrixX<Scalar>>* gradient) {
  double sum = 0.0;
  const Eigen::Index n = logits.cols();
  switch (task) {
    case data::Task::kBinary:
      for (Eigen::Index i = 0; i < n; ++i) {
        const Scalar z = logits(0, i);
        sum += binary_cross_entropy(z, targets[i]);
        if (gradient) (*gradient)(0, i) = sigmoid(z) - targets[i];
      }
      break;
    case data::Task::kMulticlass:
      for (Eigen::Index i = 0; i < n; ++i) {
        const auto z = logits.col(i);
        const Scalar lse = log_sum_exp(z);
        const auto label = static_cast<Eigen::Index>(targets[i]);
        sum += lse - z(label);
        if (gradient) {
          gradient->col(i) = (z.array() - lse).exp().matrix();
          (*gradient)(label, i) -= Scalar(1);
        }
      }
      break;
    case data::Task::kRegression: {
      const auto outputs = static_cast<Scalar>(logits.rows());
      for (Eigen::Index i = 0; i < n; ++i) {
        const auto residual = (logits.col(i).array() - targets[i]);
        sum += residual.square().sum() / outputs;
        if (gradient) gradient->col(i) = (Scalar(2) / outputs) * residual.matrix();
      }
      break;
    }
  }
  return sum;
}

}  // namespace

template <typename Scalar>
double loss_sum(data::Task task, const Eigen::Ref<const MatrixX<Scalar>>& logits, const Scalar* targets) {
  return loss_pass<Scalar>(task, logits, targets, nullptr);
}

template <typename Scalar>
double loss_sum_and_gradient(data::Task task, const Eigen::Ref<const MatrixX<Scalar>>& logits, const Scalar* targets,
                             Eigen::Ref<MatrixX<Scalar>> gradient) {
  return loss_pass<Scalar>(task, logits, targets, &gradient);
}

template <typename Scalar>
double metric_sum(data::Task task, const Eigen::Ref<const MatrixX<Scalar>>& logits, const Scalar* targets) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < logits.cols(); ++i) {
    switch (task) {
      case data::Task::kBinary:
        sum += ((logits(0, i) > Scalar(0)) == (targets[i] > Scalar(0.5))) ? 1.0 : 0.0;
        break;
      case data::Task::kMulticlass: {
        Eigen::Index predicted = 0;
        logits.col(i).maxCoeff(&predicted);
        sum += predicted == static_cast<Eigen::Index>(targets[i]) ? 1.0 : 0.0;
        break;
      }
      case data::Task::kRegression:
        sum += (logits.col(i).array().template cast<double>() - double(targets[i])).square().sum();
        break;
    }
  }
  return sum;
}

#define HPSWEEP_INSTANTIATE_LOSS(Scalar)                                                                    \
  template double loss_sum<Scalar>(data::Task, const Eigen::Ref<const MatrixX<Scalar>>&, const Scalar*);   \
  template double loss_sum_and_gradient<Scalar>(data::Task, const Eigen::Ref<const MatrixX<Scalar>>&,      \
                                                const Scalar*, Eigen::Ref<MatrixX<Scalar>>);               \
  template double metric_sum<Scalar>(data::Task, const Eigen::Ref<const MatrixX<Scalar>>&, const Scalar*);
HPSWEEP_INSTANTIATE_LOSS(float)
HPSWEEP_INSTANTIATE_LOSS(double)
#undef HPSWEEP_INSTANTIATE_LOSS

}  // namespace hpsweep::nn
