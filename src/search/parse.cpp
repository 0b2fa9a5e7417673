#include "hpsweep/search/parse.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/search/plan.hpp"
#include "parse_parts.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search {
namespace {

using detail::child;
using detail::Diagnostics;
using detail::has;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr long long kMaxTrials = 10'000'000;
// project and entity are W&B's, accepted and noted as unused.
constexpr std::array<std::string_view, 15> kTopKeys = {
    "name",    "description", "project", "entity", "method",     "metric",          "seed",         "repeats",
    "run_cap", "bayes",       "data",    "fixed",  "parameters", "early_terminate", "trial_timeout"};
// A program sweep's (either key makes the sweep one): only such a file lists them among the
// accepted keys, so that every message about a built-in sweep stays as it was.
constexpr std::array<std::string_view, 17> kProgramTopKeys = {
    "name",    "description", "project", "entity", "program", "command",    "method",          "metric",       "seed",
    "repeats", "run_cap",     "bayes",   "data",   "fixed",   "parameters", "early_terminate", "trial_timeout"};
constexpr std::array<std::string_view, 2> kUnusedKeys = {"project", "entity"};
// The closed sets read here, as enumerators: their names are method_name()'s and goal_name()'s.
constexpr std::array<Method, 3> kMethods = {Method::kGrid, Method::kRandom, Method::kBayes};
constexpr std::array<std::string_view, 3> kMetricKeys = {"name", "goal", "target"};
constexpr std::array<std::string_view, 5> kBayesKeys = {"startup_trials", "candidates", "batch_size", "gamma",
                                                        "prior_weight"};
constexpr std::array<std::string_view, 2> kMetricNames = {"val_loss", "val_metric"};
constexpr std::array<Goal, 2> kGoals = {Goal::kMinimize, Goal::kMaximize};

/// The text of line `line` (0-based), without its newline.
std::string_view line_at(const std::string& text, int line) {
  std::size_t start = 0;
  for (int i = 0; i < line && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos || start > text.size()) return {};
  const std::size_t end = text.find('\n', start);
  return std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
}

/// yaml-cpp 0.7 silently ends a quoted scalar that is never closed at the end of the file (taking
/// the rest of the file into it): find a quoted scalar whose opening quote has no closing one.
void check_quotes(const YAML::Node& node, const std::string& text, const Diagnostics& diag) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      check_quotes(entry.first, text, diag);
      check_quotes(entry.second, text, diag);
    }
    return;
  }
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) check_quotes(item, text, diag);
    return;
  }
  if (!node.IsScalar() || node.Tag() != "!" || node.Mark().is_null()) return;
  const YAML::Mark mark = node.Mark();
  const std::string_view line = line_at(text, mark.line);
  if (mark.column < 0 || static_cast<std::size_t>(mark.column) >= line.size()) return;
  const char quote = line[static_cast<std::size_t>(mark.column)];
  if (quote != '"' && quote != '\'') return;
  const std::size_t open = static_cast<std::size_t>(line.data() - text.data()) + static_cast<std::size_t>(mark.column);
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // an escaped character
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside a single-quoted string
      } else {
        return;
      }
    }
  }
  throw core::ConfigError(diag.place(mark) + ": invalid yaml: the " + (quote == '"' ? "double" : "single") +
                          "-quoted string that starts here is never closed; end it with " + quote);
}

/// Deepest nesting and most nodes (aliases counted at every use) a sweep file may expand to: a
/// real one has a few levels and a few hundred nodes. Beyond that it is a recursive alias
/// (`&p {dropout: *p}`, which would recurse until the stack overflows) or an alias bomb ("billion
/// laughs": 665 bytes expanding to billions of nodes), refused before anything walks it.
constexpr int kMaxYamlDepth = 32;
// The results file keeps the sweep's text in one attribute, which HDF5 limits to 64 KiB.
constexpr std::uintmax_t kMaxSweepBytes = 60 * 1024;
constexpr long kMaxYamlNodes = 100000;

