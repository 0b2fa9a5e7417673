#pragma once
// Private: reading typed scalars and checked mappings from yaml-cpp nodes, reporting every problem
// to a Diagnostics instead of throwing.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "diagnostics.hpp"
#include "hpsweep/search/settings.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::search::detail {

using Names = std::span<const std::string_view>;

/// "a, b, c".
[[nodiscard]] std::string join(Names names);

/// How a node reads in a message: its scalar text, or "a list", "a mapping", "nothing".
[[nodiscard]] std::string shown(const YAML::Node& node);

/// Checks that `node` is a mapping whose keys are all in `accepted`, each once. `what` names it in
/// messages ("metric", "parameter lr"). Returns false (reported) when it is not a mapping.
bool check_map(const YAML::Node& node, std::string_view what, Names accepted, Diagnostics& diag);

/// The value of `key` in `map`, or an undefined node (operator[] of a const node never inserts).
[[nodiscard]] inline YAML::Node child(const YAML::Node& map, std::string_view key) {
  const YAML::Node& const_map = map;
  return const_map[std::string(key)];
}

/// Whether `map` has `key`.
[[nodiscard]] inline bool has(const YAML::Node& map, std::string_view key) {
  return map.IsMap() && child(map, key).IsDefined();
}

/// Scalars with checked types and ranges; nullopt when wrong (reported at the node).
std::optional<long long> read_integer(const YAML::Node& node, std::string_view name, const NumberRange& range,
                                      Diagnostics& diag);
std::optional<double> read_number(const YAML::Node& node, std::string_view name, const NumberRange& range,
                                  Diagnostics& diag);
std::optional<std::string> read_text(const YAML::Node& node, std::string_view name, Diagnostics& diag);
std::optional<std::string> read_choice(const YAML::Node& node, std::string_view name, Names choices,
                                       Diagnostics& diag);

/// A setting's value, of the Value alternative its kind implies, within its range.
std::optional<Value> read_setting(const YAML::Node& node, const SettingInfo& setting, Diagnostics& diag);

}  // namespace hpsweep::search::detail
