// The OpenBLAS products against Eigen's, on the shapes and strides the network passes, and their
// reproducibility when many threads call at once (the serial OpenBLAS must be thread-safe).

#include <gtest/gtest.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <cstdlib>
#include <vector>

#include "hpsweep/nn/gemm.hpp"

namespace hpsweep::nn {
namespace {

template <typename Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

template <typename Scalar>
void expect_product(bool ta, bool tb, Eigen::Index m, Eigen::Index n, Eigen::Index k, double tolerance) {
  // Operands and output live inside larger matrices, so the outer strides are not the row counts.
  const Matrix<Scalar> big_a = Matrix<Scalar>::Random(ta ? k + 3 : m + 3, ta ? m + 2 : k + 2);
  const Matrix<Scalar> big_b = Matrix<Scalar>::Random(tb ? n + 5 : k + 5, tb ? k + 1 : n + 1);
  Matrix<Scalar> big_c = Matrix<Scalar>::Random(m + 4, n + 2);
  const auto a = big_a.block(1, 1, ta ? k : m, ta ? m : k);
  const auto b = big_b.block(2, 0, tb ? n : k, tb ? k : n);
  const Matrix<Scalar> c0 = big_c.block(3, 1, m, n);
  const Matrix<Scalar> untouched = big_c;
  const Matrix<Scalar> op_a = ta ? Matrix<Scalar>(a.transpose()) : Matrix<Scalar>(a);
  const Matrix<Scalar> op_b = tb ? Matrix<Scalar>(b.transpose()) : Matrix<Scalar>(b);
  const Matrix<Scalar> expected = Scalar(0.5) * op_a * op_b + Scalar(2) * c0;
  gemm<Scalar>(ta, tb, Scalar(0.5), a, b, Scalar(2), big_c.block(3, 1, m, n));
  const Matrix<Scalar> got = big_c.block(3, 1, m, n);
  EXPECT_LE((got - expected).norm(), tolerance * expected.norm()) << "ta " << ta << " tb " << tb << " m " << m;
  big_c.block(3, 1, m, n) = untouched.block(3, 1, m, n);
  EXPECT_EQ(big_c, untouched) << "only the output block may change";
}

TEST(Gemm, MatchesEigenForEveryTransposeAndStride) {
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      expect_product<float>(ta, tb, 37, 19, 53, 1e-5);
      expect_product<double>(ta, tb, 37, 19, 53, 1e-13);
      expect_product<float>(ta, tb, 1, 7, 300, 1e-5);   // one output row, a long inner size
      expect_product<double>(ta, tb, 130, 1, 2, 1e-13);  // one column
    }
  }
}

TEST(Gemm, EmptyInnerSizeScalesTheOutputOnly) {
  Matrix<double> a(4, 0), b(0, 3);
  Matrix<double> c = Matrix<double>::Constant(4, 3, 1.5);
  gemm<double>(false, false, 1.0, a, b, 2.0, c);
  EXPECT_EQ(c, Matrix<double>::Constant(4, 3, 3.0));
}

// Debian's serial OpenBLAS fails this (it is built without locking): calls of different shapes at
// once corrupt each other's buffers.
TEST(Gemm, ConcurrentCallsOfDifferentShapesGiveTheSerialBits) {
  std::vector<Matrix<float>> a, b, serial;
  for (int s = 0; s < 8; ++s) {
    a.push_back(Matrix<float>::Random(40 + 37 * s, 30 + 53 * s));
    b.push_back(Matrix<float>::Random(30 + 53 * s, 20 + 11 * s));
    serial.emplace_back(a.back().rows(), b.back().cols());
    gemm<float>(false, false, 1.0f, a.back(), b.back(), 0.0f, serial.back());
  }
  std::atomic<int> mismatches{0};
  tbb::parallel_for(0, 4000, [&](int i) {
    const auto s = static_cast<std::size_t>(i % 8);
    Matrix<float> c(serial[s].rows(), serial[s].cols());
    gemm<float>(false, false, 1.0f, a[s], b[s], 0.0f, c);
    if (c != serial[s]) ++mismatches;
  });
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Gemm, LeavesTheEnvironmentAsItFoundIt) {
  if (std::getenv("OPENBLAS_NUM_THREADS") != nullptr) GTEST_SKIP() << "OPENBLAS_NUM_THREADS is set by the caller";
  load_blas();
  EXPECT_EQ(std::getenv("OPENBLAS_NUM_THREADS"), nullptr) << "programs started later must not inherit it";
}

// The kernel follows the CPU, not OPENBLAS_CORETYPE (this project's machines set it to Haswell for
// other programs, which would halve the speed on AVX-512).
TEST(Gemm, KernelFollowsTheCpuNotOpenblasCoretype) {
  if (std::getenv("HPSWEEP_OPENBLAS_CORETYPE") != nullptr) GTEST_SKIP() << "HPSWEEP_OPENBLAS_CORETYPE chooses it";
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl")) {
    EXPECT_EQ(blas_kernel(), "SkylakeX");
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    EXPECT_EQ(blas_kernel(), "Haswell");
  } else {
    GTEST_SKIP() << "OpenBLAS chooses on this CPU";
  }
}

}  // namespace
}  // namespace hpsweep::nn
