// Prediction with a saved model: the loss on the validation split equals the trainer's to the bit,
// the probabilities are those of the output layer, and data that does not fit is refused.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../common/test_util.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/data/source.hpp"
#include "hpsweep/model/predict.hpp"
#include "hpsweep/nn/trainer.hpp"

namespace hpsweep::model {
namespace {

using ::testing::HasSubstr;

/// Trains on `source` and returns the model as `train --save` would build it, with the result.
std::pair<Model, nn::TrainResult> train_model(const data::DataSource& source, const nn::TrainConfig& config) {
  data::Standardizer standardizer;
  const data::Splits splits = data::load_splits(source, &standardizer);
  Model m;
  std::vector<double> parameters;
  const nn::TrainResult result = nn::train(splits, config, {}, {}, nullptr, nullptr, &parameters);
  m.architecture = {static_cast<int>(splits.train.num_features()), config.width, config.depth, splits.train.num_outputs(),
                    config.activation};
  m.precision = config.precision;
  m.task = splits.train.task;
  m.parameters = parameters;
  m.standardizer = standardizer;
  m.feature_names = splits.train.feature_names;
  m.target_name = splits.train.target_name;
  m.class_values = splits.train.class_values;
  return {m, result};
}

data::DataSource synthetic(int features) {
  data::DataSource source;
  source.synthetic.features = features;
  source.synthetic.train = 300;
  source.synthetic.val = 150;
  return source;
}

TEST(Predict, TheValidationLossIsTheTrainersToTheBit) {
  for (const nn::Precision precision : {nn::Precision::kFloat32, nn::Precision::kFloat64}) {
    nn::TrainConfig config;
    config.width = 24;
    config.depth = 2;
    config.epochs = 6;
    config.dropout = 0.2;
    config.precision = precision;
    config.seed = 5;
    const auto [m, result] = train_model(synthetic(6), config);
    const data::Splits raw = data::load_raw_splits(synthetic(6));
    const Predictions p = predict(m, raw.val);
    ASSERT_TRUE(p.loss.has_value());
    EXPECT_EQ(*p.loss, result.curve.back().val_loss) << nn::precision_name(precision);
    EXPECT_EQ(*p.metric, result.curve.back().val_metric);
    EXPECT_EQ(result.weights_epoch, 6);
  }
}

TEST(Predict, EarlyStoppingSavesTheRestoredWeightsOfItsBestEpoch) {
  nn::TrainConfig config;
  config.width = 128;
  config.epochs = 200;
  config.lr = 0.01;
  config.early_stopping.enabled = true;
  config.early_stopping.patience = 3;
  const auto [m, result] = train_model(synthetic(10), config);
  ASSERT_TRUE(result.stopped_early) << "the synthetic set overfits within 200 epochs at lr 0.01";
  ASSERT_LT(result.weights_epoch, static_cast<int>(result.curve.size()));
  EXPECT_EQ(result.weights_epoch, result.best_epoch);
  const Predictions p = predict(m, data::load_raw_splits(synthetic(10)).val);
  EXPECT_EQ(*p.loss, result.best_val_loss);
}

TEST(Predict, BinaryProbabilitiesArePerClassAndSumToOne) {
  nn::TrainConfig config;
  config.epochs = 3;
  const auto [m, result] = train_model(synthetic(10), config);
  const data::Dataset val = data::load_raw_splits(synthetic(10)).val;
  const Predictions p = predict(m, val);
  ASSERT_EQ(p.outputs.rows(), 2);
  ASSERT_EQ(p.outputs.cols(), val.num_samples());
  for (Eigen::Index i = 0; i < p.outputs.cols(); ++i) {
    EXPECT_NEAR(p.outputs.col(i).sum(), 1.0, 1e-12);
    EXPECT_EQ(p.predicted[static_cast<std::size_t>(i)], p.outputs(1, i) > p.outputs(0, i) ? m.class_values[1] : m.class_values[0]);
  }
  // accuracy from the predictions agrees with the trainer's metric
  double correct = 0;
  for (Eigen::Index i = 0; i < val.num_samples(); ++i) {
    correct += p.predicted[static_cast<std::size_t>(i)] == val.class_values[static_cast<std::size_t>(val.target(i))];
  }
  EXPECT_NEAR(correct / static_cast<double>(val.num_samples()), result.curve.back().val_metric, 1e-12);
}

TEST(Predict, TheTargetColumnIsOptionalAndTheFeaturesMustBeTheModels) {
  const testing::TempDir dir;
  const std::string train = dir.write("train.csv", "a,b,y\n0,1,0\n1,0,1\n2,1,0\n3,0,1\n4,1,0\n5,0,1\n6,1,0\n7,0,1\n8,1,0\n9,0,1\n");
  data::DataSource source;
  source.kind = data::SourceKind::kCsv;
  source.train = train;
  source.fractions.val = 0.4;
  nn::TrainConfig config;
  config.epochs = 2;
  config.batch_size = 4;
  const Model m = train_model(source, config).first;
  const data::Dataset with_target = read_for_prediction(m, dir.write("t.csv", "a,b,y\n1,1,1\n"));
  EXPECT_EQ(predict(m, with_target).loss.has_value(), true);
  const data::Dataset without = read_for_prediction(m, dir.write("f.csv", "a,b\n1,1\n2,0\n"));
  EXPECT_EQ(without.num_samples(), 2);
  EXPECT_FALSE(predict(m, without).loss.has_value());
  for (const auto& [text, expected] : {std::pair{"a,y\n1,0\n", "missing: b"}, std::pair{"b,a\n1,0\n", "in another order"},
                                       std::pair{"a,b,c\n1,0,2\n", "not features of the model: c"},
                                       std::pair{"a,b,y\n1,0,5\n", "5"}}) {
    try {
      (void)read_for_prediction(m, dir.write("bad.csv", text));
      ADD_FAILURE() << text << " was accepted";
    } catch (const core::DataError& e) {
      EXPECT_THAT(e.what(), HasSubstr(expected)) << text;
      EXPECT_THAT(e.what(), HasSubstr("bad.csv"));
    }
  }
}

}  // namespace
}  // namespace hpsweep::model
