// Sweeps of the user's own program (`program` and/or `command`, W&B's keys): the program resolved
// next to the sweep file, the command and its macros, free parameter names with kinds inferred
// from their values, the refusals with their place and fix, W&B's own sweep files, and the
// command line each trial runs (search/command.hpp).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "hpsweep/search/command.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/search/plan.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

namespace fs = std::filesystem;
using testing::config_error;

/// The example of the program sweep's design, without `command` (so the default applies).
constexpr const char* kExample = R"(name: my-model
program: train.py                      # relative to the sweep file's directory
method: random
metric: {name: validation_loss, goal: minimize}
run_cap: 50
trial_timeout: 3600
parameters:
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  hidden: {values: [64, 128]}
  optimizer: {value: adam}
  momentum: {min: 0.5, max: 0.99}      # W&B: min/max without distribution = uniform
)";

/// The head of a program sweep that runs `python3 train.py` (no program file needed), for the
/// tests of everything after it; `tail` starts on line 4.
std::string command_sweep(const std::string& tail) {
  return "method: grid\ncommand: [python3, train.py, \"${args}\"]\nmetric: {name: loss}\n" + tail;
}

std::string error_of(const std::string& text) {
  return config_error([&] { (void)parse_sweep(text, "sweep.yaml"); });
}

