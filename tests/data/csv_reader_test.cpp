#include "hpsweep/data/csv_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/text.hpp"
#include "test_util.hpp"

namespace hpsweep::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::message_of;
using testing::TempDir;

std::vector<double> targets(const Dataset& d) { return {d.target.begin(), d.target.end()}; }

CsvOptions target_named(const std::string& name) {
  CsvOptions options;
  options.target = name;
  return options;
}

/// Options of a validation file whose task and classes come from the training file.
CsvOptions fixed_by_training(Task task, std::vector<double> classes) {
  CsvOptions options;
  options.task = task;
  options.classes = std::move(classes);
  return options;
}

/// The DataError message of parsing `text` as "bad.csv".
std::string csv_error(const std::string& text, const CsvOptions& options = {}) {
  return message_of<core::DataError>([&] { (void)parse_csv(text, "bad.csv", options); });
}

TEST(ReadCsv, ReadsSmallFileWithTargetInLastColumn) {
  const TempDir dir;
  const std::string path = dir.write("small.csv", "a,b,y\n1,2,0\n3,4.5,1\n-1,0,1\n");
  const Dataset d = read_csv(path, {});
  ASSERT_EQ(d.num_features(), 2);
  ASSERT_EQ(d.num_samples(), 3);
  // features x samples: column i is row i of the file.
  EXPECT_EQ(d.features(0, 0), 1);
  EXPECT_EQ(d.features(1, 0), 2);
  EXPECT_EQ(d.features(0, 1), 3);
  EXPECT_EQ(d.features(1, 1), 4.5);
  EXPECT_EQ(d.features(0, 2), -1);
  EXPECT_EQ(d.features(1, 2), 0);
  EXPECT_THAT(targets(d), ElementsAre(0, 1, 1));
  EXPECT_THAT(d.feature_names, ElementsAre("a", "b"));
  EXPECT_EQ(d.target_name, "y");
  EXPECT_EQ(d.task, Task::kBinary);
  EXPECT_THAT(d.class_values, ElementsAre(0, 1));
  EXPECT_EQ(d.origin, path);
}

TEST(ParseCsv, TargetColumnByName) {
  const Dataset d = parse_csv("y,a,b\n0,1,2\n1,3,4\n", "mem.csv", target_named("y"));
  EXPECT_THAT(d.feature_names, ElementsAre("a", "b"));
  EXPECT_EQ(d.target_name, "y");
  EXPECT_THAT(targets(d), ElementsAre(0, 1));
  ASSERT_EQ(d.num_features(), 2);
  EXPECT_EQ(d.features(0, 0), 1);
  EXPECT_EQ(d.features(1, 0), 2);
  EXPECT_EQ(d.features(0, 1), 3);
  EXPECT_EQ(d.features(1, 1), 4);
}

TEST(ParseCsv, TargetColumnInTheMiddle) {
  const Dataset d = parse_csv("a,y,b\n1,0,2\n3,1,4\n", "mem.csv", target_named("y"));
  EXPECT_THAT(d.feature_names, ElementsAre("a", "b"));
  EXPECT_EQ(d.features(0, 1), 3);
  EXPECT_EQ(d.features(1, 1), 4);
  EXPECT_THAT(targets(d), ElementsAre(0, 1));
}

TEST(ParseCsv, ToleratesSpacesQuotesCrlfAndBlankLines) {
  const Dataset d =
      parse_csv("\n\"a\", b ,y\r\n 1, +2,0\r\n\r\n3,1e-3 ,1\r\n  \n-2.5E2,4,1", "mem.csv", {});
  EXPECT_THAT(d.feature_names, ElementsAre("a", "b"));
  EXPECT_EQ(d.target_name, "y");
  ASSERT_EQ(d.num_samples(), 3);
  EXPECT_EQ(d.features(1, 0), 2);
  EXPECT_EQ(d.features(1, 1), 1e-3);
  EXPECT_EQ(d.features(0, 2), -250);
  EXPECT_THAT(targets(d), ElementsAre(0, 1, 1));
}

