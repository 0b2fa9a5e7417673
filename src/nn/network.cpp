#include "hpsweep/nn/network.hpp"

#include <cmath>

namespace hpsweep::nn {
namespace {

/// h = activation(z), element-wise, without temporaries.
template <typename Z, typename H>
void activate(Activation a, const Z& z, H&& h) {
  using Scalar = typename Z::Scalar;
  switch (a) {
    case Activation::kRelu: h = z.max(Scalar(0)); return;
    case Activation::kTanh: h = z.tanh(); return;
    case Activation::kGelu:  // exact gelu, as Keras's default (approximate=False)
      h = Scalar(0.5) * z * (Scalar(1) + (z * Scalar(M_SQRT1_2)).unaryExpr([](Scalar v) { return std::erf(v); }));
      return;
  }
}

/// delta = upstream * activation'(z), element-wise, without temporaries.
template <typename Z, typename U, typename D>
void times_activation_derivative(Activation a, const Z& z, const U& upstream, D&& delta) {
  using Scalar = typename Z::Scalar;
  switch (a) {
    case Activation::kRelu: delta = (z > Scalar(0)).select(upstream, Scalar(0)); return;
    case Activation::kTanh: delta = upstream * (Scalar(1) - z.tanh().square()); return;
    case Activation::kGelu: {
      const Scalar inv_sqrt_2pi = Scalar(0.3989422804014327);
      delta = upstream * (Scalar(0.5) * (Scalar(1) + (z * Scalar(M_SQRT1_2)).unaryExpr([](Scalar v) { return std::erf(v); })) +
                          z * inv_sqrt_2pi * (Scalar(-0.5) * z.square()).exp());
      return;
    }
  }
}

}  // namespace

template <typename Scalar>
Mlp<Scalar>::Mlp(const Architecture& architecture) : arch_(architecture) {
  Eigen::Index size = 0;
  for (int l = 0; l < num_layers(); ++l) {
    offsets_.push_back(size);
    size += Eigen::Index{layer_outputs(l)} * (layer_inputs(l) + 1);
  }
  params_.setZero(size);
}

template <typename Scalar>
int Mlp<Scalar>::layer_inputs(int layer) const noexcept {
  return layer == 0 ? arch_.inputs : arch_.width;
}

template <typename Scalar>
int Mlp<Scalar>::layer_outputs(int layer) const noexcept {
  return layer == arch_.depth ? arch_.outputs : arch_.width;
}

template <typename Scalar>
typename Mlp<Scalar>::MatrixMap Mlp<Scalar>::kernel(Vector& block, int layer) const {
  return MatrixMap(block.data() + offsets_[layer], layer_outputs(layer), layer_inputs(layer));
}

template <typename Scalar>
typename Mlp<Scalar>::ConstMatrixMap Mlp<Scalar>::kernel(const Vector& block, int layer) const {
  return ConstMatrixMap(block.data() + offsets_[layer], layer_outputs(layer), layer_inputs(layer));
}

template <typename Scalar>
typename Mlp<Scalar>::VectorMap Mlp<Scalar>::bias(Vector& block, int layer) const {
  return VectorMap(block.data() + offsets_[layer] + Eigen::Index{layer_outputs(layer)} * layer_inputs(layer),
                   layer_outputs(layer));
}

template <typename Scalar>
typename Mlp<Scalar>::ConstVectorMap Mlp<Scalar>::bias(const Vector& block, int layer) const {
  return ConstVectorMap(block.data() + offsets_[layer] + Eigen::Index{layer_outputs(layer)} * layer_inputs(layer),
                        layer_outputs(layer));
}

template <typename Scalar>
void Mlp<Scalar>::init_glorot(std::uint64_t seed) {
  core::Rng rng(core::derive_seed(seed, {0x1a17}));
  params_.setZero();
  for (int l = 0; l < num_layers(); ++l) {
    const double limit = std::sqrt(6.0 / (layer_inputs(l) + layer_outputs(l)));
    auto w = kernel(params_, l);
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
      for (Eigen::Index i = 0; i < w.rows(); ++i) w(i, j) = static_cast<Scalar>((2.0 * rng.uniform() - 1.0) * limit);
    }
  }
}

template <typename Scalar>
double Mlp<Scalar>::l2_penalty(double lambda) const {
  if (lambda == 0.0) return 0.0;
  double sum = 0.0;
  for (int l = 0; l < num_layers(); ++l) sum += kernel(params_, l).template cast<double>().squaredNorm();
  return lambda * sum;
}

template <typename Scalar>
void Mlp<Scalar>::add_l2_gradient(double lambda, Vector& gradient) const {
  if (lambda == 0.0) return;
  for (int l = 0; l < num_layers(); ++l) {
    kernel(gradient, l) += static_cast<Scalar>(2.0 * lambda) * kernel(params_, l);
  }
}

