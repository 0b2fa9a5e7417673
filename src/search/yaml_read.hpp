#pragma once
// Private: reading typed scalars and checked mappings from yaml-cpp nodes, reporting every problem
// to a Diagnostics instead of throwing.

#include <yaml-cpp/yaml.h>

#include <array>
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
/// messages ("metric", "parameter lr"); an unknown key's message lists the accepted ones and adds
/// "; did you mean 'lr'?" when one is at most 2 edits away (Damerau). Returns false (reported)
/// when it is not a mapping.
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

/// The names of a closed set's enumerators, as `name_of` (an exhaustive switch) gives them, in
/// the order of `values`: the accepted names of read_enum's messages.
template <typename E, std::size_t N, typename NameOf>
[[nodiscard]] std::array<std::string_view, N> names_of(const std::array<E, N>& values, NameOf name_of) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) names[i] = name_of(values[i]);
  return names;
}

/// The enumerator among `values` whose name (`name_of`) the node holds; nullopt (reported at the
/// node, listing the names) for any other text. The name and the enumerator come from one
/// switch, so no name is mapped to a case by elimination.
template <typename E, std::size_t N, typename NameOf>
std::optional<E> read_enum(const YAML::Node& node, std::string_view what, const std::array<E, N>& values,
                           NameOf name_of, Diagnostics& diag) {
  const std::array<std::string_view, N> names = names_of(values, name_of);
  const std::optional<std::string> name = read_choice(node, what, names, diag);
  if (!name) return std::nullopt;
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == *name) return values[i];
  }
  return std::nullopt;  // read_choice accepts only these names
}

/// A setting's value, of the Value alternative its kind implies, within its range.
std::optional<Value> read_setting(const YAML::Node& node, const SettingInfo& setting, Diagnostics& diag);

}  // namespace hpsweep::search::detail
