// Each kind of bad sweep file: the message names the place (file:line:col), what is wrong and what
// is accepted; every problem of a file is reported at once, in file order.
#include <gtest/gtest.h>

#include "hpsweep/search/parse.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

using testing::config_error;

/// The top-level keys, in the order messages list them.
constexpr const char* kTopKeys =
    "name, description, project, entity, method, metric, seed, repeats, run_cap, bayes, data, fixed, parameters, "
    "early_terminate, trial_timeout";

std::string error_of(const std::string& text) {
  return config_error([&] { (void)parse_sweep(text, "sweep.yaml"); });
}

TEST(ParseErrors, UnknownTopLevelKeyListsAcceptedKeys) {
  EXPECT_EQ(error_of("method: grid\nepochz: 3\n"),
            "sweep.yaml:2:1: unknown key 'epochz' in the sweep file; accepted: name, description, project, entity, "
            "method, metric, seed, repeats, run_cap, bayes, data, fixed, parameters, early_terminate, trial_timeout");
}

TEST(ParseErrors, UnknownSettingListsSettings) {
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lrate: {values: [0.1]}\n"),
            "sweep.yaml:3:3: unknown key 'lrate' in parameters; accepted: " + setting_names());
  EXPECT_EQ(error_of("method: grid\nfixed: {epoch: 3}\n"),
            "sweep.yaml:2:9: unknown key 'epoch' in fixed; accepted: " + setting_names() +
                ", early_stopping; did you mean 'epochs'?");
}

TEST(ParseErrors, UnknownParameterKey) {
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {value: 0.1, step: 2}\n"),
            "sweep.yaml:3:20: unknown key 'step' in parameter lr; accepted: value, values, distribution, min, max, q, "
            "mu, sigma, probabilities");
}

TEST(ParseErrors, DidYouMeanTheNearestAcceptedKey) {
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lrr: {values: [0.1]}\n"),
            "sweep.yaml:3:3: unknown key 'lrr' in parameters; accepted: " + setting_names() + "; did you mean 'lr'?");
  EXPECT_EQ(error_of("methd: grid\n"),
            "sweep.yaml:1:1: unknown key 'methd' in the sweep file; accepted: " + std::string(kTopKeys) +
                "; did you mean 'method'?\n"
                "sweep.yaml:1:1: missing method; accepted: grid, random, bayes");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {vlaues: [0.1]}\n"),
            "sweep.yaml:3:7: parameter lr needs value, values, or distribution with min and max\n"
            "sweep.yaml:3:8: unknown key 'vlaues' in parameter lr; accepted: value, values, distribution, min, max, q, "
            "mu, sigma, probabilities; did you mean 'values'?")
      << "a swap of two neighbouring letters is one edit";
  EXPECT_EQ(error_of("method: grid\nmetric: {nme: val_loss}\n"),
            "sweep.yaml:2:10: unknown key 'nme' in metric; accepted: name, goal, target; did you mean 'name'?");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  lr: {value: 0.1, x: 1}\n"),
            "sweep.yaml:3:20: unknown key 'x' in parameter lr; accepted: value, values, distribution, min, max, q, "
            "mu, sigma, probabilities")
      << "no suggestion as many edits away as the key is long: every one-letter key is one edit from q";
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
            "sweep.yaml:4:1: unknown key 'colour' in the sweep file; accepted: " + std::string(kTopKeys) + "\n"
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
            "q_log_uniform_values (also q_log_uniform, q_normal or q_log_normal; integer q), or values, not uniform");
  EXPECT_EQ(error_of("method: random\nrun_cap: 3\nparameters:\n  activation: {distribution: uniform, min: 0, max: 1}\n"),
            "sweep.yaml:4:30: parameter activation takes one of relu, tanh, gelu: use value, values or distribution "
            "categorical");
  EXPECT_EQ(error_of("method: random\nrun_cap: 3\nparameters:\n  lr: {distribution: gaussian, mu: 0}\n"),
            "sweep.yaml:4:22: parameter lr distribution must be one of categorical, uniform, log_uniform_values, "
            "int_uniform, q_uniform, q_log_uniform_values, log_uniform, q_log_uniform, inv_log_uniform, "
            "inv_log_uniform_values, normal, q_normal, log_normal, q_log_normal, got gaussian");
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
  EXPECT_EQ(error_of("name: x\n"), "sweep.yaml:1:1: missing method; accepted: grid, random, bayes");
  EXPECT_EQ(error_of("method: evolution\n"), "sweep.yaml:1:9: method must be one of grid, random, bayes, got evolution");
  EXPECT_EQ(error_of("method: grid\nseed: -1\n"), "sweep.yaml:2:7: seed must be an integer >= 0, got -1");
  EXPECT_EQ(error_of("method: grid\nmetric: {name: accuracy, goal: up}\n"),
            "sweep.yaml:2:16: metric name must be one of val_loss, val_metric, got accuracy\n"
            "sweep.yaml:2:32: metric goal must be one of minimize, maximize, got up");
  EXPECT_EQ(error_of("method: grid\nname: a/b\n"), "sweep.yaml:2:7: name must not contain '/', got a/b");
  EXPECT_EQ(error_of(""), "sweep.yaml: a sweep file must be a mapping with keys " + std::string(kTopKeys) + ", got nothing");
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