/// Walks `node` as every later reader will, counting against the limits above; throws at the
/// first node past them.
void check_expansion(const YAML::Node& node, int depth, long& nodes, const Diagnostics& diag) {
  if (++nodes > kMaxYamlNodes || depth > kMaxYamlDepth) {
    const YAML::Mark mark = node.Mark();
    throw core::ConfigError((mark.is_null() ? diag.file() : diag.place(mark)) + ": the YAML " +
                            (depth > kMaxYamlDepth ? "nests deeper than " + std::to_string(kMaxYamlDepth) + " levels"
                                                   : "expands to more than " + std::to_string(kMaxYamlNodes) + " nodes") +
                            " (a recursive or much repeated alias, *name?); a sweep file needs neither: write the values out");
  }
  if (node.IsMap()) {
    for (const auto& entry : node) {
      check_expansion(entry.first, depth + 1, nodes, diag);
      check_expansion(entry.second, depth + 1, nodes, diag);
    }
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) check_expansion(item, depth + 1, nodes, diag);
  }
}

/// The place of the first content of a second YAML document in `text` (a line starting with
/// "---" after the first document's content, then a line that is neither blank, a comment nor a
/// marker), or a null mark. Found in the text: yaml-cpp 0.7's LoadAll, which would tell, loops
/// forever on some malformed input (found by fuzzing).
YAML::Mark second_document(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  bool content = false, marker_after_content = false;
  for (int number = 0; std::getline(lines, line); ++number) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const bool is_marker = line.rfind("---", 0) == 0 && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    if (is_marker) {
      marker_after_content = marker_after_content || content;
      const std::size_t rest = line.find_first_not_of(" \t\r", 3);
      if (!marker_after_content || rest == std::string::npos || line[rest] == '#') continue;
      YAML::Mark mark;
      mark.line = number;
      mark.column = static_cast<int>(rest);
      return mark;
    }
    if (line.rfind("...", 0) == 0) continue;
    if (marker_after_content) {
      YAML::Mark mark;
      mark.line = number;
      mark.column = static_cast<int>(first);
      return mark;
    }
    content = true;
  }
  return YAML::Mark::null_mark();
}

YAML::Node load_yaml(const std::string& text, const Diagnostics& diag) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) throw core::ConfigError(diag.file() + ": invalid yaml: " + e.msg);
    std::string hint;
    const std::string_view line = line_at(text, e.mark.line);
    const std::size_t indent = line.find_first_not_of(" \t");
    if (line.substr(0, indent).find('\t') != std::string_view::npos) {
      hint = " (line " + std::to_string(e.mark.line + 1) + " is indented with a tab; YAML indents with spaces only)";
    } else if (line.find("${") != std::string_view::npos) {
      // W&B's command macros: in a flow list, { starts a mapping, so [${env}, ${args}] is not YAML.
      hint = " (in a [...] list, quote each macro: [\"${env}\", \"${program}\", \"${args}\"], or write the list "
             "one element per line: `- ${args}`)";
    }
    throw core::ConfigError(diag.place(e.mark) + ": invalid yaml: " + e.msg + hint);
  }
  if (const YAML::Mark second = second_document(text); !second.is_null()) {
    throw core::ConfigError(diag.place(second) +
                            ": invalid yaml: a sweep file holds one YAML document, but another one starts here "
                            "(after '---'); remove it or merge it into the first");
  }
  if (!root.IsDefined() || root.IsNull()) return YAML::Node();
  long nodes = 0;
  check_expansion(root, 0, nodes, diag);
  check_quotes(root, text, diag);
  return root;
}

std::string default_name(const std::string& path) {
  const std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? "sweep" : stem;
}

