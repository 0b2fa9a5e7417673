// Each kind of bad sweep file: the message names the place (file:line:col), what is wrong and what
// is accepted; every problem of a file is reported at once, in file order.
#include <gtest/gtest.h>

#include "hpsweep/search/parse.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

using testing::config_error;

std::string error_of(const std::string& text) {
  return config_error([&] { (void)parse_sweep(text, "sweep.yaml"); });
}

TEST(ParseErrors, UnknownTopLevelKeyListsAcceptedKeys) {
  EXPECT_EQ(error_of("method: grid\nepochz: 3\n"),
            "sweep.yaml:2:1: unknown key 'epochz' in the sweep file; accepted: name, description, method, metric, "
            "seed, repeats, run_cap, data, fixed, parameters, early_terminate, trial_timeout");
}

TEST(ParseErrors, UnknownSettingListsSettings) {
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lrate: {values: [0.1]}\n"),
            "sweep.yaml:3:3: unknown key 'lrate' in parameters; accepted: " + setting_names());
  EXPECT_EQ(error_of("method: grid\nfixed: {epoch: 3}\n"),
            "sweep.yaml:2:9: unknown key 'epoch' in fixed; accepted: " + setting_names() + ", early_stopping");
}

TEST(ParseErrors, UnknownParameterKey) {
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {value: 0.1, probabilities: [1]}\n"),
            "sweep.yaml:3:20: unknown key 'probabilities' in parameter lr; accepted: value, values, distribution, "
            "min, max, q");
}

TEST(ParseErrors, DropoutOutOfRange) {
  EXPECT_EQ(error_of("method: grid\nparameters:\n  dropout: {values: [0.0, 1.2]}\n"),
            "sweep.yaml:3:27: dropout must be in [0, 1), got 1.2");
  EXPECT_EQ(error_of("method: grid\nfixed:\n  dropout: 1.2\n"), "sweep.yaml:3:12: dropout must be in [0, 1), got 1.2");
}

TEST(ParseErrors, IntegerSettingGivenAFraction) {
  EXPECT_EQ(error_of("method: grid\nfixed: {batch_size: 0.5}\n"),
            "sweep.yaml:2:21: batch_size must be an integer in [1, 2147483647], got 0.5");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  width: {values: [64, 12.5]}\n"),
            "sweep.yaml:3:24: width must be an integer in [1, 65536], got 12.5");
}

TEST(ParseErrors, WrongTypesAndChoices) {
  EXPECT_EQ(error_of("method: grid\nfixed: {lr: fast, activation: sigmoid, nesterov: maybe, depth: 65}\n"),
            "sweep.yaml:2:13: lr must be a number > 0, got fast\n"
            "sweep.yaml:2:31: activation must be one of relu, tanh, gelu, got sigmoid\n"
            "sweep.yaml:2:50: nesterov must be true or false, got maybe\n"
            "sweep.yaml:2:64: depth must be an integer in [0, 64], got 65");
  EXPECT_EQ(error_of("method: grid\nfixed: {l2: .inf}\n"), "sweep.yaml:2:13: l2 must be finite, got .inf");
}

TEST(ParseErrors, GridWithContinuousDistributionNamesTheParameter) {
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {distribution: uniform, min: 0.001, max: 0.1}\n"),
            "sweep.yaml:3:3: parameter lr: grid search needs finite values, but distribution uniform is continuous; "
            "use values, int_uniform or q_uniform, or method: random");
}

TEST(ParseErrors, RandomWithoutRunCap) {
  EXPECT_EQ(error_of("method: random\nparameters:\n  lr: {values: [0.1]}\n"),
            "sweep.yaml:1:9: method random needs run_cap (the number of configurations to sample)");
}

TEST(ParseErrors, SettingBothFixedAndSwept) {
  EXPECT_EQ(error_of("method: grid\nfixed: {lr: 0.1}\nparameters:\n  lr: {values: [0.1, 0.2]}\n"),
            "sweep.yaml:4:3: lr is both fixed (at line 2) and swept; give it in one place");
  // The nested early_stopping form counts as fixing patience.
  EXPECT_EQ(error_of("method: grid\nfixed: {early_stopping: {patience: 3}}\nparameters:\n  patience: {values: [1]}\n"),
            "sweep.yaml:4:3: patience is both fixed (at line 2) and swept; give it in one place");
}

