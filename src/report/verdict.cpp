#include "hpsweep/report/verdict.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>


namespace hpsweep::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<const char*, 4> kRegularization = {"dropout", "l2", "weight_decay", "input_noise"};

const search::Assignment& settings_of(const store::Results& results, int trial) {
  return results.trials.at(static_cast<std::size_t>(trial)).settings;
}

bool unregularized(const search::Assignment& settings) {
  return std::all_of(kRegularization.begin(), kRegularization.end(),
                     [&](const char* name) { return numeric_setting(settings, name).value_or(0.0) == 0.0; });
}

/// The finished trials of a ranked configuration, in trial order.
std::vector<const store::TrialRecord*> finished_trials(const store::Results& results, const search::RankedConfig& c) {
  std::vector<const store::TrialRecord*> out;
  for (int t : c.trials) {
    const store::TrialRecord& r = results.trials.at(static_cast<std::size_t>(t));
    if (search::is_finished(r.status)) out.push_back(&r);
  }
  return out;
}

template <typename Field>
Stat stat_over(const std::vector<const store::TrialRecord*>& trials, Field field) {
  std::vector<double> values;
  values.reserve(trials.size());
  for (const store::TrialRecord* r : trials) values.push_back(field(*r));
  return stat_of(values);
}

/// The one swept setting in which two assignments differ; nullopt when they differ in none or several.
std::optional<std::string> single_difference(const search::Assignment& a, const search::Assignment& b,
                                             const std::vector<std::string>& swept) {
  std::optional<std::string> differing;
  for (const std::string& name : swept) {
    const search::Value* x = search::find_value(a, name);
    const search::Value* y = search::find_value(b, name);
    if ((x == nullptr) != (y == nullptr) || (x != nullptr && !(*x == *y))) {
      if (differing) return std::nullopt;
      differing = name;
    }
  }
  return differing;
}

/// Among the candidates, the one whose `field` mean is smallest and below the baseline's.
std::optional<Cure> smallest(const std::vector<Cure>& candidates, Stat Cure::*field, double baseline) {
  const Cure* best = nullptr;
  for (const Cure& c : candidates) {
    const double v = (c.*field).mean;
    if (std::isfinite(v) && v < baseline && (best == nullptr || v < (best->*field).mean)) best = &c;
  }
  return best != nullptr ? std::optional<Cure>(*best) : std::nullopt;
}

/// Configurations that differ from the baseline in exactly one swept setting.
std::vector<Cure> one_setting_changes(const store::Results& results, std::span<const ConfigSummary> summaries,
                                      std::size_t baseline, const std::vector<std::string>& swept) {
  std::vector<Cure> out;
  const search::Assignment& base = settings_of(results, summaries[baseline].first_trial);
  for (std::size_t j = 0; j < summaries.size(); ++j) {
    if (j == baseline || summaries[j].rise.n == 0) continue;
    const search::Assignment& other = settings_of(results, summaries[j].first_trial);
    const std::optional<std::string> name = single_difference(base, other, swept);
    if (!name) continue;
    out.push_back({*name, search::format_value(*search::find_value(other, *name)), false, j, summaries[j].rise,
                   summaries[j].gap});
  }
  return out;
}

/// Every other value (or bin) of each swept setting than the baseline's, over the finished trials with it.
std::vector<Cure> marginal_changes(const store::Results& results, const search::Assignment& base,
                                   const std::vector<std::string>& swept) {
  std::vector<Cure> out;
  for (const std::string& name : swept) {
    std::vector<double> column;
    for (const auto& t : results.trials) column.push_back(numeric_setting(t.settings, name).value_or(kNaN));
    const Axis axis = make_axis(name, column);
    // Group key: the axis index for numbers, the text for names.
    auto key_of = [&](const search::Assignment& settings) -> std::string {
      if (const auto v = numeric_setting(settings, name)) {
        const int i = axis.index(*v);
        return i >= 0 ? axis.labels[static_cast<std::size_t>(i)] : std::string();
      }
      const search::Value* v = search::find_value(settings, name);
      return v != nullptr ? search::format_value(*v) : std::string();
    };
    const std::string base_key = key_of(base);
    std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> groups;  // key -> (rises, gaps)
    std::vector<std::string> order;  // keys in order of first appearance, for a stable choice
    for (const auto& t : results.trials) {
      if (!search::is_finished(t.status)) continue;
      const std::string key = key_of(t.settings);
      if (key.empty() || key == base_key) continue;
      auto [it, fresh] = groups.try_emplace(key);
      if (fresh) order.push_back(key);
      it->second.first.push_back(t.final_val_loss - t.best_val_loss);
      it->second.second.push_back(t.final_val_loss - t.final_train_loss);
    }
    for (const std::string& key : order) {
      const auto& [rises, gaps] = groups.at(key);
      out.push_back({name, key, true, 0, stat_of(rises), stat_of(gaps)});
    }
  }
  return out;
}

bool better(double a, double b, search::Goal goal) { return goal == search::Goal::kMaximize ? a > b : a < b; }

}  // namespace

double final_value(const std::vector<double>& curve) {
  for (auto it = curve.rbegin(); it != curve.rend(); ++it) {
    if (std::isfinite(*it)) return *it;
  }
  return kNaN;
}

