#include "hpsweep/nn/network.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "hpsweep/core/system.hpp"
#include "hpsweep/nn/gemm.hpp"

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
  // Allocated once per trial; large ones are worth huge pages (see core::prefer_huge_pages).
  auto advise = [](Matrix& m) { core::prefer_huge_pages(m.data(), sizeof(Scalar) * static_cast<std::size_t>(m.size())); };
  for (auto* buffers : {&pre, &act, &mask, &delta}) {
    for (Matrix& m : *buffers) advise(m);
  }
  advise(back);
}

namespace {

/// Multiply-adds of an m x k by k x n product, twice.
double product_flops(Eigen::Index m, Eigen::Index n, Eigen::Index k) {
  return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
}

}  // namespace

RowBlocks row_blocks(Eigen::Index m, Eigen::Index n, Eigen::Index k) noexcept {
  // Rows come in whole AVX-512 registers of floats.
  constexpr Eigen::Index kAlign = 16;
  if (m <= 0) return RowBlocks{0, 0};
  const double flops = product_flops(m, n, k);
  const auto by_work = static_cast<Eigen::Index>(std::min(flops / kMinTaskFlops, double(kMaxRowBlocks)));
  const Eigen::Index count = std::clamp<Eigen::Index>(std::min(by_work, m / kAlign), 1, kMaxRowBlocks);
  if (count == 1) return RowBlocks{m, 1};
  const Eigen::Index rows = ((m + count - 1) / count + kAlign - 1) / kAlign * kAlign;
  return RowBlocks{rows, static_cast<int>((m + rows - 1) / rows)};
}

namespace {

/// Runs f(0) .. f(count - 1), as oneTBB tasks when there is more than one and `flops` in all
/// are worth two tasks. Blocks write disjoint outputs: in order on one thread, the same bits.
template <typename F>
void for_each_block(int count, double flops, const F& f) {
  if (count > 1 && flops >= 2 * kMinTaskFlops) {
    tbb::parallel_for(0, count, f);
  } else {
    for (int block = 0; block < count; ++block) f(block);
  }
}

/// Inverted-dropout mask (0 or 1/(1-rate)) of a block, drawn column by column.
template <typename Block>
void fill_dropout_mask(Block&& mask, double rate, core::Rng& rng) {
  using Scalar = typename std::decay_t<Block>::Scalar;
  const Scalar keep_scale = static_cast<Scalar>(1.0 / (1.0 - rate));
  const auto threshold = static_cast<std::uint32_t>(rate * 4294967296.0);
  for (Eigen::Index j = 0; j < mask.cols(); ++j) {
    Scalar* m = &mask(0, j);
    const Eigen::Index count = mask.rows();
    Eigen::Index i = 0;
    // Two 32-bit draws per 64-bit output: dropout masks are the hottest use of random numbers.
    for (; i + 1 < count; i += 2) {
      const std::uint64_t bits = rng.next();
      m[i] = static_cast<std::uint32_t>(bits) >= threshold ? keep_scale : Scalar(0);
      m[i + 1] = static_cast<std::uint32_t>(bits >> 32) >= threshold ? keep_scale : Scalar(0);
    }
    if (i < count) m[i] = static_cast<std::uint32_t>(rng.next()) >= threshold ? keep_scale : Scalar(0);
  }
}

}  // namespace

template <typename Scalar>
void forward(const Mlp<Scalar>& net, Workspace<Scalar>& ws, Eigen::Index n, const ForwardNoise& noise) {
  const auto& params = net.parameters();
  if (noise.input_noise > 0.0) {
    core::Rng rng(core::derive_seed(noise.seed, {0x1e}));
    auto x = ws.input.leftCols(n);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, j) += static_cast<Scalar>(noise.input_noise * rng.normal());
    }
  }
  const Activation a = net.architecture().activation;
  for (int l = 0; l < net.num_layers(); ++l) {
    const auto in = l == 0 ? ws.input.leftCols(n) : ws.act[l - 1].leftCols(n);
    const auto w = net.kernel(params, l);
    const auto b = net.bias(params, l);
    const bool last = l + 1 == net.num_layers();
    const RowBlocks blocks = row_blocks(w.rows(), n, w.cols());
    for_each_block(blocks.count, product_flops(w.rows(), n, w.cols()), [&](int block) {
      const Eigen::Index r0 = blocks.begin(block);
      const Eigen::Index rows = std::min(blocks.rows, w.rows() - r0);
      auto z = ws.pre[l].block(r0, 0, rows, n);
      // Start from the bias and accumulate the product (beta = 1): one pass less over z.
      for (Eigen::Index j = 0; j < n; ++j) z.col(j) = b.segment(r0, rows);
      gemm<Scalar>(false, false, Scalar(1), w.middleRows(r0, rows), in, Scalar(1), z);
      if (last) return;
      auto h = ws.act[l].block(r0, 0, rows, n);
      activate(a, z.array(), h.array());
      if (noise.dropout > 0.0) {
        auto m = ws.mask[l].block(r0, 0, rows, n);
        core::Rng rng(core::derive_seed(noise.seed, {0xd0, std::uint64_t(l), std::uint64_t(block)}));
        fill_dropout_mask(m, noise.dropout, rng);
        h.array() *= m.array();
      }
    });
  }
}