TEST(ParseCsv, InfersMulticlassWithRanksOfSortedLabels) {
  const Dataset d = parse_csv("a,y\n0,7\n1,3\n2,5\n3,3\n", "mem.csv", {});
  EXPECT_EQ(d.task, Task::kMulticlass);
  EXPECT_THAT(targets(d), ElementsAre(2, 0, 1, 0));
  EXPECT_THAT(d.class_values, ElementsAre(3, 5, 7));
  EXPECT_EQ(d.num_outputs(), 3);
}

TEST(ParseCsv, InfersRegressionForNonIntegers) {
  const Dataset d = parse_csv("a,y\n0,0.5\n1,1\n2,2.25\n", "mem.csv", {});
  EXPECT_EQ(d.task, Task::kRegression);
  EXPECT_THAT(targets(d), ElementsAre(0.5, 1, 2.25));
  EXPECT_TRUE(d.class_values.empty());
}

TEST(ParseCsv, GivenTaskOverridesInference) {
  CsvOptions options;
  options.task = Task::kRegression;
  const Dataset d = parse_csv("a,y\n0,0\n1,1\n", "mem.csv", options);
  EXPECT_EQ(d.task, Task::kRegression);
  EXPECT_TRUE(d.class_values.empty());
  options.task = Task::kMulticlass;
  const Dataset m = parse_csv("a,y\n0,0\n1,1\n", "mem.csv", options);
  EXPECT_EQ(m.task, Task::kMulticlass);
  EXPECT_EQ(m.num_outputs(), 2);
}

TEST(ReadCsv, MissingFileNamesThePath) {
  const TempDir dir;
  const std::string path = dir.file("no_such.csv");
  const std::string msg = message_of<core::DataError>([&] { (void)read_csv(path, {}); });
  EXPECT_THAT(msg, HasSubstr("'" + path + "'"));
}

TEST(ReadCsv, EmptyFileNamesThePath) {
  const TempDir dir;
  const std::string path = dir.write("empty.csv", "");
  const std::string msg = message_of<core::DataError>([&] { (void)read_csv(path, {}); });
  EXPECT_THAT(msg, HasSubstr(path + ": the file is empty"));
}

TEST(ParseCsv, BlankTextIsEmpty) {
  EXPECT_THAT(csv_error(""), HasSubstr("bad.csv: the file is empty"));
  EXPECT_THAT(csv_error("\n  \n\t\r\n"), HasSubstr("bad.csv: the file is empty"));
}

TEST(ParseCsv, HeaderOnlyHasNoDataRows) {
  EXPECT_THAT(csv_error("a,b,y\n"), HasSubstr("bad.csv: no data rows"));
  EXPECT_THAT(csv_error("a,b,y\n\n \n"), HasSubstr("bad.csv: no data rows"));
}

TEST(ParseCsv, SingleColumnHeaderIsRejected) {
  EXPECT_THAT(csv_error("y\n1\n0\n"), HasSubstr("bad.csv:1: the header has one column"));
}

TEST(ParseCsv, MissingTargetColumnListsTheColumns) {
  const std::string msg = csv_error("a,b,y\n1,2,0\n", target_named("label"));
  EXPECT_THAT(msg, HasSubstr("bad.csv:1:"));
  EXPECT_THAT(msg, HasSubstr("no column named 'label'"));
  EXPECT_THAT(msg, HasSubstr("the columns are: a, b, y"));
}

TEST(ParseCsv, MissingTargetColumnNamesTheHeaderLine) {
  EXPECT_THAT(csv_error("\n\na,b,y\n1,2,0\n", target_named("label")), HasSubstr("bad.csv:3:"));
}

TEST(ParseCsv, RaggedRowNamesTheLine) {
  EXPECT_THAT(csv_error("a,b,y\n1,2,0\n1,2\n"),
              HasSubstr("bad.csv:3: 2 cells, but the header has 3 columns"));
  EXPECT_THAT(csv_error("a,b,y\n1,2,0\n1,2,0,4\n"),
              HasSubstr("bad.csv:3: 4 cells, but the header has 3 columns"));
}

