#include "hpsweep/data/csv_reader.hpp"

#include <fast_float/fast_float.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/core/text.hpp"
#include "hpsweep/data/labels.hpp"
#include "hpsweep/data/source.hpp"

// One parser, two sources of lines: text in memory (parse_csv) and a file read in blocks (read_csv).
// The parser makes two passes over its lines: the first finds the header and counts the data rows,
// the second parses each row straight into its column of the features matrix, allocated once. So
// reading a file takes the final matrix plus one block, never a copy of the text.

namespace hpsweep::data {
namespace {

/// Room kept beside a block for the unfinished line carried over from the previous one.
constexpr std::size_t kCarryBytes = std::size_t{64} << 10;
/// A longer line is not a row of numbers; the cap keeps a file without newlines from taking memory.
constexpr std::size_t kMaxLineBytes = std::size_t{64} << 20;
constexpr std::string_view kBom = "\xEF\xBB\xBF";  // Excel writes it first; not part of the first name

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

std::size_t count_cells(std::string_view line) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
}

bool is_blank(std::string_view line) { return trim(line).empty(); }

[[noreturn]] void throw_cr_alone(const std::string& origin) {
  throw core::DataError(origin + ": the lines end with CR alone (classic Mac OS); convert them to LF or CRLF "
                                 "(e.g. tr '\\r' '\\n')");
}

// ---- Numbers -------------------------------------------------------------------------------------

enum class CellStatus { kOk, kEmpty, kNotANumber, kNotFinite };

/// Whether std::from_chars would have reported result_out_of_range for the number [first, last) that
/// fast_float read as `value`: libstdc++ does so for a decimal that rounds to infinity, or to zero
/// from a nonzero significand, where fast_float returns the rounded value. Such cells were "not a
/// number" before fast_float and stay so.
bool out_of_range(const char* first, const char* last, double value) noexcept {
  if (first != last && *first == '-') ++first;
  if (std::isinf(value)) return first != last && *first != 'i' && *first != 'I';  // not "inf"/"infinity"
  if (value != 0.0) return false;
  for (; first != last && *first != 'e' && *first != 'E'; ++first) {
    if (*first >= '1' && *first <= '9') return true;
  }
  return false;
}

/// A trimmed cell's number text: without a leading '+'.
std::string_view number_text(std::string_view cell) noexcept {
  return cell.starts_with('+') ? cell.substr(1) : cell;
}

/// A trimmed cell as a number: a leading '+' skipped, the whole cell consumed, correctly rounded.
CellStatus parse_number(std::string_view cell, double& value) noexcept {
  if (cell.empty()) return CellStatus::kEmpty;
  const std::string_view number = number_text(cell);
  const char* const first = number.data();
  const char* const last = first + number.size();
  const auto [end, ec] = fast_float::from_chars(first, last, value);
  if (ec != std::errc() || end != last || out_of_range(first, last, value)) return CellStatus::kNotANumber;
  return std::isfinite(value) ? CellStatus::kOk : CellStatus::kNotFinite;
}

/// The common cell: a finite number that ends at ',' or at the end of the line. Returns where it
/// ends, or nullptr for anything else (spaces, quotes, '+', CR, a bad cell), left to the full path.
/// Same value as the full path: the number has nothing to trim and fast_float reads the same prefix.
const char* parse_plain(const char* first, const char* last, double& value) noexcept {
  const auto [end, ec] = fast_float::from_chars(first, last, value);
  if (ec != std::errc() || end == first || (end != last && *end != ',')) return nullptr;
  if (!std::isfinite(value) || out_of_range(first, end, value)) return nullptr;
  return end;
}

// ---- Sources of lines ----------------------------------------------------------------------------
// Both give the physical lines (without '\n'; a CR stays, trim removes it) after a byte-order mark,
// and can start over for the second pass. `next` returns false after the last line.

/// Lines of text already in memory.
class TextLines {
 public:
  TextLines(std::string_view text, const std::string& origin)
      : text_(text.starts_with(kBom) ? text.substr(kBom.size()) : text) {
    if (text_.find('\n') == std::string_view::npos && text_.find('\r') != std::string_view::npos) {
      throw_cr_alone(origin);
    }
  }

