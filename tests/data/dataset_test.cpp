#include "hpsweep/data/dataset.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hpsweep/core/error.hpp"

namespace hpsweep::data {
namespace {

using ::testing::HasSubstr;

TEST(TaskName, RoundTripsThroughParseTask) {
  for (Task task : {Task::kBinary, Task::kMulticlass, Task::kRegression}) {
    EXPECT_EQ(parse_task(task_name(task)), task) << task_name(task);
  }
  EXPECT_STREQ(task_name(Task::kBinary), "binary");
  EXPECT_STREQ(task_name(Task::kMulticlass), "multiclass");
  EXPECT_STREQ(task_name(Task::kRegression), "regression");
}

TEST(ParseTask, RejectsUnknownNameWithConfigError) {
  try {
    (void)parse_task("classification");
    FAIL() << "expected ConfigError";
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'classification'"));
    EXPECT_EQ(e.code(), core::ExitCode::kConfig);
  }
}

TEST(Dataset, SubsetTakesColumnsInGivenOrderAndKeepsMetadata) {
  Dataset d;
  d.features.resize(2, 4);
  d.features << 0, 1, 2, 3,  //
      10, 11, 12, 13;
  d.target.resize(4);
  d.target << 0, 1, 2, 1;
  d.feature_names = {"a", "b"};
  d.target_name = "y";
  d.task = Task::kMulticlass;
  d.class_values = {3.0, 5.0, 7.0};
  d.origin = "mem.csv";

  const Dataset s = d.subset({3, 0});
  ASSERT_EQ(s.num_samples(), 2);
  ASSERT_EQ(s.num_features(), 2);
  EXPECT_EQ(s.features(0, 0), 3);
  EXPECT_EQ(s.features(1, 0), 13);
  EXPECT_EQ(s.features(0, 1), 0);
  EXPECT_EQ(s.features(1, 1), 10);
  EXPECT_EQ(s.target(0), 1);
  EXPECT_EQ(s.target(1), 0);
  EXPECT_EQ(s.feature_names, d.feature_names);
  EXPECT_EQ(s.target_name, "y");
  EXPECT_EQ(s.task, Task::kMulticlass);
  EXPECT_EQ(s.class_values, d.class_values);
  EXPECT_EQ(s.origin, "mem.csv");
  EXPECT_EQ(s.num_outputs(), 3);

  const Dataset empty = d.subset({});
  EXPECT_EQ(empty.num_samples(), 0);
  EXPECT_EQ(empty.num_features(), 2);
}

TEST(Dataset, NumOutputsIsOneForBinaryAndRegression) {
  Dataset d;
  d.task = Task::kBinary;
  d.class_values = {0.0, 1.0};
  EXPECT_EQ(d.num_classes(), 2);
  EXPECT_EQ(d.num_outputs(), 1);
  d.task = Task::kRegression;
  d.class_values.clear();
  EXPECT_EQ(d.num_outputs(), 1);
}

}  // namespace
}  // namespace hpsweep::data
