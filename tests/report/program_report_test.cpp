// The report of a program sweep, on a hand-made results set: configurations are scored by the
// metric the program reported (best_metric, final_metric; the trainer's columns are NaN), the page
// names that metric and prints no NaN, and overfitting is judged from the train_loss and val_loss
// curves the program reported, or the page says it needs them.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "hpsweep/report/analysis.hpp"
#include "hpsweep/report/html.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/report/verdict.hpp"

namespace hpsweep::report {
namespace {

using search::TrialStatus;
const double kNaN = std::nan("");

search::SweepSpec program_spec(search::Goal goal = search::Goal::kMinimize) {
  search::SweepSpec spec;
  spec.name = "prog";
  spec.method = search::Method::kRandom;
  spec.metric.name = "loss";
  spec.metric.reported = true;
  spec.metric.goal = goal;
  spec.program = search::ProgramSpec{"train.py",
                                     "/work/train.py",
                                     {"${env}", "${interpreter}", "${program}", "${args}"},
                                     "prog.yaml:2:10"};
  for (const char* name : {"lr", "dropout"}) {  // the program's own parameters, swept
    search::Parameter parameter;
    parameter.name = name;
    spec.parameters.push_back(parameter);
  }
  return spec;
}

/// A trial of a program that reported `loss` (the ranked metric) and `accuracy` each report, and
/// train_loss and val_loss when given (else those curves are NaN, as the store keeps them).
store::TrialRecord program_trial(int index, double lr, double dropout, TrialStatus status, std::vector<double> loss,
                                 std::vector<double> train = {}, std::vector<double> val = {}) {
  store::TrialRecord r;
  r.trial = index;
  r.config = index / 2;
  r.repeat = index % 2;
  r.status = status;
  r.settings = {{"lr", lr}, {"dropout", dropout}};
  const std::size_t reports = loss.size();
  r.epochs_run = static_cast<int>(reports);
  r.seconds = 2.0;
  r.curve.train_loss = train.empty() ? std::vector<double>(reports, kNaN) : train;
  r.curve.val_loss = val.empty() ? std::vector<double>(reports, kNaN) : val;
  r.curve.val_metric.assign(reports, kNaN);
  std::vector<double> accuracy;
  for (double l : loss) accuracy.push_back(1.0 - l / 2);
  r.curve.reported = {{"accuracy", accuracy}, {"loss", loss}};
  if (status == TrialStatus::kOk) {
    const auto best = std::min_element(loss.begin(), loss.end());
    r.best_metric = *best;
    r.best_epoch = static_cast<int>(best - loss.begin()) + 1;
    r.final_metric = loss.back();
  }
  return r;  // best_val_loss, final_*_loss, best_val_metric, test_*: NaN, as a program sweep stores them
}

/// config 0 (lr 0.1, dropout 0) and config 1 (lr 0.1, dropout 0.5) reported train_loss and
/// val_loss; config 2 (lr 0.01, dropout 0) and config 3 (lr 0.01, dropout 0.5) did not; trial 6 failed.
store::Results program_sweep() {
  store::Results r;
  r.info.name = "prog";
  r.info.reported_metric = "loss";
  r.info.data_fingerprint = "program";
  r.trials = {
      // best_metric 0.5 at report 2 and 0.4 at report 3 (mean 0.45), final 0.6 and 0.4 (mean 0.5);
      // val_loss minimum 0.6 and 0.5 at report 2, final 0.8 and 0.9; train_loss ends at 0.2, and
      // at 0.3 (its last report lacks it): rises 0.2 and 0.4, gaps 0.6 and 0.6.
      program_trial(0, 0.1, 0.0, TrialStatus::kOk, {0.9, 0.5, 0.6}, {0.9, 0.4, 0.2}, {1.0, 0.6, 0.8}),
      program_trial(1, 0.1, 0.0, TrialStatus::kOk, {0.8, 0.45, 0.4}, {0.9, 0.3, kNaN}, {1.0, 0.5, 0.9}),
      // best 0.3 and 0.3, final 0.35 and 0.3; rises 0.05 and 0, gaps 0.15 and 0.05.
      program_trial(2, 0.1, 0.5, TrialStatus::kOk, {0.7, 0.3, 0.35}, {0.7, 0.45, 0.4}, {0.8, 0.5, 0.55}),
      program_trial(3, 0.1, 0.5, TrialStatus::kOk, {0.6, 0.35, 0.3}, {0.7, 0.45, 0.45}, {0.8, 0.5, 0.5}),
      program_trial(4, 0.01, 0.0, TrialStatus::kOk, {0.95, 0.9, 0.85}),
      program_trial(5, 0.01, 0.0, TrialStatus::kOk, {0.9, 0.88, 0.87}),
      program_trial(6, 0.01, 0.5, TrialStatus::kFailed, {0.9}),
      program_trial(7, 0.01, 0.5, TrialStatus::kOk, {0.6, 0.55, 0.5}),
  };
  r.trials[6].message = "exited with code 1 after 1 report(s)";
  return r;
}

const ConfigSummary& summary_of(const std::vector<ConfigSummary>& summaries, int config) {
  const auto it =
      std::find_if(summaries.begin(), summaries.end(), [&](const ConfigSummary& s) { return s.config == config; });
  if (it == summaries.end()) throw std::runtime_error("no summary of config " + std::to_string(config));
  return *it;
}

std::string page_of(const store::Results& r, const search::SweepSpec& spec) {
  std::ostringstream out;
  write_report(out, r, spec, "prog.h5");
  return out.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// No number printed as NaN or infinity anywhere on the page.
void expect_no_nan(const std::string& page) {
  static const std::regex bad(R"(\b-?(nan|inf|infinity)\b)", std::regex::icase);
  std::smatch m;
  const bool found = std::regex_search(page, m, bad);
  EXPECT_FALSE(found) << "'" << m.str()
                      << "' in: " << page.substr(static_cast<std::size_t>(std::max<long>(0, m.position(0) - 200)), 400);
}

TEST(ReportProgramSweep, TheRankedMetricIsTheProgramsOwn) {
  const RankedMetric m = ranked_metric(program_spec(search::Goal::kMaximize));
  EXPECT_EQ(m.kind, RankedMetric::Kind::kReported);
  EXPECT_EQ(m.name, "loss");
  EXPECT_EQ(m.goal, search::Goal::kMaximize);
  const store::TrialRecord t = program_sweep().trials[0];
  EXPECT_DOUBLE_EQ(best_of(m, t), 0.5);
  EXPECT_DOUBLE_EQ(final_of(m, t), 0.6);
  EXPECT_FALSE(ranks_by_metric(program_spec()));
  search::SweepSpec named_like_the_trainer = program_spec();
  named_like_the_trainer.metric.name = "val_metric";  // a program's val_metric is still the program's
  EXPECT_EQ(ranked_metric(named_like_the_trainer).kind, RankedMetric::Kind::kReported);
  EXPECT_FALSE(ranks_by_metric(named_like_the_trainer));
  // The built-in trainer's, unchanged.
  EXPECT_EQ(ranked_metric(search::SweepSpec{}).kind, RankedMetric::Kind::kValLoss);
  EXPECT_EQ(ranked_metric(search::SweepSpec{}).name, "val_loss");
}

TEST(ReportProgramSweep, SummariesScoreTheReportedMetricAndTakeLossFromTheCurves) {
  const store::Results r = program_sweep();
  const search::SweepSpec spec = program_spec();
  const std::vector<search::RankedConfig> ranking = rank_results(r, spec);
  const std::vector<ConfigSummary> s = summarize_configs(r, ranking, ranked_metric(spec));
  ASSERT_EQ(s.size(), 4u);
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].config, ranking[i].config);
    EXPECT_DOUBLE_EQ(s[i].score.mean, ranking[i].mean) << "config " << s[i].config;
  }
  EXPECT_EQ(s[0].config, 1);  // 0.3
  const ConfigSummary& c0 = summary_of(s, 0);
  EXPECT_NEAR(c0.score.mean, 0.45, 1e-12);  // the mean best_metric
  EXPECT_EQ(c0.score.n, 2);
  EXPECT_NEAR(c0.final_score.mean, 0.5, 1e-12);  // the mean final_metric
  EXPECT_DOUBLE_EQ(c0.best_epoch.mean, 2.5);     // the reports of the best loss: 2 and 3
  EXPECT_NEAR(c0.best_val_loss.mean, 0.55, 1e-12);
  EXPECT_NEAR(c0.final_val_loss.mean, 0.85, 1e-12);
  EXPECT_NEAR(c0.rise.mean, 0.3, 1e-12);
  EXPECT_NEAR(c0.gap.mean, 0.6, 1e-12);
  EXPECT_DOUBLE_EQ(c0.val_loss_epoch.mean, 2.0);  // the reports of the minimum val_loss
  EXPECT_TRUE(c0.full_length);                    // a program that ran to its end, however many reports it made
  const ConfigSummary& c2 = summary_of(s, 2);
  EXPECT_NEAR(c2.score.mean, 0.86, 1e-12);
  EXPECT_EQ(c2.rise.n, 0);  // no val_loss and train_loss: no rise, rather than NaN
  EXPECT_EQ(c2.gap.n, 0);
  const ConfigSummary& c3 = summary_of(s, 3);
  EXPECT_EQ(c3.score.n, 1);  // trial 6 failed
  EXPECT_NEAR(c3.score.mean, 0.5, 1e-12);
  // The trainer's metric reads the trainer's columns, NaN here.
  EXPECT_TRUE(std::isnan(summarize_configs(r, ranking, RankedMetric{})[0].score.mean));
}

