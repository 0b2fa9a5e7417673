#pragma once
/// A trained network saved to one HDF5 file (`hpsweep train --save`), with everything needed to
/// predict from raw data: the architecture, every layer's kernel and bias, the standardization
/// fitted on the training split, the feature names and order, the task and class labels, and
/// the sweep and trial it came from. The layout is documented in docs/model-format.md; h5py and
/// numpy can use it without hpsweep.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/data/split.hpp"
#include "hpsweep/nn/config.hpp"
#include "hpsweep/nn/network.hpp"

namespace hpsweep::model {

/// `format` attribute of a model file, and the version this code writes and reads.
inline constexpr const char* kModelFormatName = "hpsweep-model";
inline constexpr int kModelFormatVersion = 1;

/// Where a model came from, and what it scored when it was trained.
struct Provenance {
  std::string sweep;             ///< sweep name; empty for `hpsweep train` without --from
  std::string results_file;      ///< the results file of `train --from`; empty otherwise
  int trial = -1;                ///< the trial of that file; -1 without --from
  std::uint64_t seed = 0;        ///< the training seed
  std::string settings;          ///< the training settings, "width=128 depth=1 dropout=0.5 ..."
  std::string data_fingerprint;  ///< of the standardized splits it was trained on
  int weights_epoch = 0;         ///< the epoch whose weights these are
  int epochs_run = 0;
  double val_loss = std::nan("");    ///< validation loss at weights_epoch
  double val_metric = std::nan("");  ///< validation metric (accuracy or RMSE) at weights_epoch
  std::string hpsweep_version;
  std::string created;           ///< ISO 8601, UTC
};

/// A trained network and what it needs to predict.
struct Model {
  nn::Architecture architecture;
  nn::Precision precision = nn::Precision::kFloat32;  ///< what it computes in (and its weights' type)
  data::Task task = data::Task::kRegression;
  std::vector<double> parameters;        ///< laid out as nn::Mlp::parameters()
  data::Standardizer standardizer;       ///< applied to raw features before the first layer
  std::vector<std::string> feature_names;  ///< the input columns, in the network's order
  std::string target_name;
  std::vector<double> class_values;      ///< classification: the label of each class index
  Provenance provenance;

  /// Throws core::Error when the parts do not fit together (sizes of parameters, standardization,
  /// names and classes against the architecture and task).
  void check(const std::string& origin) const;
};

/// Most inputs, hidden units, layers and classes a model file may declare: a crafted file is
/// refused before anything is allocated from its numbers.
inline constexpr long long kMaxModelInputs = 1 << 20;
inline constexpr long long kMaxModelWidth = 65536;
inline constexpr long long kMaxModelDepth = 64;
inline constexpr long long kMaxModelClasses = 1 << 16;
inline constexpr long long kMaxModelParameters = 1LL << 31;

/// Writes `model` to `path` atomically (a new temporary file, renamed over `path`). Throws
/// core::StoreError naming the path when it cannot be written.
void write_model(const std::string& path, const Model& model);

/// Reads a model file; throws core::StoreError naming the path when it is missing, not HDF5, not
/// an hpsweep model, of another format version, or inconsistent (every extent is checked against
/// the declared architecture before it is read).
[[nodiscard]] Model read_model(const std::string& path);

/// True when `path` is an HDF5 file with the model file's `format` attribute.
[[nodiscard]] bool is_model_file(const std::string& path);

}  // namespace hpsweep::model
