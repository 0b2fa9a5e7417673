#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "hpsweep/core/error.hpp"
#include "parse_parts.hpp"
#include "steps.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr NumberRange kAnyNumber{-kInf, kInf};
constexpr std::array<std::string_view, 9> kParameterKeys = {"value", "values", "distribution", "min", "max",
                                                            "q",     "mu",     "sigma",        "probabilities"};
// The distributions a file may name (distribution_name()'s names), in the order messages list them.
constexpr std::array<Distribution, 14> kDistributions = {
    Distribution::kCategorical,         Distribution::kUniform,      Distribution::kLogUniformValues,
    Distribution::kIntUniform,          Distribution::kQUniform,     Distribution::kQLogUniformValues,
    Distribution::kLogUniform,          Distribution::kQLogUniform,  Distribution::kInvLogUniform,
    Distribution::kInvLogUniformValues, Distribution::kNormal,       Distribution::kQNormal,
    Distribution::kLogNormal,           Distribution::kQLogNormal};
/// A normal truncated to the values a setting may take must keep at least this share of its
/// mass there; less is a mu or sigma on the wrong scale (normal mu 100 for dropout), not a prior.
constexpr double kMinMass = 1e-6;
/// Where a setting's range is unbounded, a normal is truncated at mu -/+ this many sigmas: the
/// mass beyond is 1.2e-15, and the bounds stay finite for from_unit and the model's scale.
constexpr double kTailSigmas = 8.0;
/// How far the probabilities of a categorical may sum from 1.
constexpr double kProbabilitySlack = 1e-6;

/// What min and max mean to a distribution.
enum class Bounds {
  kNone,              ///< none: value or values
  kValues,            ///< required, values of the setting
  kExponents,         ///< required, natural-log exponents: the values run exp(min)..exp(max)
  kNegatedExponents,  ///< required, natural-log exponents: the values run exp(-max)..exp(-min)
  kTruncation,        ///< optional, values of the setting: a normal's truncation (mu and sigma apply)
};

/// What a distribution reads from its mapping and requires of it: one exhaustive switch, so a
/// new distribution is not read as one of the others by elimination.
struct DistributionRules {
  Bounds bounds = Bounds::kNone;
  bool quantized = false;   ///< takes q
  bool log = false;         ///< values must be > 0 (drawn on the log scale)
  bool whole = false;       ///< bounds must be integers
  bool continuous = false;  ///< draws reals, so integer settings cannot take it
};

DistributionRules rules_of(Distribution d) {
  switch (d) {
    case Distribution::kCategorical: return {};
    case Distribution::kUniform: return {.bounds = Bounds::kValues, .continuous = true};
    case Distribution::kLogUniformValues: return {.bounds = Bounds::kValues, .log = true, .continuous = true};
    case Distribution::kIntUniform: return {.bounds = Bounds::kValues, .whole = true};
    case Distribution::kQUniform: return {.bounds = Bounds::kValues, .quantized = true};
    case Distribution::kQLogUniformValues: return {.bounds = Bounds::kValues, .quantized = true, .log = true};
    case Distribution::kLogUniform: return {.bounds = Bounds::kExponents, .log = true, .continuous = true};
    case Distribution::kQLogUniform: return {.bounds = Bounds::kExponents, .quantized = true, .log = true};
    case Distribution::kInvLogUniform: return {.bounds = Bounds::kNegatedExponents, .log = true, .continuous = true};
    case Distribution::kInvLogUniformValues: return {.bounds = Bounds::kValues, .log = true, .continuous = true};
    case Distribution::kNormal: return {.bounds = Bounds::kTruncation, .continuous = true};
    case Distribution::kQNormal: return {.bounds = Bounds::kTruncation, .quantized = true};
    case Distribution::kLogNormal: return {.bounds = Bounds::kTruncation, .log = true, .continuous = true};
    case Distribution::kQLogNormal: return {.bounds = Bounds::kTruncation, .quantized = true, .log = true};
  }
  throw core::Error("distribution " + std::to_string(static_cast<int>(d)) + " has no rules", core::ExitCode::kInternal);
}