/// Where a test's program is looked for: `name` in `dir`, absolute and normal, as the parser makes it.
std::string expected_path(const fs::path& dir, const std::string& name) {
  return fs::absolute(dir / name).lexically_normal().string();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const Parameter& parameter(const SweepSpec& spec, const std::string& name) {
  for (const Parameter& p : spec.parameters) {
    if (p.name == name) return p;
  }
  ADD_FAILURE() << "no parameter " << name;
  return spec.parameters.at(0);
}

/// The current directory set to `dir` for the scope of a test, restored after.
class CurrentDirectory {
 public:
  explicit CurrentDirectory(const fs::path& dir) : old_(fs::current_path()) { fs::current_path(dir); }
  CurrentDirectory(const CurrentDirectory&) = delete;
  CurrentDirectory& operator=(const CurrentDirectory&) = delete;
  ~CurrentDirectory() {
    std::error_code ignored;
    fs::current_path(old_, ignored);
  }

 private:
  fs::path old_;
};

// ---------------------------------------------------------------------------------------------
// Parsing

TEST(ProgramSweep, ResolvesTheProgramNextToTheSweepFileWithTheDefaultCommand) {
  testing::TempDir dir;
  dir.write("project/train.py", "print('training')\n");
  const std::string path = dir.write("project/sweep.yaml", kExample);
  const SweepSpec spec = load_sweep(path);
  ASSERT_TRUE(spec.runs_program());
  EXPECT_EQ(spec.program->program, "train.py");
  EXPECT_EQ(spec.program->program_path, expected_path(dir.path() / "project", "train.py"));
  EXPECT_TRUE(fs::path(spec.program->program_path).is_absolute());
  EXPECT_EQ(spec.program->command, default_command());
  EXPECT_EQ(spec.program->command, (std::vector<std::string>{"${env}", "${interpreter}", "${program}", "${args}"}));
  EXPECT_EQ(spec.program->place, path + ":2:10");
  EXPECT_EQ(spec.name, "my-model");
  EXPECT_EQ(spec.method, Method::kRandom);
  EXPECT_EQ(spec.run_cap, 50);
  EXPECT_EQ(spec.trial_timeout, 3600.0);
  EXPECT_EQ(spec.metric.name, "validation_loss");
  EXPECT_TRUE(spec.metric.reported);
  EXPECT_EQ(spec.metric.goal, Goal::kMinimize);
  EXPECT_TRUE(spec.fixed.empty());
  EXPECT_TRUE(spec.notes.empty());
  EXPECT_EQ(spec.swept_names(), (std::vector<std::string>{"lr", "hidden", "optimizer", "momentum"}));
}

TEST(ProgramSweep, ParametersOfTheExampleTakeTheirKindsFromTheirValues) {
  testing::TempDir dir;
  dir.write("train.py", "");
  const SweepSpec spec = parse_sweep(kExample, dir.file("sweep.yaml"));
  const Parameter& lr = parameter(spec, "lr");
  EXPECT_EQ(lr.kind, SettingKind::kReal);
  EXPECT_EQ(lr.distribution, Distribution::kLogUniformValues);
  EXPECT_EQ(lr.min, 0.0001);
  EXPECT_EQ(lr.max, 0.1);
  const Parameter& hidden = parameter(spec, "hidden");
  EXPECT_EQ(hidden.kind, SettingKind::kInteger);
  EXPECT_EQ(hidden.values, (std::vector<Value>{64LL, 128LL}));
  const Parameter& optimizer = parameter(spec, "optimizer");
  EXPECT_EQ(optimizer.kind, SettingKind::kChoice);
  EXPECT_EQ(optimizer.values, (std::vector<Value>{std::string("adam")}));
  const Parameter& momentum = parameter(spec, "momentum");
  EXPECT_EQ(momentum.kind, SettingKind::kReal);
  EXPECT_EQ(momentum.distribution, Distribution::kUniform);
  EXPECT_EQ(momentum.min, 0.5);
  EXPECT_EQ(momentum.max, 0.99);
}

TEST(ProgramSweep, CommandAloneIsAProgramSweepWithTheCommandAsWritten) {
  const SweepSpec spec = parse_sweep(command_sweep(""), "sweep.yaml");
  ASSERT_TRUE(spec.runs_program());
  EXPECT_EQ(spec.program->program, "");
  EXPECT_EQ(spec.program->program_path, "");
  EXPECT_EQ(spec.program->command, (std::vector<std::string>{"python3", "train.py", "${args}"}));
  EXPECT_EQ(spec.program->place, "sweep.yaml:2:10");
}

TEST(ProgramSweep, WithoutAFileTheProgramIsRelativeToTheCurrentDirectory) {
  testing::TempDir dir;
  dir.write("train.py", "");
  const CurrentDirectory cd(dir.path());
  const SweepSpec spec = parse_sweep(kExample, "");
  EXPECT_EQ(spec.program->program_path, (fs::current_path() / "train.py").lexically_normal().string());
  EXPECT_EQ(spec.program->place, "<sweep>:2:10");
  const std::string missing = "method: grid\nprogram: nope.py\nmetric: {name: loss}\n";
  EXPECT_EQ(config_error([&] { (void)parse_sweep(missing, ""); }),
            "<sweep>:2:10: program 'nope.py' does not exist (looked for " +
                (fs::current_path() / "nope.py").lexically_normal().string() +
                "); `program` is relative to the current directory when the sweep has no file");
}

TEST(ProgramSweep, AbsoluteProgramIsKeptAndAResultsFilesSweepNeedsNoProgram) {
  testing::TempDir dir;
  const std::string program = dir.write("bin/run.sh", "#!/bin/sh\n");
  const SweepSpec spec =
      parse_sweep("method: grid\nprogram: " + program + "\nmetric: {name: loss}\n", dir.file("elsewhere/sweep.yaml"));
  EXPECT_EQ(spec.program->program_path, fs::path(program).lexically_normal().string());
  // A results file read where the program is not (another machine): the sweep still reads.
  const std::string gone = "method: grid\nprogram: gone.py\nmetric: {name: loss}\n";
  const SweepSpec stored = parse_sweep(gone, dir.file("sweep.yaml"), ParseMode::kStored);
  EXPECT_EQ(stored.program->program_path, expected_path(dir.path(), "gone.py"));
  EXPECT_THROW((void)parse_sweep(gone, dir.file("sweep.yaml")), core::ConfigError);
}

TEST(ProgramSweep, FreeParameterNamesWithInferredKinds) {
  const SweepSpec spec = parse_sweep(R"(method: random
run_cap: 3
command: [python3, train.py, "${args}"]
metric: {name: loss}
parameters:
  ints: {values: [1, 2, 3]}
  reals: {values: [1, 2.5]}
  names: {values: [adam, sgd]}
  flags: {values: [true, false]}
  quoted: {value: "64"}
  yes_no: {values: [y, n]}
  int_uniform: {distribution: int_uniform, min: 1, max: 8}
  min_max_ints: {min: 1, max: 8}
  min_max_reals: {min: 0.5, max: 0.99}
  q_ints: {distribution: q_uniform, min: 0, max: 100, q: 10}
  q_reals: {distribution: q_uniform, min: 0, max: 1, q: 0.25}
  normal: {distribution: normal, mu: 0, sigma: 1}
  model.lr: {distribution: log_uniform_values, min: 1.0e-5, max: 0.1}
  dropout: {value: 5}
  lr: {values: [fast, slow]}
)",
                                     "sweep.yaml");
  const std::map<std::string, std::pair<SettingKind, Distribution>> expected = {
      {"ints", {SettingKind::kInteger, Distribution::kCategorical}},
      {"reals", {SettingKind::kReal, Distribution::kCategorical}},
      {"names", {SettingKind::kChoice, Distribution::kCategorical}},
      {"flags", {SettingKind::kBoolean, Distribution::kCategorical}},
      {"quoted", {SettingKind::kChoice, Distribution::kCategorical}},
      {"yes_no", {SettingKind::kChoice, Distribution::kCategorical}},
      {"int_uniform", {SettingKind::kInteger, Distribution::kIntUniform}},
      {"min_max_ints", {SettingKind::kInteger, Distribution::kIntUniform}},
      {"min_max_reals", {SettingKind::kReal, Distribution::kUniform}},
      {"q_ints", {SettingKind::kInteger, Distribution::kQUniform}},
      {"q_reals", {SettingKind::kReal, Distribution::kQUniform}},
      {"normal", {SettingKind::kReal, Distribution::kNormal}},
      {"model.lr", {SettingKind::kReal, Distribution::kLogUniformValues}},
      {"dropout", {SettingKind::kInteger, Distribution::kCategorical}},
      {"lr", {SettingKind::kChoice, Distribution::kCategorical}},
  };
  ASSERT_EQ(spec.parameters.size(), expected.size());
  for (const Parameter& p : spec.parameters) {
    ASSERT_TRUE(expected.count(p.name)) << p.name;
    EXPECT_EQ(p.kind, expected.at(p.name).first) << p.name;
    EXPECT_EQ(p.distribution, expected.at(p.name).second) << p.name;
  }
  EXPECT_EQ(parameter(spec, "reals").values, (std::vector<Value>{1.0, 2.5}));
  EXPECT_EQ(parameter(spec, "quoted").values, (std::vector<Value>{std::string("64")}));
  EXPECT_EQ(parameter(spec, "yes_no").values, (std::vector<Value>{std::string("y"), std::string("n")}))
      << "y and n are strings to W&B's YAML reader";
  EXPECT_EQ(parameter(spec, "dropout").values, (std::vector<Value>{5LL})) << "no range but the program's";
  EXPECT_TRUE(std::isfinite(parameter(spec, "normal").min) && std::isfinite(parameter(spec, "normal").max));

  // Every trial's settings are of the kinds inferred.
  for (const Trial& trial : make_plan(spec)) {
    ASSERT_EQ(trial.settings.size(), expected.size());
    for (const SettingValue& s : trial.settings) {
      switch (expected.at(s.name).first) {
        case SettingKind::kInteger: EXPECT_TRUE(std::holds_alternative<long long>(s.value)) << s.name; break;
        case SettingKind::kReal: EXPECT_TRUE(std::holds_alternative<double>(s.value)) << s.name; break;
        case SettingKind::kBoolean: EXPECT_TRUE(std::holds_alternative<bool>(s.value)) << s.name; break;
        case SettingKind::kChoice: EXPECT_TRUE(std::holds_alternative<std::string>(s.value)) << s.name; break;
      }
    }
  }
}

