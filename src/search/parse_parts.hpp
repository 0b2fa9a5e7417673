#pragma once
// Private: the sections of a sweep file, each read by its own file, all reporting to one
// Diagnostics so that every problem is shown at once.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "hpsweep/search/data_spec.hpp"
#include "hpsweep/search/parse.hpp"
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

/// One parameter of a program sweep: `key` is its name's node (any printable name without '=' or
/// whitespace, at most 64 characters), `body` its mapping; its kind follows its values or
/// distribution (read_parameter does the rest, with no range but the distribution's own).
std::optional<Parameter> read_program_parameter(const YAML::Node& key, const YAML::Node& body, Diagnostics& diag);

/// The `parameters` mapping, in file order; reports settings also fixed and, for grid search,
/// parameters that cannot be enumerated. `program`: a program sweep's, whose names are the
/// program's own (read_program_parameter), not the settings table's.
std::vector<Parameter> read_parameters(const YAML::Node& node, const std::vector<PlacedValue>& fixed,
                                       std::optional<Method> method, bool program, Diagnostics& diag);

/// A program sweep's `program` and `command` (at least one in `root`): the program resolved
/// against `sweep_path`'s directory and, for ParseMode::kNew, checked to be a regular file; the
/// command's macros checked; the default command when the file has none.
ProgramSpec read_program(const YAML::Node& root, const std::string& sweep_path, ParseMode mode, Diagnostics& diag);

/// The `early_terminate` mapping (see termination.hpp); `out.place` is where it starts.
void read_early_terminate(const YAML::Node& node, EarlyTerminate& out, Diagnostics& diag);

}  // namespace hpsweep::search::detail
