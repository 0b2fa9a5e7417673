#pragma once
/// Predicting with a saved model: the same standardization, precision and forward pass as the
/// trainer's evaluation, so the loss on the validation split equals the one the sweep recorded.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/model/model_file.hpp"

namespace hpsweep::model {

/// A model's outputs for every sample of a data set.
struct Predictions {
  /// Classification: the probability of each class (rows, in class-index order) per sample
  /// (columns); a binary model gives two rows. Regression: one row, the predicted value.
  Eigen::MatrixXd outputs;
  /// The predicted label (classification: the class with the highest probability, as its
  /// original label) or value, per sample.
  std::vector<double> predicted;
  /// With a target in the data: the mean loss and the metric (accuracy, or RMSE for regression),
  /// computed exactly as the trainer's evaluation computes them.
  std::optional<double> loss;
  std::optional<double> metric;
};

/// Predicts on `data`, whose features are in the file's own units (standardized here with the
/// model's statistics) and in the model's order. Its target (class indices of the model's
/// classes, as the data readers give with the model's class_values) is used for the loss when
/// present. Throws core::DataError naming data.origin when the feature count differs.
[[nodiscard]] Predictions predict(const Model& model, const data::Dataset& data);

/// Reads a data file to predict on with `model`: CSV (its header must hold the model's feature
/// columns in order; the target column is optional) or HDF5 (`features_path`, optional
/// `target_path`). Throws core::DataError naming the file and the columns on a mismatch.
[[nodiscard]] data::Dataset read_for_prediction(const Model& model, const std::string& path,
                                                const std::string& features_path = "X",
                                                const std::string& target_path = "y");

}  // namespace hpsweep::model