TEST(ParseCsv, LineNumbersCountBlankLines) {
  EXPECT_THAT(csv_error("a,b,y\n\n1,2,0\n\n1,2\n"), HasSubstr("bad.csv:5:"));
}

TEST(ParseCsv, NonNumericCellNamesLineColumnAndName) {
  const std::string msg = csv_error("a,b,y\n1,2,0\n1,abc,1\n");
  EXPECT_THAT(msg, HasSubstr("bad.csv:3: column 2 ('b')"));
  EXPECT_THAT(msg, HasSubstr("not a number: 'abc'"));
  EXPECT_THAT(csv_error("a,b,y\n1,2,0\n1,2x,1\n"), HasSubstr("not a number: '2x'"));
  EXPECT_THAT(csv_error("a,b,y\n1,2,0\n1,+,1\n"), HasSubstr("not a number: '+'"));
}

TEST(ParseCsv, NonNumericTargetIsRejected) {
  EXPECT_THAT(csv_error("a,b,y\n1,2,yes\n"), HasSubstr("bad.csv:2: column 3 ('y'): not a number: 'yes'"));
}

TEST(ParseCsv, NanAndInfCellsAreRejected) {
  for (const std::string cell : {"nan", "NaN", "inf", "-inf", "Infinity"}) {
    const std::string msg = csv_error("a,b,y\n1,2,0\n1," + cell + ",1\n");
    EXPECT_THAT(msg, HasSubstr("bad.csv:3: column 2 ('b'): " + cell + " is not allowed")) << cell;
    EXPECT_THAT(msg, HasSubstr("finite")) << cell;
  }
}

TEST(ParseCsv, EmptyCellIsRejected) {
  EXPECT_THAT(csv_error("a,b,y\n1,2,0\n1,,1\n"), HasSubstr("bad.csv:3: column 2 ('b'): empty cell"));
  EXPECT_THAT(csv_error("a,b,y\n1,2,\n"), HasSubstr("bad.csv:2: column 3 ('y'): empty cell"));
  EXPECT_THAT(csv_error("a,b,y\n1, ,0\n"), HasSubstr("bad.csv:2: column 2 ('b'): empty cell"));
}

TEST(ParseCsv, SingleClassIsRejected) {
  const std::string msg = csv_error("a,y\n1,1\n2,1\n3,1\n");
  EXPECT_THAT(msg, HasSubstr("bad.csv"));
  EXPECT_THAT(msg, HasSubstr("'y'"));
  EXPECT_THAT(msg, HasSubstr("single class"));
  EXPECT_THAT(csv_error("a,y\n1,4\n2,4\n"), HasSubstr("single class"));
}

TEST(ParseCsv, ValidationLabelOutsideTrainingClassesIsRejected) {
  const CsvOptions val_options = fixed_by_training(Task::kBinary, {0, 1});
  const std::string msg = message_of<core::DataError>(
      [&] { (void)parse_csv("a,y\n1,0\n2,1\n3,2\n", "val.csv", val_options); });
  EXPECT_THAT(msg, HasSubstr("val.csv"));
  EXPECT_THAT(msg, HasSubstr("label 2"));
  EXPECT_THAT(msg, HasSubstr("not a class of the training data"));
}

TEST(ParseCsv, ValidationWithTrainingClassesUsesTheirIndices) {
  // The validation file holds only two of the three training classes; indices follow training.
  const CsvOptions val_options = fixed_by_training(Task::kMulticlass, {3, 5, 7});
  const Dataset d = parse_csv("a,y\n1,7\n2,7\n3,5\n", "val.csv", val_options);
  EXPECT_THAT(targets(d), ElementsAre(2, 2, 1));
  EXPECT_THAT(d.class_values, ElementsAre(3, 5, 7));
}

// ---- Reading files in blocks ----------------------------------------------------------------------

const std::string kBom = "\xEF\xBB\xBF";  // UTF-8 byte-order mark

