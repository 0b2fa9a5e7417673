// Optimizer updates against the Keras formulas worked by hand.

#include <gtest/gtest.h>

#include <cmath>

#include "hpsweep/nn/optimizer.hpp"

namespace hpsweep::nn {
namespace {

using Vector = Eigen::VectorXd;

TEST(Adam, TwoStepsMatchKerasFormula) {
  TrainConfig c;
  c.lr = 0.1;
  Optimizer<double> adam(c, 1);
  Vector w(1), g(1);
  w << 1.0;
  double m = 0, v = 0, expected = 1.0;
  for (int t = 1; t <= 2; ++t) {
    const double grad = t == 1 ? 0.5 : -0.25;
    g << grad;
    adam.step(w, g);
    m += (grad - m) * (1 - 0.9);
    v += (grad * grad - v) * (1 - 0.999);
    const double alpha = 0.1 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
    expected -= m * alpha / (std::sqrt(v) + 1e-7);
    EXPECT_NEAR(w(0), expected, 1e-12) << "step " << t;
  }
}

TEST(Sgd, MomentumAndNesterovMatchKerasFormula) {
  for (bool nesterov : {false, true}) {
    TrainConfig c;
    c.optimizer = OptimizerKind::kSgd;
    c.lr = 0.1;
    c.momentum = 0.9;
    c.nesterov = nesterov;
    Optimizer<double> sgd(c, 1);
    Vector w(1), g(1);
    w << 1.0;
    g << 2.0;
    double velocity = 0, expected = 1.0;
    for (int t = 0; t < 3; ++t) {
      sgd.step(w, g);
      velocity = 0.9 * velocity - 0.1 * 2.0;
      expected += nesterov ? 0.9 * velocity - 0.1 * 2.0 : velocity;
      EXPECT_NEAR(w(0), expected, 1e-12);
    }
  }
}

TEST(WeightDecay, ShrinksParametersByLrTimesDecayBeforeTheStep) {
  TrainConfig c;
  c.optimizer = OptimizerKind::kSgd;
  c.lr = 0.1;
  c.weight_decay = 0.5;
  Optimizer<double> sgd(c, 2);
  Vector w(2), g = Vector::Zero(2);
  w << 2.0, -4.0;
  sgd.step(w, g);
  EXPECT_NEAR(w(0), 2.0 * (1 - 0.05), 1e-12);
  EXPECT_NEAR(w(1), -4.0 * (1 - 0.05), 1e-12);
}

}  // namespace
}  // namespace hpsweep::nn
