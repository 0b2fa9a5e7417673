#include "hpsweep/report/analysis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <variant>

#include "hpsweep/core/error.hpp"

namespace hpsweep::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}


/// The finished trials with a finite metric: its values and, per setting, axis index.
struct Sample {
  std::vector<double> loss;
  std::vector<std::vector<int>> group;  ///< [setting][sample]
};

Sample finished_sample(const store::Results& results, const std::vector<std::string>& names,
                       const RankedMetric& metric) {
  Sample sample;
  sample.group.resize(names.size());
  std::vector<std::vector<double>> values(names.size());
  for (const auto& t : results.trials) {
    const double value = best_of(metric, t);
    if (!search::is_finished(t.status) || !std::isfinite(value)) continue;
    sample.loss.push_back(value);
    for (std::size_t k = 0; k < names.size(); ++k) values[k].push_back(numeric_setting(t.settings, names[k]).value_or(kNaN));
  }
  for (std::size_t k = 0; k < names.size(); ++k) {
    const Axis axis = make_axis(names[k], values[k]);
    for (double v : values[k]) sample.group[k].push_back(axis.index(v));
  }
  return sample;
}

/// Between-group sum of squares of `loss` grouped by `key` (one key per sample), and the number
/// of distinct keys.
std::pair<double, std::size_t> between_groups(const std::vector<double>& loss, const std::vector<long long>& key,
                                              double mean) {
  std::map<long long, std::pair<double, int>> groups;
  for (std::size_t i = 0; i < loss.size(); ++i) {
    auto& [sum, n] = groups[key[i]];
    sum += loss[i];
    ++n;
  }
  double ss = 0.0;
  for (const auto& [k, g] : groups) ss += g.second * (g.first / g.second - mean) * (g.first / g.second - mean);
  return {ss, groups.size()};
}

}  // namespace

Stat stat_of(std::span<const double> values) {
  Stat s;
  s.n = static_cast<int>(values.size());
  if (s.n == 0) return s;
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / s.n;
  if (s.n < 2) return s;
  double squares = 0.0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(squares / (s.n - 1));
  return s;
}

TerminationSummary summarize_termination(const store::Results& results) {
  TerminationSummary s;
  s.epochs_trained = results.info.epochs_trained;
  for (const auto& t : results.trials) {
    s.epochs_run += t.epochs_run;
    const search::Value* epochs = search::find_value(t.settings, "epochs");
    s.full_epochs += epochs != nullptr && std::holds_alternative<long long>(*epochs) ? std::get<long long>(*epochs)
                                                                                    : results.info.max_epochs;
    if (t.status == search::TrialStatus::kStopped) ++s.stopped_at[t.epochs_run];
  }
  return s;
}

Summary summarize(const store::Results& results) {
  Summary s;
  for (const auto& t : results.trials) {
    switch (t.status) {
      case search::TrialStatus::kPending:
      case search::TrialStatus::kPaused: ++s.counts.pending; break;
      case search::TrialStatus::kOk: ++s.counts.ok; break;
      case search::TrialStatus::kStopped: ++s.counts.stopped; break;
      case search::TrialStatus::kDiverged: ++s.counts.diverged; break;
      case search::TrialStatus::kFailed: ++s.counts.failed; break;
    }
    s.trial_seconds += t.seconds;
    s.epochs += t.epochs_run;
  }
  s.partial = s.counts.pending > 0;
  return s;
}

bool is_program_sweep(const store::Results& results) noexcept { return !results.info.reported_metric.empty(); }

bool LossCourse::known() const noexcept { return std::isfinite(rise()) && std::isfinite(gap()); }

LossCourse loss_course(const store::Results& results, const store::TrialRecord& trial) {
  if (!is_program_sweep(results)) {
    return {trial.best_val_loss, trial.best_epoch, trial.final_val_loss, trial.final_train_loss};
  }
  LossCourse c;
  const std::vector<double>& val = trial.curve.val_loss;
  for (std::size_t e = 0; e < val.size(); ++e) {
    if (std::isfinite(val[e]) && (c.best_epoch == 0 || val[e] < c.best_val_loss)) {
      c.best_val_loss = val[e];
      c.best_epoch = static_cast<int>(e) + 1;
    }
  }
  auto last = [](const std::vector<double>& curve) {
    for (auto it = curve.rbegin(); it != curve.rend(); ++it) {
      if (!std::isnan(*it)) return *it;
    }
    return kNaN;
  };
  c.final_val_loss = last(val);
  c.final_train_loss = last(trial.curve.train_loss);
  return c;
}

bool has_loss_curves(const store::Results& results) {
  if (!is_program_sweep(results)) return true;
  return std::any_of(results.trials.begin(), results.trials.end(), [&](const store::TrialRecord& t) {
    return search::is_finished(t.status) && loss_course(results, t).known();
  });
}

