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
  Problem(const Case& c, std::uint64_t seed, int width = 7, int samples = 9)
      : case_(c), samples_(samples), net_(Architecture{5, width, c.depth, c.outputs, c.activation}), ws_(net_, samples, c.dropout > 0) {
    net_.init_glorot(seed);
    core::Rng rng(seed + 1);
    for (Eigen::Index i = 0; i < net_.num_parameters(); ++i) net_.parameters()(i) += 0.1 * rng.normal();  // biases too
    inputs_ = Matrix::NullaryExpr(5, samples_, [&] { return rng.normal(); });
    targets_.resize(samples_);
    for (int i = 0; i < samples_; ++i) {
      targets_(i) = c.task == data::Task::kRegression ? rng.normal() : double(rng.below(std::uint64_t(std::max(c.outputs, 2))));
    }
  }

  /// Mean loss plus the L2 penalty: the training objective.
  double objective() {
    run_forward();
    return loss_sum<double>(case_.task, ws_.pre.back().leftCols(samples_), targets_.data()) / samples_ +
           net_.l2_penalty(case_.l2);
  }

  Vector analytic_gradient() {
    run_forward();
    (void)loss_sum_and_gradient<double>(case_.task, ws_.pre.back().leftCols(samples_), targets_.data(),
                                        ws_.delta.back().leftCols(samples_));
    ws_.delta.back().leftCols(samples_) /= samples_;  // the mean loss's gradient
    backward(net_, ws_, samples_, case_.dropout > 0, case_.l2);
    return ws_.gradient;
  }

  Vector numeric_gradient() {
    Vector g(net_.num_parameters());
    for (Eigen::Index i = 0; i < g.size(); ++i) g(i) = numeric_derivative(i);
    return g;
  }

  double numeric_derivative(Eigen::Index i) {
    const double h = 1e-6;
    const double saved = net_.parameters()(i);
    net_.parameters()(i) = saved + h;
    const double plus = objective();
    net_.parameters()(i) = saved - h;
    const double minus = objective();
    net_.parameters()(i) = saved;
    return (plus - minus) / (2 * h);
  }

  const Mlp<double>& net() const { return net_; }

 private:
  void run_forward() {
    ws_.input.leftCols(samples_) = inputs_;
    forward(net_, ws_, samples_, ForwardNoise{case_.dropout, 0.0, 12345});  // the same dropout mask on every call
  }

  Case case_;
  int samples_;
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

// A layer wide enough, over enough samples, to be cut into row blocks (the last one shorter):
// sampled coordinates of every layer's kernel and bias, in every block, against central differences.
TEST(BlockedLayers, MatchCentralDifferences) {
  const Case c{data::Task::kMulticlass, 3, 2, Activation::kRelu, 0.3, 0.01};
  Problem problem(c, 4, 200, 400);
  ASSERT_GT(row_blocks(200, 400, 200).count, 1);
  const Vector analytic = problem.analytic_gradient();
  const Mlp<double>& net = problem.net();
  core::Rng rng(9);
  int checked = 0;
  for (int l = 0; l < net.num_layers(); ++l) {
    const Eigen::Index kernel_start = net.kernel(net.parameters(), l).data() - net.parameters().data();
    const Eigen::Index rows = net.layer_outputs(l), cols = net.layer_inputs(l);
    for (int draw = 0; draw < 12; ++draw) {
      // Rows from the first and the last block, the bias too.
      const Eigen::Index row = draw % 2 == 0 ? Eigen::Index(rng.below(std::uint64_t(rows))) : rows - 1 - draw % 5 % rows;
      const Eigen::Index index = draw % 4 == 3 ? kernel_start + rows * cols + row
                                               : kernel_start + Eigen::Index(rng.below(std::uint64_t(cols))) * rows + row;
      const double numeric = problem.numeric_derivative(index);
      EXPECT_NEAR(analytic(index), numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << "layer " << l << " parameter " << index;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 36);
  EXPECT_GT(analytic.norm(), 1e-3);
}

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
