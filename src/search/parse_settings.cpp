#include <algorithm>
#include <array>
#include <set>

#include "hpsweep/search/trial_codec.hpp"
#include "parse_parts.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search::detail {
namespace {

constexpr std::array<std::string_view, 2> kEarlyStoppingKeys = {"patience", "min_delta"};

/// The setting names, plus `extra` if given, for check_map.
std::vector<std::string_view> setting_keys(std::string_view extra) {
  std::vector<std::string_view> keys;
  for (const SettingInfo& s : all_settings()) keys.push_back(s.name);
  if (!extra.empty()) keys.push_back(extra);
  return keys;
}

std::string line_of(const YAML::Mark& mark) { return "line " + std::to_string(mark.line + 1); }

void add_fixed(const YAML::Node& key, const YAML::Node& value, const SettingInfo& setting,
               std::vector<PlacedValue>& out, Diagnostics& diag) {
  const auto same = [&](const PlacedValue& p) { return p.name == setting.name; };
  if (const auto it = std::find_if(out.begin(), out.end(), same); it != out.end()) {
    diag.add(key, std::string(setting.name) + " is given twice in fixed (also at " + line_of(it->mark) + ")");
    return;
  }
  if (value.IsMap() || value.IsSequence()) {
    diag.add(value, "fixed " + std::string(setting.name) + " takes a single value, got " + shown(value) +
                        "; to sweep it, put it under parameters");
    return;
  }
  if (auto v = read_setting(value, setting, diag)) out.push_back({std::string(setting.name), *v, key.Mark()});
}

void read_early_stopping(const YAML::Node& node, std::vector<PlacedValue>& out, Diagnostics& diag) {
  if (!check_map(node, "early_stopping", kEarlyStoppingKeys, diag)) return;
  if (!has(node, "patience")) {
    diag.add(node, "early_stopping needs patience (early stopping is on when patience is given)");
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const SettingInfo* setting = find_setting(entry.first.Scalar());
    if (setting != nullptr && seen.insert(entry.first.Scalar()).second) {
      add_fixed(entry.first, entry.second, *setting, out, diag);
    }
  }
}

/// A program sweep's `parameters`: a mapping with each name once and at most as many parameters
/// as a trial carries (trial_codec.hpp). Returns false (reported) when it is not a mapping.
bool check_program_parameters(const YAML::Node& node, Diagnostics& diag) {
  if (!node.IsMap()) {
    diag.add(node, "parameters must be a mapping of your program's parameter names to {values: [...]}, {value: x} "
                   "or {distribution: ..., min: ..., max: ...}, got " + shown(node));
    return false;
  }
  if (node.size() > kMaxEncodedSettings) {
    diag.add(node, "parameters has " + std::to_string(node.size()) + " entries; at most " +
                       std::to_string(kMaxEncodedSettings) + " are supported");
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    if (entry.first.IsScalar() && !seen.insert(entry.first.Scalar()).second) {
      diag.add(entry.first, "duplicate key '" + entry.first.Scalar() + "' in parameters");
    }
  }
  return true;
}

}  // namespace

std::vector<PlacedValue> read_fixed(const YAML::Node& node, Diagnostics& diag) {
  std::vector<PlacedValue> out;
  const std::vector<std::string_view> keys = setting_keys("early_stopping");
  if (!check_map(node, "fixed", keys, diag)) return out;
  std::set<std::string> seen;  // duplicates were reported by check_map
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (!seen.insert(key).second) continue;
    if (key == "early_stopping") {
      read_early_stopping(entry.second, out, diag);
    } else if (const SettingInfo* setting = find_setting(key)) {
      add_fixed(entry.first, entry.second, *setting, out, diag);
    }
  }
  return out;
}

std::vector<Parameter> read_parameters(const YAML::Node& node, const std::vector<PlacedValue>& fixed,
                                       std::optional<Method> method, bool program, Diagnostics& diag) {
  std::vector<Parameter> out;
  const bool is_map =
      program ? check_program_parameters(node, diag) : check_map(node, "parameters", setting_keys(""), diag);
  if (!is_map) return out;
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "";
    std::optional<Parameter> p;
    if (program) {
      if (entry.first.IsScalar() && !seen.insert(name).second) continue;  // reported by check_program_parameters
      p = read_program_parameter(entry.first, entry.second, diag);
    } else {
      const SettingInfo* setting = find_setting(name);
      if (setting == nullptr || !seen.insert(name).second) continue;
      const auto same = [&](const PlacedValue& f) { return f.name == name; };
      if (const auto f = std::find_if(fixed.begin(), fixed.end(), same); f != fixed.end()) {
        diag.add(entry.first, name + " is both fixed (at " + line_of(f->mark) + ") and swept; give it in one place");
        continue;
      }
      p = read_parameter(entry.first, entry.second, *setting, diag);
    }
    if (!p) continue;
    if (method == Method::kGrid && !is_enumerable(*p)) {
      diag.add(entry.first, "parameter " + name + ": grid search needs finite values, but distribution " +
                              distribution_name(p->distribution) +
                              " is continuous; use values, int_uniform or q_uniform, or method: random");
      continue;
    }
    out.push_back(std::move(*p));
  }
  return out;
}

}  // namespace hpsweep::search::detail
