#pragma once
/// A validated sweep file: what to train (data, fixed settings), what to search (parameters)
/// and how (grid or random, seed, repeats).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/search/data_spec.hpp"
#include "hpsweep/search/space.hpp"
#include "hpsweep/search/termination.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::search {

/// How configurations are chosen.
enum class Method {
  kGrid,    ///< every combination of the parameters' values (see plan.hpp for the order)
  kRandom,  ///< run_cap configurations, each parameter sampled from its distribution
  kBayes,   ///< run_cap configurations: startup ones as random draws them, then TPE (search/tpe.hpp)
};

/// Whether a lower or a higher metric is better.
enum class Goal { kMinimize, kMaximize };

[[nodiscard]] const char* method_name(Method method) noexcept;  ///< "grid" | "random" | "bayes"
[[nodiscard]] const char* goal_name(Goal goal) noexcept;        ///< "minimize" | "maximize"

/// The metric that ranks configurations (W&B `metric`).
struct Metric {
  std::string name = "val_loss";  ///< val_loss | val_metric; any non-empty name when `reported`
  Goal goal = Goal::kMinimize;
  bool goal_given = false;        ///< the file says the goal; else it follows the metric and task
  std::string place;              ///< "sweep.yaml:4:9" of the goal (or the metric), for later messages
  /// W&B's `metric.target`: once a finished trial's value reaches it (<= when minimizing, >= when
  /// maximizing), the sweep starts no further trial; the ones running finish.
  std::optional<double> target;
  /// A program sweep: `name` is a metric the program reports, any name. Its goal is the file's, or
  /// minimize; resolve_metric_goal and check_metric_goal leave it alone.
  bool reported = false;
};

/// A sweep of the user's own program (`program` and/or `command`, W&B's keys): each trial runs it.
struct ProgramSpec {
  std::string program;               ///< as written; "" when only `command` is given
  std::string program_path;          ///< absolute, resolved against the sweep file's directory; "" when none
  std::vector<std::string> command;  ///< as written, macros unexpanded; the default when the file has none
  std::string place;                 ///< "sweep.yaml:2:10" of `program` (else of `command`)
};

/// The `bayes` section: how method bayes (a Tree-structured Parzen Estimator) proposes.
struct BayesSpec {
  /// Configurations drawn at random, exactly as method random draws them, before the model decides.
  int startup_trials = 10;
  /// Candidates drawn from the density of good configurations per proposal; the one with the
  /// highest ratio of good to bad density is proposed (Optuna's n_ei_candidates).
  int candidates = 24;
  /// Configurations decided together from the same history, after the startup ones. A batch is
  /// decided once every trial before it has settled, so a larger one keeps more workers busy and
  /// a smaller one learns sooner; the trials never depend on the number of ranks.
  int batch_size = 4;
  /// The share of the settled configurations, ranked, that form the good density:
  /// ceil(gamma * n), at most 25 (Optuna's default gamma).
  double gamma = 0.1;
  /// The weight of the prior (each parameter's own distribution) beside the observed configurations.
  double prior_weight = 1.0;
  std::string place;  ///< "sweep.yaml:9:1" of the section, or of `method` when absent
};

/// The goal of a metric whose file does not say it: val_metric is accuracy for classification
/// (maximize) and RMSE for regression (minimize). `regression` unknown (a results file written
/// before files recorded the task) keeps W&B's default, minimize, as that hpsweep did. A
/// reported metric (a program sweep's) keeps its goal.
void resolve_metric_goal(Metric& metric, std::optional<bool> regression);

/// Refuses (core::ConfigError at metric.place) a goal the file gives that ranks the worst first:
/// minimize for accuracy, maximize for RMSE. A reported metric (a program sweep's) is the program's
/// to define, so any goal passes.
void check_metric_goal(const Metric& metric, bool regression);

/// Whether a finished trial's `value` of the metric reaches metric.target (<= when minimizing,
/// >= when maximizing); false without a target, and for NaN.
[[nodiscard]] bool reaches_target(const Metric& metric, double value) noexcept;

/// A whole sweep file, validated.
struct SweepSpec {
  std::string name;        ///< `name`, or the file's stem when absent
  std::string path;        ///< the file it came from ("" when parsed from a string)
  std::string text;        ///< the file's raw text, kept for the results file
  Method method = Method::kGrid;
  Metric metric;
  std::uint64_t seed = 0;  ///< base of every trial seed and every random draw
  int repeats = 1;         ///< seeds per configuration
  /// random and bayes: the number of configurations (required). grid: at most this many configurations,
  /// the first ones in grid order (W&B's cap on runs). Absent: the whole grid.
  std::optional<int> run_cap;
  DataSpec data;                      ///< the built-in trainer's data; unused (default) in a program sweep
  /// Settings fixed for every trial, in the table's order; empty in a program sweep, which fixes a
  /// value with a `{value: x}` parameter.
  Assignment fixed;
  /// Swept settings, in file order (the grid's order). In a program sweep, the program's own
  /// parameters: free names, each kind inferred from its values or distribution.
  std::vector<Parameter> parameters;
  EarlyTerminate early_terminate;     ///< stopping unpromising trials at rungs; type none when absent
  /// `trial_timeout`: seconds a trial may train; past them it ends at its next epoch, failed and
  /// saying so (a trial stuck inside one epoch is the worker's liveness check's, --worker-timeout).
  /// 0: no limit.
  double trial_timeout = 0.0;
  BayesSpec bayes;  ///< method bayes only
  /// A sweep of the user's own program: each trial runs the command (see search/command.hpp)
  /// instead of the built-in trainer. Absent: the built-in trainer (the fast path).
  std::optional<ProgramSpec> program;
  /// Things the file says that hpsweep accepts without using them (W&B's `project`, `entity`), as
  /// "sweep.yaml:3:1: note: ..." lines for the commands to print.
  std::vector<std::string> notes;

  /// The names of the swept settings, in file order.
  [[nodiscard]] std::vector<std::string> swept_names() const;
  /// Whether each trial runs the user's program (`program` and/or `command` in the file).
  [[nodiscard]] bool runs_program() const { return program.has_value(); }
};

}  // namespace hpsweep::search
