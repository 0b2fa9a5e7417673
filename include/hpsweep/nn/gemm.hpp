#pragma once
/// The matrix products of training and evaluation, on OpenBLAS's GEMM run in the calling thread.
///
/// Why OpenBLAS: on AVX-512 machines Eigen 3.4's GEMM peaks near 52% of the FMA peak, OpenBLAS's
/// SkylakeX kernels near 77% (bench/fma_peak, bench/shapes_vs_torch.py). Why single-threaded:
/// with one thread and a fixed shape its results are bitwise reproducible; hpsweep parallelizes
/// around it by giving each thread a disjoint block of a product's rows (nn/network.cpp).
///
/// OpenBLAS (Debian's pthread flavour, held to one thread) is loaded with dlopen on first use, from
/// the path found at configure time, so that its settings can be chosen first: Debian's OpenBLAS 0.3.21 does not recognise AVX-512
/// AMD CPUs and would run its AVX2 kernels at half the speed. hpsweep picks the kernel from the
/// CPU's instruction sets (SkylakeX with AVX-512, Haswell with AVX2), so that every node of a kind
/// runs the same kernel and gives the same numbers whatever OPENBLAS_CORETYPE says (it is often set
/// for numpy or PyTorch); HPSWEEP_OPENBLAS_CORETYPE overrides the choice.

#include <Eigen/Core>
#include <string>

namespace hpsweep::nn {

/// Loads OpenBLAS now (it is otherwise loaded on the first product). Throws core::Error
/// (ExitCode::kInternal) with the package to install if the library is missing.
void load_blas();

/// The OpenBLAS kernel in use, e.g. "SkylakeX" (loads the library).
[[nodiscard]] std::string blas_kernel();

/// C = alpha·op(A)·op(B) + beta·C on column-major blocks (any outer stride), op = transpose when
/// the flag is set. The shapes must agree; C must not alias A or B.
template <typename Scalar>
void gemm(bool transpose_a, bool transpose_b, Scalar alpha,
          const Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>& a,
          const Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>& b,
          Scalar beta, Eigen::Ref<Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>> c);

}  // namespace hpsweep::nn
