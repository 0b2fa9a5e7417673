#include "hpsweep/search/command.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {
namespace {

constexpr std::string_view kEnv = "${env}";
constexpr std::string_view kInterpreter = "${interpreter}";
constexpr std::string_view kProgram = "${program}";
constexpr std::string_view kArgs = "${args}";
constexpr std::string_view kArgsNoHyphens = "${args_no_hyphens}";
constexpr std::string_view kArgsJson = "${args_json}";
constexpr std::string_view kArgsJsonFile = "${args_json_file}";
constexpr std::array<std::string_view, 7> kMacros = {kEnv,           kInterpreter, kProgram,     kArgs,
                                                     kArgsNoHyphens, kArgsJson,    kArgsJsonFile};

/// A finite real in its shortest exact form, ".0" added when that looks like an integer ("1" ->
/// "1.0"); "" for a non-finite one (the callers show it their own way).
std::string real_text(double x) {
  if (!std::isfinite(x)) return "";
  char buffer[40];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

/// `text` as a JSON string, quotes included.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string json_value(const Value& value) {
  if (const auto* d = std::get_if<double>(&value)) return std::isfinite(*d) ? real_text(*d) : "null";
  if (const auto* i = std::get_if<long long>(&value)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return json_string(std::get<std::string>(value));
}

/// A value as W&B puts it on the command line: Python's str() of it.
std::string arg_value(const Value& value) {
  if (const auto* d = std::get_if<double>(&value)) {
    if (std::isnan(*d)) return "nan";
    if (std::isinf(*d)) return *d > 0 ? "inf" : "-inf";
    return real_text(*d);
  }
  if (const auto* i = std::get_if<long long>(&value)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "True" : "False";
  return std::get<std::string>(value);
}

bool ends_with_py(const std::string& path) { return path.size() >= 3 && path.compare(path.size() - 3, 3, ".py") == 0; }

}  // namespace

std::span<const std::string_view> command_macros() noexcept { return kMacros; }

std::vector<std::string> default_command() {
  return {std::string(kEnv), std::string(kInterpreter), std::string(kProgram), std::string(kArgs)};
}

std::string settings_json(const Assignment& settings) {
  std::string json = "{";
  for (const SettingValue& s : settings) {
    if (json.size() > 1) json += ',';
    json += json_string(s.name) + ':' + json_value(s.value);
  }
  return json + '}';
}

std::vector<std::string> expand_command(const ProgramSpec& program, const Assignment& settings,
                                        const std::string& args_json_file) {
  const std::vector<std::string> command = program.command.empty() ? default_command() : program.command;
  const std::string& named = program.program.empty() ? program.program_path : program.program;
  std::vector<std::string> line;
  for (const std::string& element : command) {
    if (element == kEnv) {
      line.emplace_back("/usr/bin/env");
    } else if (element == kInterpreter) {
      if (ends_with_py(named)) line.emplace_back("python3");
    } else if (element == kProgram) {
      if (program.program_path.empty()) {
        throw core::ConfigError(program.place + ": the command uses ${program}, but the sweep names no program; "
                                                "add `program: train.py` or write the program's path in the command");
      }
      line.push_back(program.program_path);
    } else if (element == kArgs || element == kArgsNoHyphens) {
      const std::string prefix = element == kArgs ? "--" : "";
      for (const SettingValue& s : settings) line.push_back(prefix + s.name + '=' + arg_value(s.value));
    } else if (element == kArgsJson) {
      line.push_back(settings_json(settings));
    } else if (element == kArgsJsonFile) {
      if (args_json_file.empty()) {
        throw core::Error("expand_command: the command uses ${args_json_file} but no file was given",
                          core::ExitCode::kInternal);
      }
      line.push_back(args_json_file);
    } else {
      line.push_back(element);
    }
  }
  return line;
}

bool uses_args_json_file(const ProgramSpec& program) {
  for (const std::string& element : program.command) {
    if (element == kArgsJsonFile) return true;
  }
  return false;  // the default command does not use it
}

}  // namespace hpsweep::search
