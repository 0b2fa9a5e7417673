#include "hpsweep/data/csv_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hpsweep/core/error.hpp"
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

}  // namespace
}  // namespace hpsweep::data