TEST(ProgramSweep, GridOverTheProgramsParameters) {
  const SweepSpec spec = parse_sweep(command_sweep("parameters:\n  a: {values: [1, 2, 3]}\n  b: {values: [x, y]}\n"
                                                   "  c: {distribution: int_uniform, min: 0, max: 1}\n"),
                                     "sweep.yaml");
  EXPECT_EQ(num_configs(spec), 12);
}

TEST(ProgramSweep, MetricTakesAnyNameAndItsGoalDefaultsToMinimize) {
  const SweepSpec spec = parse_sweep(
      "method: grid\ncommand: [python3, train.py]\nmetric: {name: val/accuracy, goal: maximize, target: 0.99}\n",
      "s.yaml");
  EXPECT_EQ(spec.metric.name, "val/accuracy");
  EXPECT_EQ(spec.metric.goal, Goal::kMaximize);
  EXPECT_EQ(spec.metric.target, 0.99);
  EXPECT_TRUE(spec.metric.reported);

  // val_metric is only a name here: the built-in task does not decide its goal.
  SweepSpec named = parse_sweep("method: grid\ncommand: [python3, train.py]\nmetric: {name: val_metric}\n", "s.yaml");
  EXPECT_EQ(named.metric.goal, Goal::kMinimize);
  resolve_metric_goal(named.metric, false);
  EXPECT_EQ(named.metric.goal, Goal::kMinimize);
  const SweepSpec loss =
      parse_sweep("method: grid\ncommand: [python3, train.py]\nmetric: {name: val_loss, goal: maximize}\n", "s.yaml");
  EXPECT_EQ(loss.metric.goal, Goal::kMaximize) << "the program says what its val_loss is";
  EXPECT_NO_THROW(check_metric_goal(loss.metric, false));
}

