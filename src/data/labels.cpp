#include "hpsweep/data/labels.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "hpsweep/core/error.hpp"

namespace hpsweep::data {
namespace {

std::vector<double> distinct_sorted(const std::vector<double>& raw) {
  std::vector<double> values = raw;
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

bool all_non_negative_integers(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(),
                     [](double v) { return v >= 0.0 && v == std::floor(v) && v < 1e9; });
}

std::string join(const std::vector<double>& values) {
  std::ostringstream out;
  for (std::size_t i = 0; i < values.size() && i < 12; ++i) out << (i ? ", " : "") << values[i];
  if (values.size() > 12) out << ", ...";
  return out.str();
}

}  // namespace

Task infer_task(const std::vector<double>& raw) {
  const std::vector<double> values = distinct_sorted(raw);
  const bool integers = std::all_of(values.begin(), values.end(), [](double v) { return v == std::floor(v); });
  if (integers && values.size() <= 2) return Task::kBinary;
  if (!all_non_negative_integers(values)) return Task::kRegression;
  if (values.size() <= kMaxInferredClasses) return Task::kMulticlass;
  return Task::kRegression;
}

template <typename Scalar>
void assign_targets(BasicDataset<Scalar>& dataset, const std::vector<double>& raw, Task task,
                    const std::optional<std::vector<double>>& classes) {
  dataset.task = task;
  dataset.target.resize(static_cast<Eigen::Index>(raw.size()));
  if (task == Task::kRegression) {
    dataset.class_values.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) dataset.target(static_cast<Eigen::Index>(i)) = raw[i];
    return;
  }
  const std::string where = dataset.origin + " (target column '" + dataset.target_name + "')";
  std::vector<double> labels = classes ? *classes : distinct_sorted(raw);
  if (!classes && labels.size() < 2) {
    throw core::DataError(where + ": the target has a single class (" + join(labels) +
                          "); a classifier needs at least two");
  }
  if (task == Task::kBinary && labels.size() > 2) {
    throw core::DataError(where + ": binary task but the target has " +
                          std::to_string(labels.size()) + " classes (" + join(labels) +
                          "); use --task multiclass");
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto it = std::lower_bound(labels.begin(), labels.end(), raw[i]);
    if (it == labels.end() || *it != raw[i]) {
      std::ostringstream msg;
      msg << where << ": sample " << i + 1 << " has label " << raw[i]
          << ", which is not a class of the training data (" << join(labels) << ")";
      throw core::DataError(msg.str());
    }
    dataset.target(static_cast<Eigen::Index>(i)) = static_cast<double>(it - labels.begin());
  }
  dataset.class_values = std::move(labels);
}

template void assign_targets(Dataset&, const std::vector<double>&, Task, const std::optional<std::vector<double>>&);
template void assign_targets(Dataset32&, const std::vector<double>&, Task, const std::optional<std::vector<double>>&);
template void assign_targets(CodedDataset&, const std::vector<double>&, Task, const std::optional<std::vector<double>>&);

}  // namespace hpsweep::data
