#include "hpsweep/search/spec.hpp"

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {

const char* method_name(Method method) noexcept {
  switch (method) {
    case Method::kGrid: return "grid";
    case Method::kRandom: return "random";
    case Method::kBayes: return "bayes";
  }
  return "?";
}

const char* goal_name(Goal goal) noexcept {
  switch (goal) {
    case Goal::kMinimize: return "minimize";
    case Goal::kMaximize: return "maximize";
  }
  return "?";
}

bool reaches_target(const Metric& metric, double value) noexcept {
  if (!metric.target) return false;
  return metric.goal == Goal::kMaximize ? value >= *metric.target : value <= *metric.target;
}

void resolve_metric_goal(Metric& metric, std::optional<bool> regression) {
  if (metric.reported || metric.goal_given || metric.name != "val_metric") return;
  metric.goal = regression.value_or(true) ? Goal::kMinimize : Goal::kMaximize;
}

void check_metric_goal(const Metric& metric, bool regression) {
  if (metric.reported || metric.name != "val_metric" || !metric.goal_given) return;
  const Goal right = regression ? Goal::kMinimize : Goal::kMaximize;
  if (metric.goal == right) return;
  throw core::ConfigError(metric.place + ": metric goal: val_metric is " + (regression ? "the RMSE" : "the accuracy") +
                          " of this " + (regression ? "regression" : "classification") + " task, so " +
                          (regression ? "lower" : "higher") + " is better; use goal: " + goal_name(right));
}

std::vector<std::string> SweepSpec::swept_names() const {
  std::vector<std::string> names;
  names.reserve(parameters.size());
  for (const Parameter& p : parameters) names.push_back(p.name);
  return names;
}

}  // namespace hpsweep::search
