#include "hpsweep/report/analysis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <variant>

namespace hpsweep::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

/// Values of `name` over the trials (NaN where absent), in trial order.
std::vector<double> setting_column(const store::Results& results, const std::string& name) {
  std::vector<double> column;
  column.reserve(results.trials.size());
  for (const auto& t : results.trials) column.push_back(numeric_setting(t.settings, name).value_or(kNaN));
  return column;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

HeatMap make_heat_map(const store::Results& results, const std::string& x_name, const std::string& y_name) {
  const std::vector<double> xs = setting_column(results, x_name);
  const std::vector<double> ys = setting_column(results, y_name);
  HeatMap map{make_axis(x_name, xs), make_axis(y_name, ys), {}};
  map.cells.assign(static_cast<std::size_t>(map.x.size() * map.y.size()), kNaN);
  for (std::size_t t = 0; t < results.trials.size(); ++t) {
    const store::TrialRecord& r = results.trials[t];
    const int xi = map.x.index(xs[t]);
    const int yi = map.y.index(ys[t]);
    if (!search::is_finished(r.status) || std::isnan(r.best_val_loss) || xi < 0 || yi < 0) continue;
    double& cell = map.cells[static_cast<std::size_t>(yi * map.x.size() + xi)];
    if (std::isnan(cell) || r.best_val_loss < cell) cell = r.best_val_loss;
  }
  return map;
}

bool regularized(const search::Assignment& settings) {
  return numeric_setting(settings, "dropout").value_or(0.0) != 0.0 || numeric_setting(settings, "l2").value_or(0.0) != 0.0;
}

/// The finished trials with a finite best validation loss: their losses and, per setting, axis index.
struct Sample {
  std::vector<double> loss;
  std::vector<std::vector<int>> group;  ///< [setting][sample]
};

Sample finished_sample(const store::Results& results, const std::vector<std::string>& names) {
  Sample sample;
  sample.group.resize(names.size());
  std::vector<std::vector<double>> values(names.size());
  for (const auto& t : results.trials) {
    if (!search::is_finished(t.status) || !std::isfinite(t.best_val_loss)) continue;
    sample.loss.push_back(t.best_val_loss);
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

std::vector<TrialDiagnosis> diagnose(const store::Results& results) {
  std::vector<TrialDiagnosis> out;
  for (const auto& t : results.trials) {
    if (!search::is_finished(t.status)) continue;
    out.push_back({t.trial, t.config, t.best_epoch, t.epochs_run, t.best_val_loss,
                   t.final_val_loss - t.best_val_loss, t.final_val_loss - t.final_train_loss});
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

std::vector<GapBySetting> gap_by_setting(const store::Results& results, std::span<const TrialDiagnosis> diagnoses) {
  const std::vector<std::string> varying = varying_settings(results);
  std::vector<GapBySetting> out;
  for (const char* name : {"dropout", "l2", "width", "batch_size", "lr"}) {
    if (!contains(varying, name)) continue;
    std::vector<double> values;
    for (const auto& d : diagnoses) {
      values.push_back(numeric_setting(results.trials.at(static_cast<std::size_t>(d.trial)).settings, name).value_or(kNaN));
    }
    GapBySetting g{make_axis(name, values), {}, {}};
    std::vector<double> sum(static_cast<std::size_t>(g.axis.size()), 0.0);
    g.trials.assign(sum.size(), 0);
    for (std::size_t i = 0; i < diagnoses.size(); ++i) {
      const int k = g.axis.index(values[i]);
      if (k < 0 || !std::isfinite(diagnoses[i].gap)) continue;
      sum[static_cast<std::size_t>(k)] += diagnoses[i].gap;
      ++g.trials[static_cast<std::size_t>(k)];
    }
    for (std::size_t k = 0; k < sum.size(); ++k) g.mean_gap.push_back(g.trials[k] > 0 ? sum[k] / g.trials[k] : kNaN);
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<HeatMap> heat_maps(const store::Results& results) {
  const std::vector<std::string> varying = varying_settings(results);
  static constexpr std::array<std::array<const char*, 2>, 3> kPairs = {
      {{"lr", "l2"}, {"dropout", "width"}, {"batch_size", "lr"}}};
  std::vector<HeatMap> maps;
  for (const auto& [x, y] : kPairs) {
    if (contains(varying, x) && contains(varying, y)) maps.push_back(make_heat_map(results, x, y));
  }
  if (maps.empty() && varying.size() >= 2) maps.push_back(make_heat_map(results, varying[0], varying[1]));
  std::erase_if(maps, [](const HeatMap& m) { return std::none_of(m.cells.begin(), m.cells.end(), [](double v) { return !std::isnan(v); }); });
  return maps;
}

std::optional<Baseline> find_baseline(const store::Results& results, std::span<const search::RankedConfig> ranking) {
  const std::vector<std::string> varying = varying_settings(results);
  if (!contains(varying, "dropout") && !contains(varying, "l2")) return std::nullopt;
  std::optional<std::size_t> baseline;
  std::optional<std::size_t> best_regularized;
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    if (ranking[i].finished == 0) continue;
    const search::Assignment& settings =
        results.trials.at(static_cast<std::size_t>(ranking[i].first_trial)).settings;
    auto& slot = regularized(settings) ? best_regularized : baseline;
    if (!slot) slot = i;
  }
  if (!baseline || !best_regularized) return std::nullopt;
  return Baseline{*baseline, *best_regularized};
}

std::vector<Importance> importance(const store::Results& results) {
  const std::vector<std::string> names = varying_settings(results);
  const Sample sample = finished_sample(results, names);
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
