#pragma once
/// The MLP: Dense layers over one contiguous parameter block (mlpack style), so that optimizers,
/// gradient sums across shards and weight snapshots are single vector operations.
///
/// Layout of the parameter vector, layer by layer: the kernel W (outputs x inputs, column-major)
/// then the bias b. Activations are stored with one column per sample.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "hpsweep/core/random.hpp"
#include "hpsweep/nn/config.hpp"

namespace hpsweep::nn {

/// Shape of a network: inputs, `depth` hidden layers of `width`, then `outputs`.
struct Architecture {
  int inputs = 1;
  int width = 128;
  int depth = 1;
  int outputs = 1;
  Activation activation = Activation::kRelu;
};

template <typename Scalar>
class Mlp {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using MatrixMap = Eigen::Map<Matrix>;
  using ConstMatrixMap = Eigen::Map<const Matrix>;
  using VectorMap = Eigen::Map<Vector>;
  using ConstVectorMap = Eigen::Map<const Vector>;

  explicit Mlp(const Architecture& architecture);

  [[nodiscard]] const Architecture& architecture() const noexcept { return arch_; }
  /// Dense layers, hidden and output: depth + 1.
  [[nodiscard]] int num_layers() const noexcept { return arch_.depth + 1; }
  [[nodiscard]] int layer_inputs(int layer) const noexcept;
  [[nodiscard]] int layer_outputs(int layer) const noexcept;
  [[nodiscard]] Eigen::Index num_parameters() const noexcept { return params_.size(); }

  [[nodiscard]] Vector& parameters() noexcept { return params_; }
  [[nodiscard]] const Vector& parameters() const noexcept { return params_; }

  /// Views of layer `layer`'s kernel and bias inside any vector laid out like parameters()
  /// (the parameters themselves, a gradient, an optimizer moment).
  [[nodiscard]] MatrixMap kernel(Vector& block, int layer) const;
  [[nodiscard]] ConstMatrixMap kernel(const Vector& block, int layer) const;
  [[nodiscard]] VectorMap bias(Vector& block, int layer) const;
  [[nodiscard]] ConstVectorMap bias(const Vector& block, int layer) const;

  /// Keras defaults: Glorot-uniform kernels, zero biases.
  void init_glorot(std::uint64_t seed);

  /// λ·Σw² over every kernel, not the biases.
  [[nodiscard]] double l2_penalty(double lambda) const;

 private:
  Architecture arch_;
  std::vector<Eigen::Index> offsets_;  // start of each layer's kernel; the bias follows it
  Vector params_;
};

/// Buffers for forward and backward passes over up to `capacity` samples, allocated once per
/// trial and reused by every step and epoch (a fresh page costs more than the arithmetic of a
/// small batch).
template <typename Scalar>
struct Workspace {
  using Matrix = typename Mlp<Scalar>::Matrix;
  using Vector = typename Mlp<Scalar>::Vector;

  Workspace(const Mlp<Scalar>& net, Eigen::Index capacity, bool with_dropout);

  Eigen::Index capacity;
  Matrix input;                  ///< inputs x capacity; fill leftCols(n) before forward()
  std::vector<Matrix> pre;       ///< pre-activation of each layer (the last holds the logits)
  std::vector<Matrix> act;       ///< activation of each hidden layer
  std::vector<Matrix> mask;      ///< inverted-dropout mask of each hidden layer (0 or 1/(1-p))
  std::vector<Matrix> delta;     ///< d(loss sum)/d(pre-activation) of each layer
  Matrix back;                   ///< d(loss sum)/d(activation) scratch
  Vector gradient;               ///< d(loss)/d(parameters) of the last backward()
};

/// Training-time randomness of one forward pass.
struct ForwardNoise {
  double dropout = 0.0;       ///< rate; 0 = inference
  double input_noise = 0.0;   ///< Gaussian σ added to the inputs; 0 = none
  std::uint64_t seed = 0;     ///< of the pass's random streams, used when either is non-zero
};

/// How the products of a layer are parallelized: each product's output rows are cut into
/// `count` blocks of `rows` (the last may be shorter), a partition that depends only on the
/// product's shape, never on the number of threads, and each block is computed whole by one
/// thread. Blocks never share an output element, so nothing is reduced across threads and the
/// results are bitwise identical for any thread count.
struct RowBlocks {
  Eigen::Index rows = 0;
  int count = 0;
  [[nodiscard]] Eigen::Index begin(int block) const noexcept { return rows * block; }
};
inline constexpr int kMaxRowBlocks = 4;  ///< enough to balance 2 or 4 threads; more costs repacking
/// The least work worth a task of its own: below ~4 MFLOP (25 µs of GEMM), task overhead, waking
/// a thread and repacking cost more than the task gains.
inline constexpr double kMinTaskFlops = 4e6;
/// The partition of an m x n output with inner size k.
[[nodiscard]] RowBlocks row_blocks(Eigen::Index m, Eigen::Index n, Eigen::Index k) noexcept;

/// Forward pass over ws.input.leftCols(n); the logits end in ws.pre.back().leftCols(n).
/// With noise, input noise is added to ws.input in place. Row blocks run as oneTBB tasks.
template <typename Scalar>
void forward(const Mlp<Scalar>& net, Workspace<Scalar>& ws, Eigen::Index n, const ForwardNoise& noise);

/// Backward pass after forward(), from ws.delta.back().leftCols(n) = d(loss)/d(logits);
/// writes d(loss)/d(parameters) + the gradient of l2_penalty(l2) into ws.gradient (overwritten,
/// not accumulated). The loss is whatever the logits' delta is the gradient of: pass the mean's
/// delta to get the mean's gradient.
template <typename Scalar>
void backward(const Mlp<Scalar>& net, Workspace<Scalar>& ws, Eigen::Index n, bool with_dropout, double l2 = 0.0);

extern template class Mlp<float>;
extern template class Mlp<double>;
extern template struct Workspace<float>;
extern template struct Workspace<double>;

}  // namespace hpsweep::nn
