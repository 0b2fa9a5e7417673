#include "hpsweep/nn/gemm.hpp"

#include <dlfcn.h>

#include <cassert>
#include <cstdlib>
#include <limits>
#include <optional>
#include <type_traits>

#include "hpsweep/core/error.hpp"

#ifndef HPSWEEP_OPENBLAS_LIBRARY
#error "HPSWEEP_OPENBLAS_LIBRARY must name the OpenBLAS library (set by CMake)"
#endif

namespace hpsweep::nn {
namespace {

// The CBLAS interface (32-bit integers, as Debian's libopenblas0 has), declared here so that only
// the run-time package is needed.
constexpr int kColMajor = 102, kNoTrans = 111, kTrans = 112;
template <typename Scalar>
using CblasGemm = void (*)(int order, int transa, int transb, int m, int n, int k, Scalar alpha, const Scalar* a, int lda,
                           const Scalar* b, int ldb, Scalar beta, Scalar* c, int ldc);

/// The entry points hpsweep uses, resolved from the loaded library.
struct Blas {
  CblasGemm<float> sgemm = nullptr;
  CblasGemm<double> dgemm = nullptr;
  std::string kernel;
};

/// Sets an environment variable for the life of the object, then puts back what was there: the
/// settings are for OpenBLAS's constructor only, not for programs hpsweep starts later.
class ScopedEnv {
 public:
  /// Sets `name` to `value`, or unsets it when `value` is empty.
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value.empty()) {
      unsetenv(name);
    } else {
      setenv(name, value.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

/// The OpenBLAS kernel for this CPU: HPSWEEP_OPENBLAS_CORETYPE if set, else SkylakeX with AVX-512
/// (F, BW, DQ, VL), Haswell with AVX2 and FMA, else empty (OpenBLAS's own detection). Chosen from
/// the CPU, not from OPENBLAS_CORETYPE, which is often set for other programs (numpy, PyTorch):
/// hpsweep's numbers must depend on the machine alone.
std::string kernel_for_this_cpu() {
  if (const char* chosen = std::getenv("HPSWEEP_OPENBLAS_CORETYPE")) return chosen;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl")) {
    return "SkylakeX";
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return "";
}

Blas open_blas() {
  void* library = nullptr;
  {
    // OpenBLAS reads these once, in its constructor. One thread: hpsweep's threads are the only
    // parallelism (and OpenBLAS's own would make sums depend on the thread count). The kernel:
    // see gemm.hpp. The pthread flavour, because Debian's serial one is built without locking
    // and gives wrong results when several threads call it at once.
    ScopedEnv one_thread("OPENBLAS_NUM_THREADS", "1");
    ScopedEnv kernel("OPENBLAS_CORETYPE", kernel_for_this_cpu());
    library = dlopen(HPSWEEP_OPENBLAS_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  }
  if (library == nullptr) {
    const char* why = dlerror();
    throw core::Error(std::string("cannot load OpenBLAS (") + HPSWEEP_OPENBLAS_LIBRARY + "): " + (why ? why : "unknown error") +
                          "; install it with: apt-get install libopenblas0-pthread",
                      core::ExitCode::kInternal);
  }
  Blas blas;
  blas.sgemm = reinterpret_cast<CblasGemm<float>>(dlsym(library, "cblas_sgemm"));
  blas.dgemm = reinterpret_cast<CblasGemm<double>>(dlsym(library, "cblas_dgemm"));
  if (blas.sgemm == nullptr || blas.dgemm == nullptr) {
    throw core::Error(std::string(HPSWEEP_OPENBLAS_LIBRARY) + " has no cblas_sgemm/cblas_dgemm; install libopenblas0-pthread",
                      core::ExitCode::kInternal);
  }
  if (const auto set_threads = reinterpret_cast<void (*)(int)>(dlsym(library, "openblas_set_num_threads"))) set_threads(1);
  const auto core_name = reinterpret_cast<char* (*)()>(dlsym(library, "openblas_get_corename"));
  blas.kernel = core_name != nullptr ? core_name() : "unknown";
  return blas;  // the library stays loaded for the life of the process
}

const Blas& blas() {
  static const Blas loaded = open_blas();  // thread-safe initialization
  return loaded;
}

int blas_int(Eigen::Index value) {
  assert(value >= 0 && value <= std::numeric_limits<int>::max());
  return static_cast<int>(value);
}

}  // namespace

void load_blas() { (void)blas(); }

std::string blas_kernel() { return blas().kernel; }

template <typename Scalar>
void gemm(bool transpose_a, bool transpose_b, Scalar alpha,
          const Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>& a,
          const Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>& b,
          Scalar beta, Eigen::Ref<Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>> c) {
  const Eigen::Index m = c.rows(), n = c.cols();
  const Eigen::Index k = transpose_a ? a.rows() : a.cols();
  assert((transpose_a ? a.cols() : a.rows()) == m);
  assert((transpose_b ? b.cols() : b.rows()) == k && (transpose_b ? b.rows() : b.cols()) == n);
  if (m == 0 || n == 0) return;
  // BLAS requires leading dimensions >= 1 even for empty operands.
  const int lda = blas_int(std::max<Eigen::Index>(a.outerStride(), 1));
  const int ldb = blas_int(std::max<Eigen::Index>(b.outerStride(), 1));
  const int ldc = blas_int(std::max<Eigen::Index>(c.outerStride(), 1));
  const int ta = transpose_a ? kTrans : kNoTrans;
  const int tb = transpose_b ? kTrans : kNoTrans;
  if constexpr (std::is_same_v<Scalar, float>) {
    blas().sgemm(kColMajor, ta, tb, blas_int(m), blas_int(n), blas_int(k), alpha, a.data(), lda, b.data(), ldb, beta,
                 c.data(), ldc);
  } else {
    blas().dgemm(kColMajor, ta, tb, blas_int(m), blas_int(n), blas_int(k), alpha, a.data(), lda, b.data(), ldb, beta,
                 c.data(), ldc);
  }
}

template void gemm<float>(bool, bool, float, const Eigen::Ref<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>&,
                          const Eigen::Ref<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>&, float,
                          Eigen::Ref<Eigen::MatrixXf, 0, Eigen::OuterStride<>>);
template void gemm<double>(bool, bool, double, const Eigen::Ref<const Eigen::MatrixXd, 0, Eigen::OuterStride<>>&,
                           const Eigen::Ref<const Eigen::MatrixXd, 0, Eigen::OuterStride<>>&, double,
                           Eigen::Ref<Eigen::MatrixXd, 0, Eigen::OuterStride<>>);

}  // namespace hpsweep::nn
