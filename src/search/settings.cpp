#include "hpsweep/search/settings.hpp"

#include <array>
#include <cmath>
#include <limits>

namespace hpsweep::search {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr NumberRange at_least(double min) { return {min, kInf, true, false}; }
constexpr NumberRange above(double min) { return {min, kInf, false, false}; }
constexpr NumberRange half_open(double min, double max) { return {min, max, true, false}; }
constexpr NumberRange closed(double min, double max) { return {min, max, true, true}; }

constexpr std::array<std::string_view, 3> kActivations = {"relu", "tanh", "gelu"};
constexpr std::array<std::string_view, 2> kOptimizers = {"adam", "sgd"};
constexpr std::array<std::string_view, 2> kPrecisions = {"float32", "float64"};
constexpr NumberRange kNoRange = closed(-kInf, kInf);

using K = SettingKind;
// The table; its order is the order of every Assignment (and of the results file's columns).
constexpr std::array<SettingInfo, 16> kSettings = {{
    {"lr", K::kReal, above(0.0), {}},
    {"l2", K::kReal, at_least(0.0), {}},
    {"weight_decay", K::kReal, half_open(0.0, 1.0), {}},
    {"dropout", K::kReal, half_open(0.0, 1.0), {}},
    {"input_noise", K::kReal, at_least(0.0), {}},
    // Integer settings have an upper bound as well: a value that would not fit the trainer's int
    // (epochs: 4294967298 trained 2 epochs) is refused here, with its place, before any narrowing.
    {"batch_size", K::kInteger, closed(1.0, 2147483647.0), {}},
    {"width", K::kInteger, closed(1.0, 65536.0), {}},
    {"depth", K::kInteger, closed(0.0, 64.0), {}},
    {"activation", K::kChoice, kNoRange, kActivations},
    {"optimizer", K::kChoice, kNoRange, kOptimizers},
    {"momentum", K::kReal, half_open(0.0, 1.0), {}},
    {"nesterov", K::kBoolean, kNoRange, {}},
    {"epochs", K::kInteger, closed(1.0, 1000000.0), {}},
    {"patience", K::kInteger, closed(0.0, 1000000.0), {}},
    {"min_delta", K::kReal, at_least(0.0), {}},
    {"precision", K::kChoice, kNoRange, kPrecisions},
}};

/// A bound as users write it: 1000000, not 1e+06.
std::string number_text(double x) {
  if (std::nearbyint(x) == x && std::fabs(x) < 1e15) return std::to_string(static_cast<long long>(x));
  return format_value(Value{x});
}

/// A value as shown after "got": strings quoted, so that an empty or odd string stays visible.
std::string got(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return "'" + *s + "'";
  return format_value(value);
}

std::string join(std::span<const std::string_view> names) {
  std::string text;
  for (std::string_view name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

}  // namespace

bool NumberRange::contains(double x) const noexcept {
  if (std::isnan(x)) return false;
  const bool above_min = min_inclusive ? x >= min : x > min;
  const bool below_max = max_inclusive ? x <= max : x < max;
  return above_min && below_max;
}

std::string describe(const NumberRange& range) {
  const bool has_min = std::isfinite(range.min);
  const bool has_max = std::isfinite(range.max);
  if (has_min && has_max) {
    return std::string("in ") + (range.min_inclusive ? "[" : "(") + number_text(range.min) + ", " +
           number_text(range.max) + (range.max_inclusive ? "]" : ")");
  }
  if (has_min) return (range.min_inclusive ? ">= " : "> ") + number_text(range.min);
  if (has_max) return (range.max_inclusive ? "<= " : "< ") + number_text(range.max);
  return "finite";
}

std::span<const SettingInfo> all_settings() noexcept { return kSettings; }

const SettingInfo* find_setting(std::string_view name) noexcept {
  const std::size_t i = setting_order(name);
  return i < kSettings.size() ? &kSettings[i] : nullptr;
}

std::size_t setting_order(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kSettings.size(); ++i) {
    if (kSettings[i].name == name) return i;
  }
  return kSettings.size();
}

std::string setting_names() {
  std::string text;
  for (const SettingInfo& s : kSettings) {
    if (!text.empty()) text += ", ";
    text += s.name;
  }
  return text;
}

std::string describe(const SettingInfo& setting) {
  switch (setting.kind) {
    case SettingKind::kReal: return "a number " + describe(setting.range);
    case SettingKind::kInteger: return "an integer " + describe(setting.range);
    case SettingKind::kBoolean: return "true or false";
    case SettingKind::kChoice: return "one of " + join(setting.choices);
  }
  return "?";
}

namespace {

/// The one judgement of a value against its row of the table; `value` is null when the text was
/// not of the setting's kind, `shown` what follows "got".
std::string problem_of(const SettingInfo& setting, const Value* value, const std::string& shown) {
  const auto must_be = [&](const std::string& what) {
    return std::string(setting.name) + " must be " + what + ", got " + shown;
  };
  if (value == nullptr) return must_be(describe(setting));
  switch (setting.kind) {
    case SettingKind::kReal: {
      double x = 0.0;
      if (const auto* d = std::get_if<double>(value)) x = *d;
      else if (const auto* i = std::get_if<long long>(value)) x = static_cast<double>(*i);
      else return must_be(describe(setting));
      if (!std::isfinite(x)) return must_be("finite");
      // A real in the wrong place reads best as "dropout must be in [0, 1)".
      return setting.range.contains(x) ? "" : must_be(describe(setting.range));
    }
    case SettingKind::kInteger: {
      const auto* i = std::get_if<long long>(value);
      return i != nullptr && setting.range.contains(static_cast<double>(*i)) ? "" : must_be(describe(setting));
    }
    case SettingKind::kBoolean:
      return std::holds_alternative<bool>(*value) ? "" : must_be(describe(setting));
    case SettingKind::kChoice: {
      const auto* s = std::get_if<std::string>(value);
      for (std::string_view choice : setting.choices) {
        if (s != nullptr && *s == choice) return "";
      }
      return must_be(describe(setting));
    }
  }
  return must_be(describe(setting));
}

}  // namespace

std::string check_value(const SettingInfo& setting, const Value& value) {
  return problem_of(setting, &value, got(value));
}

std::string check_written_value(const SettingInfo& setting, const std::optional<Value>& value,
                                std::string_view shown) {
  return problem_of(setting, value ? &*value : nullptr, std::string(shown));
}

}  // namespace hpsweep::search
