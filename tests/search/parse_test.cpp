#include "hpsweep/search/parse.hpp"

#include <gtest/gtest.h>

#include "hpsweep/core/error.hpp"
#include "hpsweep/search/plan.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

using testing::config_error;

TEST(ParseSweep, IssueExampleIsRejectedBecauseGridCannotEnumerateLogUniform) {
  // The example of issue 3 combines method: grid with a log-uniform l2: the one problem reported.
  EXPECT_EQ(config_error([] { (void)parse_sweep(testing::kIssueExample, "sweeps/overfitting.yaml"); }),
            "sweeps/overfitting.yaml:11:3: parameter l2: grid search needs finite values, but distribution "
            "log_uniform_values is continuous; use values, int_uniform or q_uniform, or method: random");
}

TEST(ParseSweep, IssueExampleAsRandomSweep) {
  const std::string text = testing::random_example();
  const SweepSpec spec = parse_sweep(text, "sweeps/overfitting.yaml");
  EXPECT_EQ(spec.name, "overfitting");
  EXPECT_EQ(spec.path, "sweeps/overfitting.yaml");
  EXPECT_EQ(spec.text, text);
  EXPECT_EQ(spec.method, Method::kRandom);
  EXPECT_EQ(spec.metric.name, "val_loss");
  EXPECT_EQ(spec.metric.goal, Goal::kMinimize);
  EXPECT_EQ(spec.seed, 7u);
  EXPECT_EQ(spec.repeats, 3);
  EXPECT_EQ(spec.run_cap, 200);

  EXPECT_EQ(spec.data.source, "csv");
  EXPECT_EQ(spec.data.train, "sweeps/data/train.csv");
  EXPECT_EQ(spec.data.val, "sweeps/data/val.csv");
  EXPECT_EQ(spec.data.test, "");
  EXPECT_EQ(spec.data.target, "y");
  EXPECT_EQ(spec.data.val_fraction, 0.2);

  // Fixed settings in the table's order; early_stopping flattened to patience.
  EXPECT_EQ(spec.fixed, (Assignment{{"depth", 1LL}, {"optimizer", std::string("adam")}, {"epochs", 50LL},
                                    {"patience", 10LL}}));

  ASSERT_EQ(spec.parameters.size(), 5u);
  EXPECT_EQ(spec.swept_names(), (std::vector<std::string>{"dropout", "l2", "lr", "batch_size", "width"}));
  const Parameter& dropout = spec.parameters[0];
  EXPECT_EQ(dropout.distribution, Distribution::kCategorical);
  EXPECT_EQ(dropout.values, (std::vector<Value>{0.0, 0.25, 0.5}));
  EXPECT_EQ(dropout.line, 10);
  EXPECT_EQ(dropout.column, 3);
  const Parameter& l2 = spec.parameters[1];
  EXPECT_EQ(l2.distribution, Distribution::kLogUniformValues);
  EXPECT_EQ(l2.min, 1e-5);
  EXPECT_EQ(l2.max, 1e-1);
  EXPECT_EQ(spec.parameters[3].values, (std::vector<Value>{32LL, 128LL}));  // integers stay integers
  EXPECT_EQ(spec.parameters[4].values, (std::vector<Value>{128LL}));
  EXPECT_EQ(num_configs(spec), 200);
  EXPECT_EQ(num_trials(spec), 600);
}

TEST(ParseSweep, IssueExampleWithFiniteL2IsAGrid) {
  const SweepSpec spec = parse_sweep(testing::grid_example(), "overfitting.yaml");
  EXPECT_EQ(spec.method, Method::kGrid);
  EXPECT_EQ(num_configs(spec), 3 * 3 * 2 * 2 * 1);
  EXPECT_EQ(num_trials(spec), 36 * 3);
  EXPECT_EQ(spec.data.train, "data/train.csv");  // the sweep file is in the working directory
}

TEST(ParseSweep, DefaultsOfAMinimalFile) {
  const SweepSpec spec = parse_sweep("method: grid\n", "sweeps/tiny.yaml");
  EXPECT_EQ(spec.name, "tiny");  // the file's stem
  EXPECT_EQ(spec.seed, 0u);
  EXPECT_EQ(spec.repeats, 1);
  EXPECT_FALSE(spec.run_cap);
  EXPECT_EQ(spec.metric.name, "val_loss");
  EXPECT_EQ(spec.data.source, "synthetic");
  EXPECT_EQ(spec.data.synthetic.train, 500);  // the same default as data::SyntheticOptions
  EXPECT_TRUE(spec.fixed.empty());
  EXPECT_TRUE(spec.parameters.empty());
  EXPECT_EQ(num_configs(spec), 1);  // the empty product: one configuration of defaults
  EXPECT_EQ(parse_sweep("method: grid\n", "").name, "sweep");
}