/// `program`: a program sweep's metric, which the program reports: any non-empty name, required.
void read_metric(const YAML::Node& node, Metric& metric, ParseMode mode, bool program, Diagnostics& diag) {
  metric.place = diag.place(node.Mark());
  metric.reported = program;
  if (!detail::check_map(node, "metric", kMetricKeys, diag)) return;
  if (program && !has(node, "name")) {
    diag.add(node, "metric needs name: the metric your program reports, e.g. {name: validation_loss, goal: minimize}");
  } else if (program) {
    if (auto v = detail::read_text(child(node, "name"), "metric name", diag)) metric.name = *v;
  } else if (has(node, "name")) {
    if (auto v = detail::read_choice(child(node, "name"), "metric name", kMetricNames, diag)) metric.name = *v;
  }
  if (has(node, "goal")) {
    metric.place = diag.place(child(node, "goal").Mark());
    if (auto v = detail::read_enum(child(node, "goal"), "metric goal", kGoals, goal_name, diag)) {
      metric.goal = *v;
      metric.goal_given = true;
    }
    // A loss is minimized: maximize would rank the worst configuration first.
    if (mode == ParseMode::kNew && !program && metric.name == "val_loss" && metric.goal == Goal::kMaximize) {
      diag.add(child(node, "goal"), "metric goal: val_loss is a loss, so lower is better; use goal: minimize "
                                    "(or name: val_metric, goal: maximize to rank classifiers by accuracy)");
    }
  }
  if (has(node, "target")) {
    const YAML::Node target = child(node, "target");
    double x = 0.0;
    if (!target.IsScalar() || !YAML::convert<double>::decode(target, x)) {
      diag.add(target, "metric target must be a number, got " + detail::shown(target));
    } else if (!std::isfinite(x)) {
      diag.add(target, "metric target must be finite, got " + detail::shown(target));
    } else {
      metric.target = x;
    }
  }
  // Without a goal, val_metric's follows the task (resolve_metric_goal), known once the data is.
}

/// The optimizers the sweep's trials can use: the fixed one, the swept values, or the default.
std::vector<std::string> possible_optimizers(const std::vector<detail::PlacedValue>& fixed, const SweepSpec& spec) {
  for (const Parameter& p : spec.parameters) {
    if (p.name != "optimizer") continue;
    std::vector<std::string> names;
    for (const Value& v : p.values) names.push_back(format_value(v));
    return names;
  }
  for (const auto& f : fixed) {
    if (f.name == "optimizer") return {format_value(f.value)};
  }
  return {"adam"};
}

/// momentum and nesterov are SGD's: with Adam alone they would be accepted and do nothing.
void check_sgd_only_settings(const YAML::Node& root, const std::vector<detail::PlacedValue>& fixed,
                             const SweepSpec& spec, Diagnostics& diag) {
  const std::vector<std::string> optimizers = possible_optimizers(fixed, spec);
  if (std::find(optimizers.begin(), optimizers.end(), "sgd") != optimizers.end()) return;
  const std::string why = " applies to optimizer sgd only; every trial of this sweep uses " + optimizers.front() +
                          ", where it has no effect: remove it, or set optimizer: sgd (or sweep optimizer over [adam, sgd])";
  for (const char* name : {"momentum", "nesterov"}) {
    for (const auto& f : fixed) {
      const bool is_off = std::holds_alternative<bool>(f.value) ? !std::get<bool>(f.value) : format_value(f.value) == "0";
      if (f.name == name && !is_off) diag.add(f.mark, std::string("fixed ") + name + why);
    }
    if (has(root, "parameters") && child(root, "parameters").IsMap() && has(child(root, "parameters"), name)) {
      for (const Parameter& p : spec.parameters) {
        if (p.name == name) diag.add(child(child(root, "parameters"), name), std::string("parameter ") + name + why);
      }
    }
  }
}

