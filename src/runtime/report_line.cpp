#include "hpsweep/runtime/report_line.hpp"

#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

namespace hpsweep::runtime {
namespace {

using Json = nlohmann::json;

/// What a `null` that the parser meets stands for. Python's non-finite tokens are rewritten into
/// `null` so that nlohmann accepts the line; the scan that rewrites them lists, in line order, every
/// null it leaves, so the parser's n-th null event is the n-th entry.
enum class NullToken : unsigned char { kNull, kNaN, kInfinity, kMinusInfinity };

constexpr std::string_view kSpace = " \t\r\n\f\v";
constexpr std::size_t kLinearFields = 32;  // past this many fields, names are found through a hash map

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// Calls `word(at, size)` for each run of letters outside JSON strings: true, false, null, NaN,
/// Infinity and a number's exponent 'e'. On valid JSON it sees strings exactly as the parser
/// does; on invalid JSON whatever it sees does not matter, the parser refuses the line anyway.
template <typename Word>
void for_each_word(std::string_view text, Word&& word) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (is_letter(c)) {
      std::size_t end = i + 1;
      while (end < text.size() && is_letter(text[end])) ++end;
      word(i, end - i);
      i = end - 1;
    }
  }
}

/// The word at `at` as one of the null tokens, or nothing (true, false, an exponent, garbage).
std::optional<NullToken> null_token(std::string_view text, std::size_t at, std::size_t size) {
  const std::string_view word = text.substr(at, size);
  if (word == "null") return NullToken::kNull;
  if (word == "NaN") return NullToken::kNaN;
  if (word != "Infinity") return std::nullopt;
  return at > 0 && text[at - 1] == '-' ? NullToken::kMinusInfinity : NullToken::kInfinity;
}

bool has_non_finite(std::string_view text) {
  bool found = false;
  for_each_word(text, [&](std::size_t at, std::size_t size) {
    const std::optional<NullToken> token = null_token(text, at, size);
    found = found || (token && *token != NullToken::kNull);
  });
  return found;
}

/// `text` with NaN, Infinity and -Infinity outside strings replaced by null; `nulls` receives what
/// each null of the result stands for, in order.
std::string rewrite_non_finite(std::string_view text, std::vector<NullToken>& nulls) {
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t copied = 0;
  for_each_word(text, [&](std::size_t at, std::size_t size) {
    const std::optional<NullToken> token = null_token(text, at, size);
    if (!token) return;
    nulls.push_back(*token);
    if (*token == NullToken::kNull) return;
    const std::size_t from = *token == NullToken::kMinusInfinity ? at - 1 : at;  // the '-' goes too
    out.append(text.substr(copied, from - copied)).append("null");
    copied = at + size;
  });
  out.append(text.substr(copied));
  return out;
}

/// The SAX handler: keeps the fields of a top-level object (depth 1) in order of first
/// appearance with their last value; deeper values only move the depth.
class FieldCollector {
 public:
  explicit FieldCollector(const std::vector<NullToken>& nulls) : nulls_(nulls) {}

  bool null() {
    const NullToken token = next_null_ < nulls_.size() ? nulls_[next_null_++] : NullToken::kNull;
    switch (token) {
      case NullToken::kNaN: return value(true, std::numeric_limits<double>::quiet_NaN());
      case NullToken::kInfinity: return value(true, std::numeric_limits<double>::infinity());
      case NullToken::kMinusInfinity: return value(true, -std::numeric_limits<double>::infinity());
      case NullToken::kNull: break;
    }
    return value(false, 0.0);
  }
  bool boolean(bool /*unused*/) { return value(false, 0.0); }
  bool number_integer(Json::number_integer_t v) { return value(true, static_cast<double>(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return value(true, static_cast<double>(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t& /*unused*/) { return value(true, v); }
  bool string(Json::string_t& /*unused*/) { return value(false, 0.0); }
  bool binary(Json::binary_t& /*unused*/) { return value(false, 0.0); }
  bool start_object(std::size_t /*unused*/) { return open(true); }
  bool end_object() { return close(); }
  bool start_array(std::size_t /*unused*/) { return open(false); }
  bool end_array() { return close(); }
  bool key(Json::string_t& name) {
    if (depth_ == 1) key_ = name;  // assigned into key_'s buffer: no allocation once it is large enough
    return true;
  }
  bool parse_error(std::size_t /*unused*/, const std::string& /*unused*/, const Json::exception& /*unused*/) {
    return false;
  }

  /// The numeric fields, in order.
  std::vector<std::pair<std::string, double>> take_metrics() {
    std::vector<std::pair<std::string, double>> metrics;
    metrics.reserve(fields_.size());
    for (Field& f : fields_) {
      if (f.is_number) metrics.emplace_back(std::move(f.name), f.value);
    }
    return metrics;
  }

 private:
  struct Field {
    std::string name;
    double value;
    bool is_number;
  };

  bool open(bool object) {
    if (depth_ == 0) top_is_object_ = object;
    value(false, 0.0);  // a nested object or array as a field's value is not a metric
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  bool value(bool is_number, double v) {
    if (depth_ != 1 || !top_is_object_) return true;  // a top-level array has no fields
    if (Field* field = find(key_)) {
      field->value = v;
      field->is_number = is_number;
      return true;
    }
    fields_.push_back(Field{key_, v, is_number});
    if (!index_.empty()) index_.emplace(key_, fields_.size() - 1);
    return true;
  }

  /// The field named `name`, by a linear search in a small object and through index_ (built once
  /// the object grows past kLinearFields) in a large one, so that a hostile line of 100 000
  /// fields does not take quadratic time.
  Field* find(const std::string& name) {
    if (fields_.size() < kLinearFields) {
      for (Field& f : fields_) {
        if (f.name == name) return &f;
      }
      return nullptr;
    }
    if (index_.empty()) {
      for (std::size_t i = 0; i < fields_.size(); ++i) index_.emplace(fields_[i].name, i);
    }
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &fields_[it->second];
  }

  const std::vector<NullToken>& nulls_;
  std::size_t next_null_ = 0;
  int depth_ = 0;
  bool top_is_object_ = false;
  std::string key_;
  std::vector<Field> fields_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

ParsedLine parse_report_line(std::string_view line) {
  const std::size_t first = line.find_first_not_of(kSpace);
  if (first == std::string_view::npos || (line[first] != '{' && line[first] != '[')) return {};
  const bool object = line[first] == '{';
  line = line.substr(first, line.find_last_not_of(kSpace) - first + 1);

  std::vector<NullToken> nulls;  // empty (no allocation) unless the line has NaN or Infinity
  std::string rewritten;
  if (has_non_finite(line)) {
    rewritten = rewrite_non_finite(line, nulls);
    line = rewritten;
  }
  FieldCollector collector(nulls);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(line.data(), line.data() + line.size(), &collector);
  } catch (const Json::exception&) {  // not expected from the SAX parser; a bad line is text either way
    parsed = false;
  }
  ParsedLine result;
  if (!parsed) return result;
  result.kind = object ? LineKind::kReport : LineKind::kNotAnObject;
  if (object) result.metrics = collector.take_metrics();
  return result;
}

}  // namespace hpsweep::runtime