template <typename Scalar>
Workspace<Scalar>::Workspace(const Mlp<Scalar>& net, Eigen::Index cap, bool with_dropout)
    : capacity(cap), input(net.architecture().inputs, cap), gradient(net.num_parameters()) {
  for (int l = 0; l < net.num_layers(); ++l) {
    const int out = net.layer_outputs(l);
    pre.emplace_back(out, cap);
    delta.emplace_back(out, cap);
    if (l + 1 < net.num_layers()) {
      act.emplace_back(out, cap);
      mask.emplace_back(with_dropout ? out : 0, with_dropout ? cap : 0);
    }
  }
  back.resize(net.architecture().width, cap);
}

template <typename Scalar>
void fill_dropout_mask(Eigen::Ref<typename Mlp<Scalar>::Matrix> mask, double rate, core::Rng& rng) {
  const Scalar keep_scale = static_cast<Scalar>(1.0 / (1.0 - rate));
  const auto threshold = static_cast<std::uint32_t>(rate * 4294967296.0);
  Scalar* m = mask.data();
  const Eigen::Index count = mask.size();
  Eigen::Index i = 0;
  // Two 32-bit draws per 64-bit output: dropout masks are the hottest use of random numbers.
  for (; i + 1 < count; i += 2) {
    const std::uint64_t bits = rng.next();
    m[i] = static_cast<std::uint32_t>(bits) >= threshold ? keep_scale : Scalar(0);
    m[i + 1] = static_cast<std::uint32_t>(bits >> 32) >= threshold ? keep_scale : Scalar(0);
  }
  if (i < count) m[i] = static_cast<std::uint32_t>(rng.next()) >= threshold ? keep_scale : Scalar(0);
}

template <typename Scalar>
void forward(const Mlp<Scalar>& net, Workspace<Scalar>& ws, Eigen::Index n, const ForwardNoise& noise) {
  const auto& params = net.parameters();
  if (noise.input_noise > 0.0) {
    auto x = ws.input.leftCols(n);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, j) += static_cast<Scalar>(noise.input_noise * noise.rng->normal());
    }
  }
  const Activation a = net.architecture().activation;
  for (int l = 0; l < net.num_layers(); ++l) {
    auto z = ws.pre[l].leftCols(n);
    // Start from the bias and accumulate the product: Eigen's `z = W * x` would first zero z,
    // a whole extra pass over the largest buffer.
    const auto b = net.bias(params, l);
    for (Eigen::Index j = 0; j < n; ++j) z.col(j) = b;  // replicate() would divide per element
    if (l == 0) {
      z.noalias() += net.kernel(params, l) * ws.input.leftCols(n);
    } else {
      z.noalias() += net.kernel(params, l) * ws.act[l - 1].leftCols(n);
    }
    if (l + 1 == net.num_layers()) break;
    auto h = ws.act[l].leftCols(n);
    activate(a, z.array(), h.array());
    if (noise.dropout > 0.0) {
      auto m = ws.mask[l].leftCols(n);
      fill_dropout_mask<Scalar>(m, noise.dropout, *noise.rng);
      h.array() *= m.array();
    }
  }
}

template <typename Scalar>
void backward(const Mlp<Scalar>& net, Workspace<Scalar>& ws, Eigen::Index n, bool with_dropout) {
  const auto& params = net.parameters();
  const Activation a = net.architecture().activation;
  for (int l = net.num_layers() - 1; l >= 0; --l) {
    const auto d = ws.delta[l].leftCols(n);
    if (l == 0) {
      net.kernel(ws.gradient, l).noalias() = d * ws.input.leftCols(n).transpose();
    } else {
      net.kernel(ws.gradient, l).noalias() = d * ws.act[l - 1].leftCols(n).transpose();
    }
    net.bias(ws.gradient, l) = d.rowwise().sum();
    if (l == 0) break;
    auto back = ws.back.leftCols(n);
    const auto w = net.kernel(params, l);
    if (w.rows() == 1) {
      // One output (binary and regression tasks): an outer product, one scaled copy of the
      // kernel per sample; GEMM would pack, zero `back` first, and run with an inner size of 1.
      const auto kernel_column = w.row(0).transpose();
      for (Eigen::Index j = 0; j < n; ++j) back.col(j) = kernel_column * d(0, j);
    } else {
      back.noalias() = w.transpose() * d;
    }
    if (with_dropout) back.array() *= ws.mask[l - 1].leftCols(n).array();
    times_activation_derivative(a, ws.pre[l - 1].leftCols(n).array(), back.array(), ws.delta[l - 1].leftCols(n).array());
  }
}

template class Mlp<float>;
template class Mlp<double>;
template struct Workspace<float>;
template struct Workspace<double>;
template void forward<float>(const Mlp<float>&, Workspace<float>&, Eigen::Index, const ForwardNoise&);
template void forward<double>(const Mlp<double>&, Workspace<double>&, Eigen::Index, const ForwardNoise&);
template void backward<float>(const Mlp<float>&, Workspace<float>&, Eigen::Index, bool);
template void backward<double>(const Mlp<double>&, Workspace<double>&, Eigen::Index, bool);

}  // namespace hpsweep::nn