/// error_of for a random sweep with run_cap whose parameters section is `line` (on line 4).
std::string parameter_error(const std::string& line) {
  return error_of("method: random\nrun_cap: 3\nparameters:\n  " + line + "\n");
}

TEST(ParseErrors, NormalProblems) {
  EXPECT_EQ(parameter_error("lr: {distribution: normal, mu: 0.01, sigma: 0}"),
            "sweep.yaml:4:47: parameter lr sigma must be > 0, got 0");
  EXPECT_EQ(parameter_error("lr: {distribution: log_normal, mu: -7, sigma: -1}"),
            "sweep.yaml:4:49: parameter lr sigma must be > 0, got -1");
  EXPECT_EQ(parameter_error("lr: {distribution: normal, mu: fast}"),
            "sweep.yaml:4:34: parameter lr mu must be a finite number, got fast");
  EXPECT_EQ(parameter_error("dropout: {distribution: normal, mu: 100, sigma: 1}"),
            "sweep.yaml:4:39: parameter dropout: normal with mu 100 and sigma 1 puts 0 of its mass where dropout may "
            "lie (in [0, 1)), less than 1e-06: move mu into that range, widen sigma, or change min and max");
  // Phi(log 0.001) - Phi(-8): the mass between the default lower bound exp(mu - 8 sigma) and max.
  EXPECT_EQ(parameter_error("lr: {distribution: log_normal, sigma: 1, max: 0.001}"),
            "sweep.yaml:4:22: parameter lr: log_normal with mu 0 and sigma 1 (of log lr) puts 2.46129e-12 of its mass "
            "where lr may lie (in (0, 0.001]), less than 1e-06: move mu into that range, widen sigma, or change min "
            "and max")
      << "without mu in the file the message points at the distribution";
  EXPECT_EQ(parameter_error("l2: {distribution: log_normal, mu: -7, min: 0}"),
            "sweep.yaml:4:47: parameter l2: log_normal bounds must be > 0, got 0");
  EXPECT_EQ(parameter_error("input_noise: {distribution: normal, min: 0.5, max: 0.2}"),
            "sweep.yaml:4:54: parameter input_noise: max must be >= min (0.5), got 0.2");
  EXPECT_EQ(parameter_error("lr: {distribution: uniform, min: 0.1, max: 0.2, mu: 0.15}"),
            "sweep.yaml:4:51: mu does not apply to distribution uniform (parameter lr)");
  EXPECT_EQ(parameter_error("lr: {distribution: normal, mu: 0.1, q: 0.01}"),
            "sweep.yaml:4:39: q does not apply to distribution normal (parameter lr)");
}