/// Block sizes for read_csv: tiny ones put every line and most cells across block boundaries; 0 is
/// the default 4 MiB (a different overload).
const std::size_t kBlockSizes[] = {1, 2, 3, 7, 64, 4096, 0};

Dataset read_in_blocks(const std::string& path, std::size_t block_bytes, const CsvOptions& options = {}) {
  return block_bytes == 0 ? read_csv(path, options) : read_csv(path, options, block_bytes);
}

/// The data set with its codes decoded.
Dataset decoded(CodedDataset&& coded, const DecimalCodes& codes) {
  Dataset d;
  codes.decode(coded.features, d.features);
  move_all_but_features(std::move(coded), d);
  return d;
}

Dataset read_coded(const std::string& path, std::size_t block_bytes, const CsvOptions& options = {}) {
  DecimalCodes codes;
  return decoded(block_bytes == 0 ? read_csv_coded(path, options, codes) : read_csv_coded(path, options, codes, block_bytes),
                 codes);
}

std::uint64_t bits(double value) {
  std::uint64_t b = 0;
  std::memcpy(&b, &value, sizeof b);
  return b;
}

/// Same data set, the features compared bit for bit.
void expect_same(const Dataset& actual, const Dataset& expected) {
  ASSERT_EQ(actual.features.rows(), expected.features.rows());
  ASSERT_EQ(actual.features.cols(), expected.features.cols());
  for (Eigen::Index i = 0; i < actual.features.size(); ++i) {
    ASSERT_EQ(bits(actual.features.data()[i]), bits(expected.features.data()[i])) << "value " << i;
  }
  EXPECT_EQ(targets(actual), targets(expected));
  EXPECT_EQ(actual.feature_names, expected.feature_names);
  EXPECT_EQ(actual.target_name, expected.target_name);
  EXPECT_EQ(actual.task, expected.task);
  EXPECT_EQ(actual.class_values, expected.class_values);
  EXPECT_EQ(actual.origin, expected.origin);
}

/// `columns` features of `digits`-long values and a 0/1 target: rows far longer than the small blocks.
std::string wide_csv(int columns, int rows, int digits) {
  std::string text;
  for (int c = 0; c < columns; ++c) text += "f" + std::to_string(c) + ",";
  text += "y\n";
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      text += (r + c) % 3 ? "-0." : "1.";
      for (int d = 0; d < digits; ++d) text += static_cast<char>('0' + (r * 7 + c * 3 + d) % 10);
      text += ((r + c) % 5 ? "" : "e-7");
      text += ",";
    }
    text += std::to_string(r % 2) + "\n";
  }
  return text;
}

/// Texts of every form the reader accepts.
std::vector<std::string> accepted_texts() {
  return {
      "a,b,y\n1,2,0\n3,4.5,1\n-1,0,1\n",
      // BOM, quotes, spaces, '+', CRLF, blank lines before the header and between rows, no final newline.
      "\xEF\xBB\xBF\n\"a\", b ,y\r\n 1, +2,0\r\n\r\n3,1e-3 ,1\r\n  \n-2.5E2,4,1",
      // Blank lines (spaces, tabs, CR) between rows and at the end.
      "a,b,y\n1,2,0\n\n3,4,1\n \t\r\n\n5,6,0\n\n  \n\n",
      // CRLF with a final CRLF.
      "a,b,y\r\n1,2,0\r\n3,4,1\r\n",
      kBom + "a,b,y\n1,2,0\n3,4,1",
      // Lines of ~900 bytes: longer than every small block (17-digit values: DecimalCodes' side table).
      wide_csv(40, 25, 17),
      // Short decimals (DecimalCodes' codes).
      wide_csv(30, 40, 6),
      wide_csv(30, 40, 9),
  };
}

