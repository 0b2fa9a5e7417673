#include "hpsweep/cli/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string_view>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/text.hpp"

namespace hpsweep::cli {
namespace {

std::string cell_text(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return core::printable(value.get<std::string>());
  if (value.is_number_float()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value.get<double>());
    return buffer;
  }
  return value.dump();
}

/// A text cell that a spreadsheet would run as a formula (=, +, -, @) starts with ' instead: the
/// CSV of a crafted file must not execute anything when opened.
std::string neutralize_formula(const nlohmann::ordered_json& value, std::string text) {
  if (value.is_string() && !text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos) {
    return "'" + text;
  }
  return text;
}

std::string csv_escape(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

Format parse_format(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  throw core::ConfigError("unknown format '" + name + "'; use table, csv or json");
}

nlohmann::ordered_json number(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

void Table::print(std::ostream& out, Format format) const {
  if (format == Format::kJson) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& row : rows_) {
      nlohmann::ordered_json object;
      for (std::size_t c = 0; c < columns_.size(); ++c) object[columns_[c]] = row[c];
      array.push_back(std::move(object));
    }
    out << array.dump(2) << "\n";
    return;
  }
  if (format == Format::kCsv) {
    for (std::size_t c = 0; c < columns_.size(); ++c) out << (c ? "," : "") << csv_escape(columns_[c]);
    out << "\n";
    for (const auto& row : rows_) {
      for (std::size_t c = 0; c < row.size(); ++c) {
        out << (c ? "," : "") << csv_escape(neutralize_formula(row[c], cell_text(row[c])));
      }
      out << "\n";
    }
    return;
  }
  std::vector<std::size_t> widths;
  for (const auto& name : columns_) widths.push_back(name.size());
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], cell_text(row[c]).size());
  }
  auto print_row = [&](auto text_of) {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const std::string text = text_of(c);
      out << (c ? "  " : "") << text << std::string(c + 1 < columns_.size() ? widths[c] - text.size() : 0, ' ');
    }
    out << "\n";
  };
  print_row([&](std::size_t c) { return columns_[c]; });
  for (const auto& row : rows_) print_row([&](std::size_t c) { return cell_text(row[c]); });
}

}  // namespace hpsweep::cli