TEST(ReportProgramSweep, DiagnosisAndImportanceUseWhatTheProgramReported) {
  const store::Results r = program_sweep();
  EXPECT_TRUE(is_program_sweep(r));
  EXPECT_TRUE(has_loss_curves(r));
  const std::vector<TrialDiagnosis> d = diagnose(r);
  ASSERT_EQ(d.size(), 4u);  // trials 0-3; 4, 5 and 7 reported no losses, 6 failed
  EXPECT_EQ(d[1].trial, 1);
  EXPECT_EQ(d[1].best_epoch, 2);
  EXPECT_NEAR(d[1].rise, 0.4, 1e-12);
  EXPECT_NEAR(d[1].gap, 0.6, 1e-12);  // train_loss's last report: 0.3
  const std::vector<Importance> terms = importance(r, ranked_metric(program_spec()));
  ASSERT_FALSE(terms.empty());
  for (const Importance& t : terms) EXPECT_TRUE(std::isfinite(t.share)) << t.term;
  const std::vector<int> top = {0, 1};
  const MeanCurve loss = mean_curve(r, top, "loss");
  ASSERT_EQ(loss.mean.size(), 3u);
  EXPECT_NEAR(loss.mean[1], 0.475, 1e-12);
  EXPECT_TRUE(mean_curve(r, top, "no such metric").mean.size() == 3u);  // absent: NaN, not shorter
  EXPECT_TRUE(std::isnan(mean_curve(r, top, "no such metric").mean[0]));
}