// Both readers, float64 and coded (a float32 sweep holds a CSV's features as codes until it
// standardizes them), read what parse_csv reads, to the bit, whatever the cells' form and the blocks.
TEST(ReadCsv, AnyBlockSizeReadsWhatParseCsvReadsAsFloat64OrCodes) {
  const std::vector<std::string> texts = accepted_texts();
  const TempDir dir;
  for (std::size_t t = 0; t < texts.size(); ++t) {
    const std::string path = dir.write("blocks" + std::to_string(t) + ".csv", texts[t]);
    const Dataset expected = parse_csv(texts[t], path, {});
    for (const std::size_t block : kBlockSizes) {
      SCOPED_TRACE("text " + std::to_string(t) + ", block " + std::to_string(block));
      expect_same(read_in_blocks(path, block), expected);
      expect_same(read_coded(path, block), expected);
    }
    DecimalCodes codes;
    expect_same(decoded(parse_csv_coded(texts[t], path, {}, codes), codes), expected);
  }
}

TEST(ReadCsv, ByteOrderMarkCrlfAndMissingFinalNewline) {
  const TempDir dir;
  const std::string path = dir.write("bom.csv", kBom + "a,b,y\r\n1,2,0\r\n\r\n3,4,1");
  for (const std::size_t block : kBlockSizes) {
    SCOPED_TRACE("block " + std::to_string(block));
    const Dataset d = read_in_blocks(path, block);
    EXPECT_THAT(d.feature_names, ElementsAre("a", "b"));
    EXPECT_EQ(d.target_name, "y");
    ASSERT_EQ(d.num_samples(), 2);
    EXPECT_EQ(d.features(0, 1), 3);
    EXPECT_EQ(d.features(1, 1), 4);
    EXPECT_THAT(targets(d), ElementsAre(0, 1));
  }
}

TEST(ReadCsv, TargetColumnAndOptionalTargetInBlocks) {
  const std::string text = "a,y,b\n1,0,2\n\n3,1,4\n";
  const TempDir dir;
  const std::string path = dir.write("target.csv", text);
  CsvOptions optional = target_named("label");
  optional.target_optional = true;
  CsvOptions validation = fixed_by_training(Task::kBinary, {0.0, 1.0});  // a validation file's
  validation.target = "y";
  for (const CsvOptions& options : {target_named("y"), optional, validation}) {
    const Dataset expected = parse_csv(text, path, options);
    for (const std::size_t block : kBlockSizes) {
      expect_same(read_in_blocks(path, block, options), expected);
      expect_same(read_coded(path, block, options), expected);
    }
  }
  EXPECT_EQ(read_csv(path, optional, 3).num_features(), 3);
  EXPECT_EQ(read_csv(path, optional, 3).num_outputs(), 1);
}

TEST(ReadCsv, ErrorsNameTheLineAndColumnWhateverTheBlocks) {
  // Each bad cell or row lands across block boundaries for some of the block sizes. The coded
  // reader gives the same messages.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a,b,y\n1,2,0\n\n1,abcdefgh,1\n", ":4: column 2 ('b'): not a number: 'abcdefgh'"},
      {"a,b,y\r\n1,2,0\r\n1,2,nan\r\n", ":3: column 3 ('y'): nan is not allowed"},
      {"a,b,y\n1,2,0\n1,2\n", ":3: 2 cells, but the header has 3 columns"},
      {"a,b,y\n1,2,0\n1,2,0,\n", ":3: 4 cells, but the header has 3 columns"},
      {"a,b,y\n1,abc\n", ":2: 2 cells, but the header has 3 columns"},
      {"a,b,y\n1, ,0\n", ":2: column 2 ('b'): empty cell"},
      {"a,b,y\n1,2,\n", ":2: column 3 ('y'): empty cell"},
      {"a,b,y\n1,\"2,0\n", ":2: column 2 ('b'): not a number: '\"2' (a quoted field"},
      {"a,b,y\n1,1e400,0\n", ":2: column 2 ('b'): not a number: '1e400'"},
      {"\n\na,a,y\n1,2,0\n", ":3: columns 1 and 2 are both named 'a'"},
      {"\n\"a,b\",y\n1,2,0\n", ":2: the column name \"a is quoted across a comma"},
      {"y\n1\n", ":1: the header has one column"},
      {"a,y\n\n \n", ": no data rows after the header"},
      {" \n\t\r\n", ": the file is empty"},
      {"\xEF\xBB\xBF", ": the file is empty"},
      {"a,y\r1,0\r0,1\r", ": the lines end with CR alone"},
      {"\xEF\xBB\xBF\r", ": the lines end with CR alone"},
      {"a,y\n1,4\n2,4\n", " (target column 'y'): the target has a single class"},
      {"a,b,y\r\n1,2,0\r\n1,nan,0\r\n", ":3: column 2 ('b'): nan is not allowed"},
  };
  const TempDir dir;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string& text = cases[i].first;  // not a structured binding: lambdas capture it (clang 15)
    const std::string& expected = cases[i].second;
    const std::string path = dir.write("bad" + std::to_string(i) + ".csv", text);
    const std::string from_text = message_of<core::DataError>([&] { (void)parse_csv(text, path, {}); });
    EXPECT_THAT(from_text, HasSubstr(path + expected)) << "case " << i;
    for (const std::size_t block : kBlockSizes) {
      const std::string from_file = message_of<core::DataError>([&] { (void)read_in_blocks(path, block); });
      EXPECT_EQ(from_file, from_text) << "case " << i << ", block " << block;
      const std::string from_codes = message_of<core::DataError>([&] { (void)read_coded(path, block); });
      EXPECT_EQ(from_codes, from_text) << "case " << i << ", block " << block << ", coded";
    }
  }
}

