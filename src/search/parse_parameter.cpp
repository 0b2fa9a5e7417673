#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "hpsweep/core/error.hpp"
#include "parse_parts.hpp"
#include "steps.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search::detail {
namespace {

constexpr std::array<std::string_view, 6> kParameterKeys = {"value", "values", "distribution", "min", "max", "q"};
// The distributions a file may name (distribution_name()'s names), in the order messages list them.
constexpr std::array<Distribution, 6> kDistributions = {
    Distribution::kCategorical, Distribution::kUniform,   Distribution::kLogUniformValues,
    Distribution::kIntUniform,  Distribution::kQUniform, Distribution::kQLogUniformValues};

/// What a distribution reads from its mapping and requires of it: one exhaustive switch, so a
/// new distribution is not read as one of the others by elimination.
struct DistributionRules {
  bool bounds;      ///< min and max (else value or values)
  bool quantized;   ///< takes q
  bool log;         ///< bounds must be > 0
  bool whole;       ///< bounds must be integers
  bool continuous;  ///< draws reals, so integer settings cannot take it
};

DistributionRules rules_of(Distribution d) {
  switch (d) {
    case Distribution::kCategorical: return {false, false, false, false, false};
    case Distribution::kUniform: return {true, false, false, false, true};
    case Distribution::kLogUniformValues: return {true, false, true, false, true};
    case Distribution::kIntUniform: return {true, false, false, true, false};
    case Distribution::kQUniform: return {true, true, false, false, false};
    case Distribution::kQLogUniformValues: return {true, true, true, false, false};
  }
  throw core::Error("distribution " + std::to_string(static_cast<int>(d)) + " has no rules", core::ExitCode::kInternal);
}

/// The distribution named, or implied: value/values are categorical; min/max alone are
/// int_uniform for integer settings and uniform otherwise.
std::optional<Distribution> distribution_of(const YAML::Node& body, const SettingInfo& setting,
                                            const std::string& what, Diagnostics& diag) {
  if (has(body, "distribution")) {
    return read_enum(child(body, "distribution"), what + " distribution", kDistributions, distribution_name, diag);
  }
  if (has(body, "value") || has(body, "values")) return Distribution::kCategorical;
  if (has(body, "min") || has(body, "max")) {
    switch (setting.kind) {
      case SettingKind::kInteger: return Distribution::kIntUniform;
      case SettingKind::kReal: return Distribution::kUniform;
      // Refused by check_applicable with the kinds they take.
      case SettingKind::kBoolean:
      case SettingKind::kChoice: return Distribution::kUniform;
    }
  }
  diag.add(body, what + " needs value, values, or distribution with min and max");
  return std::nullopt;
}

/// Reports keys that the distribution does not use, and a distribution the setting's kind cannot take.
bool check_applicable(const YAML::Node& body, const SettingInfo& setting, Distribution d, const std::string& what,
                      Diagnostics& diag) {
  bool ok = true;
  const std::string dname = distribution_name(d);
  const DistributionRules rules = rules_of(d);
  for (const auto& entry : body) {
    const std::string key = entry.first.Scalar();
    const bool categorical_key = key == "value" || key == "values";
    const bool misplaced = rules.bounds ? categorical_key || (key == "q" && !rules.quantized)
                                        : key == "min" || key == "max" || key == "q";
    if (misplaced) {
      diag.add(entry.first, key + " does not apply to distribution " + dname + " (" + what + ")");
      ok = false;
    }
  }
  if (!rules.bounds) return ok;
  const YAML::Node place = has(body, "distribution") ? child(body, "distribution") : body;
  switch (setting.kind) {
    case SettingKind::kBoolean:
    case SettingKind::kChoice:
      diag.add(place, what + " takes " + describe(setting) + ": use value, values or distribution categorical");
      return false;
    case SettingKind::kInteger:
      if (rules.continuous) {
        diag.add(place, what + " takes integers: use int_uniform, q_uniform or q_log_uniform_values (integer q), or "
                               "values, not " + dname);
        return false;
      }
      return ok;
    case SettingKind::kReal: return ok;
  }
  return ok;
}

bool read_categorical(const YAML::Node& body, const SettingInfo& setting, const std::string& what, Parameter& p,
                      Diagnostics& diag) {
  if (has(body, "value") && has(body, "values")) {
    diag.add(child(body, "values"), what + ": give value or values, not both");
    return false;
  }
  if (has(body, "value")) {
    if (auto v = read_setting(child(body, "value"), setting, diag)) p.values.push_back(*v);
    return !p.values.empty();
  }
  if (!has(body, "values")) {
    diag.add(body, what + ": distribution categorical needs values");
    return false;
  }
  const YAML::Node values = child(body, "values");
  if (!values.IsSequence() || values.size() == 0) {
    diag.add(values, what + " values must be a non-empty list, got " + shown(values));
    return false;
  }
  bool ok = true;
  std::vector<YAML::Mark> marks;  // of p.values, for "listed twice" messages
  for (const YAML::Node& item : values) {
    auto v = read_setting(item, setting, diag);
    if (!v) {
      ok = false;
      continue;
    }
    if (const auto it = std::find(p.values.begin(), p.values.end(), *v); it != p.values.end()) {
      const YAML::Mark& first = marks[static_cast<std::size_t>(it - p.values.begin())];
      diag.add(item, what + ": value " + shown(item) + " is listed twice (also at line " +
                         std::to_string(first.line + 1) + ", column " + std::to_string(first.column + 1) +
                         "); each value must appear once (use repeats for more seeds)");
      ok = false;
      continue;
    }
    p.values.push_back(*v);
    marks.push_back(item.Mark());
  }
  return ok;
}

/// A bound (min or max) as a number within the setting's range; integers for integer settings
/// and for int_uniform.
std::optional<double> read_bound(const YAML::Node& node, const SettingInfo& setting, Distribution d,
                                 const std::string& what, Diagnostics& diag) {
  const auto value = read_setting(node, setting, diag);
  if (!value) return std::nullopt;
  const double x = std::holds_alternative<long long>(*value) ? static_cast<double>(std::get<long long>(*value))
                                                              : std::get<double>(*value);
  if (rules_of(d).whole && std::floor(x) != x) {
    diag.add(node, what + ": " + distribution_name(d) + " bounds must be integers, got " + shown(node));
    return std::nullopt;
  }
  if (rules_of(d).log && !(x > 0.0)) {
    diag.add(node, what + ": " + distribution_name(d) + " bounds must be > 0, got " + shown(node));
    return std::nullopt;
  }
  return x;
}

std::optional<double> read_step(const YAML::Node& body, const SettingInfo& setting, const std::string& what,
                                Diagnostics& diag) {
  if (!has(body, "q")) return 1.0;
  const YAML::Node node = child(body, "q");
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (setting.kind == SettingKind::kInteger) {
    const auto q = read_integer(node, what + " q", NumberRange{1.0, kInf, true, false}, diag);
    return q ? std::optional<double>(static_cast<double>(*q)) : std::nullopt;
  }
  return read_number(node, what + " q", NumberRange{0.0, kInf, false, false}, diag);
}

bool read_numeric(const YAML::Node& body, const SettingInfo& setting, const std::string& what, Parameter& p,
                  Diagnostics& diag) {
  const std::string dname = distribution_name(p.distribution);
  if (!has(body, "min") || !has(body, "max")) {
    diag.add(body, what + ": distribution " + dname + " needs min and max");
    return false;
  }
  const auto min = read_bound(child(body, "min"), setting, p.distribution, what, diag);
  const auto max = read_bound(child(body, "max"), setting, p.distribution, what, diag);
  const bool quantized = rules_of(p.distribution).quantized;
  const auto q = quantized ? read_step(body, setting, what, diag) : std::optional<double>(1.0);
  if (!min || !max || !q) return false;
  if (*min > *max) {
    diag.add(child(body, "max"), what + ": max must be >= min (" + shown(child(body, "min")) + "), got " +
                                     shown(child(body, "max")));
    return false;
  }
  p.min = *min;
  p.max = *max;
  p.q = *q;
  if (quantized && multiples_of(p.q, p.min, p.max).empty()) {
    diag.add(body, what + ": no multiple of q = " + format_value(Value{p.q}) + " lies in [" +
                       format_value(Value{p.min}) + ", " + format_value(Value{p.max}) + "]");
    return false;
  }
  return true;
}

}  // namespace

std::optional<Parameter> read_parameter(const YAML::Node& key, const YAML::Node& body, const SettingInfo& setting,
                                        Diagnostics& diag) {
  const std::string name(setting.name);
  const std::string what = "parameter " + name;
  if (!body.IsMap()) {
    diag.add(body, what + " must be a mapping such as {values: [...]}; for one value write {value: " + shown(body) +
                       "} or put it under fixed");
    return std::nullopt;
  }
  if (!check_map(body, what, kParameterKeys, diag)) return std::nullopt;
  const auto distribution = distribution_of(body, setting, what, diag);
  if (!distribution || !check_applicable(body, setting, *distribution, what, diag)) return std::nullopt;
  Parameter p;
  p.name = name;
  p.kind = setting.kind;
  p.distribution = *distribution;
  p.line = key.Mark().line + 1;
  p.column = key.Mark().column + 1;
  const bool ok = rules_of(p.distribution).bounds ? read_numeric(body, setting, what, p, diag)
                                                  : read_categorical(body, setting, what, p, diag);
  if (!ok) return std::nullopt;
  return p;
}

}  // namespace hpsweep::search::detail