TEST(ParseErrors, MalformedYamlHasPlace) {
  const std::string message = error_of("method: grid\nparameters:\n  lr: {values: [0.1, 0.2}\n");
  EXPECT_EQ(message.rfind("sweep.yaml:3:", 0), 0u) << message;
  EXPECT_NE(message.find("invalid yaml: "), std::string::npos) << message;
  EXPECT_EQ(testing::count_lines(message), 1);

  const std::string tabs = error_of("method: grid\nparameters:\n\tlr: {values: [0.1]}\n");
  EXPECT_EQ(tabs.rfind("sweep.yaml:", 0), 0u) << tabs;
  EXPECT_NE(tabs.find("invalid yaml"), std::string::npos) << tabs;
}

TEST(ParseErrors, SeveralProblemsReportedAtOnceInFileOrder) {
  const std::string message = error_of(R"(name: demo
method: grid
repeats: 0
colour: blue
fixed: {epochs: 0}
parameters:
  dropout: {values: [1.5]}
  l2: {distribution: log_uniform_values, min: 0, max: 0.1}
  batch_size: {values: [0.5, 32]}
)");
  EXPECT_EQ(message,
            "sweep.yaml:3:10: repeats must be an integer in [1, 10000], got 0\n"
            "sweep.yaml:4:1: unknown key 'colour' in the sweep file; accepted: name, description, method, metric, "
            "seed, repeats, run_cap, data, fixed, parameters, early_terminate, trial_timeout\n"
            "sweep.yaml:5:17: epochs must be an integer in [1, 1000000], got 0\n"
            "sweep.yaml:7:22: dropout must be in [0, 1), got 1.5\n"
            "sweep.yaml:8:47: parameter l2: log_uniform_values bounds must be > 0, got 0\n"
            "sweep.yaml:9:25: batch_size must be an integer in [1, 2147483647], got 0.5");
}

TEST(ParseErrors, DistributionProblems) {
  EXPECT_EQ(error_of("method: random\nrun_cap: 3\nparameters:\n  lr: {distribution: uniform, min: 0.1, max: 0.01}\n"),
            "sweep.yaml:4:46: parameter lr: max must be >= min (0.1), got 0.01");
  EXPECT_EQ(error_of("method: random\nrun_cap: 3\nparameters:\n  batch_size: {distribution: uniform, min: 8, max: 64}\n"),
            "sweep.yaml:4:30: parameter batch_size takes integers: use int_uniform, q_uniform or "
            "q_log_uniform_values (integer q), or values, not uniform");
  EXPECT_EQ(error_of("method: random\nrun_cap: 3\nparameters:\n  activation: {distribution: uniform, min: 0, max: 1}\n"),
            "sweep.yaml:4:30: parameter activation takes one of relu, tanh, gelu: use value, values or distribution "
            "categorical");
  EXPECT_EQ(error_of("method: random\nrun_cap: 3\nparameters:\n  lr: {distribution: normal, mu: 0}\n"),
            "sweep.yaml:4:22: parameter lr distribution must be one of categorical, uniform, log_uniform_values, "
            "int_uniform, q_uniform, q_log_uniform_values, got normal\n"
            "sweep.yaml:4:30: unknown key 'mu' in parameter lr; accepted: value, values, distribution, min, max, q");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  width: {distribution: q_uniform, min: 17, max: 30, q: 16}\n"),
            "sweep.yaml:3:10: parameter width: no multiple of q = 16 lies in [17, 30]");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  width: {distribution: int_uniform, min: 1}\n"),
            "sweep.yaml:3:10: parameter width: distribution int_uniform needs min and max");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {values: [0.1], min: 0.1}\n"),
            "sweep.yaml:3:23: min does not apply to distribution categorical (parameter lr)");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {values: []}\n"),
            "sweep.yaml:3:16: parameter lr values must be a non-empty list, got a list");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {value: 0.1, values: [0.2]}\n"),
            "sweep.yaml:3:28: parameter lr: give value or values, not both");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: 0.1\n"),
            "sweep.yaml:3:7: parameter lr must be a mapping such as {values: [...]}; for one value write "
            "{value: 0.1} or put it under fixed");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {}\n"),
            "sweep.yaml:3:7: parameter lr needs value, values, or distribution with min and max");
}