/// name, method, metric, seed, repeats, run_cap. Returns the method when it is valid.
std::optional<Method> read_header(const YAML::Node& root, SweepSpec& spec, ParseMode mode, bool program,
                                  Diagnostics& diag) {
  spec.name = default_name(spec.path);
  if (has(root, "name")) {
    if (auto v = detail::read_text(child(root, "name"), "name", diag)) {
      if (v->find('/') != std::string::npos) diag.add(child(root, "name"), "name must not contain '/', got " + *v);
      spec.name = *v;
    }
  }
  std::optional<Method> method;
  if (!has(root, "method")) {
    diag.add(root, "missing method; accepted: " + detail::join(detail::names_of(kMethods, method_name)));
  } else if (auto v = detail::read_enum(child(root, "method"), "method", kMethods, method_name, diag)) {
    method = *v;
    spec.method = *method;
  }
  if (has(root, "metric")) read_metric(child(root, "metric"), spec.metric, mode, program, diag);
  if (has(root, "seed")) {
    if (auto v = detail::read_integer(child(root, "seed"), "seed", NumberRange{0.0, kInf, true, false}, diag)) {
      spec.seed = static_cast<std::uint64_t>(*v);
    }
  }
  if (has(root, "repeats")) {
    if (auto v = detail::read_integer(child(root, "repeats"), "repeats", NumberRange{1.0, 10000.0}, diag)) {
      spec.repeats = static_cast<int>(*v);
    }
  }
  if (has(root, "run_cap")) {
    if (auto v = detail::read_integer(child(root, "run_cap"), "run_cap",
                                      NumberRange{1.0, static_cast<double>(kMaxTrials)}, diag)) {
      spec.run_cap = static_cast<int>(*v);
    }
  }
  if (has(root, "trial_timeout")) {
    // Seconds; at most a year, so that no duration overflows.
    if (auto v = detail::read_number(child(root, "trial_timeout"), "trial_timeout", NumberRange{0.0, 3.2e7, false, true}, diag)) {
      spec.trial_timeout = *v;
    }
  }
  if (has(root, "description")) (void)detail::read_text(child(root, "description"), "description", diag);
  return method;
}

/// The node of `key` itself in `map` (where a section starts), or an undefined node.
YAML::Node key_of(const YAML::Node& map, std::string_view key) {
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.first;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

/// W&B's project and entity: any single value, accepted with a note that hpsweep does not use it.
void note_unused_keys(const YAML::Node& root, SweepSpec& spec, Diagnostics& diag) {
  for (const auto& entry : root) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (std::find(kUnusedKeys.begin(), kUnusedKeys.end(), key) == kUnusedKeys.end()) continue;
    if (!entry.second.IsScalar() && !entry.second.IsNull()) {
      diag.add(entry.second, key + " must be a single value (W&B's " + key + " name), got " + detail::shown(entry.second));
      continue;
    }
    spec.notes.push_back(diag.place(entry.first.Mark()) + ": note: '" + key + "' is a W&B key; hpsweep does not use it");
  }
}

/// The `bayes` section (`key` is its key, for its place): how method bayes proposes.
void read_bayes(const YAML::Node& key, const YAML::Node& node, BayesSpec& bayes, Diagnostics& diag) {
  bayes.place = diag.place(key.Mark());
  if (!detail::check_map(node, "bayes", kBayesKeys, diag)) return;
  const auto read_int = [&](std::string_view name, NumberRange range, int& out) {
    if (!has(node, name)) return;
    if (auto v = detail::read_integer(child(node, name), "bayes " + std::string(name), range, diag)) {
      out = static_cast<int>(*v);
    }
  };
  const auto read_real = [&](std::string_view name, NumberRange range, double& out) {
    if (!has(node, name)) return;
    if (auto v = detail::read_number(child(node, name), "bayes " + std::string(name), range, diag)) out = *v;
  };
  read_int("startup_trials", NumberRange{0.0, static_cast<double>(kMaxTrials)}, bayes.startup_trials);
  read_int("candidates", NumberRange{1.0, 10000.0}, bayes.candidates);
  read_int("batch_size", NumberRange{1.0, 100000.0}, bayes.batch_size);
  read_real("gamma", NumberRange{0.0, 1.0, false, true}, bayes.gamma);
  read_real("prior_weight", NumberRange{0.0, 1e6, false, true}, bayes.prior_weight);  // beyond, the prior is all there is
}

