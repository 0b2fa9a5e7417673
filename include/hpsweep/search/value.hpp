#pragma once
/// Setting values and assignments: what one trial's training settings are, as runtime data.
/// The search module does not know the trainer; the runtime maps an Assignment to its training
/// configuration with the getters below.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hpsweep::search {

/// One setting's value. The alternative follows the setting's kind (see settings.hpp): real
/// settings hold double, integer settings long long, flags bool, named choices std::string.
using Value = std::variant<double, long long, bool, std::string>;

/// A setting's name and its value.
struct SettingValue {
  std::string name;
  Value value;

  friend bool operator==(const SettingValue&, const SettingValue&) = default;
};

/// The settings of one trial, each name at most once. make_plan() orders them as the settings
/// table does (all_settings()), so every trial of a sweep lists the same names in the same order.
using Assignment = std::vector<SettingValue>;

/// The value of `name`, or nullptr when the assignment does not set it.
[[nodiscard]] const Value* find_value(const Assignment& assignment, std::string_view name) noexcept;

/// Typed getters. Each throws core::ConfigError naming the setting when it is missing or of
/// another type. get_double also accepts an integer value; the others are strict.
[[nodiscard]] double get_double(const Assignment& assignment, std::string_view name);
[[nodiscard]] long long get_int(const Assignment& assignment, std::string_view name);
[[nodiscard]] bool get_bool(const Assignment& assignment, std::string_view name);
[[nodiscard]] std::string get_string(const Assignment& assignment, std::string_view name);

/// Getters with a default used when the setting is absent (a present value of the wrong type
/// still throws), e.g. `config.lr = get_double(settings, "lr", config.lr)`.
[[nodiscard]] double get_double(const Assignment& assignment, std::string_view name, double fallback);
[[nodiscard]] long long get_int(const Assignment& assignment, std::string_view name, long long fallback);
[[nodiscard]] bool get_bool(const Assignment& assignment, std::string_view name, bool fallback);
[[nodiscard]] std::string get_string(const Assignment& assignment, std::string_view name,
                                     const std::string& fallback);

/// "number", "integer", "boolean" or "string": the kind of a value, for messages.
[[nodiscard]] const char* value_kind_name(const Value& value) noexcept;

/// Whether two assignments are the same trial's settings: the same names, in order, of the same
/// kinds, numbers equal to within 1e-12 relative (a random sweep's reals may differ in the last bit
/// between builds: an FMA, another libm), everything else exactly.
[[nodiscard]] bool same_settings(const Assignment& a, const Assignment& b) noexcept;

/// A value as text: doubles in their shortest round-trip form (0.001, 1e-05), integers in
/// decimal, true/false, strings as they are.
[[nodiscard]] std::string format_value(const Value& value);

/// `lr=0.001 l2=1e-05 batch_size=32 ...`: the settings in their order, for logs.
[[nodiscard]] std::string format_assignment(const Assignment& assignment);

/// Like format_assignment, but only the given names (e.g. the swept ones), in the assignment's order.
[[nodiscard]] std::string format_assignment(const Assignment& assignment,
                                            const std::vector<std::string>& names);

}  // namespace hpsweep::search