TEST(ParseErrors, FixedProblems) {
  EXPECT_EQ(error_of("method: grid\nfixed: {lr: [0.1, 0.2]}\n"),
            "sweep.yaml:2:13: fixed lr takes a single value, got a list; to sweep it, put it under parameters");
  EXPECT_EQ(error_of("method: grid\nfixed: {early_stopping: {min_delta: 0.1}}\n"),
            "sweep.yaml:2:25: early_stopping needs patience (early stopping is on when patience is given)");
  EXPECT_EQ(error_of("method: grid\nfixed: {patience: 2, early_stopping: {patience: 3}}\n"),
            "sweep.yaml:2:39: patience is given twice in fixed (also at line 2)");
  EXPECT_EQ(error_of("method: grid\nfixed:\n  lr: 0.1\n  lr: 0.2\n"),
            "sweep.yaml:4:3: duplicate key 'lr' in fixed");
}

TEST(ParseErrors, HeaderProblems) {
  EXPECT_EQ(error_of("name: x\n"), "sweep.yaml:1:1: missing method; accepted: grid, random");
  EXPECT_EQ(error_of("method: bayes\n"), "sweep.yaml:1:9: method must be one of grid, random, got bayes");
  EXPECT_EQ(error_of("method: grid\nseed: -1\n"), "sweep.yaml:2:7: seed must be an integer >= 0, got -1");
  EXPECT_EQ(error_of("method: grid\nmetric: {name: accuracy, goal: up}\n"),
            "sweep.yaml:2:16: metric name must be one of val_loss, val_metric, got accuracy\n"
            "sweep.yaml:2:32: metric goal must be one of minimize, maximize, got up");
  EXPECT_EQ(error_of("method: grid\nname: a/b\n"), "sweep.yaml:2:7: name must not contain '/', got a/b");
  EXPECT_EQ(error_of(""), "sweep.yaml: a sweep file must be a mapping with keys name, description, method, metric, "
                          "seed, repeats, run_cap, data, fixed, parameters, early_terminate, trial_timeout, got nothing");
  EXPECT_EQ(error_of("- 1\n- 2\n").rfind("sweep.yaml:1:1: a sweep file must be a mapping", 0), 0u);
}

TEST(ParseErrors, DataProblems) {
  EXPECT_EQ(error_of("method: grid\ndata: {source: csv, val: v.csv, features: 3}\n"),
            "sweep.yaml:2:7: data source csv needs train (a file path)\n"
            "sweep.yaml:2:33: unknown key 'features' in data (source csv); accepted: source, train, val, test, "
            "target, task, val_fraction, test_fraction, split_seed");
  EXPECT_EQ(error_of("method: grid\ndata: {source: parquet}\n"),
            "sweep.yaml:2:16: data source must be one of synthetic, csv, hdf5, got parquet");
  EXPECT_EQ(error_of("method: grid\ndata: {train: a.csv, val: b.csv, val_fraction: 0.3}\n"),
            "sweep.yaml:2:48: val_fraction does not apply when a val file is given");
  EXPECT_EQ(error_of("method: grid\ndata: {train: a.csv, val_fraction: 0.6, test_fraction: 0.4}\n"),
            "sweep.yaml:2:7: data val_fraction + test_fraction must be < 1, got 1");
  EXPECT_EQ(error_of("method: grid\ndata: {source: synthetic, train: 0, label_noise: 1.5}\n"),
            "sweep.yaml:2:34: data train must be an integer in [1, 2147483647], got 0\n"
            "sweep.yaml:2:50: data label_noise must be in [0, 1), got 1.5");
  EXPECT_EQ(error_of("method: grid\ndata: {train: a.csv, task: ranking}\n"),
            "sweep.yaml:2:28: data task must be one of binary, multiclass, regression, got ranking");
}

TEST(ParseErrors, PlanTooLarge) {
  EXPECT_EQ(error_of("method: grid\nrepeats: 100\nparameters:\n  batch_size: {distribution: int_uniform, min: 1, max: 1000000}\n"),
            "sweep.yaml:4:3: the plan has 100000000 trials; at most 10000000 are supported (lower run_cap, repeats "
            "or the number of values)");
}

}  // namespace
}  // namespace hpsweep::search
