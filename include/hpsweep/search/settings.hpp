#pragma once
/// The training settings a sweep may fix or sweep, with their kinds and accepted ranges: one
/// table, used to validate sweep files and to order assignments.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hpsweep/search/value.hpp"

namespace hpsweep::search {

/// The type of a setting, which decides the Value alternative it holds.
enum class SettingKind {
  kReal,     ///< double
  kInteger,  ///< long long
  kBoolean,  ///< bool
  kChoice,   ///< std::string, one of a fixed list of names
};

/// An interval of numbers; an infinite bound means no bound on that side.
struct NumberRange {
  double min;
  double max;
  bool min_inclusive = true;
  bool max_inclusive = true;

  /// Whether `x` lies in the interval (NaN never does).
  [[nodiscard]] bool contains(double x) const noexcept;
};

/// "> 0", ">= 1", "in [0, 1)", "in [0, 64]": the interval as a message fragment.
[[nodiscard]] std::string describe(const NumberRange& range);

/// One row of the settings table.
struct SettingInfo {
  std::string_view name;
  SettingKind kind;
  NumberRange range;                        ///< kReal and kInteger only
  std::span<const std::string_view> choices;  ///< kChoice only
};

/// Every setting, in the canonical order: lr, l2, weight_decay, dropout, input_noise, batch_size,
/// width, depth, activation, optimizer, momentum, nesterov, epochs, patience, min_delta, precision.
/// patience switches early stopping on when present.
[[nodiscard]] std::span<const SettingInfo> all_settings() noexcept;

/// The row of `name`, or nullptr for an unknown name.
[[nodiscard]] const SettingInfo* find_setting(std::string_view name) noexcept;

/// The position of a setting in all_settings(); all_settings().size() for an unknown name.
[[nodiscard]] std::size_t setting_order(std::string_view name) noexcept;

/// "lr, l2, ..., precision": the accepted names, for messages.
[[nodiscard]] std::string setting_names();

/// What the setting accepts, e.g. "a number > 0", "an integer in [0, 64]", "one of relu, tanh, gelu",
/// "true or false".
[[nodiscard]] std::string describe(const SettingInfo& setting);

/// Empty when `value` is acceptable for the setting; otherwise the problem, e.g.
/// "dropout must be in [0, 1), got 1.2" or "batch_size must be an integer >= 1, got 0.5".
/// This table and this check are the one place a setting's kind and range are ruled: the sweep
/// file's reader applies them to every value it reads (fixed, each listed value, each bound of a
/// distribution), with the value's place; the runtime applies them to an assignment before
/// training (nn::TrainConfig::validate is only a backstop for callers outside sweeps).
[[nodiscard]] std::string check_value(const SettingInfo& setting, const Value& value);

/// check_value for a value as a file writes it: `value` is nullopt when the text is not of the
/// setting's kind at all ("fast" for lr), and `shown` is the text after "got" ("1.0", "fast",
/// "a list"), so that the message quotes what the user wrote.
[[nodiscard]] std::string check_written_value(const SettingInfo& setting, const std::optional<Value>& value,
                                              std::string_view shown);

}  // namespace hpsweep::search