std::vector<ConfigSummary> summarize_configs(const store::Results& results,
                                             std::span<const search::RankedConfig> ranking, bool by_metric) {
  std::vector<ConfigSummary> out;
  out.reserve(ranking.size());
  for (const search::RankedConfig& c : ranking) {
    const std::vector<const store::TrialRecord*> trials = finished_trials(results, c);
    ConfigSummary s;
    s.config = c.config;
    s.first_trial = trials.empty() ? c.first_trial : trials.front()->trial;
    using R = store::TrialRecord;
    s.best_val_loss = stat_over(trials, [](const R& r) { return r.best_val_loss; });
    s.final_val_loss = stat_over(trials, [](const R& r) { return r.final_val_loss; });
    s.rise = stat_over(trials, [](const R& r) { return r.final_val_loss - r.best_val_loss; });
    s.gap = stat_over(trials, [](const R& r) { return r.final_val_loss - r.final_train_loss; });
    s.best_epoch = stat_over(trials, [](const R& r) { return static_cast<double>(r.best_epoch); });
    s.best_val_metric = stat_over(trials, [](const R& r) { return r.best_val_metric; });
    s.final_val_metric = stat_over(trials, [](const R& r) { return final_value(r.curve.val_metric); });
    s.best_test_loss = stat_over(trials, [](const R& r) { return r.best_test_loss; });
    s.best_test_metric = stat_over(trials, [](const R& r) { return r.best_test_metric; });
    s.test_loss = stat_over(trials, [](const R& r) { return r.test_loss; });
    s.test_metric = stat_over(trials, [](const R& r) { return r.test_metric; });
    s.score = by_metric ? s.best_val_metric : s.best_val_loss;
    s.final_score = by_metric ? s.final_val_metric : s.final_val_loss;
    out.push_back(std::move(s));
  }
  return out;
}

MeanCurve mean_curve(const store::Results& results, std::span<const int> trials,
                     std::vector<double> store::Curve::*which) {
  std::vector<const std::vector<double>*> curves;
  std::size_t epochs = 0;
  for (int t : trials) {
    const store::TrialRecord& r = results.trials.at(static_cast<std::size_t>(t));
    if (!search::is_finished(r.status)) continue;
    curves.push_back(&(r.curve.*which));
    epochs = std::max(epochs, std::min(curves.back()->size(), static_cast<std::size_t>(std::max(r.epochs_run, 0))));
  }
  MeanCurve out{std::vector<double>(epochs, kNaN), std::vector<double>(epochs, kNaN)};
  std::vector<double> values;
  for (std::size_t e = 0; e < epochs; ++e) {
    values.clear();
    for (const auto* c : curves) {
      if (e < c->size() && std::isfinite((*c)[e])) values.push_back((*c)[e]);
    }
    const Stat s = stat_of(values);
    out.mean[e] = s.mean;
    out.spread[e] = s.sd;
  }
  return out;
}

std::span<const char* const> regularization_settings() noexcept { return kRegularization; }

Verdict judge(const store::Results& results, std::span<const search::RankedConfig> ranking,
              std::span<const ConfigSummary> summaries, const std::vector<std::string>& swept, search::Goal goal) {
  Verdict v;
  std::optional<std::size_t> first_finished;
  std::optional<std::size_t> baseline;
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    if (summaries[i].score.n == 0) continue;
    if (!first_finished) first_finished = i;
    if (!baseline && unregularized(settings_of(results, summaries[i].first_trial))) baseline = i;
  }
  if (!first_finished) return v;
  for (std::size_t i = 0; i < summaries.size() && i < ranking.size(); ++i) {
    const ConfigSummary& s = summaries[i];
    if (s.score.n == 0 || ranking[i].all_bad || ranking[i].stopped > 0) continue;
    if (!v.pick_best_epoch) v.pick_best_epoch = i;
    if (std::isfinite(s.final_score.mean) &&
        (!v.pick_final_epoch || better(s.final_score.mean, summaries[*v.pick_final_epoch].final_score.mean, goal))) {
      v.pick_final_epoch = i;
    }
  }
  const bool regularization_swept = std::any_of(swept.begin(), swept.end(), [](const std::string& name) {
    return std::find_if(kRegularization.begin(), kRegularization.end(), [&](const char* r) { return name == r; }) !=
           kRegularization.end();
  });
  v.baseline = regularization_swept && baseline ? *baseline : *first_finished;
  const ConfigSummary& base = summaries[v.baseline];
  v.threshold = 0.01 * std::abs(base.best_val_loss.mean);
  if (!regularization_swept || !baseline) {
    v.kind = Verdict::Kind::kNoBaseline;
    return v;
  }
  v.kind = base.rise.mean > v.threshold ? Verdict::Kind::kOverfitting : Verdict::Kind::kNoOverfitting;
  std::vector<Cure> candidates = one_setting_changes(results, summaries, v.baseline, swept);
  if (candidates.empty()) candidates = marginal_changes(results, settings_of(results, base.first_trial), swept);
  v.rise_cure = smallest(candidates, &Cure::rise, base.rise.mean);
  v.gap_cure = smallest(candidates, &Cure::gap, base.gap.mean);
  return v;
}

}  // namespace hpsweep::report