TEST(ProgramSweep, DataIsNotedNotRead) {
  const SweepSpec spec =
      parse_sweep(command_sweep("data: {source: csv, train: no_such_file.csv, target: 7}\n"), "sweep.yaml");
  EXPECT_EQ(spec.notes,
            (std::vector<std::string>{
                "sweep.yaml:4:1: note: data is not used by a program sweep; the program reads its own data"}));
  EXPECT_EQ(spec.data.source, "synthetic") << "left as it was: the runtime loads no data for a program";
}

TEST(ProgramSweep, AshaAndMedianStopAProgramAtARung) {
  EXPECT_NO_THROW(
      (void)parse_sweep(command_sweep("early_terminate: {type: asha, grace_period: 1, reduction_factor: 2}\n"),
                        "sweep.yaml"));
  EXPECT_NO_THROW((void)parse_sweep(command_sweep("early_terminate: {type: median, grace_period: 2}\n"), "sweep.yaml"));
}

TEST(ProgramSweep, BuiltInSweepsAreUnchanged) {
  // The settings table still rules a sweep without a program: names, kinds, ranges, metric names.
  EXPECT_EQ(error_of("method: grid\nparameters:\n  hidden: {values: [64]}\n"),
            "sweep.yaml:3:3: unknown key 'hidden' in parameters; accepted: " + setting_names());
  EXPECT_EQ(error_of("method: grid\nmetric: {name: loss}\n"),
            "sweep.yaml:2:16: metric name must be one of val_loss, val_metric, got loss");
  EXPECT_EQ(error_of("method: grid\nparameters:\n  dropout: {value: 5}\n"),
            "sweep.yaml:3:20: dropout must be in [0, 1), got 5");
  const SweepSpec spec = parse_sweep("method: grid\nparameters:\n  width: {values: [8, 16]}\n", "sweep.yaml");
  EXPECT_FALSE(spec.runs_program());
  EXPECT_FALSE(spec.metric.reported);
}

// ---------------------------------------------------------------------------------------------
// Refusals: each at its place, with what to write instead

TEST(ProgramSweepErrors, ProgramThatDoesNotExist) {
  testing::TempDir dir;
  dir.write("sub/train.py", "");
  const std::string sweep = dir.file("sweep.yaml");
  EXPECT_EQ(config_error(
                [&] { (void)parse_sweep("method: grid\nprogram: missing.py\nmetric: {name: loss}\n", sweep); }),
            sweep + ":2:10: program 'missing.py' does not exist (looked for " +
                expected_path(dir.path(), "missing.py") + "); `program` is relative to the sweep file");
  EXPECT_EQ(config_error([&] { (void)parse_sweep("method: grid\nprogram: sub\nmetric: {name: loss}\n", sweep); }),
            sweep + ":2:10: program 'sub' is a directory (looked for " + expected_path(dir.path(), "sub") +
                "); name the program's file, e.g. train.py");
  EXPECT_EQ(config_error([&] { (void)parse_sweep("method: grid\nprogram: ''\nmetric: {name: loss}\n", sweep); }),
            sweep + ":2:10: program must be a non-empty string, got ''");
  EXPECT_NO_THROW((void)parse_sweep("method: grid\nprogram: sub/train.py\nmetric: {name: loss}\n", sweep));
}

TEST(ProgramSweepErrors, CommandMustBeAList) {
  EXPECT_EQ(error_of("method: grid\ncommand: \"python train.py ${args}\"\nmetric: {name: loss}\n"),
            "sweep.yaml:2:10: command must be a list of strings (W&B's form), got the single string 'python train.py "
            "${args}'; write it as a list: [python, train.py, \"${args}\"]");
  EXPECT_EQ(error_of("method: grid\ncommand: []\nmetric: {name: loss}\n"),
            "sweep.yaml:2:10: command must be a non-empty list of strings such as [\"${env}\", \"${interpreter}\", "
            "\"${program}\", \"${args}\"], got an empty list");
  EXPECT_EQ(error_of("method: grid\ncommand: [python3, {a: 1}]\nmetric: {name: loss}\n"),
            "sweep.yaml:2:20: command elements must be strings, got a mapping");
}

TEST(ProgramSweepErrors, UnknownMacroNamesTheAcceptedOnes) {
  EXPECT_EQ(error_of("method: grid\ncommand:\n  - python3\n  - train.py\n  - ${argz}\nmetric: {name: loss}\n"),
            "sweep.yaml:5:5: unknown macro ${argz} in command; accepted: ${env}, ${interpreter}, ${program}, ${args}, "
            "${args_no_hyphens}, ${args_json}, ${args_json_file} (each as a whole list element)");
}

TEST(ProgramSweepErrors, MacroMustBeAWholeElement) {
  EXPECT_EQ(error_of("method: grid\ncommand:\n  - python3\n  - train.py\n  - --config=${args_json_file}\n"
                     "metric: {name: loss}\n"),
            "sweep.yaml:5:5: command element '--config=${args_json_file}' has text around the macro ${args_json_file}; "
            "a macro must be a whole list element (W&B's rule): make ${args_json_file} an element of its own");
}

