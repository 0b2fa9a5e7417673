#pragma once
/// Rows of named values printed for people (aligned columns), spreadsheets (CSV) or scripts (JSON).

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hpsweep::cli {

enum class Format { kTable, kCsv, kJson };

/// "table", "csv" or "json"; anything else throws core::ConfigError.
[[nodiscard]] Format parse_format(const std::string& name);

class Table {
 public:
  explicit Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}
  /// One value per column: numbers, strings, booleans or null (shown empty).
  void add(std::vector<nlohmann::ordered_json> row) { rows_.push_back(std::move(row)); }
  /// JSON: an array of objects keyed by column name.
  void print(std::ostream& out, Format format) const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<nlohmann::ordered_json>> rows_;
};

/// A JSON number, or null for NaN/Inf (JSON has no NaN).
[[nodiscard]] nlohmann::ordered_json number(double value);

}  // namespace hpsweep::cli
