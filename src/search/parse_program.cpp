// A program sweep's `program` and `command` (W&B's keys): the program's file and the command
// line whose macros each trial expands (search/command.hpp).

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <string_view>
#include <system_error>

#include "hpsweep/search/command.hpp"
#include "parse_parts.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kProgramMacro = "${program}";

/// `program` made absolute: against the sweep file's directory, or the current directory when the
/// sweep has no file (or a file name without a directory).
fs::path resolve_program(const std::string& program, const std::string& sweep_path) {
  const fs::path written(program);
  const fs::path joined = written.is_absolute() ? written : fs::path(sweep_path).parent_path() / written;
  std::error_code error;
  const fs::path absolute = fs::absolute(joined, error);
  return (error ? joined : absolute).lexically_normal();
}

/// The problem with the program's file, or "" when it is a regular file (symbolic links followed).
std::string file_problem(const ProgramSpec& out, const std::string& sweep_path) {
  const std::string named = "program '" + out.program + "'";
  const std::string looked = " (looked for " + out.program_path + ")";
  std::error_code error;
  const fs::file_status status = fs::status(out.program_path, error);
  if (status.type() == fs::file_type::not_found) {
    return named + " does not exist" + looked + "; `program` is relative to " +
           (sweep_path.empty() ? "the current directory when the sweep has no file" : "the sweep file");
  }
  if (error) return named + " cannot be checked" + looked + ": " + error.message();
  if (status.type() == fs::file_type::directory)
    return named + " is a directory" + looked + "; name the program's file, e.g. train.py";
  if (status.type() != fs::file_type::regular)
    return named + " is not a regular file" + looked + "; name the program's file, e.g. train.py";
  return "";
}

void read_program_file(const YAML::Node& node, const std::string& sweep_path, ParseMode mode, ProgramSpec& out,
                       Diagnostics& diag) {
  const auto text = read_text(node, "program", diag);
  if (!text) return;
  out.program = *text;
  out.program_path = resolve_program(*text, sweep_path).string();
  // A results file's sweep is read where the program may not be (another machine, a moved file).
  if (mode != ParseMode::kNew) return;
  if (const std::string problem = file_problem(out, sweep_path); !problem.empty()) diag.add(node, problem);
}

/// "${env}, ${interpreter}, ...": the accepted macros, for messages.
std::string macro_list() {
  std::string text;
  for (std::string_view macro : command_macros()) text += (text.empty() ? "" : ", ") + std::string(macro);
  return text;
}

/// A word as a flow list element: plain when YAML reads it back as it is, else double-quoted
/// (a macro's { would start a mapping).
std::string flow_element(const std::string& word) {
  const bool plain = std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/' || c == '_' || c == '=' || c == '-';
  });
  if (plain && word != "-") return word;
  std::string quoted = "\"";
  for (char c : word) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return quoted + '"';
}

/// A single-string command as the list it should be: "python train.py ${args}" -> [python, train.py, "${args}"].
std::string as_list(const std::string& command) {
  std::istringstream words(command);
  std::string list;
  for (std::string word; words >> word;) list += (list.empty() ? "" : ", ") + flow_element(word);
  return "[" + list + "]";
}

/// One element of the command: a literal, or exactly one accepted macro.
void check_element(const YAML::Node& item, bool has_program, Diagnostics& diag) {
  const std::string& text = item.Scalar();
  const std::size_t start = text.find("${");
  if (start == std::string::npos) return;
  const std::size_t end = text.find('}', start);
  const std::string macro = end == std::string::npos ? text.substr(start) : text.substr(start, end - start + 1);
  const auto macros = command_macros();
  if (std::find(macros.begin(), macros.end(), macro) == macros.end()) {
    diag.add(item,
             "unknown macro " + macro + " in command; accepted: " + macro_list() + " (each as a whole list element)");
  } else if (text != macro) {
    diag.add(item, "command element '" + text + "' has text around the macro " + macro +
                       "; a macro must be a whole list element (W&B's rule): make " + macro + " an element of its own");
  } else if (macro == kProgramMacro && !has_program) {
    diag.add(item, "the command uses ${program}, but the sweep file has no `program`; add `program: train.py` "
                   "(relative to the sweep file) or write the program's path in the command");
  }
}

void read_command(const YAML::Node& node, bool has_program, ProgramSpec& out, Diagnostics& diag) {
  if (node.IsScalar()) {
    diag.add(node, "command must be a list of strings (W&B's form), got the single string '" + node.Scalar() +
                       "'; write it as a list: " + as_list(node.Scalar()));
    return;
  }
  if (!node.IsSequence() || node.size() == 0) {
    diag.add(node,
             "command must be a non-empty list of strings such as [\"${env}\", \"${interpreter}\", \"${program}\", "
             "\"${args}\"], got " +
                 (node.IsSequence() ? std::string("an empty list") : shown(node)));
    return;
  }
  bool ok = true;
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) {
      diag.add(item, "command elements must be strings, got " + shown(item));
      ok = false;
      continue;
    }
    check_element(item, has_program, diag);
    out.command.push_back(item.Scalar());
  }
  if (!ok) out.command.clear();
}

}  // namespace

ProgramSpec read_program(const YAML::Node& root, const std::string& sweep_path, ParseMode mode, Diagnostics& diag) {
  ProgramSpec out;
  const bool has_program = has(root, "program");
  out.place = diag.place(child(root, has_program ? "program" : "command").Mark());
  if (has_program) read_program_file(child(root, "program"), sweep_path, mode, out, diag);
  if (has(root, "command")) {
    read_command(child(root, "command"), has_program, out, diag);
  } else {
    out.command = default_command();
  }
  return out;
}

}  // namespace hpsweep::search::detail
