#pragma once
/// In-memory data sets: features as an Eigen matrix with one column per sample (so a sample is
/// contiguous and a mini-batch is a gather of columns) and one target per sample.

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "hpsweep/core/system.hpp"

namespace hpsweep::data {

/// What is being predicted; decides the output layer and the loss.
enum class Task { kBinary, kMulticlass, kRegression };

/// "binary", "multiclass" or "regression".
[[nodiscard]] const char* task_name(Task task) noexcept;
/// Parses a task name; throws core::ConfigError for anything else.
[[nodiscard]] Task parse_task(const std::string& name);

/// A labelled data set. For classification, `target` holds class indices 0..K-1 and
/// `class_values` the original label of each index; for regression the raw values. The features
/// are float64 (Dataset) or, for a sweep whose trials all train in float32 and whose file holds
/// float32 values, float32 (Dataset32: half the memory, see load_float32_splits).
template <typename Scalar>
struct BasicDataset {
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> features;  ///< features x samples
  Eigen::VectorXd target;                ///< one per sample
  std::vector<std::string> feature_names;
  std::string target_name;
  Task task = Task::kRegression;
  std::vector<double> class_values;      ///< classification only: label of each class index
  std::string origin;                    ///< where it came from, for messages ("train.csv")

  [[nodiscard]] Eigen::Index num_samples() const noexcept { return features.cols(); }
  [[nodiscard]] Eigen::Index num_features() const noexcept { return features.rows(); }
  [[nodiscard]] int num_classes() const noexcept { return static_cast<int>(class_values.size()); }
  /// Width of the output layer: 1 for binary and regression, K for multiclass.
  [[nodiscard]] int num_outputs() const noexcept {
    return task == Task::kMulticlass ? num_classes() : 1;
  }
  /// The samples at the given indices, in that order.
  [[nodiscard]] BasicDataset subset(const std::vector<Eigen::Index>& indices) const;
};

using Dataset = BasicDataset<double>;
using Dataset32 = BasicDataset<float>;
/// Features as DecimalCodes's codes of their float64 values (read_csv_coded), until standardized.
using CodedDataset = BasicDataset<std::uint32_t>;
extern template struct BasicDataset<double>;
extern template struct BasicDataset<float>;
extern template struct BasicDataset<std::uint32_t>;

/// Train, validation and (possibly empty) test splits of one problem.
template <typename Scalar>
struct BasicSplits {
  BasicDataset<Scalar> train;
  BasicDataset<Scalar> val;
  BasicDataset<Scalar> test;  ///< num_samples() == 0 when there is no test split
};

using Splits = BasicSplits<double>;
using Splits32 = BasicSplits<float>;
using CodedSplits = BasicSplits<std::uint32_t>;

/// Gives `take(begin, count)` the columns of `matrix` a block at a time, the last block first,
/// and shrinks `matrix` to `begin` columns after each (a shrinking realloc returns the block's
/// pages): a copy made this way never holds the data twice. `matrix` ends empty.
template <typename Matrix, typename Take>
void take_columns_from_end(Matrix& matrix, const Take& take) {
  constexpr Eigen::Index kBlockColumns = 16384;
  for (Eigen::Index end = matrix.cols(); end > 0;) {
    const Eigen::Index begin = end > kBlockColumns ? end - kBlockColumns : 0;
    take(begin, end - begin);
    matrix.conservativeResize(Eigen::NoChange, begin);
    end = begin;
  }
}

/// Moves everything of `from` but its features into `to`: the targets, names, task, classes and origin.
template <typename From, typename To>
void move_all_but_features(BasicDataset<From>&& from, BasicDataset<To>& to) {
  to.target = std::move(from.target);
  to.feature_names = std::move(from.feature_names);
  to.target_name = std::move(from.target_name);
  to.task = from.task;
  to.class_values = std::move(from.class_values);
  to.origin = std::move(from.origin);
}

/// `d` with float32 features, each block of samples' as `convert(d.features.middleCols(...),
/// out.features.middleCols(...))` writes them, taking `d`'s memory a block at a time
/// (take_columns_from_end).
template <typename Scalar, typename Convert>
[[nodiscard]] Dataset32 to_float32(BasicDataset<Scalar>&& d, const Convert& convert) {
  Dataset32 out;
  out.features.resize(d.num_features(), d.num_samples());
  core::prefer_huge_pages(out.features.data(), sizeof(float) * static_cast<std::size_t>(out.features.size()));
  take_columns_from_end(d.features, [&](Eigen::Index begin, Eigen::Index count) {
    convert(d.features.middleCols(begin, count), out.features.middleCols(begin, count));
  });
  move_all_but_features(std::move(d), out);
  d = {};
  return out;
}

/// The same splits with float32 features (each value rounded to nearest), taking `splits`'s
/// memory a block of samples at a time (take_columns_from_end).
[[nodiscard]] Splits32 to_float32(Splits&& splits);

}  // namespace hpsweep::data