TEST(ParseSweep, EmptySectionsAreNoSections) {
  const SweepSpec spec = parse_sweep("method: grid\ndata:\nfixed:\nparameters:\n", "");
  EXPECT_EQ(spec.data.source, "synthetic");
  EXPECT_TRUE(spec.fixed.empty());
  EXPECT_TRUE(spec.parameters.empty());
}

TEST(ParseSweep, SyntheticData) {
  const SweepSpec spec = parse_sweep(R"(method: grid
data: {source: synthetic, train: 500, val: 200, test: 100, features: 8, label_noise: 0.1, seed: 3}
)",
                                     "s.yaml");
  EXPECT_EQ(spec.data.source, "synthetic");
  EXPECT_EQ(spec.data.synthetic.train, 500);
  EXPECT_EQ(spec.data.synthetic.val, 200);
  EXPECT_EQ(spec.data.synthetic.test, 100);
  EXPECT_EQ(spec.data.synthetic.features, 8);
  EXPECT_EQ(spec.data.synthetic.label_noise, 0.1);
  EXPECT_EQ(spec.data.synthetic.seed, 3u);
}

TEST(ParseSweep, DataSourceInferredAndPathsResolved) {
  const SweepSpec csv = parse_sweep(R"(method: grid
data: {train: ../data/all.csv, val_fraction: 0.25, test_fraction: 0.1, split_seed: 5, task: binary}
)",
                                    "project/sweeps/a.yaml");
  EXPECT_EQ(csv.data.source, "csv");
  EXPECT_EQ(csv.data.train, "project/data/all.csv");
  EXPECT_EQ(csv.data.val_fraction, 0.25);
  EXPECT_EQ(csv.data.test_fraction, 0.1);
  EXPECT_EQ(csv.data.split_seed, 5u);
  EXPECT_EQ(csv.data.task, "binary");

  const SweepSpec h5 = parse_sweep("method: grid\ndata: {train: /abs/x.h5, x_path: features, y_path: labels}\n",
                                   "sweeps/b.yaml");
  EXPECT_EQ(h5.data.source, "hdf5");
  EXPECT_EQ(h5.data.train, "/abs/x.h5");  // absolute paths are kept
  EXPECT_EQ(h5.data.x_path, "features");
  EXPECT_EQ(h5.data.y_path, "labels");

  EXPECT_EQ(parse_sweep("method: grid\ndata: {train: 300}\n", "c.yaml").data.source, "synthetic");
}

TEST(ParseSweep, EveryParameterForm) {
  const SweepSpec spec = parse_sweep(R"(method: random
run_cap: 10
fixed: {early_stopping: {patience: 5, min_delta: 0.001}, optimizer: sgd, nesterov: true, precision: float64}
parameters:
  lr: {min: 0.0001, max: 0.1}
  batch_size: {min: 16, max: 64}
  width: {distribution: q_log_uniform_values, min: 16, max: 256, q: 16}
  dropout: {distribution: q_uniform, min: 0.0, max: 0.5, q: 0.1}
  activation: {distribution: categorical, values: [relu, gelu]}
  depth: {distribution: int_uniform, min: 0, max: 3}
  momentum: {distribution: uniform, min: 0, max: 0.9}
)",
                                     "");
  ASSERT_EQ(spec.parameters.size(), 7u);
  EXPECT_EQ(spec.parameters[0].distribution, Distribution::kUniform);     // inferred for a real setting
  EXPECT_EQ(spec.parameters[1].distribution, Distribution::kIntUniform);  // inferred for an integer setting
  EXPECT_EQ(spec.parameters[2].distribution, Distribution::kQLogUniformValues);
  EXPECT_EQ(spec.parameters[2].q, 16.0);
  EXPECT_EQ(spec.parameters[3].distribution, Distribution::kQUniform);
  EXPECT_EQ(spec.parameters[4].values, (std::vector<Value>{std::string("relu"), std::string("gelu")}));
  EXPECT_EQ(spec.fixed, (Assignment{{"optimizer", std::string("sgd")}, {"nesterov", true}, {"patience", 5LL},
                                    {"min_delta", 0.001}, {"precision", std::string("float64")}}));
}

TEST(ParseSweep, MetricAndGoal) {
  const SweepSpec spec = parse_sweep("method: grid\nmetric: {name: val_metric, goal: maximize}\n", "");
  EXPECT_EQ(spec.metric.name, "val_metric");
  EXPECT_EQ(spec.metric.goal, Goal::kMaximize);
}

