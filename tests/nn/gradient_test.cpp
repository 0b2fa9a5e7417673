// Every layer, loss and the L2 term against central finite differences in float64.

#include <gtest/gtest.h>

#include "hpsweep/nn/loss.hpp"
#include "hpsweep/nn/network.hpp"

namespace hpsweep::nn {
namespace {

using Matrix = Mlp<double>::Matrix;
using Vector = Mlp<double>::Vector;

struct Case {
  data::Task task;
  int outputs;
  int depth;
  Activation activation;
  double dropout;
  double l2;
};

/// A small problem with fixed inputs, targets and training noise, so the objective is a
/// deterministic function of the parameters.
class Problem {
 public:
  Problem(const Case& c, std::uint64_t seed)
      : case_(c), net_(Architecture{5, 7, c.depth, c.outputs, c.activation}), ws_(net_, kSamples, c.dropout > 0) {
    net_.init_glorot(seed);
    core::Rng rng(seed + 1);
    for (Eigen::Index i = 0; i < net_.num_parameters(); ++i) net_.parameters()(i) += 0.1 * rng.normal();  // biases too
    inputs_ = Matrix::NullaryExpr(5, kSamples, [&] { return rng.normal(); });
    targets_.resize(kSamples);
    for (int i = 0; i < kSamples; ++i) {
      targets_(i) = c.task == data::Task::kRegression ? rng.normal() : double(rng.below(std::uint64_t(std::max(c.outputs, 2))));
    }
  }

  /// Mean loss plus the L2 penalty: the training objective.
  double objective() {
    run_forward();
    return loss_sum<double>(case_.task, ws_.pre.back().leftCols(kSamples), targets_.data()) / kSamples +
           net_.l2_penalty(case_.l2);
  }

  Vector analytic_gradient() {
    run_forward();
    (void)loss_sum_and_gradient<double>(case_.task, ws_.pre.back().leftCols(kSamples), targets_.data(),
                                        ws_.delta.back().leftCols(kSamples));
    backward(net_, ws_, kSamples, case_.dropout > 0);
    Vector g = ws_.gradient / kSamples;
    net_.add_l2_gradient(case_.l2, g);
    return g;
  }

  Vector numeric_gradient() {
    Vector g(net_.num_parameters());
    const double h = 1e-6;
    for (Eigen::Index i = 0; i < g.size(); ++i) {
      const double saved = net_.parameters()(i);
      net_.parameters()(i) = saved + h;
      const double plus = objective();
      net_.parameters()(i) = saved - h;
      const double minus = objective();
      net_.parameters()(i) = saved;
      g(i) = (plus - minus) / (2 * h);
    }
    return g;
  }

 private:
  static constexpr int kSamples = 9;

  void run_forward() {
    ws_.input.leftCols(kSamples) = inputs_;
    core::Rng rng(12345);  // the same dropout mask on every call
    forward(net_, ws_, kSamples, ForwardNoise{case_.dropout, 0.0, &rng});
  }

  Case case_;
  Mlp<double> net_;
  Workspace<double> ws_;
  Matrix inputs_;
  Vector targets_;
};

double relative_error(const Vector& a, const Vector& b) {
  return (a - b).norm() / std::max({a.norm(), b.norm(), 1e-12});
}

class GradientTest : public ::testing::TestWithParam<Case> {};

TEST_P(GradientTest, MatchesCentralDifferences) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    Problem problem(GetParam(), seed);
    const Vector analytic = problem.analytic_gradient();
    const Vector numeric = problem.numeric_gradient();
    EXPECT_LT(relative_error(analytic, numeric), 1e-6) << "seed " << seed;
    EXPECT_GT(analytic.norm(), 1e-3) << "a zero gradient would pass trivially";
  }
}

INSTANTIATE_TEST_SUITE_P(
    LayersLossesPenalty, GradientTest,
    ::testing::Values(Case{data::Task::kBinary, 1, 1, Activation::kRelu, 0.0, 0.0},
                      Case{data::Task::kBinary, 1, 2, Activation::kTanh, 0.0, 0.01},
                      Case{data::Task::kBinary, 1, 1, Activation::kGelu, 0.0, 0.0},
                      Case{data::Task::kBinary, 1, 2, Activation::kRelu, 0.3, 0.05},
                      Case{data::Task::kMulticlass, 4, 1, Activation::kRelu, 0.0, 0.0},
                      Case{data::Task::kMulticlass, 3, 2, Activation::kGelu, 0.25, 0.01},
                      Case{data::Task::kRegression, 1, 1, Activation::kTanh, 0.0, 0.0},
                      Case{data::Task::kRegression, 1, 3, Activation::kRelu, 0.5, 0.1},
                      Case{data::Task::kBinary, 1, 0, Activation::kRelu, 0.0, 0.1}));

TEST(L2Penalty, IsLambdaTimesSumOfSquaredKernelsOnly) {
  Mlp<double> net(Architecture{3, 4, 1, 1, Activation::kRelu});
  net.init_glorot(7);
  net.bias(net.parameters(), 0).setConstant(5.0);  // biases must not count
  double expected = 0.0;
  for (int l = 0; l < net.num_layers(); ++l) expected += net.kernel(net.parameters(), l).squaredNorm();
  EXPECT_NEAR(net.l2_penalty(0.01), 0.01 * expected, 1e-12);
  EXPECT_EQ(net.l2_penalty(0.0), 0.0);
}

TEST(Init, GlorotUniformKernelsAndZeroBiases) {
  Mlp<double> net(Architecture{10, 128, 1, 1, Activation::kRelu});
  net.init_glorot(3);
  const double limit = std::sqrt(6.0 / (10 + 128));
  const auto w = net.kernel(net.parameters(), 0);
  EXPECT_LE(w.maxCoeff(), limit);
  EXPECT_GE(w.minCoeff(), -limit);
  // Uniform on [-limit, limit]: variance limit^2 / 3.
  const double variance = w.squaredNorm() / double(w.size());
  EXPECT_NEAR(variance, limit * limit / 3, 0.1 * limit * limit / 3);
  EXPECT_EQ(net.bias(net.parameters(), 0).squaredNorm(), 0.0);
  EXPECT_EQ(net.bias(net.parameters(), 1).squaredNorm(), 0.0);
}

}  // namespace
}  // namespace hpsweep::nn
