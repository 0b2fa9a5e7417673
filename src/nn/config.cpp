#include "hpsweep/nn/config.hpp"

#include <cmath>
#include <sstream>

#include "hpsweep/core/error.hpp"

namespace hpsweep::nn {
namespace {

template <typename T>
void require(bool ok, const char* name, T value, const char* range) {
  if (ok) return;
  std::ostringstream msg;
  msg << name << " must be " << range << ", got " << value;
  throw core::ConfigError(msg.str());
}

}  // namespace

const char* activation_name(Activation a) noexcept {
  switch (a) {
    case Activation::kRelu: return "relu";
    case Activation::kTanh: return "tanh";
    case Activation::kGelu: return "gelu";
  }
  return "?";
}

const char* optimizer_name(OptimizerKind o) noexcept { return o == OptimizerKind::kAdam ? "adam" : "sgd"; }

const char* precision_name(Precision p) noexcept { return p == Precision::kFloat32 ? "float32" : "float64"; }

Activation parse_activation(const std::string& name) {
  if (name == "relu") return Activation::kRelu;
  if (name == "tanh") return Activation::kTanh;
  if (name == "gelu") return Activation::kGelu;
  throw core::ConfigError("unknown activation '" + name + "'; use relu, tanh or gelu");
}

OptimizerKind parse_optimizer(const std::string& name) {
  if (name == "adam") return OptimizerKind::kAdam;
  if (name == "sgd") return OptimizerKind::kSgd;
  throw core::ConfigError("unknown optimizer '" + name + "'; use adam or sgd");
}

Precision parse_precision(const std::string& name) {
  if (name == "float32") return Precision::kFloat32;
  if (name == "float64") return Precision::kFloat64;
  throw core::ConfigError("unknown precision '" + name + "'; use float32 or float64");
}

void TrainConfig::validate() const {
  require(width >= 1 && width <= 1 << 16, "width", width, "in [1, 65536]");
  require(depth >= 0 && depth <= 64, "depth", depth, "in [0, 64]");
  require(dropout >= 0.0 && dropout < 1.0, "dropout", dropout, "in [0, 1)");
  require(l2 >= 0.0 && std::isfinite(l2), "l2", l2, "finite and >= 0");
  require(weight_decay >= 0.0 && weight_decay < 1.0, "weight_decay", weight_decay, "in [0, 1)");
  require(input_noise >= 0.0 && std::isfinite(input_noise), "input_noise", input_noise, "finite and >= 0");
  require(lr > 0.0 && std::isfinite(lr), "lr", lr, "finite and > 0");
  require(beta1 >= 0.0 && beta1 < 1.0, "beta1", beta1, "in [0, 1)");
  require(beta2 >= 0.0 && beta2 < 1.0, "beta2", beta2, "in [0, 1)");
  require(epsilon > 0.0, "epsilon", epsilon, "> 0");
  require(momentum >= 0.0 && momentum < 1.0, "momentum", momentum, "in [0, 1)");
  require(batch_size >= 1, "batch_size", batch_size, ">= 1");
  require(epochs >= 1, "epochs", epochs, ">= 1");
  require(early_stopping.patience >= 0, "patience", early_stopping.patience, ">= 0");
  require(early_stopping.min_delta >= 0.0, "min_delta", early_stopping.min_delta, ">= 0");
}

}  // namespace hpsweep::nn
