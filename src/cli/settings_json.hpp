#pragma once
// A setting value as a JSON value of its own type.

#include <nlohmann/json.hpp>
#include <variant>

#include "hpsweep/search/value.hpp"

namespace hpsweep::cli {

inline nlohmann::ordered_json to_json(const search::Value& value) {
  return std::visit([](const auto& v) { return nlohmann::ordered_json(v); }, value);
}

}  // namespace hpsweep::cli
