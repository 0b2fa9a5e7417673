// Losses from logits: the textbook formulas where they are safe, finite where they are not.

#include <gtest/gtest.h>

#include <cmath>

#include "hpsweep/nn/loss.hpp"

namespace hpsweep::nn {
namespace {

using Matrix = Eigen::MatrixXd;

TEST(BinaryCrossEntropy, MatchesTextbookFormula) {
  Matrix z(1, 3);
  z << -2.0, 0.3, 1.5;
  const double y[3] = {0.0, 1.0, 1.0};
  double expected = 0.0;
  for (int i = 0; i < 3; ++i) {
    const double p = 1.0 / (1.0 + std::exp(-z(0, i)));
    expected += -(y[i] * std::log(p) + (1 - y[i]) * std::log(1 - p));
  }
  EXPECT_NEAR(loss_sum<double>(data::Task::kBinary, z, y), expected, 1e-12);
}

TEST(BinaryCrossEntropy, StableForHugeLogits) {
  Matrix z(1, 2);
  z << 1000.0, -1000.0;
  const double y[2] = {0.0, 1.0};  // confidently wrong: loss ~1000 each, not Inf
  Matrix g(1, 2);
  const double loss = loss_sum_and_gradient<double>(data::Task::kBinary, z, y, g);
  EXPECT_NEAR(loss, 2000.0, 1e-9);
  EXPECT_DOUBLE_EQ(g(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(g(0, 1), -1.0);
  const float yf[2] = {0.0f, 1.0f};
  Eigen::MatrixXf zf = z.cast<float>();
  EXPECT_TRUE(std::isfinite(loss_sum<float>(data::Task::kBinary, zf, yf)));
}

TEST(SoftmaxCrossEntropy, MatchesTextbookAndIsShiftInvariant) {
  Matrix z(3, 2);
  z << 1.0, 500.0, 2.0, 501.0, 0.5, 499.0;
  const double y[2] = {1.0, 0.0};
  const double first = -std::log(std::exp(2.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(0.5)));
  const double second = -std::log(std::exp(0.0) / (std::exp(0.0) + std::exp(1.0) + std::exp(-1.0)));
  EXPECT_NEAR(loss_sum<double>(data::Task::kMulticlass, z, y), first + second, 1e-9);
}

TEST(MeanSquaredError, IsMeanOverOutputs) {
  Matrix z(1, 2);
  z << 1.0, -1.0;
  const double y[2] = {3.0, -1.5};
  EXPECT_NEAR(loss_sum<double>(data::Task::kRegression, z, y), 4.0 + 0.25, 1e-12);
}

TEST(LossGradient, MatchesFiniteDifferencesOnLogits) {
  for (data::Task task : {data::Task::kBinary, data::Task::kMulticlass, data::Task::kRegression}) {
    const int rows = task == data::Task::kMulticlass ? 4 : 1;
    Matrix z = Matrix::Random(rows, 5) * 3.0;
    const double y[5] = {1, 0, task == data::Task::kMulticlass ? 3.0 : 1.0, 0, 1};
    Matrix g(rows, 5);
    (void)loss_sum_and_gradient<double>(task, z, y, g);
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      Matrix plus = z, minus = z;
      plus(i) += 1e-6;
      minus(i) -= 1e-6;
      const double numeric = (loss_sum<double>(task, plus, y) - loss_sum<double>(task, minus, y)) / 2e-6;
      EXPECT_NEAR(g(i), numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << data::task_name(task) << " " << i;
    }
  }
}

TEST(Metric, AccuracyCountsAndSquaredErrors) {
  Matrix z(1, 4);
  z << 2.0, -1.0, 0.5, -0.2;
  const double y[4] = {1, 0, 0, 0};
  EXPECT_EQ(metric_sum<double>(data::Task::kBinary, z, y), 3.0);
  Matrix zm(3, 2);
  zm << 0, 5, 1, 0, 0, 0;
  const double ym[2] = {1, 2};
  EXPECT_EQ(metric_sum<double>(data::Task::kMulticlass, zm, ym), 1.0);
  EXPECT_NEAR(metric_sum<double>(data::Task::kRegression, z, y), 1.0 + 1.0 + 0.25 + 0.04, 1e-12);
}

}  // namespace
}  // namespace hpsweep::nn
