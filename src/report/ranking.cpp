#include "hpsweep/report/ranking.hpp"

#include <algorithm>
#include <cmath>

#include "hpsweep/report/verdict.hpp"
#include "hpsweep/search/parse.hpp"

namespace hpsweep::report {

search::SweepSpec stored_spec(const store::Results& results) {
  search::SweepSpec spec =
      search::parse_sweep(results.info.sweep_text, results.info.name + ".yaml (the sweep the results file holds)",
                          search::ParseMode::kStored);
  const std::string& task = results.info.data.task;
  search::resolve_metric_goal(spec.metric, task.empty() ? std::nullopt : std::optional<bool>(task == "regression"));
  return spec;
}

bool ranks_by_metric(const search::SweepSpec& spec) noexcept {
  return !spec.metric.reported && spec.metric.name == "val_metric";
}

RankedMetric ranked_metric(const search::SweepSpec& spec) {
  RankedMetric m;
  m.kind = spec.metric.reported      ? RankedMetric::Kind::kReported
           : ranks_by_metric(spec) ? RankedMetric::Kind::kValMetric
                                   : RankedMetric::Kind::kValLoss;
  m.name = m.kind == RankedMetric::Kind::kReported ? spec.metric.name
           : m.kind == RankedMetric::Kind::kValMetric ? std::string("val_metric")
                                                      : std::string("val_loss");
  m.goal = spec.metric.goal;
  return m;
}

double best_of(const RankedMetric& metric, const store::TrialRecord& record) noexcept {
  switch (metric.kind) {
    case RankedMetric::Kind::kReported: return record.best_metric;
    case RankedMetric::Kind::kValMetric: return record.best_val_metric;
    case RankedMetric::Kind::kValLoss: break;
  }
  return record.best_val_loss;
}

double final_of(const RankedMetric& metric, const store::TrialRecord& record) noexcept {
  switch (metric.kind) {
    case RankedMetric::Kind::kReported: return record.final_metric;
    case RankedMetric::Kind::kValMetric: return final_value(record, record.curve.val_metric);
    case RankedMetric::Kind::kValLoss: break;
  }
  return record.final_val_loss;
}

std::vector<search::RankedConfig> rank_results(const store::Results& results, const search::SweepSpec& spec) {
  std::vector<search::Outcome> outcomes;
  outcomes.reserve(results.trials.size());
  for (const auto& t : results.trials) {
    const int budget = t.status == search::TrialStatus::kStopped ? t.epochs_run : search::Outcome::kFullBudget;
    outcomes.push_back({t.trial, t.config, t.repeat, t.status, store::ranked_value(spec.metric, t), budget});
  }
  return search::rank_configs(outcomes, spec.metric.goal);
}

bool has_test_scores(const store::Results& results) {
  return std::any_of(results.trials.begin(), results.trials.end(),
                     [](const store::TrialRecord& r) { return std::isfinite(r.test_loss); });
}

std::string metric_note(const store::Results& results) {
  if (const std::string& name = results.info.reported_metric; !name.empty()) {
    return name + " as the program reported it; means over finished repeats; best_" + name +
           " at its best report (best_report), final_" + name +
           " at the last report; rise = final minus minimum of the val_loss the program reported (when it "
           "reported val_loss and train_loss)";
  }
  const store::DataDescription& data = results.info.data;
  std::string meaning = "accuracy (classification) or RMSE (regression)";
  if (!data.val_metric.empty()) meaning = data.val_metric + (data.task.empty() ? "" : " (" + data.task + ")");
  return "val_metric is " + meaning +
         "; means over finished repeats; best_* at the epoch of minimum val_loss (best_test_* too), final_* at "
         "the last epoch run, test_* with the weights training ended with; rise = final_val_loss - best_val_loss";
}

std::string status_note(const search::RankedConfig& c) {
  if (c.all_bad) return c.failed > 0 && c.diverged == 0 ? "all failed" : "all diverged/failed";
  std::string note;
  if (c.diverged > 0) note += std::to_string(c.diverged) + " diverged ";
  if (c.failed > 0) note += std::to_string(c.failed) + " failed ";
  if (c.stopped > 0) note += "stopped at " + std::to_string(c.budget) + " epochs ";
  if (c.pending > 0) note += std::to_string(c.pending) + " pending";
  return note.empty() ? "ok" : note;
}

std::vector<std::string> shown_settings(const store::Results& results, const search::SweepSpec& spec) {
  std::vector<std::string> shown = spec.swept_names();
  if (shown.empty() && !results.trials.empty()) {
    for (const auto& s : results.trials.front().settings) shown.push_back(s.name);
  }
  return shown;
}

int representative_trial(const store::Results& results, const search::RankedConfig& c) {
  for (int t : c.trials) {
    if (search::is_finished(results.trials.at(static_cast<std::size_t>(t)).status)) return t;
  }
  return c.trials.empty() ? -1 : c.trials.front();
}

}  // namespace hpsweep::report
