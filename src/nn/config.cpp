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

// Each closed set is named by one exhaustive switch (no default: -Wswitch flags a new enumerator),
// and parsed by looking the name up among its enumerators, so no name maps to a case by elimination.

const char* optimizer_name(OptimizerKind o) noexcept {
  switch (o) {
    case OptimizerKind::kAdam: return "adam";
    case OptimizerKind::kSgd: return "sgd";
  }
  return "?";
}

const char* precision_name(Precision p) noexcept {
  switch (p) {
    case Precision::kFloat32: return "float32";
    case Precision::kFloat64: return "float64";
  }
  return "?";
}

Activation parse_activation(const std::string& name) {
  for (Activation a : {Activation::kRelu, Activation::kTanh, Activation::kGelu}) {
    if (name == activation_name(a)) return a;
  }
  throw core::ConfigError("unknown activation '" + name + "'; use relu, tanh or gelu");
}

OptimizerKind parse_optimizer(const std::string& name) {
  for (OptimizerKind o : {OptimizerKind::kAdam, OptimizerKind::kSgd}) {
    if (name == optimizer_name(o)) return o;
  }
  throw core::ConfigError("unknown optimizer '" + name + "'; use adam or sgd");
}

Precision parse_precision(const std::string& name) {
  for (Precision p : {Precision::kFloat32, Precision::kFloat64}) {
    if (name == precision_name(p)) return p;
  }
  throw core::ConfigError("unknown precision '" + name + "'; use float32 or float64");
}

// A backstop for callers outside sweeps (`hpsweep train`'s options, programs): a sweep's values
// are ruled by the settings table (search/settings.cpp), checked where the sweep file is read.
// These ranges must never be stricter than the table's, or a trial would be the first to refuse
// a value the file was allowed to give (tests/nn/config_test.cpp checks this).
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