  bool next(std::string_view& line) noexcept {
    if (pos_ == text_.size()) return false;
    const std::size_t lf = text_.find('\n', pos_);
    const std::size_t end = lf == std::string_view::npos ? text_.size() : lf;
    line = text_.substr(pos_, end - pos_);
    pos_ = lf == std::string_view::npos ? end : lf + 1;
    return true;
  }
  void rewind() noexcept { pos_ = 0; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

/// The data file's descriptor; every OS call of the reader goes through it. Symbolic links are
/// followed (a data file is often a link into a shared data set); anything but a regular file is refused.
class DataFile {
 public:
  explicit DataFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // NONBLOCK: a FIFO put there must not hang us
    if (fd_ < 0) {
      const int error = errno;
      throw core::DataError("cannot open data file '" + path + "': " + std::strerror(error));
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw core::DataError(path + ": is not a regular file (a directory, FIFO or device); give the data file itself");
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
    (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;
  ~DataFile() { ::close(fd_); }

  /// Reads `size` bytes at `offset` into `out`; fewer only at the end of the file.
  std::size_t read_at(char* out, std::size_t size, off_t offset) const {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pread(fd_, out + done, size - done, offset + static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int error = errno;
        throw core::DataError("cannot read data file '" + path_ + "': " + std::strerror(error));
      }
      if (n == 0) break;
      done += static_cast<std::size_t>(n);
    }
    return done;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

/// Lines of a file read in blocks: a line that straddles blocks is carried over to the next one, so
/// memory stays at one block plus the longest line (capped at kMaxLineBytes), whatever the file's size.
class FileLines {
 public:
  FileLines(const DataFile& file, const std::string& origin, std::size_t block_bytes)
      : file_(file), origin_(origin), block_(block_bytes), buffer_(block_bytes + std::min(block_bytes, kCarryBytes)) {
    char head[kBom.size()];
    const std::size_t n = file_.read_at(head, sizeof head, 0);
    if (std::string_view(head, n) == kBom) start_ = static_cast<off_t>(kBom.size());
    offset_ = start_;
  }

  bool next(std::string_view& line) {
    do {
      const std::size_t lf = std::string_view(buffer_.data() + scan_, end_ - scan_).find('\n');
      if (lf != std::string_view::npos) {
        line = std::string_view(buffer_.data() + begin_, scan_ + lf - begin_);
        begin_ = scan_ = scan_ + lf + 1;
        saw_lf_ = true;
        ++lines_;
        return true;
      }
      scan_ = end_;
    } while (fill());
    if (begin_ == end_) return false;
    line = std::string_view(buffer_.data() + begin_, end_ - begin_);                     // the last line, without '\n'
    if (!saw_lf_ && line.find('\r') != std::string_view::npos) throw_cr_alone(origin_);  // it is the whole file
    begin_ = end_;
    ++lines_;
    return true;
  }

  void rewind() noexcept {
    begin_ = scan_ = end_ = 0;
    offset_ = start_;
    eof_ = saw_lf_ = false;
    lines_ = 0;
  }

 private:
  /// Moves the unfinished line to the front and reads the next block after it; false at the end.
  bool fill() {
    const std::size_t pending = end_ - begin_;
    if (pending > kMaxLineBytes) throw_line_too_long();  // before the end: the last line is capped too
    if (eof_) return false;
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, pending);
      scan_ -= begin_;
      begin_ = 0;
      end_ = pending;
    }
    if (buffer_.size() < end_ + block_) buffer_.resize(end_ + block_);
    const std::size_t n = file_.read_at(buffer_.data() + end_, block_, offset_);
    end_ += n;
    offset_ += static_cast<off_t>(n);
    eof_ = n < block_;
    return n > 0;
  }

  [[noreturn]] void throw_line_too_long() {
    if (!saw_lf_ && whole_file_is_cr_alone()) throw_cr_alone(origin_);  // as parse_csv says of the same text
    throw core::DataError(origin_ + ":" + std::to_string(lines_ + 1) + ": a line longer than " +
                          std::to_string(kMaxLineBytes >> 20) +
                          " MiB; a CSV row of numbers is far shorter (is this the data file?)");
  }

  /// No '\n' in the whole file and a '\r' somewhere; only asked while no '\n' has been seen.
  bool whole_file_is_cr_alone() const {
    bool cr = std::string_view(buffer_.data(), end_).find('\r') != std::string_view::npos;
    std::vector<char> chunk(std::max(block_, kCarryBytes));
    for (off_t offset = offset_;;) {
      const std::size_t n = file_.read_at(chunk.data(), chunk.size(), offset);
      const std::string_view bytes(chunk.data(), n);
      if (bytes.find('\n') != std::string_view::npos) return false;
      cr = cr || bytes.find('\r') != std::string_view::npos;
      if (n < chunk.size()) return cr;
      offset += static_cast<off_t>(n);
    }
  }

  const DataFile& file_;
  const std::string& origin_;
  std::size_t block_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first byte of the current line in buffer_
  std::size_t scan_ = 0;   // bytes of the current line before this hold no '\n'
  std::size_t end_ = 0;    // end of the bytes read into buffer_
  off_t start_ = 0;        // file offset of the first byte after the byte-order mark
  off_t offset_ = 0;       // file offset of buffer_[end_]
  bool eof_ = false;
  bool saw_lf_ = false;
  std::size_t lines_ = 0;  // lines returned so far
};

// ---- The header ----------------------------------------------------------------------------------

/// What the first pass learns: the header and how many data rows follow it.
struct Layout {
  std::vector<std::string> header;
  std::string header_text;        // the header line as read; the second pass checks it is still there
  std::size_t header_line = 0;    // 1-based physical line, blank lines counted
  std::size_t target_column = 0;  // header.size() when the target is optional and absent
  std::size_t rows = 0;

  [[nodiscard]] bool has_target() const noexcept { return target_column < header.size(); }
  [[nodiscard]] std::size_t num_features() const noexcept { return header.size() - (has_target() ? 1 : 0); }
};

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
                        "'; the columns are: " + names +
                        " (name the target column with `target:` in a sweep file, --target for hpsweep train)");
}

/// A repeated name would make the target ambiguous (the first one wins, the other trains as a feature).
void check_unique_names(const std::vector<std::string>& header, const std::string& origin, std::size_t line) {
  std::unordered_map<std::string_view, std::size_t> first_column;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const auto [at, fresh] = first_column.emplace(header[c], c);
    if (!fresh) {
      throw core::DataError(origin + ":" + std::to_string(line) + ": columns " + std::to_string(at->second + 1) +
                            " and " + std::to_string(c + 1) + " are both named '" + header[c] +
                            "'; every column needs its own name");
    }
  }
}

Layout read_header(std::string_view line, std::size_t line_number, const std::string& origin,
                   const CsvOptions& options) {
  Layout layout;
  layout.header_text = line;
  layout.header_line = line_number;
  for (std::string_view name : split_cells(line)) {
    if (!name.empty() && (name.front() == '"' || name.back() == '"')) {
      throw core::DataError(origin + ":" + std::to_string(line_number) + ": the column name " + core::excerpt(name) +
                            " is quoted across a comma; hpsweep reads plain CSV: names without commas or quotes");
    }
    layout.header.emplace_back(core::excerpt(name, 4096));
  }
  check_unique_names(layout.header, origin, line_number);
  layout.target_column = find_target_column(layout.header, options, origin, line_number);
  if (layout.has_target() && layout.header.size() < 2) {
    throw core::DataError(origin + ":" + std::to_string(line_number) +
                          ": the header has one column; expected features and a target separated by commas");
  }
  return layout;
}

/// Pass 1: the header (the first non-blank line) and the number of non-blank lines after it.
template <typename Lines>
Layout scan(Lines& lines, const std::string& origin, const CsvOptions& options) {
  std::string_view line;
  std::size_t line_number = 0;
  bool found = false;
  while (!found && lines.next(line)) {
    ++line_number;
    found = !is_blank(line);
  }
  if (!found) throw core::DataError(origin + ": the file is empty; expected a header row and data rows");
  Layout layout = read_header(line, line_number, origin, options);
  while (lines.next(line)) layout.rows += is_blank(line) ? 0 : 1;
  if (layout.rows == 0) throw core::DataError(origin + ": no data rows after the header");
  return layout;
}

// ---- Rows ----------------------------------------------------------------------------------------

/// Parses data rows into their columns; errors name the file, line and column.
class RowParser {
 public:
  RowParser(const Layout& layout, const std::string& origin) : layout_(layout), origin_(origin) {}