/// What a program sweep says that only the built-in trainer uses: `data` is noted, `fixed`
/// refused; a program sweep must say its metric, and cannot pause and continue a trial.
void check_program_sweep(const YAML::Node& root, SweepSpec& spec, Diagnostics& diag) {
  const auto present = [&](std::string_view key) { return has(root, key) && !child(root, key).IsNull(); };
  if (!has(root, "metric")) {
    diag.add(root, "a program sweep ranks trials by a metric the program reports: add "
                   "`metric: {name: validation_loss, goal: minimize}`");
  }
  if (present("data")) {
    spec.notes.push_back(diag.place(key_of(root, "data").Mark()) +
                         ": note: data is not used by a program sweep; the program reads its own data");
  }
  if (present("fixed")) {
    diag.add(key_of(root, "fixed"), "fixed sets the built-in trainer's settings, which a program sweep does not use; "
                                    "fix a value your program takes with parameters: {name: {value: ...}}");
  }
  const EarlyTerminate& et = spec.early_terminate;
  if (et.synchronous()) {
    const std::string type = termination_name(et.type);
    std::string message = "early_terminate type " + type + " pauses trials and continues them from a checkpoint, "
                          "which a program cannot do; use asha or median, which stop a program at a rung";
    if (et.type == Termination::kHyperband) {
      // W&B's hyperband stops runs at its rungs and never resumes one: that is asha here.
      message += " (W&B's hyperband with min_iter " + std::to_string(et.min_epochs) + " and eta " +
                 std::to_string(et.eta) + " is {type: asha, grace_period: " + std::to_string(et.min_epochs) +
                 ", reduction_factor: " + std::to_string(et.eta) + "})";
    }
    diag.add(child(root, "early_terminate"), message);
  }
}

/// Whether a parameter can take more than one value.
bool varies(const Parameter& p) {
  switch (p.distribution) {
    case Distribution::kCategorical: return p.values.size() > 1;
    case Distribution::kUniform:
    case Distribution::kLogUniformValues:
    case Distribution::kIntUniform:
    case Distribution::kQUniform:
    case Distribution::kQLogUniformValues:
    case Distribution::kLogUniform:
    case Distribution::kQLogUniform:
    case Distribution::kInvLogUniform:
    case Distribution::kInvLogUniformValues:
    case Distribution::kNormal:
    case Distribution::kQNormal:
    case Distribution::kLogNormal:
    case Distribution::kQLogNormal: return p.min < p.max;
  }
  return true;
}

/// Checks that need the whole file: random and bayes need run_cap and something to vary; the
/// plan must fit in memory and in an int.
void check_plan(const YAML::Node& root, const SweepSpec& spec, Diagnostics& diag) {
  const bool sampled = spec.method == Method::kRandom || spec.method == Method::kBayes;
  if (sampled && !spec.run_cap && !has(root, "run_cap")) {  // a bad run_cap is reported already
    diag.add(child(root, "method"), spec.method == Method::kRandom
                                        ? "method random needs run_cap (the number of configurations to sample)"
                                        : "method bayes needs run_cap (the budget: the number of configurations)");
    return;
  }
  if (!diag.empty()) return;
  if (sampled && std::none_of(spec.parameters.begin(), spec.parameters.end(), varies)) {
    const YAML::Node place = has(root, "parameters") ? child(root, "parameters") : child(root, "method");
    diag.add(place, std::string("method ") + method_name(spec.method) +
                        " needs at least one parameter with more than one value (values with two or more "
                        "entries, or a distribution with min < max); otherwise every configuration is the same: use "
                        "method: grid with repeats instead");
    return;
  }
  const long long trials = num_trials(spec);
  if (trials > kMaxTrials) {
    const YAML::Node place = has(root, "parameters") ? child(root, "parameters") : root;
    diag.add(place, "the plan has " + std::to_string(trials) + " trials; at most " + std::to_string(kMaxTrials) +
                        " are supported (lower run_cap, repeats or the number of values)");
  }
}

}  // namespace