TEST(ReadCsv, LineLongerThanTheBlockIsRead) {
  // One 3000-byte header name and one 3000-digit-ish row: 1000 blocks of 3 bytes for one line.
  const std::string name(3000, 'n');
  const std::string text = "a," + name + "\n0." + std::string(2998, '5') + ",1\n2,0\n";
  const TempDir dir;
  const std::string path = dir.write("long.csv", text);
  for (const std::size_t block : {std::size_t{3}, std::size_t{1000}, std::size_t{2999}}) {
    const Dataset d = read_csv(path, {}, block);
    EXPECT_EQ(d.target_name, std::string(name.substr(0, 4096)));
    ASSERT_EQ(d.num_samples(), 2);
    EXPECT_EQ(d.features(0, 0), std::strtod(("0." + std::string(2998, '5')).c_str(), nullptr));
    EXPECT_THAT(targets(d), ElementsAre(1, 0));
  }
}

TEST(ReadCsv, LineOverTheCapNamesItsLine) {
  const TempDir dir;
  const std::string path = dir.write("huge_line.csv", "a,y\n1,0\n" + std::string((std::size_t{64} << 20) + 10, '7'));
  const std::string msg = message_of<core::DataError>([&] { (void)read_csv(path, {}); });
  EXPECT_THAT(msg, HasSubstr(path + ":3: a line longer than 64 MiB"));
}

TEST(ReadCsv, CrAloneOverTheLineCapIsStillCrAlone) {
  // Without a single LF the whole file is one line: the message is about the line ends, as for parse_csv.
  const std::string text = "a,y\r" + std::string((std::size_t{64} << 20) + 10, '7') + "\r1,0\r";
  const TempDir dir;
  const std::string path = dir.write("cr_alone.csv", text);
  const std::string msg = message_of<core::DataError>([&] { (void)read_csv(path, {}); });
  EXPECT_EQ(msg, message_of<core::DataError>([&] { (void)parse_csv(text, path, {}); }));
  EXPECT_THAT(msg, HasSubstr("the lines end with CR alone"));
}

TEST(ReadCsv, FollowsSymbolicLinks) {
  // Data files are often links into a shared data set.
  const TempDir dir;
  const std::string path = dir.write("real.csv", "a,y\n1,0\n2,1\n");
  const std::string link = dir.file("link.csv");
  std::filesystem::create_symlink(path, link);
  const Dataset d = read_csv(link, {});
  EXPECT_EQ(d.num_samples(), 2);
  EXPECT_EQ(d.origin, link);
}