  /// Writes the features of `line` to features[0, num_features), each as `cells` holds it (see
  /// Float64Cells), and its target, if any, to *target.
  template <typename Cells>
  void parse(std::string_view line, std::size_t line_number, typename Cells::Element* features, double* target,
             const Cells& cells) const {
    const char* first = line.data();
    const char* const last = first + line.size();
    const std::size_t columns = layout_.header.size();
    for (std::size_t c = 0;; ++c) {
      if (c == columns) throw_ragged(count_cells(line), line_number);
      const char* end = nullptr;
      double value = 0.0;
      std::string_view number;
      if (c == layout_.target_column) {
        end = parse_plain(first, last, value);
        if (end == nullptr) end = parse_cell(line, first, line_number, c, value, number);
        *target = value;
      } else {
        end = cells.plain(first, last, *features);
        if (end == nullptr) {
          end = parse_cell(line, first, line_number, c, value, number);
          *features = cells.from_value(value, number);
        }
        ++features;
      }
      if (end == last) {
        if (c + 1 != columns) throw_ragged(c + 1, line_number);
        return;
      }
      first = end + 1;
    }
  }

 private:
  /// The cell starting at `first`, trimmed and parsed (its number text in `number`); returns its end
  /// (',' or the line's end).
  const char* parse_cell(std::string_view line, const char* first, std::size_t line_number, std::size_t column,
                         double& value, std::string_view& number) const {
    const std::size_t start = static_cast<std::size_t>(first - line.data());
    const std::size_t comma = line.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    const std::string_view cell = trim(line.substr(start, end - start));
    const CellStatus status = parse_number(cell, value);
    if (status != CellStatus::kOk) {
      // A row with the wrong number of cells is reported as such, before any of its cells.
      const std::size_t cells = count_cells(line);
      if (cells != layout_.header.size()) throw_ragged(cells, line_number);
      throw_cell_error(status, cell, line_number, column);
    }
    number = number_text(cell);
    return line.data() + end;
  }

