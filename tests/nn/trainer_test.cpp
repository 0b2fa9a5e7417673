// Training end to end: it learns, it is reproducible to the bit across threads, dropout and
// early stopping behave as in Keras, and divergence is a result.

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <thread>
#include <vector>

#include "hpsweep/data/split.hpp"
#include "hpsweep/data/synthetic.hpp"
#include "hpsweep/nn/network.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/nn/trainer.hpp"

namespace hpsweep::nn {
namespace {

data::Dataset xor_dataset() {
  data::Dataset d;
  d.features.resize(2, 4);
  d.features << 0, 0, 1, 1, 0, 1, 0, 1;
  d.target.resize(4);
  d.target << 0, 1, 1, 0;
  d.task = data::Task::kBinary;
  d.class_values = {0, 1};
  d.origin = "xor";
  return d;
}

data::Splits synthetic(int train, int val, double noise, std::uint64_t seed = 1) {
  data::Splits s = data::make_synthetic({.features = 10, .train = train, .val = val, .test = 0,
                                         .label_noise = noise, .seed = seed});
  data::standardize(s);
  return s;
}

TrainResult train_with_threads(const data::Splits& splits, const TrainConfig& config, int threads) {
  // Lift TBB's default cap (the core count) so that 4 threads really run on a 2-core machine.
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(threads);
  TrainResult result;
  arena.execute([&] { result = train(splits, config); });
  return result;
}

TEST(Trainer, LearnsXor) {
  data::Splits splits{xor_dataset(), xor_dataset(), {}};
  TrainConfig c;
  c.width = 16;
  c.activation = Activation::kTanh;
  c.lr = 0.05;
  c.batch_size = 4;
  c.epochs = 400;
  c.seed = 3;
  const TrainResult r = train(splits, c);
  EXPECT_EQ(r.curve.back().val_metric, 1.0);
  EXPECT_LT(r.curve.back().val_loss, 0.1);
}

TEST(Trainer, LearnsNonlinearSyntheticSetAndTrainingLossFalls) {
  const data::Splits splits = synthetic(2000, 1000, 0.05);
  TrainConfig c;
  c.width = 64;
  c.epochs = 30;
  c.seed = 2;
  const TrainResult mlp = train(splits, c);
  ASSERT_EQ(mlp.curve.size(), 30u);
  EXPECT_LT(mlp.curve.back().train_loss, 0.6 * mlp.curve.front().train_loss);
  c.depth = 0;  // logistic regression: cannot represent the x0*x1 term
  const TrainResult linear = train(splits, c);
  EXPECT_GT(mlp.best_val_metric, linear.best_val_metric + 0.05)
      << "mlp " << mlp.best_val_metric << " linear " << linear.best_val_metric;
  EXPECT_GT(mlp.best_val_metric, 0.85);
}

TEST(Trainer, BitwiseIdenticalFor1To4Threads) {
  const data::Splits splits = synthetic(1500, 700, 0.2);  // several eval chunks and a partial batch
  for (int batch : {32, 256, 1000}) {
    TrainConfig c;
    c.width = 200;  // row blocks of 64, 64, 64 and 8 at the larger batches
    c.depth = 2;
    c.dropout = 0.3;
    c.input_noise = 0.1;
    c.l2 = 1e-3;
    c.batch_size = batch;
    c.epochs = 4;
    c.seed = 11;
    ASSERT_EQ(row_blocks(c.width, batch, c.width).count > 1, batch >= 256) << "the blocked path must be exercised";
    const TrainResult one = train_with_threads(splits, c, 1);
    for (int threads : {2, 4}) {
      const TrainResult many = train_with_threads(splits, c, threads);
      ASSERT_EQ(one.curve.size(), many.curve.size());
      for (std::size_t e = 0; e < one.curve.size(); ++e) {
        EXPECT_EQ(one.curve[e].train_loss, many.curve[e].train_loss) << "batch " << batch << " threads " << threads;
        EXPECT_EQ(one.curve[e].val_loss, many.curve[e].val_loss);
        EXPECT_EQ(one.curve[e].val_metric, many.curve[e].val_metric);
        EXPECT_EQ(one.curve[e].l2_penalty, many.curve[e].l2_penalty);
      }
    }
  }
}

// Trials running side by side share one converted copy of the splits (TrainingData): it is made
// once per precision whoever asks first, and a trial on it has the numbers of a trial that
// converts for itself, to the bit, also while other trials read the same arrays.
TEST(TrainingData, ConvertedOncePerPrecisionAndSharedWithoutChangingAnyNumber) {
  const data::Splits splits = synthetic(600, 300, 0.2);
  const TrainingData shared(splits);
  std::vector<const ConvertedSplits<float>*> seen(4, nullptr);
  {
    std::vector<std::thread> askers;
    for (std::size_t i = 0; i < seen.size(); ++i) askers.emplace_back([&, i] { seen[i] = &shared.converted<float>(); });
    for (std::thread& t : askers) t.join();
  }
  for (const auto* s : seen) EXPECT_EQ(s, seen.front()) << "each asker got its own conversion";
  EXPECT_NE(static_cast<const void*>(&shared.converted<double>()), static_cast<const void*>(seen.front()));
  EXPECT_EQ(&shared.converted<double>(), &shared.converted<double>());

  for (Precision precision : {Precision::kFloat32, Precision::kFloat64}) {
    std::vector<TrainConfig> configs(3);
    for (std::size_t i = 0; i < configs.size(); ++i) {
      configs[i].precision = precision;
      configs[i].width = 24;
      configs[i].dropout = 0.2;
      configs[i].batch_size = 32;
      configs[i].epochs = 3;
      configs[i].seed = 40 + i;
    }
    std::vector<TrainResult> side_by_side(configs.size());
    {
      std::vector<std::thread> trials;
      for (std::size_t i = 0; i < configs.size(); ++i) {
        trials.emplace_back([&, i] { side_by_side[i] = train(shared, configs[i]); });
      }
      for (std::thread& t : trials) t.join();
    }
    for (std::size_t i = 0; i < configs.size(); ++i) {
      const TrainResult alone = train(splits, configs[i]);  // converts for itself
      ASSERT_EQ(alone.curve.size(), side_by_side[i].curve.size());
      for (std::size_t e = 0; e < alone.curve.size(); ++e) {
        EXPECT_EQ(alone.curve[e].train_loss, side_by_side[i].curve[e].train_loss) << precision_name(precision) << " trial " << i;
        EXPECT_EQ(alone.curve[e].val_loss, side_by_side[i].curve[e].val_loss);
      }
    }
  }
}

// Under MPI the values live in a node's shared window (runtime/node_data): a trial that reads them
// there has the numbers of one that converts for itself; a precision the window lacks is refused.
TEST(TrainingData, ValuesHeldElsewhereTrainAsTheTrialsOwnCopyAndAMissingPrecisionIsRefused) {
  const data::Splits splits = synthetic(500, 200, 0.2);
  std::vector<std::vector<float>> x, y;
  SplitsValues<float> values;
  for (const data::Dataset* d : {&splits.train, &splits.val, &splits.test}) {
    x.emplace_back(d->features.data(), d->features.data() + d->features.size());
    y.emplace_back(d->target.data(), d->target.data() + d->target.size());
  }
  for (std::size_t i = 0; i < 3; ++i) values[i] = {x[i].data(), y[i].data()};
  const TrainingData elsewhere(SplitsShape::of(splits), values, std::nullopt);
  TrainConfig c;
  c.width = 20;
  c.epochs = 3;
  c.seed = 9;
  const TrainResult there = train(elsewhere, c), own = train(splits, c);
  ASSERT_EQ(there.curve.size(), own.curve.size());
  for (std::size_t e = 0; e < own.curve.size(); ++e) {
    EXPECT_EQ(there.curve[e].train_loss, own.curve[e].train_loss);
    EXPECT_EQ(there.curve[e].val_loss, own.curve[e].val_loss);
  }
  c.precision = Precision::kFloat64;
  EXPECT_THROW((void)train(elsewhere, c), core::DataError);
}

// A sweep of float32 trials keeps only a float32 copy (runtime::keep_float32_data_only): the
// splits it was made from are gone when trials read it (to_float32 took their memory), and their
// numbers are unchanged.
TEST(TrainingData, AFloat32CopyOutlivesItsSplitsAndTrainsToTheSameBits) {
  TrainConfig c;
  c.width = 20;
  c.epochs = 3;
  c.seed = 9;
  c.dropout = 0.2;
  std::shared_ptr<const TrainingData> copy;
  TrainResult own;
  {
    data::Splits splits = synthetic(40000, 200, 0.2);  // more samples than a block to_float32 takes at once
    own = train(splits, c);
    copy = TrainingData::float32_owning(data::to_float32(std::move(splits)));
    EXPECT_EQ(splits.train.features.size(), 0);
  }  // a sanitizer build would see any read of the float64 splits' freed memory
  const TrainResult from_copy = train(*copy, c);
  ASSERT_EQ(from_copy.curve.size(), own.curve.size());
  for (std::size_t e = 0; e < own.curve.size(); ++e) {
    EXPECT_EQ(from_copy.curve[e].train_loss, own.curve[e].train_loss);
    EXPECT_EQ(from_copy.curve[e].val_loss, own.curve[e].val_loss);
  }
  c.precision = Precision::kFloat64;
  try {
    (void)train(*copy, c);
    ADD_FAILURE() << "a float64 trial trained on a float32 copy";
  } catch (const core::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("kept only in float32"), std::string::npos) << e.what();
  }
}

TEST(Trainer, SameSeedSameCurveOtherSeedOtherCurve) {
  const data::Splits splits = synthetic(500, 200, 0.2);
  TrainConfig c;
  c.epochs = 3;
  c.seed = 5;
  const TrainResult a = train(splits, c), b = train(splits, c);
  c.seed = 6;
  const TrainResult other = train(splits, c);
  EXPECT_EQ(a.curve.back().val_loss, b.curve.back().val_loss);
  EXPECT_NE(a.curve.back().val_loss, other.curve.back().val_loss);
}

TEST(Dropout, IsIdentityInEvaluationAndKeepsTheExpectationInTraining) {
  Mlp<double> net(Architecture{4, 32, 1, 1, Activation::kRelu});
  net.init_glorot(1);
  Workspace<double> ws(net, 1, true);
  const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(4, -1.0, 2.0);
  ws.input.col(0) = x;
  forward(net, ws, 1, ForwardNoise{});
  const Eigen::VectorXd clean = ws.act[0].col(0);
  const double clean_logit = ws.pre.back()(0, 0);
  forward(net, ws, 1, ForwardNoise{});
  EXPECT_EQ(ws.pre.back()(0, 0), clean_logit) << "evaluation must not be random";

  const int draws = 20000;
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(32);
  double zeros = 0;
  for (int d = 0; d < draws; ++d) {
    ws.input.col(0) = x;
    forward(net, ws, 1, ForwardNoise{0.5, 0.0, std::uint64_t(d)});
    mean += ws.act[0].col(0);
    zeros += double((ws.mask[0].col(0).array() == 0.0).count());
  }
  mean /= draws;
  EXPECT_NEAR(zeros / (draws * 32.0), 0.5, 0.01);
  for (int i = 0; i < 32; ++i) EXPECT_NEAR(mean(i), clean(i), 0.03 * std::max(1.0, std::abs(clean(i))));
}

TEST(EarlyStopping, StopsAfterPatienceAndRestoresTheBestWeights) {
  data::Splits splits = synthetic(300, 300, 0.3);
  splits.test = splits.val;  // so the restored weights can be checked by their loss on it
  TrainConfig c;
  c.width = 128;
  c.lr = 0.01;
  c.epochs = 200;
  c.seed = 4;
  c.early_stopping.enabled = true;
  c.early_stopping.patience = 3;
  const TrainResult r = train(splits, c);
  ASSERT_TRUE(r.stopped_early);
  EXPECT_LT(r.curve.size(), 200u);
  EXPECT_EQ(static_cast<int>(r.curve.size()), r.best_epoch + 3);
  ASSERT_TRUE(r.test_loss.has_value());
  EXPECT_EQ(*r.test_loss, r.best_val_loss) << "the weights of the best epoch were not restored";
  EXPECT_LT(r.best_val_loss, r.curve.back().val_loss);

  EXPECT_EQ(*r.best_test_loss, *r.test_loss) << "restored weights are best_epoch's";

  c.early_stopping.restore_best_weights = false;
  const TrainResult last = train(splits, c);
  EXPECT_EQ(*last.test_loss, last.curve.back().val_loss);
  ASSERT_TRUE(last.best_test_loss.has_value());
  EXPECT_EQ(*last.best_test_loss, last.best_val_loss) << "the test split is scored at the epoch validation selected";
}

TEST(TestSplit, IsScoredAtTheEpochValidationSelectedAndAtTheEnd) {
  data::Splits splits = synthetic(300, 300, 0.3);
  splits.test = synthetic(300, 300, 0.3, 9).val;
  TrainConfig c;
  c.width = 64;
  c.lr = 0.01;
  c.epochs = 40;
  c.seed = 6;
  const TrainResult full = train(splits, c);
  ASSERT_LT(full.best_epoch, 40) << "the run should overfit, so that the two test scores differ";
  // The first best_epoch epochs of a run are those of a run that stops there.
  c.epochs = full.best_epoch;
  const TrainResult cut = train(splits, c);
  ASSERT_TRUE(full.best_test_loss && cut.test_loss);
  EXPECT_EQ(*full.best_test_loss, *cut.test_loss);
  EXPECT_EQ(*full.best_test_metric, *cut.test_metric);
  EXPECT_NE(*full.best_test_loss, *full.test_loss);
}

/// Training halted at an epoch and resumed from its checkpoint gives, bit for bit, the run that
/// never stopped: curve, best epoch, test loss (sha/hyperband continue paused trials this way).
void expect_resume_is_seamless(TrainConfig config, int halt_after) {
  data::Splits splits = data::make_synthetic({.features = 10, .train = 300, .val = 200, .test = 100,
                                              .label_noise = 0.2, .seed = 5});
  data::standardize(splits);
  const TrainResult straight = train(splits, config);
  TrainCheckpoint saved;
  const TrainResult first = train(splits, config, {}, [&](const TrainResult& r) {
    return static_cast<int>(r.curve.size()) < halt_after;
  }, nullptr, &saved);
  ASSERT_TRUE(first.halted);
  ASSERT_EQ(first.curve.size(), static_cast<std::size_t>(halt_after));
  ASSERT_NE(saved.state, nullptr);
  EXPECT_GT(saved.bytes, 0u);
  const TrainResult resumed = train(splits, config, {}, {}, &saved);
  ASSERT_EQ(resumed.curve.size(), straight.curve.size());
  for (std::size_t e = 0; e < straight.curve.size(); ++e) {
    EXPECT_EQ(resumed.curve[e].train_loss, straight.curve[e].train_loss) << "epoch " << e + 1;
    EXPECT_EQ(resumed.curve[e].val_loss, straight.curve[e].val_loss) << "epoch " << e + 1;
  }
  EXPECT_EQ(resumed.best_epoch, straight.best_epoch);
  EXPECT_EQ(resumed.best_val_loss, straight.best_val_loss);
  EXPECT_EQ(resumed.stopped_early, straight.stopped_early);
  EXPECT_FALSE(resumed.halted);
  ASSERT_TRUE(resumed.test_loss.has_value());
  EXPECT_EQ(*resumed.test_loss, *straight.test_loss);
}

TEST(Checkpoint, ResumingAHaltedRunEqualsTheRunThatNeverStopped) {
  TrainConfig adam;
  adam.epochs = 9;
  adam.width = 24;
  adam.dropout = 0.3;
  adam.batch_size = 32;
  expect_resume_is_seamless(adam, 3);
  TrainConfig sgd = adam;
  sgd.optimizer = OptimizerKind::kSgd;
  sgd.momentum = 0.9;
  sgd.nesterov = true;
  sgd.precision = Precision::kFloat64;
  sgd.input_noise = 0.1;
  expect_resume_is_seamless(sgd, 5);
  TrainConfig patient = adam;  // early stopping's wait counter and best weights carry over
  patient.epochs = 40;
  patient.lr = 0.01;
  patient.early_stopping.enabled = true;
  patient.early_stopping.patience = 3;
  expect_resume_is_seamless(patient, 4);
}

TEST(Divergence, IsAResultNotACrash) {
  const data::Splits splits = synthetic(200, 100, 0.2);
  TrainConfig c;
  c.optimizer = OptimizerKind::kSgd;
  c.lr = 1e30;
  c.epochs = 20;
  const TrainResult r = train(splits, c);
  EXPECT_EQ(r.status, TrialStatus::kDiverged);
  EXPECT_NE(r.message.find("epoch"), std::string::npos) << r.message;
  EXPECT_LT(r.curve.size(), 20u);
}

TEST(Config, ImpossibleValuesAreRejectedWithTheirRange) {
  const data::Splits splits = synthetic(50, 20, 0.2);
  TrainConfig c;
  c.dropout = 1.2;
  try {
    (void)train(splits, c);
    FAIL() << "dropout 1.2 was accepted";
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("dropout must be in [0, 1), got 1.2"), std::string::npos) << e.what();
  }
  c = TrainConfig{};
  c.batch_size = 0;
  EXPECT_THROW((void)train(splits, c), core::ConfigError);
}

TEST(RowBlocks, CoverEveryRowOnceInAlignedBlocksOnlyWhenTheWorkPays) {
  for (Eigen::Index m : {1, 15, 16, 17, 100, 200, 512, 1000, 2048}) {
    for (Eigen::Index n : {1, 32, 256, 1024}) {
      const RowBlocks b = row_blocks(m, n, 512);
      ASSERT_GE(b.count, 1);
      ASSERT_LE(b.count, kMaxRowBlocks);
      EXPECT_GE(b.begin(b.count - 1), 0);
      EXPECT_LT(b.begin(b.count - 1), m) << "no empty last block: m " << m << " n " << n;
      EXPECT_GE(b.begin(b.count - 1) + b.rows, m) << "every row covered";
      if (b.count > 1) {
        EXPECT_EQ(b.rows % 16, 0);
      }
    }
  }
  EXPECT_EQ(row_blocks(64, 1, 64).count, 1) << "a product of 8 kFLOP is not worth a task";
  EXPECT_EQ(row_blocks(2048, 512, 2048).count, kMaxRowBlocks);
  EXPECT_EQ(row_blocks(0, 10, 10).count, 0);
}

}  // namespace
}  // namespace hpsweep::nn
