#pragma once
/// The lines a user's program prints when hpsweep runs it as a trial: a JSON object on one line
/// is a report, and its numeric fields are metrics (`{"epoch": 3, "val_loss": 0.25}`); any other
/// line is the program's ordinary output.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpsweep::runtime {

/// What one line of a trial's standard output is.
enum class LineKind {
  kText,         ///< ordinary output, also a line that starts with '{' but is not valid JSON
  kReport,       ///< a JSON object: a report
  kNotAnObject,  ///< valid JSON that is an array, not an object: worth a warning, not a report
};

struct ParsedLine {
  LineKind kind = LineKind::kText;
  /// kReport: numeric fields in line order (a repeated name: the last value, at its first place).
  std::vector<std::pair<std::string, double>> metrics;
};

/// Classifies one line (without its newline). Leading and trailing whitespace (a '\r' of CRLF
/// output too) is ignored. A line whose first character is '{' and that parses as a JSON object
/// is kReport: its top-level fields whose values are numbers (integer or float) are the metrics;
/// booleans, strings, null, arrays and nested objects are not metrics. A report without numeric
/// fields is still a report, with no metrics. Python's json.dumps writes NaN, Infinity and
/// -Infinity for non-finite floats: these bare tokens are accepted as values and give NaN, +inf and
/// -inf (inside strings they are text). A name repeated in one object counts as JSON parsers do: its
/// last value, at the place where the name came first (no metric when that value is not a number).
/// A line starting with '[' that parses is kNotAnObject; everything else, unparsable lines
/// included, is kText (so is an object with a number beyond double's range, such as 1e400:
/// nlohmann refuses it; Python writes Infinity instead). Never throws but std::bad_alloc; a line
/// that starts with neither '{' nor '[' costs next to nothing.
[[nodiscard]] ParsedLine parse_report_line(std::string_view line);

}  // namespace hpsweep::runtime