TEST(ParseErrors, IntegerSettingsTakeOnlyQuantizedForms) {
  for (const char* d : {"normal", "log_normal", "log_uniform", "inv_log_uniform", "inv_log_uniform_values"}) {
    EXPECT_EQ(parameter_error(std::string("width: {distribution: ") + d + ", min: 1, max: 2}"),
              std::string("sweep.yaml:4:25: parameter width takes integers: use int_uniform, q_uniform or "
                          "q_log_uniform_values (also q_log_uniform, q_normal or q_log_normal; integer q), or values, "
                          "not ") + d);
  }
  EXPECT_EQ(parameter_error("width: {distribution: q_normal, mu: 64, sigma: 8, q: 2.5}"),
            "sweep.yaml:4:56: parameter width q must be an integer >= 1, got 2.5");
}

TEST(ParseErrors, ExponentAndLogBoundProblems) {
  EXPECT_EQ(parameter_error("dropout: {distribution: log_uniform, min: -5, max: 1}"),
            "sweep.yaml:4:54: parameter dropout: log_uniform max is a natural-log exponent, and exp(1) = 2.71828 is "
            "not a number in [0, 1): max must be in [-708.396, 0), got 1");
  EXPECT_EQ(parameter_error("dropout: {distribution: inv_log_uniform, min: -1, max: 3}"),
            "sweep.yaml:4:49: parameter dropout: inv_log_uniform min is a natural-log exponent, and exp(1) = 2.71828 "
            "is not a number in [0, 1): min must be in (0, 708.396], got -1");
  EXPECT_EQ(parameter_error("lr: {distribution: log_uniform, min: -2, max: -5}"),
            "sweep.yaml:4:49: parameter lr: max must be >= min (-2), got -5");
  EXPECT_EQ(parameter_error("lr: {distribution: q_log_uniform, min: .nan, max: 1, q: 0.1}"),
            "sweep.yaml:4:42: parameter lr min (a natural-log exponent) must be a finite number, got .nan");
  EXPECT_EQ(parameter_error("input_noise: {distribution: log_uniform_values, min: 0, max: 0.1}"),
            "sweep.yaml:4:56: parameter input_noise: log_uniform_values bounds must be > 0, got 0");
  EXPECT_EQ(parameter_error("l2: {distribution: inv_log_uniform_values, min: 0, max: 0.1}"),
            "sweep.yaml:4:51: parameter l2: inv_log_uniform_values bounds must be > 0, got 0");
  EXPECT_EQ(parameter_error("lr: {distribution: inv_log_uniform_values, min: -0.1, max: 0.1}"),
            "sweep.yaml:4:51: lr must be > 0, got -0.1");
}

TEST(ParseErrors, ProbabilitiesProblems) {
  EXPECT_EQ(parameter_error("optimizer: {values: [adam, sgd], probabilities: [0.5, 0.4]}"),
            "sweep.yaml:4:51: parameter optimizer probabilities must sum to 1, got 0.9");
  EXPECT_EQ(parameter_error("optimizer: {values: [adam, sgd], probabilities: [0.2, 0.3, 0.5]}"),
            "sweep.yaml:4:51: parameter optimizer: probabilities has 3 entries and values 2; give one probability per "
            "value, in the same order");
  EXPECT_EQ(parameter_error("optimizer: {values: [adam, sgd], probabilities: [1.5, -0.5]}"),
            "sweep.yaml:4:57: parameter optimizer probabilities must be >= 0, got -0.5");
  EXPECT_EQ(parameter_error("optimizer: {values: [adam, sgd], probabilities: 1}"),
            "sweep.yaml:4:51: parameter optimizer probabilities must be a list of numbers >= 0, one per value, got 1");
  EXPECT_EQ(parameter_error("lr: {value: 0.1, probabilities: [1]}"),
            "sweep.yaml:4:35: parameter lr: probabilities go with values (one per value), not with value");
  EXPECT_EQ(parameter_error("lr: {distribution: uniform, min: 0.1, max: 0.2, probabilities: [1]}"),
            "sweep.yaml:4:51: probabilities does not apply to distribution uniform (parameter lr)");
  EXPECT_NO_THROW((void)parse_sweep(
      "method: random\nrun_cap: 3\nparameters:\n  optimizer: {values: [adam, sgd], probabilities: [0.3333333, 0.6666666]}\n",
      ""))
      << "a sum within 1e-6 of 1 is 1";
}

