#include "hpsweep/model/predict.hpp"

#include <algorithm>
#include <cmath>

#include "hpsweep/core/error.hpp"
#include "hpsweep/data/csv_reader.hpp"
#include "hpsweep/data/hdf5_reader.hpp"
#include "hpsweep/data/source.hpp"
#include "hpsweep/nn/loss.hpp"
#include "hpsweep/nn/network.hpp"
#include "hpsweep/nn/trainer.hpp"

namespace hpsweep::model {
namespace {

/// Probabilities (classification) or the value (regression) from one sample's logits.
void outputs_from_logits(data::Task task, const Eigen::VectorXd& z, Eigen::Ref<Eigen::VectorXd> out) {
  switch (task) {
    case data::Task::kRegression:
      out(0) = z(0);
      break;
    case data::Task::kBinary: {
      const double p = 1.0 / (1.0 + std::exp(-z(0)));
      out(0) = 1.0 - p;
      out(1) = p;
      break;
    }
    case data::Task::kMulticlass: {
      const double top = z.maxCoeff();
      const Eigen::VectorXd e = (z.array() - top).exp().matrix();
      out = e / e.sum();
      break;
    }
  }
}

template <typename Scalar>
Predictions run(const Model& model, const data::Dataset& standardized) {
  using Matrix = typename nn::Mlp<Scalar>::Matrix;
  nn::Mlp<Scalar> net(model.architecture);
  for (std::size_t i = 0; i < model.parameters.size(); ++i) net.parameters()(static_cast<Eigen::Index>(i)) = static_cast<Scalar>(model.parameters[i]);
  const Matrix x = standardized.features.cast<Scalar>();
  const bool has_target = standardized.target.size() == standardized.num_samples();
  const typename nn::Mlp<Scalar>::Vector y = standardized.target.cast<Scalar>();
  const Eigen::Index n = x.cols();
  const Eigen::Index rows = model.task == data::Task::kRegression ? 1 : static_cast<Eigen::Index>(model.class_values.size());
  Predictions p;
  p.outputs.resize(rows, n);
  p.predicted.resize(static_cast<std::size_t>(n));
  nn::Workspace<Scalar> ws(net, nn::kEvalChunkSamples, false);
  double loss = 0.0, metric = 0.0;  // summed chunk by chunk, in order, as the trainer's evaluation does
  for (Eigen::Index lo = 0; lo < n; lo += nn::kEvalChunkSamples) {
    const Eigen::Index count = std::min<Eigen::Index>(nn::kEvalChunkSamples, n - lo);
    ws.input.leftCols(count) = x.middleCols(lo, count);
    nn::forward(net, ws, count, nn::ForwardNoise{});
    const auto logits = ws.pre.back().leftCols(count);
    if (has_target) {
      loss += nn::loss_sum<Scalar>(model.task, logits, y.data() + lo);
      metric += nn::metric_sum<Scalar>(model.task, logits, y.data() + lo);
    }
    for (Eigen::Index j = 0; j < count; ++j) {
      const Eigen::VectorXd z = logits.col(j).template cast<double>();
      outputs_from_logits(model.task, z, p.outputs.col(lo + j));
      Eigen::Index best = 0;
      p.outputs.col(lo + j).maxCoeff(&best);
      p.predicted[static_cast<std::size_t>(lo + j)] =
          model.task == data::Task::kRegression ? p.outputs(0, lo + j) : model.class_values[static_cast<std::size_t>(best)];
    }
  }
  if (has_target && n > 0) {
    p.loss = loss / static_cast<double>(n);
    p.metric = model.task == data::Task::kRegression ? std::sqrt(metric / static_cast<double>(n)) : metric / static_cast<double>(n);
  }
  return p;
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

Predictions predict(const Model& model, const data::Dataset& data) {
  if (data.num_features() != model.architecture.inputs) {
    throw core::DataError(data.origin + ": " + std::to_string(data.num_features()) + " feature columns, but the model takes " +
                          std::to_string(model.architecture.inputs) + " (" + join(model.feature_names) + ")");
  }
  data::Dataset standardized = data;
  model.standardizer.apply(standardized);
  switch (model.precision) {
    case nn::Precision::kFloat64: return run<double>(model, standardized);
    case nn::Precision::kFloat32: return run<float>(model, standardized);
  }
  throw core::Error("unknown precision " + std::to_string(static_cast<int>(model.precision)), core::ExitCode::kInternal);
}

data::Dataset read_for_prediction(const Model& model, const std::string& path, const std::string& features_path,
                                  const std::string& target_path) {
  std::optional<std::vector<double>> classes;
  if (model.task != data::Task::kRegression) classes = model.class_values;
  if (data::detect_kind(path) == data::SourceKind::kHdf5) {
    data::Dataset d = data::read_hdf5(path, data::Hdf5Options{features_path, target_path, model.task, classes, true});
    return d;  // HDF5 features have no names: predict() checks their number
  }
  data::CsvOptions options;
  options.target = model.target_name;
  options.task = model.task;
  options.classes = classes;
  options.target_optional = true;
  data::Dataset d = data::read_csv(path, options);
  if (d.feature_names != model.feature_names) {
    std::vector<std::string> missing, extra;
    for (const auto& name : model.feature_names) {
      if (std::find(d.feature_names.begin(), d.feature_names.end(), name) == d.feature_names.end()) missing.push_back(name);
    }
    for (const auto& name : d.feature_names) {
      if (std::find(model.feature_names.begin(), model.feature_names.end(), name) == model.feature_names.end()) extra.push_back(name);
    }
    std::string why = missing.empty() && extra.empty() ? "the columns are in another order" : "";
    if (!missing.empty()) why += "missing: " + join(missing);
    if (!extra.empty()) why += std::string(missing.empty() ? "" : "; ") + "not features of the model: " + join(extra);
    throw core::DataError(path + ":1: the columns must be the model's features in its order (" + join(model.feature_names) +
                          (model.target_name.empty() ? "" : "), optionally with the target '" + model.target_name + "'") +
                          "; " + why);
  }
  return d;
}

}  // namespace hpsweep::model