TEST(ParseSweep, TheGoalMustRankTheRightWay) {
  Metric by_task = parse_sweep("method: grid\nmetric: {name: val_metric}\n", "").metric;
  EXPECT_FALSE(by_task.goal_given);
  resolve_metric_goal(by_task, false);
  EXPECT_EQ(by_task.goal, Goal::kMaximize) << "accuracy, unless the file says otherwise";
  Metric rmse = parse_sweep("method: grid\nmetric: {name: val_metric}\n", "").metric;
  resolve_metric_goal(rmse, true);
  EXPECT_EQ(rmse.goal, Goal::kMinimize);
  Metric unknown = parse_sweep("method: grid\nmetric: {name: val_metric}\n", "").metric;
  resolve_metric_goal(unknown, std::nullopt);
  EXPECT_EQ(unknown.goal, Goal::kMinimize) << "a file from before the task was recorded: as it was ranked then";
  EXPECT_EQ(config_error([] { (void)parse_sweep("method: grid\nmetric: {name: val_loss, goal: maximize}\n", "s.yaml"); }),
            "s.yaml:2:32: metric goal: val_loss is a loss, so lower is better; use goal: minimize (or name: val_metric, "
            "goal: maximize to rank classifiers by accuracy)");
  const Metric accuracy_minimized = parse_sweep("method: grid\nmetric: {name: val_metric, goal: minimize}\n", "s.yaml").metric;
  EXPECT_EQ(accuracy_minimized.place, "s.yaml:2:34");
  EXPECT_EQ(config_error([&] { check_metric_goal(accuracy_minimized, false); }),
            "s.yaml:2:34: metric goal: val_metric is the accuracy of this classification task, so higher is better; "
            "use goal: maximize");
  EXPECT_NO_THROW(check_metric_goal(accuracy_minimized, true)) << "RMSE is minimized";
  EXPECT_NO_THROW(check_metric_goal(parse_sweep("method: grid\nmetric: {name: val_metric}\n", "").metric, true))
      << "no goal given: nothing to refuse";
  EXPECT_NO_THROW((void)parse_sweep("method: grid\nmetric: {name: val_loss, goal: maximize}\n", "", ParseMode::kStored))
      << "a results file of an earlier hpsweep stays readable";
  EXPECT_NO_THROW((void)parse_sweep("method: grid\nfixed: {momentum: 0.9}\n", "", ParseMode::kStored));
}

TEST(ParseSweep, SgdSettingsWithAdamAloneAreRefusedAndWithBothAccepted) {
  EXPECT_EQ(config_error([] { (void)parse_sweep("method: grid\nfixed: {momentum: 0.9}\n", "s.yaml"); }),
            "s.yaml:2:9: fixed momentum applies to optimizer sgd only; every trial of this sweep uses adam, where it has "
            "no effect: remove it, or set optimizer: sgd (or sweep optimizer over [adam, sgd])");
  EXPECT_NO_THROW((void)parse_sweep("method: grid\nfixed: {momentum: 0.0, nesterov: false}\n", ""));
  EXPECT_NO_THROW((void)parse_sweep("method: grid\nfixed: {optimizer: sgd, momentum: 0.9}\n", ""));
  EXPECT_NO_THROW(
      (void)parse_sweep("method: grid\nparameters:\n  optimizer: {values: [adam, sgd]}\n  momentum: {values: [0, 0.9]}\n", ""));
  EXPECT_THROW((void)parse_sweep("method: grid\nfixed: {optimizer: adam}\nparameters:\n  momentum: {values: [0, 0.9]}\n", ""),
               core::ConfigError);
}

TEST(LoadSweep, ReadsTheFileAndResolvesDataNextToIt) {
  testing::TempDir dir;
  const std::string path = dir.write("sweeps/grid.yaml", testing::grid_example());
  const SweepSpec spec = load_sweep(path);
  EXPECT_EQ(spec.path, path);
  EXPECT_EQ(spec.text, testing::grid_example());
  EXPECT_EQ(spec.data.train, (dir.path() / "sweeps/data/train.csv").string());
}

TEST(LoadSweep, MissingFileIsAConfigErrorNamingIt) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "nope.yaml").string();
  EXPECT_EQ(config_error([&] { (void)load_sweep(path); }), path + ": sweep file not found");
  EXPECT_EQ(config_error([&] { (void)load_sweep(dir.path().string()); }),
            dir.path().string() + ": is a directory, not a sweep file");
}

TEST(LoadSweep, ErrorsNameTheFile) {
  testing::TempDir dir;
  const std::string path = dir.write("bad.yaml", "method: grid\nrepeats: 0\n");
  EXPECT_EQ(config_error([&] { (void)load_sweep(path); }),
            path + ":2:10: repeats must be an integer in [1, 10000], got 0");
}

}  // namespace
}  // namespace hpsweep::search