TEST(ReportProgramSweep, TheVerdictJudgesOverfittingFromTheReportedCurves) {
  const store::Results r = program_sweep();
  const search::SweepSpec spec = program_spec();
  const RankedMetric metric = ranked_metric(spec);
  const std::vector<search::RankedConfig> ranking = rank_results(r, spec);
  const std::vector<ConfigSummary> s = summarize_configs(r, ranking, metric);
  const Verdict v = judge(r, ranking, s, {"lr", "dropout"}, metric);
  ASSERT_EQ(v.kind, Verdict::Kind::kOverfitting);
  EXPECT_EQ(s[v.baseline].config, 0);  // config 2 is unregularized too, but reported no losses
  EXPECT_NEAR(v.threshold, 0.0055, 1e-12);
  ASSERT_TRUE(v.rise_cure.has_value());
  EXPECT_EQ(v.rise_cure->setting, "dropout");
  EXPECT_EQ(v.rise_cure->value, "0.5");
  EXPECT_NEAR(v.rise_cure->rise.mean, 0.025, 1e-12);
  EXPECT_NEAR(v.rise_cure->final_score.mean, 0.325, 1e-12);
  EXPECT_EQ(v.pick_best_epoch, 0u);
  EXPECT_EQ(v.pick_final_epoch, 0u);
}

