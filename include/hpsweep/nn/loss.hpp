#pragma once
/// Losses computed stably from logits, and the per-sample metrics of evaluation.
/// All work on blocks with one column per sample and return sums over the samples, so that
/// shards can be combined in a fixed order and divided once.

#include <Eigen/Core>

#include "hpsweep/data/dataset.hpp"

namespace hpsweep::nn {

/// Σ over samples of the task's loss: binary cross-entropy on one logit, categorical
/// cross-entropy on K logits (softmax), or mean squared error over the outputs.
/// `targets` holds class indices (classification) or values (regression), one per column.
template <typename Scalar>
[[nodiscard]] double loss_sum(data::Task task,
                              const Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>>& logits,
                              const Scalar* targets);

/// Like loss_sum, and writes d(loss sum)/d(logits) into `gradient` (same shape as logits).
template <typename Scalar>
double loss_sum_and_gradient(data::Task task,
                             const Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>>& logits,
                             const Scalar* targets,
                             Eigen::Ref<Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>> gradient);

/// Classification: the number of correct predictions. Regression: Σ squared errors.
template <typename Scalar>
[[nodiscard]] double metric_sum(data::Task task,
                                const Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>>& logits,
                                const Scalar* targets);

}  // namespace hpsweep::nn