TEST(ProgramSweepErrors, ProgramMacroNeedsAProgram) {
  EXPECT_EQ(
      error_of("method: grid\ncommand: [\"${env}\", \"${program}\"]\nmetric: {name: loss}\n"),
      "sweep.yaml:2:21: the command uses ${program}, but the sweep file has no `program`; add `program: train.py` "
      "(relative to the sweep file) or write the program's path in the command");
}

TEST(ProgramSweepErrors, UnquotedMacrosInAFlowListAreNotYamlAndTheMessageSaysSo) {
  // W&B's reader (PyYAML) refuses this too: in a [...] list, { starts a mapping.
  const std::string message = error_of("method: grid\ncommand: [${env}, ${program}]\nmetric: {name: loss}\n");
  EXPECT_TRUE(message.rfind("sweep.yaml:2:", 0) == 0) << message;
  EXPECT_TRUE(contains(message, ": invalid yaml: ")) << message;
  EXPECT_TRUE(contains(message, "quote each macro: [\"${env}\", \"${program}\", \"${args}\"]")) << message;
}

TEST(ProgramSweepErrors, ParameterNames) {
  const std::string rule = "printable ASCII without whitespace or '=' (the program reads --name=value), at most 64 "
                           "characters (it becomes a column of the results file)";
  const std::string long_name(65, 'x');
  EXPECT_EQ(error_of(command_sweep("parameters:\n  \"learning rate\": {value: 1}\n  a=b: {value: 1}\n  " + long_name +
                                   ": {value: 1}\n  '': {value: 1}\n")),
            "sweep.yaml:5:3: parameter name 'learning rate' must be " + rule + "\n" +
                "sweep.yaml:6:3: parameter name 'a=b' must be " + rule + "\n" + "sweep.yaml:7:3: parameter name '" +
                std::string(20, 'x') + "...' has 65 characters; it must be " + rule + "\n" +
                "sweep.yaml:8:3: a parameter name must be " + rule + ", got ''");
  EXPECT_NO_THROW(
      (void)parse_sweep(command_sweep("parameters:\n  " + std::string(64, 'x') + ": {value: 1}\n"), "s.yaml"));
  EXPECT_EQ(error_of(command_sweep("parameters:\n  a: {value: 1}\n  a: {value: 2}\n")),
            "sweep.yaml:6:3: duplicate key 'a' in parameters");
  EXPECT_EQ(error_of(command_sweep("parameters: [a, b]\n")),
            "sweep.yaml:4:13: parameters must be a mapping of your program's parameter names to {values: [...]}, "
            "{value: x} or {distribution: ..., min: ..., max: ...}, got a list");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  a: 3\n")),
            "sweep.yaml:5:6: parameter a must be a mapping such as {values: [...]}; for one value write {value: 3}");
}

TEST(ProgramSweepErrors, ValuesOfMixedKinds) {
  EXPECT_EQ(error_of(command_sweep("parameters:\n  mix: {values: [1, a]}\n")),
            "sweep.yaml:5:21: parameter mix mixes kinds: 1 is a number and a is a string; give values of one kind "
            "(quote numbers to make them strings)");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  flag: {values: [true, 0]}\n")),
            "sweep.yaml:5:25: parameter flag mixes kinds: true is a boolean and 0 is a number; give values of one kind "
            "(quote numbers to make them strings)");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  nested: {values: [[1, 2], [3]]}\n")),
            "sweep.yaml:5:21: parameter nested values must be numbers, strings or true/false, got a list\n"
            "sweep.yaml:5:29: parameter nested values must be numbers, strings or true/false, got a list");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  bound: {min: low, max: 1}\n")),
            "sweep.yaml:5:16: parameter bound min must be a finite number, got low");
}

TEST(ProgramSweepErrors, TheDistributionsOwnRulesStillApply) {
  EXPECT_EQ(error_of(command_sweep("parameters:\n  lr: {distribution: log_uniform_values, min: 0, max: 0.1}\n")),
            "sweep.yaml:5:47: parameter lr: log_uniform_values bounds must be > 0, got 0");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  width: {min: 10, max: 2}\n")),
            "sweep.yaml:5:25: parameter width: max must be >= min (10), got 2");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  s: {distribution: normal, mu: 0, sigma: 0}\n")),
            "sweep.yaml:5:43: parameter s sigma must be > 0, got 0");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  i: {distribution: int_uniform, min: 0.5, max: 3}\n")),
            "sweep.yaml:5:39: parameter i: int_uniform bounds must be integers, got 0.5");
  EXPECT_EQ(error_of(command_sweep("parameters:\n  u: {distribution: uniform, min: 0, max: 1}\n")),
            "sweep.yaml:5:3: parameter u: grid search needs finite values, but distribution uniform is continuous; "
            "use values, int_uniform or q_uniform, or method: random");
}