TEST(ReadCsv, DirectoryIsNotADataFile) {
  const TempDir dir;
  const std::string msg = message_of<core::DataError>([&] { (void)read_csv(dir.path().string(), {}); });
  EXPECT_THAT(msg, HasSubstr("is not a regular file"));
}

// ---- Numbers -------------------------------------------------------------------------------------

TEST(ParseCsv, ValuesAreCorrectlyRoundedLikeStrtod) {
  // 2.47...28e-324 is just above half the least subnormal (rounds up to it); 1.00...125 is halfway
  // between 1 and the next double (rounds to even: 1), 1.00...126 just above it.
  std::vector<std::string> cells = {"0.1",
                                    "2.2250738585072014e-308",
                                    "1.7976931348623157e308",
                                    "9007199254740993",
                                    "4.9406564584124654e-324",
                                    "2.4703282292062328e-324",
                                    "-0",
                                    "1e23",
                                    "0.30000000000000004",
                                    "123456789012345678901234567890",
                                    "8.98846567431158e307",
                                    "7.2057594037927933e16",
                                    "-1.5e-310",
                                    "+3.25",
                                    "0.1234567",
                                    "-9.876543e-05",
                                    "1e-320",
                                    "0e999"};
  const std::string one = "1.000000000000000111022302462515654042363166809082031";
  cells.push_back(one + "25");
  cells.push_back(one + "26");
  std::string text = "x,y\n";
  for (std::size_t i = 0; i < cells.size(); ++i) text += cells[i] + "," + std::to_string(i % 2) + "\n";
  const TempDir dir;
  const std::string path = dir.write("rounding.csv", text);
  std::vector<Dataset> read = {parse_csv(text, "mem.csv", {})};
  for (const std::size_t block : kBlockSizes) read.push_back(read_in_blocks(path, block));
  for (const Dataset& d : read) {
    ASSERT_EQ(d.num_samples(), static_cast<Eigen::Index>(cells.size()));
    for (std::size_t i = 0; i < cells.size(); ++i) {
      EXPECT_EQ(bits(d.features(0, static_cast<Eigen::Index>(i))), bits(std::strtod(cells[i].c_str(), nullptr)))
          << cells[i] << " from " << d.origin;
    }
  }
}

/// What the reader made of a cell before it used fast_float (std::from_chars), in the words of its
/// messages: the value's bits, or the message after "file:line: column 1 ('x'): " up to ';'.
std::string from_chars_outcome(const std::string& cell) {
  if (cell.empty()) return "empty cell";
  const char* first = cell.data();
  const char* const last = first + cell.size();
  if (*first == '+') ++first;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last) return "not a number: '" + core::excerpt(cell) + "'";
  if (!std::isfinite(value)) return core::excerpt(cell) + " is not allowed";
  return std::to_string(bits(value));
}

std::string parse_csv_outcome(const std::string& cell) {
  try {
    const Dataset d = parse_csv("x,y\n" + cell + ",0\n1,1\n", "cell.csv", {});
    return std::to_string(bits(d.features(0, 0)));
  } catch (const core::DataError& e) {
    const std::string message = e.what();
    const std::string place = "cell.csv:2: column 1 ('x'): ";
    if (!message.starts_with(place)) return message;
    return message.substr(place.size(), message.find(';') - place.size());
  }
}

/// A number-like cell: signs, digits, '.', exponents far out of range, and now and then a stray character.
std::string random_cell(std::mt19937_64& rng) {
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const char* const signs[] = {"", "", "", "-", "+", "+-", "--"};
  const char* const specials[] = {"inf", "Infinity", "nan", "NAN(1_a)", "nan(", "infin", "iNf", "."};
  std::string cell = signs[pick(7)];
  if (pick(10) == 0) return cell + specials[pick(8)];
  const int digits = pick(4) == 0 ? pick(40) : pick(10);
  for (int i = 0; i < digits; ++i) cell += static_cast<char>('0' + (pick(3) == 0 ? 0 : pick(10)));
  if (pick(2) == 0) cell += '.';
  for (int i = pick(8); i > 0; --i) cell += static_cast<char>('0' + pick(10));
  if (pick(2) == 0)
    cell += std::string(pick(2) ? "e" : "E") + signs[pick(5)] + std::to_string(pick(3) ? pick(400) : pick(100000));
  if (pick(8) == 0)
    cell.insert(static_cast<std::size_t>(pick(static_cast<int>(cell.size()) + 1)), 1, "x.e-+_()i"[pick(9)]);
  return cell;
}

