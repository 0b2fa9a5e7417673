// A program's report lines folded into a trial record: one step per report, NaN where a report
// lacked a metric, the ranked metric's best and last, divergence, and what is left out.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hpsweep/runtime/program_trial.hpp"

namespace hpsweep::runtime {
namespace {

search::Metric metric(const std::string& name, search::Goal goal = search::Goal::kMinimize) {
  search::Metric m;
  m.name = name;
  m.goal = goal;
  m.reported = true;
  return m;
}

const store::ReportedCurve* curve(const store::TrialRecord& r, const std::string& name) {
  for (const auto& c : r.curve.reported) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(ReportFolder, OneStepPerReportWithNaNWhereAReportLackedAMetric) {
  ReportFolder folder(metric("validation_loss"));
  EXPECT_TRUE(folder.add_line("starting", false));
  EXPECT_TRUE(folder.add_line(R"({"epoch": 1, "validation_loss": 0.9, "train_loss": 1.0})", false));
  EXPECT_TRUE(folder.add_line(R"({"epoch": 2, "lr_now": 0.01})", false));
  EXPECT_TRUE(folder.add_line(R"({"epoch": 3, "validation_loss": 0.5, "train_loss": 0.4})", false));
  EXPECT_TRUE(folder.add_line(R"({"epoch": 4, "validation_loss": 0.7, "train_loss": 0.2})", false));
  store::TrialRecord r;
  std::string notes;
  folder.finish(r, notes);
  EXPECT_EQ(r.epochs_run, 4);
  EXPECT_EQ(r.best_metric, 0.5);
  EXPECT_EQ(r.best_epoch, 3);
  EXPECT_EQ(r.final_metric, 0.7);
  ASSERT_EQ(r.curve.train_loss.size(), 4u);  // a built-in name fills the built-in curve
  EXPECT_EQ(r.curve.train_loss[0], 1.0);
  EXPECT_TRUE(std::isnan(r.curve.train_loss[1]));
  EXPECT_EQ(r.curve.val_loss.size(), 4u);
  EXPECT_TRUE(std::isnan(r.curve.val_loss[0]));
  const auto* lr = curve(r, "lr_now");  // first reported at step 2: NaN before and after
  ASSERT_NE(lr, nullptr);
  ASSERT_EQ(lr->values.size(), 4u);
  EXPECT_TRUE(std::isnan(lr->values[0]));
  EXPECT_EQ(lr->values[1], 0.01);
  EXPECT_TRUE(std::isnan(lr->values[3]));
  ASSERT_NE(curve(r, "validation_loss"), nullptr);
  EXPECT_EQ(curve(r, "epoch")->values, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_TRUE(notes.empty()) << notes;
}

TEST(ReportFolder, MaximizedMetricKeepsTheFirstOfEqualBests) {
  ReportFolder folder(metric("accuracy", search::Goal::kMaximize));
  for (const char* line : {R"({"accuracy": 0.6})", R"({"accuracy": 0.8})", R"({"accuracy": 0.8})", R"({"accuracy": 0.7})"}) {
    EXPECT_TRUE(folder.add_line(line, false));
  }
  store::TrialRecord r;
  std::string notes;
  folder.finish(r, notes);
  EXPECT_EQ(r.best_metric, 0.8);
  EXPECT_EQ(r.best_epoch, 2);
  EXPECT_EQ(r.final_metric, 0.7);
}

TEST(ReportFolder, ANonFiniteMetricIsDivergenceAndStopsTheProgram) {
  ReportFolder folder(metric("loss"));
  EXPECT_TRUE(folder.add_line(R"({"loss": 0.5, "other": NaN})", false));  // another metric's NaN is data
  EXPECT_FALSE(folder.diverged());
  EXPECT_FALSE(folder.add_line(R"({"loss": Infinity})", false));
  EXPECT_TRUE(folder.diverged());
  store::TrialRecord r;
  std::string notes;
  folder.finish(r, notes);
  EXPECT_EQ(r.best_metric, 0.5);
  EXPECT_TRUE(std::isinf(r.final_metric));
}

TEST(ReportFolder, WhatCannotBeStoredIsLeftOutWithANote) {
  ReportFolder folder(metric("loss"));
  EXPECT_TRUE(folder.add_line(std::string(100, 'x'), true));       // a cut line is never a report
  EXPECT_TRUE(folder.add_line(R"([1, 2, 3])", false));             // JSON, not an object
  EXPECT_TRUE(folder.add_line(R"({"a/b": 1, "with space": 2, "loss": 3})", false));
  std::string many = "{";
  for (int i = 0; i < kMaxReportedNames + 10; ++i) many += "\"m" + std::to_string(i) + "\": 1, ";
  many += "\"loss\": 2}";
  EXPECT_TRUE(folder.add_line(many, false));
  store::TrialRecord r;
  std::string notes;
  folder.finish(r, notes);
  EXPECT_EQ(r.epochs_run, 2);
  EXPECT_EQ(r.best_metric, 2.0);
  EXPECT_EQ(static_cast<int>(r.curve.reported.size()), kMaxReportedNames);  // loss among them
  EXPECT_NE(notes.find("cut"), std::string::npos) << notes;
  EXPECT_NE(notes.find("not objects"), std::string::npos) << notes;
  EXPECT_NE(notes.find("left out"), std::string::npos) << notes;
}

TEST(ReportFolder, TrialsDirectoryLiesBesideTheResults) {
  EXPECT_EQ(trials_dir_of("out/sweep.h5"), "out/sweep.trials");
  EXPECT_EQ(trials_dir_of("results"), "results.trials");
}

}  // namespace
}  // namespace hpsweep::runtime