TEST(ProgramSweepErrors, MetricIsRequiredAndNamed) {
  EXPECT_EQ(error_of("method: grid\ncommand: [python3, train.py]\n"),
            "sweep.yaml:1:1: a program sweep ranks trials by a metric the program reports: add "
            "`metric: {name: validation_loss, goal: minimize}`");
  EXPECT_EQ(error_of("method: grid\ncommand: [python3, train.py]\nmetric: {goal: maximize}\n"),
            "sweep.yaml:3:9: metric needs name: the metric your program reports, e.g. {name: validation_loss, goal: "
            "minimize}");
  EXPECT_EQ(error_of("method: grid\ncommand: [python3, train.py]\nmetric: {name: ''}\n"),
            "sweep.yaml:3:16: metric name must be a non-empty string, got ''");
}

TEST(ProgramSweepErrors, FixedSettingsAreTheBuiltInTrainers) {
  EXPECT_EQ(
      error_of(command_sweep("fixed: {epochs: 3}\n")),
      "sweep.yaml:4:1: fixed sets the built-in trainer's settings, which a program sweep does not use; fix a value "
      "your program takes with parameters: {name: {value: ...}}");
}

TEST(ProgramSweepErrors, ShaAndHyperbandCannotPauseAProgram) {
  EXPECT_EQ(
      error_of(command_sweep("early_terminate: {type: hyperband, min_iter: 3}\n")),
      "sweep.yaml:4:18: early_terminate type hyperband pauses trials and continues them from a checkpoint, which a "
      "program cannot do; use asha or median, which stop a program at a rung (W&B's hyperband with min_iter 3 and "
      "eta 3 is {type: asha, grace_period: 3, reduction_factor: 3})");
  EXPECT_EQ(error_of(command_sweep("early_terminate: {type: sha, min_iter: 2, eta: 2}\n")),
            "sweep.yaml:4:18: early_terminate type sha pauses trials and continues them from a checkpoint, which a "
            "program cannot do; use asha or median, which stop a program at a rung");
}

TEST(ProgramSweepErrors, TrialTimeoutMustBePositive) {
  EXPECT_EQ(error_of(command_sweep("trial_timeout: 0\n")),
            "sweep.yaml:4:16: trial_timeout must be in (0, 32000000], got 0");
  EXPECT_EQ(error_of(command_sweep("trial_timeout: -5\n")),
            "sweep.yaml:4:16: trial_timeout must be in (0, 32000000], got -5");
}

TEST(ProgramSweepErrors, UnknownTopLevelKeyListsTheProgramKeys) {
  EXPECT_EQ(
      error_of(command_sweep("progam: train.py\n")),
      "sweep.yaml:4:1: unknown key 'progam' in the sweep file; accepted: name, description, project, entity, "
      "program, command, method, metric, seed, repeats, run_cap, bayes, data, fixed, parameters, early_terminate, "
      "trial_timeout; did you mean 'program'?");
}

// ---------------------------------------------------------------------------------------------
// W&B's own sweep files parse as they are

TEST(WandbProgramFiles, PythonTrainPyWithArgsInBlockStyle) {
  testing::TempDir dir;
  dir.write("train.py", "import wandb\n");
  const std::string path = dir.write("sweep.yaml", R"(# python train.py --learning_rate=... (W&B's quickstart)
program: train.py
name: mnist-bayes
description: tune the MLP on MNIST
method: bayes
metric:
  name: val/accuracy
  goal: maximize
run_cap: 30
parameters:
  learning_rate:
    distribution: log_uniform_values
    min: 0.0001
    max: 0.1
  batch_size:
    values: [32, 64, 128]
  optimizer:
    values: ["adam", "sgd"]
  dropout:
    distribution: uniform
    min: 0.1
    max: 0.5
  epochs:
    value: 10
command:
  - python
  - train.py
  - ${args}
)");
  const SweepSpec spec = load_sweep(path);
  ASSERT_TRUE(spec.runs_program());
  EXPECT_EQ(spec.program->command, (std::vector<std::string>{"python", "train.py", "${args}"}));
  EXPECT_EQ(spec.program->program_path, expected_path(dir.path(), "train.py"));
  EXPECT_EQ(spec.method, Method::kBayes);
  EXPECT_EQ(spec.metric.name, "val/accuracy");
  EXPECT_EQ(spec.metric.goal, Goal::kMaximize);
  EXPECT_EQ(spec.swept_names(),
            (std::vector<std::string>{"learning_rate", "batch_size", "optimizer", "dropout", "epochs"}));
  EXPECT_EQ(parameter(spec, "epochs").values, (std::vector<Value>{10LL}));
  const Assignment settings = {{"learning_rate", 0.001}, {"batch_size", 64LL}, {"optimizer", std::string("adam")}};
  EXPECT_EQ(expand_command(*spec.program, settings, ""),
            (std::vector<std::string>{"python", "train.py", "--learning_rate=0.001", "--batch_size=64",
                                      "--optimizer=adam"}));
}