std::vector<TrialDiagnosis> diagnose(const store::Results& results) {
  const bool program = is_program_sweep(results);
  std::vector<TrialDiagnosis> out;
  for (const auto& t : results.trials) {
    if (!search::is_finished(t.status)) continue;
    const LossCourse c = loss_course(results, t);
    if (program && !c.known()) continue;
    out.push_back({t.trial, t.config, c.best_epoch, t.epochs_run, c.best_val_loss, c.rise(), c.gap()});
  }
  return out;
}

std::optional<double> numeric_setting(const search::Assignment& settings, const std::string& name) {
  const search::Value* v = search::find_value(settings, name);
  if (v == nullptr) return std::nullopt;
  if (const auto* d = std::get_if<double>(v)) return *d;
  if (const auto* i = std::get_if<long long>(v)) return static_cast<double>(*i);
  if (const auto* b = std::get_if<bool>(v)) return *b ? 1.0 : 0.0;
  return std::nullopt;
}

std::vector<double> setting_column(const store::Results& results, const std::string& name) {
  std::vector<double> column;
  column.reserve(results.trials.size());
  for (const auto& t : results.trials) column.push_back(numeric_setting(t.settings, name).value_or(kNaN));
  return column;
}

std::string short_value(const search::Value& value) {
  if (const auto* d = std::get_if<double>(&value)) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", *d);
    return buffer;
  }
  return search::format_value(value);
}

std::vector<std::string> varying_settings(const store::Results& results) {
  std::vector<std::string> names;
  if (results.trials.empty()) return names;
  for (const auto& s : results.trials.front().settings) {
    const std::vector<double> column = setting_column(results, s.name);
    if (std::isnan(column.front())) continue;
    const bool varies = std::any_of(column.begin(), column.end(), [&](double v) { return v != column.front(); });
    if (varies) names.push_back(s.name);
  }
  return names;
}

int Axis::index(double value) const noexcept {
  if (std::isnan(value) || points.empty()) return -1;
  if (!binned) {
    const auto it = std::lower_bound(points.begin(), points.end(), value);
    return it != points.end() && *it == value ? static_cast<int>(it - points.begin()) : -1;
  }
  if (value < points.front() || value > points.back()) return -1;
  const auto it = std::upper_bound(points.begin(), points.end(), value);
  return std::min(static_cast<int>(it - points.begin()) - 1, size() - 1);
}

Axis make_axis(const std::string& setting, std::span<const double> values) {
  Axis axis;
  axis.setting = setting;
  std::set<double> distinct;
  for (double v : values) {
    if (!std::isnan(v)) distinct.insert(v);
  }
  if (distinct.empty()) return axis;
  const double lo = *distinct.begin();
  const double hi = *distinct.rbegin();
  axis.log = lo > 0.0 && hi >= 100.0 * lo;
  if (static_cast<int>(distinct.size()) <= Axis::kMaxCategories) {
    axis.points.assign(distinct.begin(), distinct.end());
    for (double v : axis.points) axis.labels.push_back(short_number(v));
    return axis;
  }
  axis.binned = true;
  for (int i = 0; i <= Axis::kBins; ++i) {
    const double f = static_cast<double>(i) / Axis::kBins;
    const double edge = axis.log ? std::pow(10.0, std::log10(lo) + f * (std::log10(hi) - std::log10(lo)))
                                 : lo + f * (hi - lo);
    axis.points.push_back(i == 0 ? lo : i == Axis::kBins ? hi : edge);
  }
  for (int i = 0; i < Axis::kBins; ++i) {
    axis.labels.push_back(short_number(axis.points[i]) + "-" + short_number(axis.points[i + 1]));
  }
  return axis;
}

std::vector<RiseGapBySetting> rise_gap_by_setting(const store::Results& results,
                                                  std::span<const TrialDiagnosis> diagnoses) {
  std::vector<RiseGapBySetting> out;
  for (const std::string& name : varying_settings(results)) {
    std::vector<double> values;
    for (const auto& d : diagnoses) {
      values.push_back(numeric_setting(results.trials.at(static_cast<std::size_t>(d.trial)).settings, name).value_or(kNaN));
    }
    RiseGapBySetting g{make_axis(name, values), {}, {}};
    std::vector<std::vector<double>> rises(static_cast<std::size_t>(g.axis.size()));
    std::vector<std::vector<double>> gaps(rises.size());
    for (std::size_t i = 0; i < diagnoses.size(); ++i) {  // diagnoses are in trial order
      const int k = g.axis.index(values[i]);
      if (k < 0) continue;
      rises[static_cast<std::size_t>(k)].push_back(diagnoses[i].rise);
      gaps[static_cast<std::size_t>(k)].push_back(diagnoses[i].gap);
    }
    for (std::size_t k = 0; k < rises.size(); ++k) {
      g.rise.push_back(stat_of(rises[k]));
      g.gap.push_back(stat_of(gaps[k]));
    }
    out.push_back(std::move(g));
  }
  return out;
}

