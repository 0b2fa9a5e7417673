#include "hpsweep/search/value.hpp"

#include <algorithm>
#include <cmath>

#include <algorithm>
#include <charconv>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {
namespace {

const Value& require(const Assignment& assignment, std::string_view name) {
  const Value* value = find_value(assignment, name);
  if (value == nullptr) throw core::ConfigError("setting " + std::string(name) + " is not set");
  return *value;
}

[[noreturn]] void wrong_kind(std::string_view name, const Value& value, const char* expected) {
  throw core::ConfigError("setting " + std::string(name) + " is " + value_kind_name(value) + " " +
                          format_value(value) + ", expected " + expected);
}

}  // namespace

const Value* find_value(const Assignment& assignment, std::string_view name) noexcept {
  const auto it = std::find_if(assignment.begin(), assignment.end(),
                               [&](const SettingValue& s) { return s.name == name; });
  return it == assignment.end() ? nullptr : &it->value;
}

double get_double(const Assignment& assignment, std::string_view name) {
  const Value& value = require(assignment, name);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<long long>(&value)) return static_cast<double>(*i);
  wrong_kind(name, value, "a number");
}

long long get_int(const Assignment& assignment, std::string_view name) {
  const Value& value = require(assignment, name);
  if (const auto* i = std::get_if<long long>(&value)) return *i;
  wrong_kind(name, value, "an integer");
}

bool get_bool(const Assignment& assignment, std::string_view name) {
  const Value& value = require(assignment, name);
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  wrong_kind(name, value, "a boolean");
}

std::string get_string(const Assignment& assignment, std::string_view name) {
  const Value& value = require(assignment, name);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  wrong_kind(name, value, "a string");
}

double get_double(const Assignment& assignment, std::string_view name, double fallback) {
  return find_value(assignment, name) == nullptr ? fallback : get_double(assignment, name);
}

long long get_int(const Assignment& assignment, std::string_view name, long long fallback) {
  return find_value(assignment, name) == nullptr ? fallback : get_int(assignment, name);
}

bool get_bool(const Assignment& assignment, std::string_view name, bool fallback) {
  return find_value(assignment, name) == nullptr ? fallback : get_bool(assignment, name);
}

std::string get_string(const Assignment& assignment, std::string_view name, const std::string& fallback) {
  return find_value(assignment, name) == nullptr ? fallback : get_string(assignment, name);
}

const char* value_kind_name(const Value& value) noexcept {
  switch (value.index()) {
    case 0: return "number";
    case 1: return "integer";
    case 2: return "boolean";
    default: return "string";
  }
}

std::string format_value(const Value& value) {
  if (const auto* d = std::get_if<double>(&value)) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, *d);
    return std::string(buffer, result.ptr);
  }
  if (const auto* i = std::get_if<long long>(&value)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return std::get<std::string>(value);
}

std::string format_assignment(const Assignment& assignment) {
  std::string text;
  for (const SettingValue& s : assignment) {
    if (!text.empty()) text += ' ';
    text += s.name + '=' + format_value(s.value);
  }
  return text;
}

std::string format_assignment(const Assignment& assignment, const std::vector<std::string>& names) {
  Assignment chosen;
  for (const SettingValue& s : assignment) {
    if (std::find(names.begin(), names.end(), s.name) != names.end()) chosen.push_back(s);
  }
  return format_assignment(chosen);
}

bool same_settings(const Assignment& a, const Assignment& b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value.index() != b[i].value.index()) return false;
    if (const auto* x = std::get_if<double>(&a[i].value)) {
      const double y = std::get<double>(b[i].value);
      if (!(*x == y || std::abs(*x - y) <= 1e-12 * std::max(std::abs(*x), std::abs(y)))) return false;
    } else if (!(a[i].value == b[i].value)) {
      return false;
    }
  }
  return true;
}

}  // namespace hpsweep::search