TEST(WandbProgramFiles, EnvPython3ProgramWithoutArgs) {
  testing::TempDir dir;
  dir.write("src/train.py", "");
  const std::string path = dir.write("src/sweep.yaml", R"(project: my-project
entity: my-team
program: train.py
method: random
run_cap: 20
metric: {name: loss, goal: minimize}
parameters:
  lr: {min: 0.001, max: 0.1}
  layers: {min: 1, max: 4}
command:
  - ${env}
  - python3
  - ${program}
)");
  const SweepSpec spec = load_sweep(path);
  EXPECT_EQ(spec.notes,
            (std::vector<std::string>{path + ":1:1: note: 'project' is a W&B key; hpsweep does not use it",
                                      path + ":2:1: note: 'entity' is a W&B key; hpsweep does not use it"}));
  EXPECT_EQ(parameter(spec, "lr").distribution, Distribution::kUniform);
  EXPECT_EQ(parameter(spec, "layers").distribution, Distribution::kIntUniform);
  EXPECT_EQ(parameter(spec, "layers").kind, SettingKind::kInteger);
  EXPECT_FALSE(uses_args_json_file(*spec.program));
  EXPECT_EQ(expand_command(*spec.program, {{"lr", 0.01}, {"layers", 2LL}}, ""),
            (std::vector<std::string>{"/usr/bin/env", "python3", expected_path(dir.path() / "src", "train.py")}));
}

TEST(WandbProgramFiles, HydraStyleArgsWithoutHyphensInAQuotedFlowList) {
  testing::TempDir dir;
  dir.write("train.py", "");
  const std::string path = dir.write("hydra.yaml", R"(program: train.py
method: grid
metric:
  goal: minimize
  name: val_loss
parameters:
  model.hidden: {values: [64, 128, 256]}
  trainer.precision: {values: ["16-mixed", "32"]}
command: ["${env}", "${interpreter}", "${program}", "${args_no_hyphens}"]
)");
  const SweepSpec spec = load_sweep(path);
  EXPECT_EQ(num_configs(spec), 6);
  EXPECT_EQ(parameter(spec, "trainer.precision").kind, SettingKind::kChoice);
  const std::vector<Trial> plan = make_plan(spec);
  ASSERT_EQ(plan.size(), 6u);
  EXPECT_EQ(expand_command(*spec.program, plan[0].settings, ""),
            (std::vector<std::string>{"/usr/bin/env", "python3", expected_path(dir.path(), "train.py"),
                                      "model.hidden=64", "trainer.precision=16-mixed"}));
}

// ---------------------------------------------------------------------------------------------
// The command line of a trial

ProgramSpec program_of(std::vector<std::string> command, const std::string& program = "train.py") {
  ProgramSpec spec;
  spec.program = program;
  spec.program_path = program.empty() ? "" : "/work/" + program;
  spec.command = std::move(command);
  spec.place = "sweep.yaml:2:10";
  return spec;
}

const Assignment kSettings = {{"lr", 0.001},      {"hidden", 64LL}, {"optimizer", std::string("adam")},
                              {"nesterov", true}, {"scale", 1.0},   {"tiny", 1e-05}};

TEST(ExpandCommand, EveryMacro) {
  const ProgramSpec program = program_of({"${env}", "${interpreter}", "${program}", "--verbose", "${args}",
                                          "${args_no_hyphens}", "${args_json}", "${args_json_file}"});
  EXPECT_EQ(expand_command(program, kSettings, "/tmp/trial-3.json"),
            (std::vector<std::string>{
                "/usr/bin/env", "python3", "/work/train.py", "--verbose", "--lr=0.001", "--hidden=64",
                "--optimizer=adam", "--nesterov=True", "--scale=1.0", "--tiny=1e-05", "lr=0.001", "hidden=64",
                "optimizer=adam", "nesterov=True", "scale=1.0", "tiny=1e-05",
                R"({"lr":0.001,"hidden":64,"optimizer":"adam","nesterov":true,"scale":1.0,"tiny":1e-05})",
                "/tmp/trial-3.json"}));
  EXPECT_TRUE(uses_args_json_file(program));
}

