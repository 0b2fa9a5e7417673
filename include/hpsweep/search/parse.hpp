#pragma once
/// Reading sweep files (YAML, the Weights & Biases sweep schema where it has a word for it).
///
///     name: overfitting
///     method: random               # grid | random
///     metric: {name: val_loss, goal: minimize}
///     seed: 7
///     repeats: 3                   # seeds per configuration (default 1)
///     run_cap: 200                 # random: number of configurations (required)
///     data: {source: csv, train: data/train.csv, val: data/val.csv, target: y}
///     fixed: {epochs: 50, optimizer: adam, early_stopping: {patience: 10}}
///     parameters:
///       dropout: {values: [0.0, 0.25, 0.5]}
///       l2:      {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1}
///       width:   {value: 128}
///
/// A parameter takes `value`, `values`, or `distribution` (categorical, uniform,
/// log_uniform_values, int_uniform, q_uniform, q_log_uniform_values) with `min`, `max`, `q`
/// (default 1). `min`/`max` without a distribution mean int_uniform for integer settings and
/// uniform otherwise. A setting is either in `fixed` or in `parameters`, not both;
/// `early_stopping: {patience, min_delta}` in `fixed` is the nested form of those two settings.

#include <string>

#include "hpsweep/search/spec.hpp"

namespace hpsweep::search {

/// Parses and validates a sweep file's text. `path` names it in messages and anchors relative data
/// paths. Every problem is reported at once: throws one core::ConfigError whose message has one
/// line per problem, `path:line:col: what is wrong` with the accepted keys or range, in file
/// order. Malformed YAML is a ConfigError with the parser's place too.
///
/// kStored parses the sweep text a results file holds: a file written by an earlier hpsweep stays
/// readable, so the refusals added since that only protect a sweep about to run (a metric goal
/// that ranks the wrong way, SGD-only settings with Adam) are not applied.
enum class ParseMode { kNew, kStored };
[[nodiscard]] SweepSpec parse_sweep(const std::string& text, const std::string& path, ParseMode mode = ParseMode::kNew);

/// Reads and parses a sweep file; a file that cannot be read is a core::ConfigError naming it.
[[nodiscard]] SweepSpec load_sweep(const std::string& path);

}  // namespace hpsweep::search