template <typename Scalar>
void backward(const Mlp<Scalar>& net, Workspace<Scalar>& ws, Eigen::Index n, bool with_dropout, double l2) {
  const auto& params = net.parameters();
  const Activation a = net.architecture().activation;
  for (int l = net.num_layers() - 1; l >= 0; --l) {
    const auto d = ws.delta[l].leftCols(n);
    const auto in = l == 0 ? ws.input.leftCols(n) : ws.act[l - 1].leftCols(n);
    const auto w = net.kernel(params, l);
    auto dw = net.kernel(ws.gradient, l);
    auto db = net.bias(ws.gradient, l);
    // Two disjoint kinds of blocks run together: rows of this layer's kernel gradient, and rows
    // of the delta sent to the layer below.
    const RowBlocks kernel_blocks = row_blocks(w.rows(), w.cols(), n);
    const RowBlocks back_blocks = l > 0 ? row_blocks(w.cols(), n, w.rows()) : RowBlocks{};
    // A small layer's two products (at width 128, batch 32: 0.3 MFLOP) would each wake a thread.
    const double flops = product_flops(w.rows(), w.cols(), n) * (l > 0 ? 2 : 1);
    for_each_block(kernel_blocks.count + back_blocks.count, flops, [&](int block) {
      if (block < kernel_blocks.count) {
        const Eigen::Index r0 = kernel_blocks.begin(block);
        const Eigen::Index rows = std::min(kernel_blocks.rows, w.rows() - r0);
        gemm<Scalar>(false, true, Scalar(1), d.middleRows(r0, rows), in, Scalar(0), dw.middleRows(r0, rows));
        db.segment(r0, rows) = d.middleRows(r0, rows).rowwise().sum();
        if (l2 != 0.0) dw.middleRows(r0, rows) += static_cast<Scalar>(2.0 * l2) * w.middleRows(r0, rows);
        return;
      }
      const int mine = block - kernel_blocks.count;
      const Eigen::Index c0 = back_blocks.begin(mine);
      const Eigen::Index count = std::min(back_blocks.rows, w.cols() - c0);
      auto back = ws.back.block(c0, 0, count, n);
      if (w.rows() == 1) {
        // One output (binary and regression tasks): an outer product, one scaled copy of the
        // kernel per sample; GEMM would run with an inner size of 1.
        const auto kernel_column = w.row(0).segment(c0, count).transpose();
        for (Eigen::Index j = 0; j < n; ++j) back.col(j) = kernel_column * d(0, j);
      } else {
        gemm<Scalar>(true, false, Scalar(1), w.middleCols(c0, count), d, Scalar(0), back);
      }
      if (with_dropout) back.array() *= ws.mask[l - 1].block(c0, 0, count, n).array();
      times_activation_derivative(a, ws.pre[l - 1].block(c0, 0, count, n).array(), back.array(),
                                  ws.delta[l - 1].block(c0, 0, count, n).array());
    });
  }
}

template class Mlp<float>;
template class Mlp<double>;
template struct Workspace<float>;
template struct Workspace<double>;
template void forward<float>(const Mlp<float>&, Workspace<float>&, Eigen::Index, const ForwardNoise&);
template void forward<double>(const Mlp<double>&, Workspace<double>&, Eigen::Index, const ForwardNoise&);
template void backward<float>(const Mlp<float>&, Workspace<float>&, Eigen::Index, bool, double);
template void backward<double>(const Mlp<double>&, Workspace<double>&, Eigen::Index, bool, double);

}  // namespace hpsweep::nn