TEST(ParseCsv, CellsReadAsStdFromCharsReadThem) {
  // fast_float and libstdc++'s std::from_chars round the same; from_chars also reports overflow to
  // infinity and underflow to zero as out of range, which the reader keeps as "not a number".
  std::vector<std::string> fixed = {"",
                                    "1e400",
                                    "-1e400",
                                    "1e-400",
                                    "-1e-400",
                                    "0e400",
                                    "0.0e-999",
                                    "1e",
                                    "1e+",
                                    ".",
                                    ".5",
                                    "5.",
                                    "-.5e-3",
                                    "2.4703282292062327e-324",
                                    "1.7976931348623158e308",
                                    "1.7976931348623159e308",
                                    "inf",
                                    "-inf",
                                    "Infinity",
                                    "nan",
                                    "nan(123)",
                                    "nan(",
                                    "nan()",
                                    "-nan",
                                    "+inf",
                                    "++1",
                                    "+-1",
                                    "-+1",
                                    "0x10",
                                    "1_000",
                                    "00000000000000000000001",
                                    "1e99999999999999999999",
                                    "0e99999999999999999999",
                                    "1e-99999999999999999999"};
  fixed.push_back("0." + std::string(64, '0') + "1e-300");  // underflows
  fixed.push_back(std::string(401, '9'));                   // overflows
  for (const std::string& cell : fixed) EXPECT_EQ(parse_csv_outcome(cell), from_chars_outcome(cell)) << cell;
  const std::uint64_t seed = 20240601;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 3000; ++i) {
    const std::string cell = random_cell(rng);
    ASSERT_EQ(parse_csv_outcome(cell), from_chars_outcome(cell))
        << "cell '" << cell << "' (seed " << seed << ", case " << i << ")";
  }
}

// ---- Reading features as DecimalCodes --------------------------------------------------------------

std::string parse_csv_coded_outcome(const std::string& cell) {
  try {
    DecimalCodes codes;
    const Dataset d = decoded(parse_csv_coded("x,y\n" + cell + ",0\n1,1\n", "cell.csv", {}, codes), codes);
    return std::to_string(bits(d.features(0, 0)));
  } catch (const core::DataError& e) {
    const std::string message = e.what();
    const std::string place = "cell.csv:2: column 1 ('x'): ";
    if (!message.starts_with(place)) return message;
    return message.substr(place.size(), message.find(';') - place.size());
  }
}

TEST(ParseCsvCoded, CellsReadAsParseCsvReadsThem) {
  std::vector<std::string> cells = {"", "1e400", "1e-400", "0e400", "1e", ".", ".5", "5.", "-.5e-3", "inf", "nan",
                                    "+inf", "++1", "+1.25", " -2.5 ", "\"3\"", "0x10", "1e-320", "-0", "-0.0e7",
                                    "134217727", "134217728", "0.00000000000001", "1e-15", "1.5e3"};
  std::mt19937_64 rng(20261206);
  for (int i = 0; i < 3000; ++i) cells.push_back(random_cell(rng));
  for (const std::string& cell : cells) ASSERT_EQ(parse_csv_coded_outcome(cell), parse_csv_outcome(cell)) << "cell '" << cell << "'";
}

// Text that is not short decimals is refused as such (the caller then reads it as float64).
TEST(ReadCsvCoded, SeventeenDigitValuesAreNotCompact) {
  const TempDir dir;
  const std::string path = dir.write("long.csv", wide_csv(40, 200, 17));
  DecimalCodes codes;
  EXPECT_THROW((void)read_csv_coded(path, {}, codes), DecimalCodes::NotCompact);
}

}  // namespace
}  // namespace hpsweep::data