TEST(ParseErrors, BayesProblems) {
  EXPECT_EQ(error_of("method: bayes\nparameters:\n  lr: {min: 0.001, max: 0.1}\n"),
            "sweep.yaml:1:9: method bayes needs run_cap (the budget: the number of configurations)");
  EXPECT_EQ(error_of("method: bayes\nrun_cap: 5\nparameters:\n  lr: {values: [0.1]}\n"),
            "sweep.yaml:4:3: method bayes needs at least one parameter with more than one value (values with two or "
            "more entries, or a distribution with min < max); otherwise every configuration is the same: use method: "
            "grid with repeats instead");
  EXPECT_EQ(error_of("method: random\nrun_cap: 5\nbayes: {gamma: 0.2}\nparameters:\n  lr: {min: 0.001, max: 0.1}\n"),
            "sweep.yaml:3:1: the bayes section applies to method bayes only; remove it or use method: bayes");
  EXPECT_EQ(error_of("method: bayes\nrun_cap: 5\nbayes: {gama: 0.2}\nparameters:\n  lr: {min: 0.001, max: 0.1}\n"),
            "sweep.yaml:3:9: unknown key 'gama' in bayes; accepted: startup_trials, candidates, batch_size, gamma, "
            "prior_weight; did you mean 'gamma'?");
  EXPECT_EQ(error_of(R"(method: bayes
run_cap: 5
bayes:
  startup_trials: -1
  candidates: 0
  batch_size: 100001
  gamma: 0
  prior_weight: .inf
parameters:
  lr: {min: 0.001, max: 0.1}
)"),
            "sweep.yaml:4:19: bayes startup_trials must be an integer in [0, 10000000], got -1\n"
            "sweep.yaml:5:15: bayes candidates must be an integer in [1, 10000], got 0\n"
            "sweep.yaml:6:15: bayes batch_size must be an integer in [1, 100000], got 100001\n"
            "sweep.yaml:7:10: bayes gamma must be in (0, 1], got 0\n"
            "sweep.yaml:8:17: bayes prior_weight must be a finite number in (0, 1000000], got .inf");
  EXPECT_EQ(error_of("method: bayes\nrun_cap: 5\nbayes: [1]\nparameters:\n  lr: {min: 0.001, max: 0.1}\n"),
            "sweep.yaml:3:8: bayes must be a mapping with keys startup_trials, candidates, batch_size, gamma, "
            "prior_weight, got a list");
}

TEST(ParseErrors, MetricTargetProblems) {
  EXPECT_EQ(error_of("method: grid\nmetric: {name: val_loss, target: high}\n"),
            "sweep.yaml:2:34: metric target must be a number, got high");
  EXPECT_EQ(error_of("method: grid\nmetric: {name: val_loss, target: .inf}\n"),
            "sweep.yaml:2:34: metric target must be finite, got .inf");
  EXPECT_EQ(error_of("method: grid\nmetric: {name: val_loss, target: [1]}\n"),
            "sweep.yaml:2:34: metric target must be a number, got a list");
}

TEST(ParseErrors, WandbKeysTakeSingleValues) {
  EXPECT_EQ(error_of("method: grid\nproject: {name: x}\n"),
            "sweep.yaml:2:10: project must be a single value (W&B's project name), got a mapping");
}

}  // namespace
}  // namespace hpsweep::search
