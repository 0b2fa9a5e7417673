#pragma once
/// The command line of a program sweep's trial (W&B's `command` with its macros): what the sweep
/// file says, expanded with one trial's parameters. Pure text, no process: the runtime runs it.
///
/// A command is a list of strings; an element that is exactly one of the macros below stands for
/// zero or more arguments, every other element is passed as it is. A macro inside other text
/// ("--config=${args_json_file}") is refused by the parser, as W&B does not expand it either.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hpsweep/search/spec.hpp"
#include "hpsweep/search/value.hpp"

namespace hpsweep::search {

/// The macros a command may use, each only as a whole element, in the order messages list them:
/// ${env}, ${interpreter}, ${program}, ${args}, ${args_no_hyphens}, ${args_json}, ${args_json_file}.
[[nodiscard]] std::span<const std::string_view> command_macros() noexcept;

/// W&B's default command, used when the sweep file has none: [${env}, ${interpreter}, ${program}, ${args}].
[[nodiscard]] std::vector<std::string> default_command();

/// The trial's parameters as one JSON object, in the assignment's order:
/// {"lr":0.001,"hidden":64,"optimizer":"adam","nesterov":true}. Reals print in the shortest form that reads back
/// exactly (std::to_chars), with ".0" added to an integral one so that the program reads a real (Python's json gives
/// float 1.0, not int 1); non-finite reals as null. Names and strings are escaped (quotes, backslashes, control
/// characters as \u00XX); other bytes pass as they are (UTF-8 stays UTF-8).
[[nodiscard]] std::string settings_json(const Assignment& settings);

/// The command line of one trial: the command (or the default [${env}, ${interpreter}, ${program}, ${args}]) with its
/// macros expanded:
/// ${env} -> "/usr/bin/env"; ${interpreter} -> "python3" when the program ends in ".py", else the element is dropped;
/// ${program} -> program_path; ${args} -> one element per parameter "--name=value"; ${args_no_hyphens} -> "name=value";
/// ${args_json} -> settings_json as one element; ${args_json_file} -> args_json_file (a path the caller wrote the JSON
/// to). Values in args: integers in decimal, reals as in settings_json (non-finite ones as Python prints them: nan,
/// inf, -inf), strings as they are, bools "True"/"False" (W&B writes Python's str). Throws core::ConfigError when the
/// command uses ${program} and there is no program, and core::Error (internal) when it uses ${args_json_file} and
/// `args_json_file` is empty: the parser refuses the first, and the caller must write the file (uses_args_json_file)
/// for the second.
[[nodiscard]] std::vector<std::string> expand_command(const ProgramSpec& program, const Assignment& settings,
                                                      const std::string& args_json_file);

/// Whether the command uses ${args_json_file} (the caller then writes the file).
[[nodiscard]] bool uses_args_json_file(const ProgramSpec& program);

}  // namespace hpsweep::search