  [[noreturn]] void throw_ragged(std::size_t cells, std::size_t line_number) const {
    throw core::DataError(origin_ + ":" + std::to_string(line_number) + ": " + std::to_string(cells) +
                          " cells, but the header has " + std::to_string(layout_.header.size()) + " columns");
  }

  [[noreturn]] void throw_cell_error(CellStatus status, std::string_view cell, std::size_t line_number,
                                     std::size_t column) const {
    // Where the cell is: "file.csv:12: column 3 ('age')".
    const std::string place = origin_ + ":" + std::to_string(line_number) + ": column " + std::to_string(column + 1) +
                              " ('" + layout_.header[column] + "')";
    if (status == CellStatus::kEmpty) {
      throw core::DataError(place + ": empty cell; every cell must be a number (remove or impute the row)");
    }
    if (status == CellStatus::kNotFinite) {
      throw core::DataError(place + ": " + core::excerpt(cell) +
                            " is not allowed; every cell must be finite (remove or impute the row)");
    }
    std::string why = ": not a number: '" + core::excerpt(cell) + "'";
    if (cell.front() == '"') why += " (a quoted field: hpsweep reads plain CSV, whose fields hold no commas or quotes)";
    throw core::DataError(place + why);
  }

  const Layout& layout_;
  const std::string& origin_;
};

[[noreturn]] void throw_changed(const std::string& origin) {
  throw core::DataError(origin + ": the file changed while it was read; read it when nothing is writing to it");
}

/// The features matrix (features x rows) and the raw targets, allocated once.
template <typename Features>
void allocate(const Layout& layout, const std::string& origin, Features& features, std::vector<double>& target) {
  using Element = typename Features::Scalar;
  const std::size_t count = layout.num_features();
  constexpr auto kMaxValues = static_cast<std::size_t>(std::numeric_limits<Eigen::Index>::max()) / sizeof(Element);
  if (layout.rows > kMaxValues / count) {
    throw core::DataError(origin + ": " + std::to_string(layout.rows) + " rows x " + std::to_string(count) +
                          " features is more than a process can hold");
  }
  try {
    features.resize(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(layout.rows));
    core::prefer_huge_pages(features.data(), sizeof(Element) * static_cast<std::size_t>(features.size()));
    if (layout.has_target()) target.resize(layout.rows);
  } catch (const std::bad_alloc&) {
    throw core::DataError(origin + ": the data does not fit in this machine's memory; use fewer rows or features, "
                                   "or a larger node");
  }
}

/// Pass 2: every data row parsed into its column of `features` (and `target`), in file order.
template <typename Lines, typename Features, typename Cells>
void read_rows(Lines& lines, const Layout& layout, const std::string& origin, Features& features,
               std::vector<double>& target, const Cells& cells) {
  lines.rewind();
  std::string_view line;
  std::size_t line_number = 0;
  while (line_number < layout.header_line && lines.next(line)) ++line_number;
  if (line_number != layout.header_line || line != layout.header_text) throw_changed(origin);
  const RowParser parser(layout, origin);
  const std::size_t stride = layout.num_features();
  double no_target = 0.0;
  std::size_t row = 0;
  while (lines.next(line)) {
    ++line_number;
    if (is_blank(line)) continue;
    if (row == layout.rows) throw_changed(origin);
    parser.parse(line, line_number, features.data() + row * stride, layout.has_target() ? &target[row] : &no_target,
                 cells);
    ++row;
  }
  if (row != layout.rows) throw_changed(origin);
}

/// Both passes; `cells` (Float64Cells, CodedCells) says how feature cells are held.
template <typename Lines, typename Cells>
BasicDataset<typename Cells::Element> parse_lines(Lines& lines, const std::string& origin, const CsvOptions& options,
                                                  const Cells& cells) {
  const Layout layout = scan(lines, origin, options);
  BasicDataset<typename Cells::Element> dataset;
  dataset.origin = origin;
  if (layout.has_target()) dataset.target_name = layout.header[layout.target_column];
  for (std::size_t c = 0; c < layout.header.size(); ++c) {
    if (c != layout.target_column) dataset.feature_names.push_back(layout.header[c]);
  }
  std::vector<double> raw_target;
  allocate(layout, origin, dataset.features, raw_target);
  read_rows(lines, layout, origin, dataset.features, raw_target, cells);
  if (layout.has_target()) {
    assign_targets(dataset, raw_target, options.task.value_or(infer_task(raw_target)), options.classes);
  }
  return dataset;
}

/// Feature cells held as their float64 values. `plain` reads the common cell (parse_plain) into
/// its element, `from_value` gives the element of any other cell from its value and number text.
struct Float64Cells {
  using Element = double;
  const char* plain(const char* first, const char* last, double& out) const noexcept {
    return parse_plain(first, last, out);
  }
  double from_value(double value, std::string_view /*number*/) const noexcept { return value; }
};

/// Feature cells held as DecimalCodes codes: a plain short decimal is coded from its digits, without
/// a float64 parse; any other cell from its value.
struct CodedCells {
  using Element = std::uint32_t;
  DecimalCodes& codes;
  const char* plain(const char* first, const char* last, std::uint32_t& out) const {
    if (const char* end = codes.encode_prefix(first, last, ',', out)) return end;
    double value = 0.0;
    const char* end = parse_plain(first, last, value);
    if (end != nullptr) out = codes.encode(std::string_view(first, static_cast<std::size_t>(end - first)), value);
    return end;
  }
  std::uint32_t from_value(double value, std::string_view number) const { return codes.encode(number, value); }
};

template <typename Cells>
BasicDataset<typename Cells::Element> read_file(const std::string& path, const CsvOptions& options,
                                                std::size_t block_bytes, const Cells& cells) {
  check_regular_file(path);
  const DataFile file(path);
  FileLines lines(file, path, std::max<std::size_t>(block_bytes, 1));
  return parse_lines(lines, path, options, cells);
}

}  // namespace

Dataset parse_csv(const std::string& text, const std::string& origin, const CsvOptions& options) {
  TextLines lines(text, origin);
  return parse_lines(lines, origin, options, Float64Cells{});
}

CodedDataset parse_csv_coded(const std::string& text, const std::string& origin, const CsvOptions& options,
                             DecimalCodes& codes) {
  TextLines lines(text, origin);
  return parse_lines(lines, origin, options, CodedCells{codes});
}

Dataset read_csv(const std::string& path, const CsvOptions& options) { return read_csv(path, options, kCsvBlockBytes); }

Dataset read_csv(const std::string& path, const CsvOptions& options, std::size_t block_bytes) {
  return read_file(path, options, block_bytes, Float64Cells{});
}

CodedDataset read_csv_coded(const std::string& path, const CsvOptions& options, DecimalCodes& codes,
                            std::size_t block_bytes) {
  return read_file(path, options, block_bytes, CodedCells{codes});
}

}  // namespace hpsweep::data
