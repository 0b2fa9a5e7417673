#include <array>
#include <filesystem>
#include <limits>

#include "hpsweep/core/error.hpp"
#include "parse_parts.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::array<std::string_view, 3> kTasks = {"binary", "multiclass", "regression"};
constexpr std::array<std::string_view, 7> kSyntheticKeys = {"source", "train", "val", "test",
                                                            "features", "label_noise", "seed"};
constexpr std::array<std::string_view, 9> kCsvKeys = {"source", "train", "val", "test", "target",
                                                      "task", "val_fraction", "test_fraction", "split_seed"};
constexpr std::array<std::string_view, 10> kHdf5Keys = {"source", "train", "val", "test", "x_path",
                                                        "y_path", "task", "val_fraction", "test_fraction",
                                                        "split_seed"};
// Each source's keys and whether it reads files; kSources (its names) is read from it.
struct SourceRule {
  std::string_view name;
  Names keys;
  bool files;  ///< train/val/test are files (else sample counts)
};
constexpr std::array<SourceRule, 3> kSourceRules = {{
    {"synthetic", kSyntheticKeys, false},
    {"csv", kCsvKeys, true},
    {"hdf5", kHdf5Keys, true},
}};
constexpr std::array<std::string_view, 3> kSources = {kSourceRules[0].name, kSourceRules[1].name,
                                                      kSourceRules[2].name};

/// The rule of a source name; a name outside the table is a bug (read_choice admits only kSources).
const SourceRule& source_rule(const std::string& name) {
  for (const SourceRule& rule : kSourceRules) {
    if (rule.name == name) return rule;
  }
  throw core::Error("data source '" + name + "' has no rule", core::ExitCode::kInternal);
}

constexpr NumberRange kFraction{0.0, 1.0, true, false};
constexpr NumberRange kNonNegative{0.0, kInf, true, false};

/// The source named, or inferred: synthetic unless `train` is a file, whose extension decides.
std::optional<std::string> source_of(const YAML::Node& node, Diagnostics& diag) {
  if (has(node, "source")) return read_choice(child(node, "source"), "data source", kSources, diag);
  if (!has(node, "train")) return "synthetic";
  const YAML::Node train = child(node, "train");
  long long count = 0;
  if (!train.IsScalar() || YAML::convert<long long>::decode(train, count)) return "synthetic";
  const std::string ext = std::filesystem::path(train.Scalar()).extension().string();
  return ext == ".h5" || ext == ".hdf5" || ext == ".he5" ? "hdf5" : "csv";
}

std::string resolve(const std::string& file, const std::string& sweep_path) {
  const std::filesystem::path path(file);
  if (path.is_absolute()) return path.lexically_normal().string();
  return (std::filesystem::path(sweep_path).parent_path() / path).lexically_normal().string();
}

void read_synthetic(const YAML::Node& node, SyntheticSpec& out, Diagnostics& diag) {
  const auto integer = [&](std::string_view key, const NumberRange& range, auto& field) {
    if (!has(node, key)) return;
    if (auto v = read_integer(child(node, key), "data " + std::string(key), range, diag)) {
      field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
    }
  };
  constexpr NumberRange kCount{1.0, std::numeric_limits<int>::max(), true, true};
  integer("train", kCount, out.train);
  integer("val", kCount, out.val);
  integer("test", NumberRange{0.0, std::numeric_limits<int>::max(), true, true}, out.test);
  integer("features", kCount, out.features);
  integer("seed", kNonNegative, out.seed);
  if (has(node, "label_noise")) {
    if (auto v = read_number(child(node, "label_noise"), "data label_noise", kFraction, diag)) out.label_noise = *v;
  }
}

/// A fraction, reported when its file is also given (the file wins otherwise silently).
void read_fraction(const YAML::Node& node, std::string_view file_key, std::string_view key, double& out,
                   Diagnostics& diag) {
  if (!has(node, key)) return;
  const YAML::Node value = child(node, key);
  if (has(node, file_key)) {
    diag.add(value, std::string(key) + " does not apply when a " + std::string(file_key) + " file is given");
    return;
  }
  if (auto v = read_number(value, "data " + std::string(key), kFraction, diag)) out = *v;
}

void read_files(const YAML::Node& node, const std::string& sweep_path, DataSpec& out, Diagnostics& diag) {
  const auto text = [&](std::string_view key, std::string& field, bool is_file) {
    if (!has(node, key)) return;
    if (auto v = read_text(child(node, key), "data " + std::string(key), diag)) {
      field = is_file ? resolve(*v, sweep_path) : *v;
    }
  };
  if (!has(node, "train")) diag.add(node, "data source " + out.source + " needs train (a file path)");
  text("train", out.train, true);
  text("val", out.val, true);
  text("test", out.test, true);
  text("target", out.target, false);
  text("x_path", out.x_path, false);
  text("y_path", out.y_path, false);
  if (has(node, "task")) {
    if (auto v = read_choice(child(node, "task"), "data task", kTasks, diag)) out.task = *v;
  }
  read_fraction(node, "val", "val_fraction", out.val_fraction, diag);
  read_fraction(node, "test", "test_fraction", out.test_fraction, diag);
  const double held_out = (has(node, "val") ? 0.0 : out.val_fraction) + (has(node, "test") ? 0.0 : out.test_fraction);
  if (held_out >= 1.0) {
    diag.add(node, "data val_fraction + test_fraction must be < 1, got " + format_value(Value{held_out}));
  }
  if (has(node, "split_seed")) {
    if (auto v = read_integer(child(node, "split_seed"), "data split_seed", kNonNegative, diag)) {
      out.split_seed = static_cast<std::uint64_t>(*v);
    }
  }
}

}  // namespace

void read_data(const YAML::Node& node, const std::string& sweep_path, DataSpec& data, Diagnostics& diag) {
  if (!node.IsMap()) {
    diag.add(node, "data must be a mapping such as {source: csv, train: train.csv}, got " + shown(node));
    return;
  }
  const std::optional<std::string> source = source_of(node, diag);
  if (!source) return;
  data.source = *source;
  const std::string what = "data (source " + *source + ")";
  const SourceRule& rule = source_rule(*source);
  check_map(node, what, rule.keys, diag);
  if (rule.files) {
    read_files(node, sweep_path, data, diag);
  } else {
    read_synthetic(node, data.synthetic, diag);
  }
}

}  // namespace hpsweep::search::detail