TEST(ExpandCommand, DefaultCommandDropsTheInterpreterForAProgramThatIsNotPython) {
  EXPECT_EQ(expand_command(program_of({}, "run.sh"), {{"lr", 0.5}, {"fast", false}}, ""),
            (std::vector<std::string>{"/usr/bin/env", "/work/run.sh", "--lr=0.5", "--fast=False"}));
  EXPECT_EQ(expand_command(program_of({}), {{"lr", 0.5}}, ""),
            (std::vector<std::string>{"/usr/bin/env", "python3", "/work/train.py", "--lr=0.5"}));
  EXPECT_FALSE(uses_args_json_file(program_of({})));
  EXPECT_EQ(expand_command(program_of({"${env}", "${interpreter}", "./bin/train"}, ""), {}, ""),
            (std::vector<std::string>{"/usr/bin/env", "./bin/train"}))
      << "no program: no interpreter either";
}

TEST(ExpandCommand, StringsAreEscapedInJsonAndPassedAsTheyAreInArgs) {
  const std::string odd = "say \"hi\"\\now\n\ttab \x01 caf\xc3\xa9";
  const Assignment settings = {{"note", odd}, {"we\"ird", 1LL}};
  const std::string json = settings_json(settings);
  EXPECT_EQ(json, "{\"note\":\"say \\\"hi\\\"\\\\now\\u000a\\u0009tab \\u0001 caf\xc3\xa9\",\"we\\\"ird\":1}");
  const nlohmann::json parsed = nlohmann::json::parse(json);
  EXPECT_EQ(parsed.at("note").get<std::string>(), odd);
  EXPECT_EQ(parsed.at("we\"ird").get<long long>(), 1);
  EXPECT_EQ(expand_command(program_of({"${args}"}), settings, ""),
            (std::vector<std::string>{"--note=" + odd, "--we\"ird=1"}));
}

TEST(ExpandCommand, ProgramMacroWithoutAProgramAndJsonFileWithoutAPath) {
  ProgramSpec none = program_of({"${program}"});
  none.program.clear();
  none.program_path.clear();
  EXPECT_THROW((void)expand_command(none, kSettings, ""), core::ConfigError);
  EXPECT_THROW((void)expand_command(program_of({"${args_json_file}"}), kSettings, ""), core::Error);
}

TEST(SettingsJson, EmptyAndNonFinite) {
  EXPECT_EQ(settings_json({}), "{}");
  EXPECT_EQ(settings_json({{"a", std::numeric_limits<double>::quiet_NaN()},
                           {"b", std::numeric_limits<double>::infinity()},
                           {"c", -0.0},
                           {"d", 1e20}}),
            R"({"a":null,"b":null,"c":-0.0,"d":1e+20})");
  EXPECT_EQ(expand_command(program_of({"${args}"}),
                           {{"a", std::numeric_limits<double>::quiet_NaN()},
                            {"b", -std::numeric_limits<double>::infinity()}},
                           ""),
            (std::vector<std::string>{"--a=nan", "--b=-inf"}));
}

TEST(SettingsJson, RealsReadBackBitForBit) {
  std::vector<double> xs = {0.1,
                            1.0 / 3.0,
                            2.0 / 3.0,
                            1e-300,
                            std::numeric_limits<double>::denorm_min(),
                            std::numeric_limits<double>::min(),
                            std::numeric_limits<double>::max(),
                            -0.0,
                            0.0,
                            100.0,
                            9007199254740993.0,
                            123456789.123456789,
                            -2.5e-7};
  const std::uint64_t seed = 20240611;
  std::mt19937_64 bits(seed);
  while (xs.size() < 2000) {
    const double x = std::bit_cast<double>(bits());
    if (std::isfinite(x)) xs.push_back(x);
  }
  Assignment settings;
  for (std::size_t i = 0; i < xs.size(); ++i) settings.push_back({"x" + std::to_string(i), xs[i]});
  const nlohmann::json parsed = nlohmann::json::parse(settings_json(settings));
  ASSERT_EQ(parsed.size(), xs.size());
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    ASSERT_TRUE(it->is_number_float()) << "seed " << seed << ": " << it.key() << " = " << it->dump();
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double back = parsed.at("x" + std::to_string(i)).get<double>();
    EXPECT_EQ(std::bit_cast<std::uint64_t>(back), std::bit_cast<std::uint64_t>(xs[i]))
        << "seed " << seed << ": " << xs[i] << " came back as " << back;
  }
}

}  // namespace
}  // namespace hpsweep::search