bool better(double a, double b, search::Goal goal) {
  switch (goal) {
    case search::Goal::kMinimize: return a < b;
    case search::Goal::kMaximize: return a > b;
  }
  throw core::Error("unknown metric goal " + std::to_string(static_cast<int>(goal)), core::ExitCode::kInternal);
}

HeatMap make_heat_map(const store::Results& results, std::span<const ScoredConfig> configs, const std::string& x,
                      const std::string& y, search::Goal goal) {
  std::vector<double> xs, ys;
  for (const ScoredConfig& c : configs) {
    const search::Assignment& settings = results.trials.at(static_cast<std::size_t>(c.first_trial)).settings;
    xs.push_back(numeric_setting(settings, x).value_or(kNaN));
    ys.push_back(numeric_setting(settings, y).value_or(kNaN));
  }
  HeatMap map{make_axis(x, xs), make_axis(y, ys), {}};
  map.cells.assign(static_cast<std::size_t>(map.x.size() * map.y.size()), kNaN);
  for (std::size_t i = 0; i < configs.size(); ++i) {
    const int xi = map.x.index(xs[i]);
    const int yi = map.y.index(ys[i]);
    const double v = configs[i].score;
    if (!std::isfinite(v) || xi < 0 || yi < 0) continue;
    double& cell = map.cells[static_cast<std::size_t>(yi * map.x.size() + xi)];
    if (std::isnan(cell) || better(v, cell, goal)) cell = v;
  }
  return map;
}

HeatMaps heat_maps(const store::Results& results, std::span<const ScoredConfig> configs,
                   std::span<const Importance> terms, search::Goal goal, int limit) {
  const std::vector<std::string> varying = varying_settings(results);
  auto share = [&](const std::string& term) {
    for (const Importance& t : terms) {
      if (t.term == term) return t.share;
    }
    return 0.0;
  };
  struct Pair {
    std::string x, y;
    double weight;
  };
  std::vector<Pair> pairs;
  for (std::size_t a = 0; a < varying.size(); ++a) {
    for (std::size_t b = a + 1; b < varying.size(); ++b) {
      pairs.push_back({varying[a], varying[b],
                       share(varying[a]) + share(varying[b]) + share(varying[a] + " x " + varying[b])});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& p, const Pair& q) { return p.weight > q.weight; });
  HeatMaps out;
  out.pairs = static_cast<int>(pairs.size());
  for (const Pair& p : pairs) {
    if (static_cast<int>(out.maps.size()) >= limit) break;
    HeatMap map = make_heat_map(results, configs, p.x, p.y, goal);
    if (std::any_of(map.cells.begin(), map.cells.end(), [](double v) { return !std::isnan(v); })) {
      out.maps.push_back(std::move(map));
    }
  }
  return out;
}

std::vector<Importance> importance(const store::Results& results, const RankedMetric& metric) {
  const std::vector<std::string> names = varying_settings(results);
  const Sample sample = finished_sample(results, names, metric);
  const std::size_t n = sample.loss.size();
  if (n < 2) return {};
  double mean = 0.0;
  for (double v : sample.loss) mean += v;
  mean /= static_cast<double>(n);
  double total = 0.0;
  for (double v : sample.loss) total += (v - mean) * (v - mean);
  if (!(total > 0.0)) return {};
  std::vector<Importance> out;
  std::vector<double> main(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::vector<long long> key(sample.group[k].begin(), sample.group[k].end());
    main[k] = between_groups(sample.loss, key, mean).first / total;
    out.push_back({names[k], main[k]});
  }
  for (std::size_t a = 0; a < names.size(); ++a) {
    for (std::size_t b = a + 1; b < names.size(); ++b) {
      std::vector<long long> key(n);
      for (std::size_t i = 0; i < n; ++i) key[i] = sample.group[a][i] * 1000LL + sample.group[b][i];
      const auto [ss, cells] = between_groups(sample.loss, key, mean);
      if (n < 2 * cells) continue;
      out.push_back({names[a] + " x " + names[b], std::max(0.0, ss / total - main[a] - main[b])});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Importance& x, const Importance& y) { return x.share > y.share; });
  return out;
}

std::vector<int> failed_trials(const store::Results& results) {
  std::vector<int> out;
  for (const auto& t : results.trials) {
    if (t.status == search::TrialStatus::kDiverged || t.status == search::TrialStatus::kFailed) out.push_back(t.trial);
  }
  return out;
}

}  // namespace hpsweep::report