/// A computed number as a message shows it: 2.71828, 1e-06.
std::string approx(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
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

/// Whether a key of a parameter's mapping applies to a distribution (`distribution` always;
/// unknown keys are check_map's to report).
bool applies(std::string_view key, const DistributionRules& rules) {
  const bool categorical = rules.bounds == Bounds::kNone;
  if (key == "value" || key == "values" || key == "probabilities") return categorical;
  if (key == "min" || key == "max") return !categorical;
  if (key == "q") return rules.quantized;
  if (key == "mu" || key == "sigma") return rules.bounds == Bounds::kTruncation;
  return true;
}

/// Reports keys that the distribution does not use, and a distribution the setting's kind cannot take.
bool check_applicable(const YAML::Node& body, const SettingInfo& setting, Distribution d, const std::string& what,
                      Diagnostics& diag) {
  bool ok = true;
  const std::string dname = distribution_name(d);
  const DistributionRules rules = rules_of(d);
  for (const auto& entry : body) {
    const std::string key = entry.first.Scalar();
    if (!applies(key, rules)) {
      diag.add(entry.first, key + " does not apply to distribution " + dname + " (" + what + ")");
      ok = false;
    }
  }
  if (rules.bounds == Bounds::kNone) return ok;
  const YAML::Node place = has(body, "distribution") ? child(body, "distribution") : body;
  switch (setting.kind) {
    case SettingKind::kBoolean:
    case SettingKind::kChoice:
      diag.add(place, what + " takes " + describe(setting) + ": use value, values or distribution categorical");
      return false;
    case SettingKind::kInteger:
      if (rules.continuous) {
        diag.add(place, what + " takes integers: use int_uniform, q_uniform or q_log_uniform_values (also "
                               "q_log_uniform, q_normal or q_log_normal; integer q), or values, not " + dname);
        return false;
      }
      return ok;
    case SettingKind::kReal: return ok;
  }
  return ok;
}

/// W&B's `probabilities` of a categorical with `values` (already read into p.values, all valid):
/// one number >= 0 per value, summing to 1.
bool read_probabilities(const YAML::Node& body, const std::string& what, Parameter& p, Diagnostics& diag) {
  const YAML::Node node = child(body, "probabilities");
  if (!node.IsSequence()) {
    diag.add(node, what + " probabilities must be a list of numbers >= 0, one per value, got " + shown(node));
    return false;
  }
  if (node.size() != p.values.size()) {
    diag.add(node, what + ": probabilities has " + std::to_string(node.size()) + " entries and values " +
                       std::to_string(p.values.size()) + "; give one probability per value, in the same order");
    return false;
  }
  bool ok = true;
  double sum = 0.0;
  for (const YAML::Node& item : node) {
    const auto w = read_number(item, what + " probabilities", NumberRange{0.0, kInf, true, false}, diag);
    ok = ok && w.has_value();
    if (w) p.probabilities.push_back(*w);
    if (w) sum += *w;
  }
  if (ok && !(std::fabs(sum - 1.0) <= kProbabilitySlack)) {
    char text[32];
    std::snprintf(text, sizeof text, "%.12g", sum);
    diag.add(node, what + " probabilities must sum to 1, got " + text);
    ok = false;
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
    if (has(body, "probabilities")) {
      diag.add(child(body, "probabilities"), what + ": probabilities go with values (one per value), not with value");
      return false;
    }
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
  if (ok && has(body, "probabilities")) ok = read_probabilities(body, what, p, diag);
  return ok;
}

/// A bound (min or max) as a number within the setting's range; integers for integer settings
/// and for int_uniform, > 0 for the log scales.
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
  if (setting.kind == SettingKind::kInteger) {
    const auto q = read_integer(node, what + " q", NumberRange{1.0, kInf, true, false}, diag);
    return q ? std::optional<double>(static_cast<double>(*q)) : std::nullopt;
  }
  return read_number(node, what + " q", NumberRange{0.0, kInf, false, false}, diag);
}

/// Reports max < min at max; true when they are in order.
bool check_order(const YAML::Node& body, double min, double max, const std::string& what, Diagnostics& diag) {
  if (min <= max) return true;
  diag.add(child(body, "max"), what + ": max must be >= min (" + shown(child(body, "min")) + "), got " +
                                   shown(child(body, "max")));
  return false;
}

/// min and max as values of the setting (uniform, log_uniform_values, int_uniform, q_uniform,
/// q_log_uniform_values, inv_log_uniform_values).
bool read_value_bounds(const YAML::Node& body, const SettingInfo& setting, const std::string& what, Parameter& p,
                       Diagnostics& diag) {
  if (!has(body, "min") || !has(body, "max")) {
    diag.add(body, what + ": distribution " + distribution_name(p.distribution) + " needs min and max");
    return false;
  }
  const auto min = read_bound(child(body, "min"), setting, p.distribution, what, diag);
  const auto max = read_bound(child(body, "max"), setting, p.distribution, what, diag);
  if (!min || !max || !check_order(body, *min, *max, what, diag)) return false;
  p.min = *min;
  p.max = *max;
  return true;
}

/// The exponents e with exp(e) (exp(-e) when negated) a positive, normal double that the
/// setting takes: what a log_uniform bound may be.
NumberRange exponent_range(const SettingInfo& setting, bool negated) {
  const NumberRange& r = setting.range;
  const double tiny = std::numeric_limits<double>::min();
  const double huge = std::numeric_limits<double>::max();
  const bool lo_is_setting = r.min >= tiny;
  const bool hi_is_setting = r.max <= huge;
  const double lo = std::log(lo_is_setting ? r.min : tiny);
  const double hi = std::log(hi_is_setting ? r.max : huge);
  const bool lo_inclusive = !lo_is_setting || r.min_inclusive;
  const bool hi_inclusive = !hi_is_setting || r.max_inclusive;
  return negated ? NumberRange{-hi, -lo, hi_inclusive, lo_inclusive} : NumberRange{lo, hi, lo_inclusive, hi_inclusive};
}

/// An exponent range as messages show it: "in (0, 708.396]" (both ends are finite).
std::string describe_exponents(const NumberRange& r) {
  const auto end = [](double x) { return approx(x == 0.0 ? 0.0 : x); };  // no "-0"
  return std::string("in ") + (r.min_inclusive ? "[" : "(") + end(r.min) + ", " + end(r.max) +
         (r.max_inclusive ? "]" : ")");
}

/// min and max as natural-log exponents (log_uniform, q_log_uniform, inv_log_uniform); p.min
/// and p.max get the values they span, which must be the setting's.
bool read_exponent_bounds(const YAML::Node& body, const SettingInfo& setting, const std::string& what, Parameter& p,
                          Diagnostics& diag) {
  const std::string dname = distribution_name(p.distribution);
  if (!has(body, "min") || !has(body, "max")) {
    diag.add(body, what + ": distribution " + dname + " needs min and max (natural-log exponents)");
    return false;
  }
  const auto min = read_number(child(body, "min"), what + " min (a natural-log exponent)", kAnyNumber, diag);
  const auto max = read_number(child(body, "max"), what + " max (a natural-log exponent)", kAnyNumber, diag);
  if (!min || !max || !check_order(body, *min, *max, what, diag)) return false;
  const bool negated = rules_of(p.distribution).bounds == Bounds::kNegatedExponents;
  const NumberRange accepted = exponent_range(setting, negated);
  bool ok = true;
  for (const auto& [key, e] : {std::pair<const char*, double>{"min", *min}, {"max", *max}}) {
    const double value = std::exp(negated ? -e : e);
    if (accepted.contains(e) && value >= std::numeric_limits<double>::min() && setting.range.contains(value)) continue;
    diag.add(child(body, key), what + ": " + dname + " " + key + " is a natural-log exponent, and exp(" +
                                   approx(negated ? -e : e) + ") = " + approx(value) + " is not " + describe(setting) +
                                   ": " + key + " must be " + describe_exponents(accepted) + ", got " + shown(child(body, key)));
    ok = false;
  }
  if (!ok) return false;
  p.min = std::exp(negated ? -*max : *min);
  p.max = std::exp(negated ? -*min : *max);
  return true;
}

/// The values a normal may be truncated to before any default: the file's min and max where
/// given (both inclusive), else the setting's range; for the log normals at least (0.
NumberRange truncation_of(const SettingInfo& setting, bool log, std::optional<double> min, std::optional<double> max) {
  NumberRange r = setting.range;
  if (log && r.min <= 0.0) r = {0.0, r.max, false, r.max_inclusive};
  if (min) r = {*min, r.max, true, r.max_inclusive};
  if (max) r = {r.min, *max, r.min_inclusive, true};
  return r;
}

/// The finite bounds of a normal's truncation to the values r: r's ends, moved to the next double
/// inside where r excludes them, and mu -/+ 8 sigma (unscaled from log x for the log normals)
/// where r is unbounded, or starts at 0 for the log normals; within the positive or all doubles.
std::pair<double, double> finite_truncation(const NumberRange& r, bool log, double mu, double sigma) {
  const auto unscale = [&](double t) { return log ? std::exp(t) : t; };
  const bool bounded_below = log ? r.min > 0.0 && std::isfinite(r.min) : std::isfinite(r.min);
  double lo = bounded_below ? r.min : unscale(mu - kTailSigmas * sigma);
  double hi = std::isfinite(r.max) ? r.max : unscale(mu + kTailSigmas * sigma);
  if (bounded_below && !r.min_inclusive) lo = std::nextafter(lo, kInf);
  if (std::isfinite(r.max) && !r.max_inclusive) hi = std::nextafter(hi, -kInf);
  const double huge = std::numeric_limits<double>::max();
  return {std::clamp(lo, log ? std::numeric_limits<double>::min() : -huge, huge), std::clamp(hi, -huge, huge)};
}

/// mu, sigma and the optional truncation of normal, q_normal, log_normal and q_log_normal (mu
/// and sigma of log x for the log normals), with p.min and p.max the finite_truncation of the
/// file's min and max, else of the setting's range.
bool read_truncation(const YAML::Node& body, const SettingInfo& setting, const std::string& what, Parameter& p,
                     Diagnostics& diag) {
  const bool log = rules_of(p.distribution).log;
  const auto mu = has(body, "mu") ? read_number(child(body, "mu"), what + " mu", kAnyNumber, diag) : 0.0;
  const auto sigma = has(body, "sigma")
                         ? read_number(child(body, "sigma"), what + " sigma", NumberRange{0.0, kInf, false, false}, diag)
                         : 1.0;
  std::optional<double> min, max;
  if (has(body, "min")) min = read_bound(child(body, "min"), setting, p.distribution, what, diag);
  if (has(body, "max")) max = read_bound(child(body, "max"), setting, p.distribution, what, diag);
  if (!mu || !sigma || (has(body, "min") && !min) || (has(body, "max") && !max)) return false;
  if (min && max && !check_order(body, *min, *max, what, diag)) return false;
  const NumberRange r = truncation_of(setting, log, min, max);
  const auto [lo, hi] = finite_truncation(r, log, *mu, *sigma);
  const auto z = [&](double x) { return ((log ? std::log(x) : x) - *mu) / *sigma; };
  const double mass = lo <= hi ? normal_mass(z(lo), z(hi)) : 0.0;
  if (lo != hi && !(mass >= kMinMass)) {  // min == max in the file: a constant, as for uniform
    const YAML::Node place = has(body, "mu") ? child(body, "mu") : child(body, "distribution");
    diag.add(place, what + ": " + distribution_name(p.distribution) + " with mu " + approx(*mu) + " and sigma " +
                        approx(*sigma) + (log ? " (of log " + p.name + ")" : "") + " puts " + approx(mass) +
                        " of its mass where " + p.name + " may lie (" + describe(r) + "), less than " +
                        approx(kMinMass) + ": move mu into that range, widen sigma, or change min and max");
    return false;
  }
  p.min = lo;
  p.max = hi;
  p.mu = *mu;
  p.sigma = *sigma;
  return true;
}

bool read_numeric(const YAML::Node& body, const SettingInfo& setting, const std::string& what, Parameter& p,
                  Diagnostics& diag) {
  const DistributionRules rules = rules_of(p.distribution);
  const auto q = rules.quantized ? read_step(body, setting, what, diag) : std::optional<double>(1.0);
  bool ok = false;
  switch (rules.bounds) {
    case Bounds::kValues: ok = read_value_bounds(body, setting, what, p, diag); break;
    case Bounds::kExponents:
    case Bounds::kNegatedExponents: ok = read_exponent_bounds(body, setting, what, p, diag); break;
    case Bounds::kTruncation: ok = read_truncation(body, setting, what, p, diag); break;
    case Bounds::kNone:
      throw core::Error(what + ": categorical read as numeric", core::ExitCode::kInternal);
  }
  if (!ok || !q) return false;
  p.q = *q;
  if (rules.quantized && multiples_of(p.q, p.min, p.max).empty()) {
    diag.add(body, what + ": no multiple of q = " + format_value(Value{p.q}) + " lies in [" +
                       format_value(Value{p.min}) + ", " + format_value(Value{p.max}) + "]");
    return false;
  }
  return true;
}

/// The longest parameter name of a program sweep: it becomes a column of the results file.
constexpr std::size_t kMaxProgramNameLength = 64;

/// What a scalar of a program's parameter is, as W&B reads it (YAML 1.1 as PyYAML does).
enum class Written { kInteger, kReal, kBoolean, kString, kOther };

template <typename T>
bool decodes_as(const YAML::Node& node) {
  T value{};
  return node.IsScalar() && YAML::convert<T>::decode(node, value);
}

/// A value's kind: quoted scalars are strings; plain ones integers, reals, booleans (not y and n,
/// which PyYAML reads as strings) or strings; anything else (a list, a mapping, nothing) kOther.
Written written_kind(const YAML::Node& node) {
  if (!node.IsScalar()) return Written::kOther;
  if (node.Tag() == "!") return Written::kString;
  if (decodes_as<long long>(node)) return Written::kInteger;
  if (decodes_as<double>(node)) return Written::kReal;
  if (node.Scalar().size() > 1 && decodes_as<bool>(node)) return Written::kBoolean;
  return Written::kString;
}

/// A bound's kind: a number written plainly or quoted, else kOther.
Written bound_kind(const YAML::Node& node) {
  if (decodes_as<long long>(node)) return Written::kInteger;
  if (decodes_as<double>(node)) return Written::kReal;
  return Written::kOther;
}

const char* group_name(Written w) {
  switch (w) {
    case Written::kInteger:
    case Written::kReal: return "a number";
    case Written::kBoolean: return "a boolean";
    case Written::kString: return "a string";
    case Written::kOther: break;
  }
  return "something else";
}

/// Numbers, booleans and strings are three groups; integers and reals are both numbers.
bool same_group(Written a, Written b) {
  const auto number = [](Written w) { return w == Written::kInteger || w == Written::kReal; };
  return a == b || (number(a) && number(b));
}

/// A program parameter's setting row: its name, an inferred kind, no range (only the
/// distribution's own rules apply) and, for strings, its own values as the choices.
struct ProgramSetting {
  std::string name;
  SettingKind kind = SettingKind::kReal;
  std::vector<std::string> choices;
  std::vector<std::string_view> choice_views;

  [[nodiscard]] SettingInfo info() {
    choice_views.assign(choices.begin(), choices.end());
    return SettingInfo{name, kind, NumberRange{-kInf, kInf, true, true}, choice_views};
  }
};

/// The kind of a categorical's values (`value` or the `values` list): all integers -> integer, any
/// real -> real, strings -> string, booleans -> bool; mixed groups or a value that is none of them
/// are reported. A malformed `values` is left to read_categorical.
bool infer_categorical(const YAML::Node& body, const std::string& what, ProgramSetting& s, Diagnostics& diag) {
  std::vector<YAML::Node> items;
  const YAML::Node values = has(body, "value") ? child(body, "value") : child(body, "values");
  if (has(body, "value")) {
    items.push_back(values);
  } else if (values.IsDefined() && values.IsSequence()) {  // an undefined node's IsSequence throws
    for (const YAML::Node& item : values) items.push_back(item);
  }
  bool ok = true;
  std::optional<std::pair<Written, YAML::Node>> first;
  bool any_real = false;
  for (const YAML::Node& item : items) {
    const Written w = written_kind(item);
    if (w == Written::kOther) {
      diag.add(item, what + (has(body, "value") ? " value must be a number, a string or true/false, got "
                                                : " values must be numbers, strings or true/false, got ") +
                         shown(item));
      ok = false;
      continue;
    }
    any_real = any_real || w == Written::kReal;
    if (item.IsScalar()) s.choices.push_back(item.Scalar());
    if (!first) {
      first.emplace(w, item);
    } else if (ok && !same_group(first->first, w)) {
      diag.add(item, what + " mixes kinds: " + shown(first->second) + " is " + group_name(first->first) + " and " +
                         shown(item) + " is " + group_name(w) +
                         "; give values of one kind (quote numbers to make them strings)");
      ok = false;
    }
  }
  if (!ok || !first) return ok;  // no items: read_categorical reports the empty or malformed list
  switch (first->first) {
    case Written::kInteger:
    case Written::kReal: s.kind = any_real ? SettingKind::kReal : SettingKind::kInteger; break;
    case Written::kBoolean: s.kind = SettingKind::kBoolean; break;
    case Written::kString:
    case Written::kOther: s.kind = SettingKind::kChoice; break;
  }
  return true;
}

/// The distribution a body names, when it names a known one.
std::optional<Distribution> named_distribution(const YAML::Node& body) {
  if (!has(body, "distribution") || !child(body, "distribution").IsScalar()) return std::nullopt;
  for (Distribution d : kDistributions) {
    if (child(body, "distribution").Scalar() == distribution_name(d)) return d;
  }
  return std::nullopt;
}

/// The kind of a numeric distribution: int_uniform, W&B's min/max of two integers, and q_* with
/// an integer q (1 when absent) and integer bounds draw integers; the rest reals. An int_uniform
/// whose bounds are not integers reads as real, so that read_parameter says they must be integers.
bool infer_numeric(const YAML::Node& body, const std::string& what, ProgramSetting& s, Diagnostics& diag) {
  bool ok = true;
  bool whole = true;
  for (const char* key : {"min", "max"}) {
    if (!has(body, key)) continue;
    const Written w = bound_kind(child(body, key));
    if (w == Written::kOther) {
      diag.add(child(body, key), what + " " + key + " must be a finite number, got " + shown(child(body, key)));
      ok = false;
    }
    whole = whole && w == Written::kInteger;
  }
  const std::optional<Distribution> d = named_distribution(body);
  if (!d) {
    // min and max without a distribution (a bad distribution is reported by read_parameter)
    const bool both = has(body, "min") && has(body, "max");
    s.kind = !has(body, "distribution") && both && whole ? SettingKind::kInteger : SettingKind::kReal;
  } else if (*d == Distribution::kIntUniform) {
    s.kind = whole ? SettingKind::kInteger : SettingKind::kReal;
  } else if (rules_of(*d).quantized) {
    const bool whole_q = !has(body, "q") || written_kind(child(body, "q")) == Written::kInteger;
    const bool value_bounds = rules_of(*d).bounds != Bounds::kExponents;  // q_log_uniform's are exponents
    s.kind = whole_q && (whole || !value_bounds) ? SettingKind::kInteger : SettingKind::kReal;
  } else {
    s.kind = SettingKind::kReal;
  }
  return ok;
}

/// "" when `name` can name a program's parameter, else why not.
std::string name_problem(const YAML::Node& key) {
  const std::string rule = "printable ASCII without whitespace or '=' (the program reads --name=value), at most " +
                           std::to_string(kMaxProgramNameLength) +
                           " characters (it becomes a column of the results file)";
  if (!key.IsScalar() || key.Scalar().empty()) return "a parameter name must be " + rule + ", got " + shown(key);
  const std::string& name = key.Scalar();
  const auto visible = [](char c) { return c >= ' ' && c < 0x7f; };
  if (!std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7f && c != '='; })) {
    // Control and non-ASCII bytes are not echoed: no escape sequence from a file reaches the terminal.
    const bool shown_safely = std::all_of(name.begin(), name.end(), visible);
    return (shown_safely ? "parameter name '" + name + "'" : std::string("a parameter name")) + " must be " + rule;
  }
  if (name.size() > kMaxProgramNameLength) {
    return "parameter name '" + name.substr(0, 20) + "...' has " + std::to_string(name.size()) +
           " characters; it must be " + rule;
  }
  return "";
}

}  // namespace