TEST(ReportProgramSweep, ThePageNamesTheMetricAndPrintsNoNaN) {
  const std::string page = page_of(program_sweep(), program_spec());
  expect_no_nan(page);
  EXPECT_NE(page.find("<th>best_loss mean ± std</th>"), std::string::npos);
  EXPECT_NE(page.find("<th>final_loss</th>"), std::string::npos);
  EXPECT_NE(page.find("<th>best_report</th>"), std::string::npos);
  EXPECT_NE(page.find("<th>rise</th>"), std::string::npos);
  EXPECT_NE(page.find("loss (reported by the program) over pairs of settings"), std::string::npos);
  EXPECT_NE(page.find("train.py, command ${env} ${interpreter} ${program} ${args}"), std::string::npos);
  EXPECT_NE(page.find("Ranked by best loss over each run"), std::string::npos);
  EXPECT_NE(page.find("<b>Overfitting</b>"), std::string::npos);
  EXPECT_NE(page.find("validation loss bottoms out at report"), std::string::npos);
  EXPECT_NE(page.find("top 4 configurations: mean loss per report"), std::string::npos);
  EXPECT_NE(page.find("top 4 configurations: mean loss per report (the ranked metric)"), std::string::npos);
  EXPECT_NE(page.find("<h2>Rise and gap by setting</h2>"), std::string::npos);
  // Nothing of the trainer's that a program sweep lacks.
  EXPECT_EQ(page.find("val_metric"), std::string::npos);
  EXPECT_EQ(page.find("test_loss"), std::string::npos);
  EXPECT_EQ(page.find("inference mode"), std::string::npos);
  // Every figure of the verdict is a number.
  const std::string verdict = page.substr(page.find("<section id=\"verdict\">"),
                                          page.find("</section>") - page.find("<section id=\"verdict\">"));
  EXPECT_EQ(verdict.find("data-v=\"\""), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("data-k=\"pick_best_score\" data-v=\"0.29999999999999999\""), std::string::npos) << verdict;
  EXPECT_EQ(count(page, "<svg"), count(page, "</svg>"));
}

TEST(ReportProgramSweep, WithoutReportedLossesThePageSaysWhatTheAnalysisNeeds) {
  store::Results r = program_sweep();
  for (store::TrialRecord& t : r.trials) {
    std::fill(t.curve.train_loss.begin(), t.curve.train_loss.end(), kNaN);
    std::fill(t.curve.val_loss.begin(), t.curve.val_loss.end(), kNaN);
  }
  EXPECT_FALSE(has_loss_curves(r));
  EXPECT_TRUE(diagnose(r).empty());
  const search::SweepSpec spec = program_spec();
  const RankedMetric metric = ranked_metric(spec);
  const std::vector<search::RankedConfig> ranking = rank_results(r, spec);
  const std::vector<ConfigSummary> s = summarize_configs(r, ranking, metric);
  const Verdict v = judge(r, ranking, s, {"lr", "dropout"}, metric);
  EXPECT_EQ(v.kind, Verdict::Kind::kNoLossCurves);
  EXPECT_EQ(v.pick_best_epoch, 0u);

  const std::string page = page_of(r, spec);
  expect_no_nan(page);
  EXPECT_NE(page.find("needs the program to report <code>train_loss</code> and <code>val_loss</code> each epoch"),
            std::string::npos);
  EXPECT_NE(page.find("this sweep's program reported only accuracy, loss,"), std::string::npos);
  EXPECT_NE(page.find("Ranked by best loss over each run"), std::string::npos);
  EXPECT_EQ(page.find("<th>rise</th>"), std::string::npos);
  EXPECT_EQ(page.find("Overfitting and its cure"), std::string::npos);
  EXPECT_EQ(page.find("Rise and gap by setting"), std::string::npos);
  EXPECT_NE(page.find("<h2>Learning curves</h2>"), std::string::npos);  // the ranked metric's curves still drawn
  EXPECT_NE(page.find("top 4 configurations: mean loss per report (the ranked metric)"), std::string::npos);
  EXPECT_NE(page.find("<h2>Optimization history</h2>"), std::string::npos);
}

}  // namespace
}  // namespace hpsweep::report
