#pragma once
/// Everything that defines one training run. A trial's results depend only on this (and the
/// data), never on the number of threads, which is deliberately not part of it.

#include <cstdint>
#include <string>

namespace hpsweep::nn {

enum class Activation { kRelu, kTanh, kGelu };
enum class OptimizerKind { kAdam, kSgd };
enum class Precision { kFloat32, kFloat64 };

[[nodiscard]] const char* activation_name(Activation a) noexcept;
[[nodiscard]] const char* optimizer_name(OptimizerKind o) noexcept;
[[nodiscard]] const char* precision_name(Precision p) noexcept;
/// Parsers throw core::ConfigError listing the accepted names.
[[nodiscard]] Activation parse_activation(const std::string& name);
[[nodiscard]] OptimizerKind parse_optimizer(const std::string& name);
[[nodiscard]] Precision parse_precision(const std::string& name);

/// Keras EarlyStopping(monitor="val_loss"): stop after `patience` epochs without an improvement
/// of more than `min_delta`; on stopping, restore the weights of the best epoch if asked.
struct EarlyStopping {
  bool enabled = false;
  int patience = 10;
  double min_delta = 0.0;
  bool restore_best_weights = true;  ///< Keras defaults to false; best weights are what users want
};

/// One training configuration, with Keras's defaults.
struct TrainConfig {
  // model
  int width = 128;                ///< units per hidden layer
  int depth = 1;                  ///< hidden layers
  Activation activation = Activation::kRelu;
  // regularization
  double dropout = 0.0;           ///< rate after each hidden layer, in [0, 1)
  double l2 = 0.0;                ///< Keras l2(λ): λ·Σw² over kernels added to the objective
  double weight_decay = 0.0;      ///< decoupled (AdamW-style): w -= lr·wd·w before each step
  double input_noise = 0.0;       ///< Keras GaussianNoise σ on the inputs, training only
  // optimization
  OptimizerKind optimizer = OptimizerKind::kAdam;
  double lr = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-7;
  double momentum = 0.0;          ///< SGD only
  bool nesterov = false;          ///< SGD only
  int batch_size = 32;
  int epochs = 50;
  EarlyStopping early_stopping;
  Precision precision = Precision::kFloat32;
  std::uint64_t seed = 0;

  /// Throws core::ConfigError naming the first impossible value and its accepted range. A
  /// backstop for callers outside sweeps: a sweep's settings are ruled by search's settings table
  /// when the sweep file is read (with the value's file:line:col), and these ranges are never
  /// stricter than the table's.
  void validate() const;
};

}  // namespace hpsweep::nn