std::optional<Parameter> read_program_parameter(const YAML::Node& key, const YAML::Node& body, Diagnostics& diag) {
  if (const std::string problem = name_problem(key); !problem.empty()) {
    diag.add(key, problem);
    return std::nullopt;
  }
  ProgramSetting setting;
  setting.name = key.Scalar();
  const std::string what = "parameter " + setting.name;
  if (!body.IsMap()) {
    diag.add(body,
             what + " must be a mapping such as {values: [...]}; for one value write {value: " + shown(body) + "}");
    return std::nullopt;
  }
  // As distribution_of decides: a named distribution, else value/values before min/max.
  const bool categorical = has(body, "distribution") ? named_distribution(body) == Distribution::kCategorical
                                                     : has(body, "value") || has(body, "values") ||
                                                           (!has(body, "min") && !has(body, "max"));
  const bool ok = categorical ? infer_categorical(body, what, setting, diag) : infer_numeric(body, what, setting, diag);
  if (!ok) return std::nullopt;
  std::optional<Parameter> p = read_parameter(key, body, setting.info(), diag);
  // Whole bounds written as reals (2.0) are integers to int_uniform too.
  if (p && p->distribution == Distribution::kIntUniform) p->kind = SettingKind::kInteger;
  return p;
}

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
  const bool ok = rules_of(p.distribution).bounds != Bounds::kNone ? read_numeric(body, setting, what, p, diag)
                                                                   : read_categorical(body, setting, what, p, diag);
  if (!ok) return std::nullopt;
  return p;
}

}  // namespace hpsweep::search::detail
