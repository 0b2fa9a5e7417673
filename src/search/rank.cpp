#include "hpsweep/search/rank.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// 0: a usable mean; 1: finished but NaN; 2: every ranked repeat diverged or failed.
int group_of(const RankedConfig& c) {
  if (c.all_bad) return 2;
  return std::isnan(c.mean) ? 1 : 0;
}

/// Mean, sample standard deviation, min and max of `values`, summed in their order.
void summarize(const std::vector<double>& values, RankedConfig& c) {
  const auto n = static_cast<double>(values.size());
  if (values.empty()) {
    c.mean = c.stddev = c.min = c.max = kNaN;
    return;
  }
  double sum = 0.0;
  for (double v : values) sum += v;
  c.mean = sum / n;
  double squares = 0.0;
  for (double v : values) squares += (v - c.mean) * (v - c.mean);
  c.stddev = values.size() > 1 ? std::sqrt(squares / (n - 1.0)) : 0.0;
  const bool any_nan = std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
  c.min = any_nan ? kNaN : *std::min_element(values.begin(), values.end());
  c.max = any_nan ? kNaN : *std::max_element(values.begin(), values.end());
  if (any_nan) c.stddev = kNaN;
}

std::vector<Outcome> sorted_by_trial(std::span<const Outcome> outcomes) {
  std::vector<Outcome> sorted(outcomes.begin(), outcomes.end());
  std::sort(sorted.begin(), sorted.end(), [](const Outcome& a, const Outcome& b) { return a.trial < b.trial; });
  const auto twice = std::adjacent_find(sorted.begin(), sorted.end(),
                                        [](const Outcome& a, const Outcome& b) { return a.trial == b.trial; });
  if (twice != sorted.end()) {
    throw core::ConfigError("trial " + std::to_string(twice->trial) + " appears twice in the outcomes");
  }
  return sorted;
}

}  // namespace

std::vector<RankedConfig> rank_configs(std::span<const Outcome> outcomes, Goal goal) {
  std::map<int, RankedConfig> configs;
  std::map<int, std::vector<double>> values;
  for (const Outcome& o : sorted_by_trial(outcomes)) {
    RankedConfig& c = configs[o.config];
    c.config = o.config;
    if (is_unsettled(o.status)) {
      ++c.pending;
      continue;
    }
    if (c.trials.empty()) c.first_trial = o.trial;
    c.trials.push_back(o.trial);
    switch (o.status) {
      case TrialStatus::kOk:
      case TrialStatus::kStopped:
        // The configuration's budget: the furthest any finished repeat got.
        c.budget = c.finished == 0 ? o.budget : std::max(c.budget, o.budget);
        ++c.finished;
        if (o.status == TrialStatus::kStopped) ++c.stopped;
        values[o.config].push_back(o.best_val_loss);
        continue;
      case TrialStatus::kDiverged: ++c.diverged; continue;
      case TrialStatus::kFailed: ++c.failed; continue;
      case TrialStatus::kPending:
      case TrialStatus::kPaused: break;  // unsettled: counted as pending above
    }
    throw core::Error("trial " + std::to_string(o.trial) + " has status code " +
                          std::to_string(static_cast<int>(o.status)) + ", which the ranking does not know",
                      core::ExitCode::kInternal);
  }
  std::vector<RankedConfig> ranking;
  for (auto& [id, c] : configs) {
    if (c.trials.empty()) continue;  // only pending trials: not ranked
    summarize(values[id], c);
    c.all_bad = c.finished == 0;
    ranking.push_back(std::move(c));
  }
  bool minimize = true;
  switch (goal) {
    case Goal::kMinimize: minimize = true; break;
    case Goal::kMaximize: minimize = false; break;
  }
  std::sort(ranking.begin(), ranking.end(), [minimize](const RankedConfig& a, const RankedConfig& b) {
    const int ga = group_of(a);
    const int gb = group_of(b);
    if (ga != gb) return ga < gb;
    if (ga == 0 && a.budget != b.budget) return a.budget > b.budget;
    if (ga == 0 && a.mean != b.mean) return minimize ? a.mean < b.mean : a.mean > b.mean;
    return a.first_trial < b.first_trial;
  });
  for (std::size_t i = 0; i < ranking.size(); ++i) ranking[i].rank = static_cast<int>(i) + 1;
  return ranking;
}

}  // namespace hpsweep::search
