#pragma once
/// Turning a raw target column into a task and class indices.

#include <optional>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"

namespace hpsweep::data {

/// Most distinct integer labels a column may have and still be taken as classes.
inline constexpr std::size_t kMaxInferredClasses = 50;

/// Infers the task of a raw target column: binary for two distinct integer labels ({0, 1},
/// {1, 2}, {-1, 1}), multiclass for 3..kMaxInferredClasses distinct non-negative integers,
/// regression otherwise.
/// A column with a single value is reported as binary so that the caller can reject it.
[[nodiscard]] Task infer_task(const std::vector<double>& raw);

/// Fills `dataset.target`, `class_values` and `task` from a raw target column. For classification
/// the class of each label is its rank among the sorted distinct labels, unless `classes` is given
/// (labels of a validation file must be classes of the training file).
/// Throws core::DataError naming `origin` when a class is unknown or the data has a single class.
template <typename Scalar>
void assign_targets(BasicDataset<Scalar>& dataset, const std::vector<double>& raw, Task task,
                    const std::optional<std::vector<double>>& classes);

}  // namespace hpsweep::data
