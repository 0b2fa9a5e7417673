#include "yaml_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace hpsweep::search::detail {
namespace {

template <typename T>
std::optional<T> decode(const YAML::Node& node) {
  T value{};
  if (!node.IsScalar() || !YAML::convert<T>::decode(node, value)) return std::nullopt;
  return value;
}

/// The Value of a node for a setting kind, or nullopt when the node has another type.
std::optional<Value> decode_setting(const YAML::Node& node, SettingKind kind) {
  switch (kind) {
    case SettingKind::kReal:
      if (auto d = decode<double>(node)) return Value{*d};
      return std::nullopt;
    case SettingKind::kInteger:
      if (auto i = decode<long long>(node)) return Value{*i};
      return std::nullopt;
    case SettingKind::kBoolean:
      if (auto b = decode<bool>(node)) return Value{*b};
      return std::nullopt;
    case SettingKind::kChoice:
      if (node.IsScalar()) return Value{node.Scalar()};
      return std::nullopt;
  }
  return std::nullopt;
}

/// The optimal string alignment distance of a and b: insertions, deletions, substitutions and
/// swaps of two neighbouring characters ("trian" is one from "train").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

/// "; did you mean 'lr'?" for the accepted key nearest to `name` (the first of the nearest, in
/// accepted order) when it is at most 2 edits away and fewer edits than the name has letters (so
/// that a one-letter key is not "corrected" to q); else "".
std::string suggestion(std::string_view name, Names accepted) {
  constexpr std::size_t kMaxEdits = 2;
  std::string_view best;
  std::size_t best_distance = kMaxEdits + 1;
  for (std::string_view a : accepted) {
    const std::size_t longer = std::max(name.size(), a.size());
    if (longer - std::min(name.size(), a.size()) > kMaxEdits) continue;  // too far, and no long tables for long keys
    const std::size_t distance = edit_distance(name, a);
    if (distance < best_distance && distance < name.size()) {
      best = a;
      best_distance = distance;
    }
  }
  return best.empty() ? "" : "; did you mean '" + std::string(best) + "'?";
}

}  // namespace

std::string join(Names names) {
  std::string text;
  for (std::string_view name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

std::string shown(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return node.Scalar().empty() ? "''" : node.Scalar();
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "nothing";
}

bool check_map(const YAML::Node& node, std::string_view what, Names accepted, Diagnostics& diag) {
  if (!node.IsMap()) {
    diag.add(node, std::string(what) + " must be a mapping with keys " + join(accepted) + ", got " + shown(node));
    return false;
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    const std::string name = key.IsScalar() ? key.Scalar() : shown(key);
    bool known = false;
    for (std::string_view a : accepted) known = known || a == name;
    if (!known) {
      diag.add(key, "unknown key '" + name + "' in " + std::string(what) + "; accepted: " + join(accepted) +
                        suggestion(name, accepted));
    } else if (!seen.insert(name).second) {
      diag.add(key, "duplicate key '" + name + "' in " + std::string(what));
    }
  }
  return true;
}

std::optional<long long> read_integer(const YAML::Node& node, std::string_view name, const NumberRange& range,
                                      Diagnostics& diag) {
  const auto value = decode<long long>(node);
  if (!value || !range.contains(static_cast<double>(*value))) {
    diag.add(node, std::string(name) + " must be an integer " + describe(range) + ", got " + shown(node));
    return std::nullopt;
  }
  return value;
}

std::optional<double> read_number(const YAML::Node& node, std::string_view name, const NumberRange& range,
                                  Diagnostics& diag) {
  const auto value = decode<double>(node);
  if (!value || !std::isfinite(*value)) {
    // An unbounded range adds nothing to "a finite number".
    const bool bounded = std::isfinite(range.min) || std::isfinite(range.max);
    diag.add(node, std::string(name) + " must be a finite number" + (bounded ? " " + describe(range) : "") + ", got " +
                       shown(node));
    return std::nullopt;
  }
  if (!range.contains(*value)) {
    diag.add(node, std::string(name) + " must be " + describe(range) + ", got " + shown(node));
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> read_text(const YAML::Node& node, std::string_view name, Diagnostics& diag) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    diag.add(node, std::string(name) + " must be a non-empty string, got " + shown(node));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::string> read_choice(const YAML::Node& node, std::string_view name, Names choices,
                                       Diagnostics& diag) {
  if (node.IsScalar()) {
    for (std::string_view c : choices) {
      if (node.Scalar() == c) return node.Scalar();
    }
  }
  diag.add(node, std::string(name) + " must be one of " + join(choices) + ", got " + shown(node));
  return std::nullopt;
}

std::optional<Value> read_setting(const YAML::Node& node, const SettingInfo& setting, Diagnostics& diag) {
  // The rules are the settings table's (check_written_value); only the decoding is done here.
  const std::optional<Value> value = decode_setting(node, setting.kind);
  const std::string problem = check_written_value(setting, value, shown(node));
  if (problem.empty()) return value;
  diag.add(node, problem);
  return std::nullopt;
}

}  // namespace hpsweep::search::detail