SweepSpec parse_sweep(const std::string& text, const std::string& path, ParseMode mode) {
  Diagnostics diag(path.empty() ? "<sweep>" : path);
  const YAML::Node root = load_yaml(text, diag);
  SweepSpec spec;
  spec.path = path;
  spec.text = text;
  if (!root.IsMap()) {
    diag.add(root, "a sweep file must be a mapping with keys " + detail::join(kTopKeys) + ", got " + detail::shown(root));
    diag.throw_if_any();
  }
  // Either key makes a program sweep: each trial runs the user's program, not the built-in trainer.
  const bool program = has(root, "program") || has(root, "command");
  if (program) {
    detail::check_map(root, "the sweep file", kProgramTopKeys, diag);
  } else {
    detail::check_map(root, "the sweep file", kTopKeys, diag);
  }
  const std::optional<Method> method = read_header(root, spec, mode, program, diag);
  if (program) spec.program = detail::read_program(root, path, mode, diag);
  // An empty section (`fixed:` with every entry commented out) is the same as no section.
  const auto present = [&](std::string_view key) { return has(root, key) && !child(root, key).IsNull(); };
  if (present("data") && !program) detail::read_data(child(root, "data"), path, spec.data, diag);
  std::vector<detail::PlacedValue> fixed;
  if (present("fixed") && !program) fixed = detail::read_fixed(child(root, "fixed"), diag);
  if (present("parameters")) {
    spec.parameters = detail::read_parameters(child(root, "parameters"), fixed, method, program, diag);
  }
  std::stable_sort(fixed.begin(), fixed.end(), [](const auto& a, const auto& b) {
    return setting_order(a.name) < setting_order(b.name);
  });
  // momentum and nesterov are the built-in trainer's; a program's parameters mean what it says.
  if (mode == ParseMode::kNew && !program) check_sgd_only_settings(root, fixed, spec, diag);
  for (auto& f : fixed) spec.fixed.push_back({f.name, f.value});
  if (present("early_terminate")) detail::read_early_terminate(child(root, "early_terminate"), spec.early_terminate, diag);
  if (program) check_program_sweep(root, spec, diag);
  if (present("bayes") && method && *method != Method::kBayes) {
    diag.add(key_of(root, "bayes"), "the bayes section applies to method bayes only; remove it or use method: bayes");
  } else if (present("bayes")) {
    read_bayes(key_of(root, "bayes"), child(root, "bayes"), spec.bayes, diag);
  } else if (has(root, "method")) {
    spec.bayes.place = diag.place(child(root, "method").Mark());
  }
  note_unused_keys(root, spec, diag);
  check_plan(root, spec, diag);
  diag.throw_if_any();
  return spec;
}

SweepSpec load_sweep(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw core::ConfigError(path + ": sweep file not found");
  if (std::filesystem::is_directory(path, error)) {
    throw core::ConfigError(path + ": is a directory, not a sweep file");
  }
  // A FIFO would block the read forever and /dev/zero never end it: a sweep file is a regular
  // file of a few kilobytes.
  if (!std::filesystem::is_regular_file(path, error)) {
    throw core::ConfigError(path + ": is not a regular file (a FIFO, device or socket); give the sweep file itself");
  }
  if (const auto size = std::filesystem::file_size(path, error); !error && size > kMaxSweepBytes) {
    throw core::ConfigError(path + ": is " + std::to_string(size) + " bytes; a sweep file is at most " +
                            std::to_string(kMaxSweepBytes) + " (is it the sweep file?)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::ConfigError(path + ": cannot read the sweep file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_sweep(text.str(), path);
}

}  // namespace hpsweep::search
