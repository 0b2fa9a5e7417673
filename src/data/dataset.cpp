#include "hpsweep/data/dataset.hpp"

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/system.hpp"

namespace hpsweep::data {

const char* task_name(Task task) noexcept {
  switch (task) {
    case Task::kBinary: return "binary";
    case Task::kMulticlass: return "multiclass";
    case Task::kRegression: return "regression";
  }
  return "unknown";
}

Task parse_task(const std::string& name) {
  if (name == "binary") return Task::kBinary;
  if (name == "multiclass") return Task::kMulticlass;
  if (name == "regression") return Task::kRegression;
  throw core::ConfigError("unknown task '" + name + "'; use binary, multiclass or regression");
}

template <typename Scalar>
BasicDataset<Scalar> BasicDataset<Scalar>::subset(const std::vector<Eigen::Index>& indices) const {
  BasicDataset out;
  out.features.resize(features.rows(), static_cast<Eigen::Index>(indices.size()));
  core::prefer_huge_pages(out.features.data(), sizeof(Scalar) * static_cast<std::size_t>(out.features.size()));
  out.target.resize(static_cast<Eigen::Index>(indices.size()));
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const auto col = static_cast<Eigen::Index>(i);
    out.features.col(col) = features.col(indices[i]);
    out.target(col) = target(indices[i]);
  }
  out.feature_names = feature_names;
  out.target_name = target_name;
  out.task = task;
  out.class_values = class_values;
  out.origin = origin;
  return out;
}

template struct BasicDataset<double>;
template struct BasicDataset<float>;
template struct BasicDataset<std::uint32_t>;

Splits32 to_float32(Splits&& splits) {
  const auto rounded = [](const auto& from, auto to) { to = from.template cast<float>(); };
  return Splits32{to_float32(std::move(splits.train), rounded), to_float32(std::move(splits.val), rounded),
                  to_float32(std::move(splits.test), rounded)};
}

}  // namespace hpsweep::data
