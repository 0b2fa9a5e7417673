#include "hpsweep/data/csv_reader.hpp"

#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/text.hpp"
#include "hpsweep/data/labels.hpp"
#include "hpsweep/data/source.hpp"

namespace hpsweep::data {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string_view> split_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma == std::string_view::npos ? comma : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

bool is_blank(std::string_view line) { return trim(line).empty(); }

/// Where a cell is, for messages: "file.csv:12: column 3 ('age')".
std::string cell_place(const std::string& origin, std::size_t line, std::size_t column,
                       const std::vector<std::string>& header) {
  return origin + ":" + std::to_string(line) + ": column " + std::to_string(column + 1) + " ('" +
         header[column] + "')";
}

double parse_cell(std::string_view cell, const std::string& origin, std::size_t line,
                  std::size_t column, const std::vector<std::string>& header) {
  if (cell.empty()) {
    throw core::DataError(cell_place(origin, line, column, header) +
                          ": empty cell; every cell must be a number (remove or impute the row)");
  }
  double value = 0.0;
  const char* first = cell.data();
  if (*first == '+') ++first;
  const auto [end, ec] = std::from_chars(first, cell.data() + cell.size(), value);
  if (ec != std::errc() || end != cell.data() + cell.size()) {
    std::string why = ": not a number: '" + core::excerpt(cell) + "'";
    if (cell.front() == '"') why += " (a quoted field: hpsweep reads plain CSV, whose fields hold no commas or quotes)";
    throw core::DataError(cell_place(origin, line, column, header) + why);
  }
  if (!std::isfinite(value)) {
    throw core::DataError(cell_place(origin, line, column, header) + ": " + core::excerpt(cell) +
                          " is not allowed; every cell must be finite (remove or impute the row)");
  }
  return value;
}

/// The target's column; header.size() when it is optional and absent.
std::size_t find_target_column(const std::vector<std::string>& header, const CsvOptions& options,
                               const std::string& origin, std::size_t header_line) {
  const std::string& target = options.target;
  if (target.empty()) return header.size() - 1;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == target) return c;
  }
  if (options.target_optional) return header.size();
  std::string names;
  for (std::size_t c = 0; c < header.size() && c < 20; ++c) names += (c ? ", " : "") + header[c];
  if (header.size() > 20) names += ", ... (" + std::to_string(header.size()) + " columns)";
  throw core::DataError(origin + ":" + std::to_string(header_line) + ": no column named '" + core::excerpt(target) +
                        "'; the columns are: " + names + " (name the target column with `target:` in a sweep file, --target for hpsweep train)");
}

/// A repeated name would make the target ambiguous (the first one wins, the other trains as a feature).
void check_unique_names(const std::vector<std::string>& header, const std::string& origin, std::size_t line) {
  std::unordered_map<std::string_view, std::size_t> first_column;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const auto [at, fresh] = first_column.emplace(header[c], c);
    if (!fresh) {
      throw core::DataError(origin + ":" + std::to_string(line) + ": columns " + std::to_string(at->second + 1) + " and " +
                            std::to_string(c + 1) + " are both named '" + header[c] + "'; every column needs its own name");
    }
  }
}

}  // namespace

Dataset parse_csv(const std::string& raw_text, const std::string& origin, const CsvOptions& options) {
  // Excel writes a UTF-8 byte-order mark first; it is not part of the first column's name.
  const std::string_view bom = "\xEF\xBB\xBF";
  const std::string text = raw_text.starts_with(bom) ? raw_text.substr(bom.size()) : raw_text;
  if (text.find('\n') == std::string::npos && text.find('\r') != std::string::npos) {
    throw core::DataError(origin + ": the lines end with CR alone (classic Mac OS); convert them to LF or CRLF "
                                   "(e.g. tr '\\r' '\\n')");
  }
  std::istringstream in(text);
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line) && (++line_number, is_blank(line))) {
  }
  if (is_blank(line)) {
    throw core::DataError(origin + ": the file is empty; expected a header row and data rows");
  }
  std::vector<std::string> header;
  for (std::string_view name : split_cells(line)) {
    if (!name.empty() && (name.front() == '"' || name.back() == '"')) {
      throw core::DataError(origin + ":" + std::to_string(line_number) + ": the column name " + core::excerpt(name) +
                            " is quoted across a comma; hpsweep reads plain CSV: names without commas or quotes");
    }
    header.emplace_back(core::excerpt(name, 4096));
  }
  check_unique_names(header, origin, line_number);
  const std::size_t target_column = find_target_column(header, options, origin, line_number);
  const bool has_target = target_column < header.size();
  if (has_target && header.size() < 2) {
    throw core::DataError(origin + ":" + std::to_string(line_number) +
                          ": the header has one column; expected features and a target separated by commas");
  }

  std::vector<double> cells;  // row-major, features only
  std::vector<double> raw_target;
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (is_blank(line)) continue;
    const auto row = split_cells(line);
    if (row.size() != header.size()) {
      throw core::DataError(origin + ":" + std::to_string(line_number) + ": " +
                            std::to_string(row.size()) + " cells, but the header has " +
                            std::to_string(header.size()) + " columns");
    }
    for (std::size_t c = 0; c < row.size(); ++c) {
      const double value = parse_cell(row[c], origin, line_number, c, header);
      (c == target_column ? raw_target.emplace_back(value) : cells.emplace_back(value));
    }
    ++rows;
  }
  if (rows == 0) throw core::DataError(origin + ": no data rows after the header");

  Dataset dataset;
  dataset.origin = origin;
  if (has_target) dataset.target_name = header[target_column];
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c != target_column) dataset.feature_names.push_back(header[c]);
  }
  const auto features = static_cast<Eigen::Index>(dataset.feature_names.size());
  const auto samples = static_cast<Eigen::Index>(rows);
  dataset.features = Eigen::Map<const Eigen::MatrixXd>(cells.data(), features, samples);
  if (has_target) assign_targets(dataset, raw_target, options.task.value_or(infer_task(raw_target)), options.classes);
  return dataset;
}

Dataset read_csv(const std::string& path, const CsvOptions& options) {
  check_regular_file(path);
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw core::DataError("cannot open data file '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return parse_csv(text.str(), path, options);
}

}  // namespace hpsweep::data
