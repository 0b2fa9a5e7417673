#include "hpsweep/data/labels.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hpsweep/core/error.hpp"

namespace hpsweep::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<double> targets(const Dataset& d) { return {d.target.begin(), d.target.end()}; }

Dataset named(const std::string& origin) {
  Dataset d;
  d.origin = origin;
  d.target_name = "label";
  return d;
}

TEST(InferTask, TwoIntegerLabelsAreBinary) {
  EXPECT_EQ(infer_task({0, 1, 1, 0}), Task::kBinary);
  EXPECT_EQ(infer_task({1, 2, 2, 1}), Task::kBinary);
  EXPECT_EQ(infer_task({-1, 1, 1}), Task::kBinary);
}

TEST(InferTask, SmallNonNegativeIntegersAreMulticlass) {
  EXPECT_EQ(infer_task({0, 1, 2}), Task::kMulticlass);
  EXPECT_EQ(infer_task({7, 3, 5, 3}), Task::kMulticlass);
}

TEST(InferTask, NonIntegersNegativesAndManyValuesAreRegression) {
  EXPECT_EQ(infer_task({0.5, 1.0, 2.0}), Task::kRegression);
  EXPECT_EQ(infer_task({-1, 0, 1}), Task::kRegression);
  std::vector<double> many;
  for (std::size_t i = 0; i <= kMaxInferredClasses; ++i) many.push_back(static_cast<double>(i));
  EXPECT_EQ(infer_task(many), Task::kRegression);
  many.pop_back();
  EXPECT_EQ(infer_task(many), Task::kMulticlass);
}

TEST(AssignTargets, ClassIndicesAreRanksOfSortedLabels) {
  Dataset d = named("mem");
  assign_targets(d, {7, 3, 5, 3}, Task::kMulticlass, std::nullopt);
  EXPECT_EQ(d.task, Task::kMulticlass);
  EXPECT_THAT(targets(d), ElementsAre(2, 0, 1, 0));
  EXPECT_THAT(d.class_values, ElementsAre(3, 5, 7));
}

TEST(AssignTargets, RegressionKeepsRawValuesAndNoClasses) {
  Dataset d = named("mem");
  d.class_values = {1.0};  // stale, must be cleared
  assign_targets(d, {0.5, -2.0, 3.25}, Task::kRegression, std::nullopt);
  EXPECT_THAT(targets(d), ElementsAre(0.5, -2.0, 3.25));
  EXPECT_TRUE(d.class_values.empty());
}

TEST(AssignTargets, GivenClassesFixTheIndices) {
  Dataset d = named("val.csv");
  assign_targets(d, {5, 5}, Task::kMulticlass, std::vector<double>{3, 5, 7});
  EXPECT_THAT(targets(d), ElementsAre(1, 1));
  EXPECT_THAT(d.class_values, ElementsAre(3, 5, 7));
}

TEST(AssignTargets, RejectsLabelOutsideGivenClasses) {
  Dataset d = named("val.csv");
  try {
    assign_targets(d, {0, 1, 2}, Task::kBinary, std::vector<double>{0, 1});
    FAIL() << "expected DataError";
  } catch (const core::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("val.csv"));
    EXPECT_THAT(e.what(), HasSubstr("'label'"));
    EXPECT_THAT(e.what(), HasSubstr("sample 3 has label 2"));
  }
}

TEST(AssignTargets, RejectsSingleClass) {
  Dataset d = named("one.csv");
  EXPECT_THROW(assign_targets(d, {4, 4, 4}, Task::kMulticlass, std::nullopt), core::DataError);
  try {
    assign_targets(d, {1, 1}, Task::kBinary, std::nullopt);
    FAIL() << "expected DataError";
  } catch (const core::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("one.csv"));
    EXPECT_THAT(e.what(), HasSubstr("single class (1)"));
  }
}

TEST(AssignTargets, RejectsBinaryTaskWithMoreThanTwoClasses) {
  Dataset d = named("three.csv");
  try {
    assign_targets(d, {0, 1, 2}, Task::kBinary, std::nullopt);
    FAIL() << "expected DataError";
  } catch (const core::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("3 classes"));
  }
}

}  // namespace
}  // namespace hpsweep::data
