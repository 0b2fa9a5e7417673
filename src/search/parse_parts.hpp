#pragma once
// Private: the sections of a sweep file, each read by its own file, all reporting to one
// Diagnostics so that every problem is shown at once.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "hpsweep/search/data_spec.hpp"
#include "hpsweep/search/settings.hpp"
#include "hpsweep/search/space.hpp"
#include "hpsweep/search/spec.hpp"

namespace hpsweep::search::detail {

/// A fixed setting and where the file gave it (for "both fixed and swept" messages).
struct PlacedValue {
  std::string name;
  Value value;
  YAML::Mark mark;
};

/// The `data` mapping into `data`; relative files are resolved against `sweep_path`'s directory.
void read_data(const YAML::Node& node, const std::string& sweep_path, DataSpec& data, Diagnostics& diag);

/// The `fixed` mapping, including the nested `early_stopping: {patience, min_delta}`.
std::vector<PlacedValue> read_fixed(const YAML::Node& node, Diagnostics& diag);

/// One parameter: `key` is its name's node, `body` its mapping.
std::optional<Parameter> read_parameter(const YAML::Node& key, const YAML::Node& body, const SettingInfo& setting,
                                        Diagnostics& diag);

/// The `parameters` mapping, in file order; reports settings also fixed and, for grid search,
/// parameters that cannot be enumerated.
std::vector<Parameter> read_parameters(const YAML::Node& node, const std::vector<PlacedValue>& fixed,
                                       std::optional<Method> method, Diagnostics& diag);

/// The `early_terminate` mapping (see termination.hpp); `out.place` is where it starts.
void read_early_terminate(const YAML::Node& node, EarlyTerminate& out, Diagnostics& diag);

}  // namespace hpsweep::search::detail
