#include "hpsweep/report/verdict.hpp"

#include "hpsweep/report/ranking.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <variant>


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

/// Whether a finished trial ran its whole course: the trainer's all its configured epochs (not
/// ended by early stopping's patience), a program to its end; neither stopped at a rung.
bool ran_fully(const store::Results& results, const store::TrialRecord& r) {
  if (r.status != search::TrialStatus::kOk) return false;
  return is_program_sweep(results) || r.epochs_run == configured_epochs(results, r);
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

/// Each swept numeric setting's axis over the file: its categories, or bins when it takes more
/// than Axis::kMaxCategories values (a continuous one of a random sweep). Computed once per verdict.
std::map<std::string, Axis> swept_axes(const store::Results& results, const std::vector<std::string>& swept) {
  std::map<std::string, Axis> axes;
  for (const std::string& name : swept) axes.emplace(name, make_axis(name, setting_column(results, name)));
  return axes;
}

/// Configurations that differ from the baseline in exactly one swept setting of few values (a
/// setting with more is judged per bin over many trials, not per configuration) and trained every epoch.
std::vector<Cure> one_setting_changes(const store::Results& results, std::span<const ConfigSummary> summaries,
                                      std::size_t baseline, const std::vector<std::string>& swept,
                                      const std::map<std::string, Axis>& axes) {
  std::vector<Cure> out;
  const search::Assignment& base = settings_of(results, summaries[baseline].first_trial);
  for (std::size_t j = 0; j < summaries.size(); ++j) {
    if (j == baseline || summaries[j].rise.n == 0 || !summaries[j].full_length) continue;
    const search::Assignment& other = settings_of(results, summaries[j].first_trial);
    const std::optional<std::string> name = single_difference(base, other, swept);
    if (!name || axes.at(*name).binned) continue;
    out.push_back({*name, short_value(*search::find_value(other, *name)), false, j, summaries[j].rise, summaries[j].gap,
                   summaries[j].final_score});
  }
  return out;
}

/// Every other value (or bin) of each swept setting than the baseline's, over the finished trials
/// with it that trained every epoch.
std::vector<Cure> marginal_changes(const store::Results& results, const search::Assignment& base,
                                   const std::vector<std::string>& swept, const std::map<std::string, Axis>& axes,
                                   const RankedMetric& metric) {
  const bool program = is_program_sweep(results);
  std::vector<Cure> out;
  for (const std::string& name : swept) {
    const Axis& axis = axes.at(name);
    // Group key: the axis label for numbers, the text for names.
    auto key_of = [&](const search::Assignment& settings) -> std::string {
      if (const auto v = numeric_setting(settings, name)) {
        const int i = axis.index(*v);
        return i >= 0 ? axis.labels[static_cast<std::size_t>(i)] : std::string();
      }
      const search::Value* v = search::find_value(settings, name);
      return v != nullptr ? search::format_value(*v) : std::string();
    };
    const std::string base_key = key_of(base);
    struct Group {
      std::vector<double> rises, gaps, finals;
    };
    std::map<std::string, Group> groups;
    std::vector<std::string> order;  // keys in order of first appearance, for a stable choice
    for (const auto& t : results.trials) {
      if (!ran_fully(results, t)) continue;
      const LossCourse course = loss_course(results, t);
      if (program && !course.known()) continue;
      const std::string key = key_of(t.settings);
      if (key.empty() || key == base_key) continue;
      auto [it, fresh] = groups.try_emplace(key);
      if (fresh) order.push_back(key);
      it->second.rises.push_back(course.rise());
      it->second.gaps.push_back(course.gap());
      it->second.finals.push_back(final_of(metric, t));
    }
    for (const std::string& key : order) {
      const Group& g = groups.at(key);
      out.push_back({name, key, true, 0, stat_of(g.rises), stat_of(g.gaps), stat_of(g.finals)});
    }
  }
  return out;
}

}  // namespace

double final_value(const store::TrialRecord& trial, const std::vector<double>& curve) {
  const auto e = static_cast<std::size_t>(std::max(trial.epochs_run, 0));
  return e >= 1 && e <= curve.size() ? curve[e - 1] : kNaN;
}

int configured_epochs(const store::Results& results, const store::TrialRecord& trial) {
  const search::Value* epochs = search::find_value(trial.settings, "epochs");
  if (epochs != nullptr && std::holds_alternative<long long>(*epochs)) {
    return static_cast<int>(std::get<long long>(*epochs));
  }
  return results.info.max_epochs;
}

std::vector<ConfigSummary> summarize_configs(const store::Results& results,
                                             std::span<const search::RankedConfig> ranking, const RankedMetric& metric) {
  const bool program = is_program_sweep(results);
  std::vector<ConfigSummary> out;
  out.reserve(ranking.size());
  for (const search::RankedConfig& c : ranking) {
    const std::vector<const store::TrialRecord*> trials = finished_trials(results, c);
    ConfigSummary s;
    s.config = c.config;
    s.first_trial = representative_trial(results, c);
    using R = store::TrialRecord;
    // The trainer's columns, or what a program reported as val_loss and train_loss (its repeats
    // that did not report both left out).
    std::vector<LossCourse> courses;
    for (const R* r : trials) {
      const LossCourse course = loss_course(results, *r);
      if (!program || course.known()) courses.push_back(course);
    }
    auto over_courses = [&](auto field) {
      std::vector<double> values;
      values.reserve(courses.size());
      for (const LossCourse& course : courses) values.push_back(field(course));
      return stat_of(values);
    };
    s.best_val_loss = over_courses([](const LossCourse& l) { return l.best_val_loss; });
    s.final_val_loss = over_courses([](const LossCourse& l) { return l.final_val_loss; });
    s.rise = over_courses([](const LossCourse& l) { return l.rise(); });
    s.gap = over_courses([](const LossCourse& l) { return l.gap(); });
    s.val_loss_epoch = over_courses([](const LossCourse& l) { return static_cast<double>(l.best_epoch); });
    s.best_epoch = stat_over(trials, [](const R& r) { return static_cast<double>(r.best_epoch); });
    s.best_val_metric = stat_over(trials, [](const R& r) { return r.best_val_metric; });
    s.final_val_metric = stat_over(trials, [](const R& r) { return final_value(r, r.curve.val_metric); });
    s.best_test_loss = stat_over(trials, [](const R& r) { return r.best_test_loss; });
    s.best_test_metric = stat_over(trials, [](const R& r) { return r.best_test_metric; });
    s.test_loss = stat_over(trials, [](const R& r) { return r.test_loss; });
    s.test_metric = stat_over(trials, [](const R& r) { return r.test_metric; });
    s.epochs_run = stat_over(trials, [](const R& r) { return static_cast<double>(r.epochs_run); });
    s.full_length = !trials.empty() &&
                    std::all_of(trials.begin(), trials.end(), [&](const R* r) { return ran_fully(results, *r); });
    s.score = stat_over(trials, [&](const R& r) { return best_of(metric, r); });
    s.final_score = stat_over(trials, [&](const R& r) { return final_of(metric, r); });
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

/// mean_curve over the curves `curve_of` gives the trials (nullptr: the trial has none).
template <typename CurveOf>
MeanCurve mean_curve_of(const store::Results& results, std::span<const int> trials, CurveOf curve_of) {
  // Up to the epoch every repeat reached: past it the mean would jump as repeats drop out.
  std::vector<const std::vector<double>*> curves;
  std::size_t epochs = std::numeric_limits<std::size_t>::max();
  for (int t : trials) {
    const store::TrialRecord& r = results.trials.at(static_cast<std::size_t>(t));
    if (!search::is_finished(r.status)) continue;
    curves.push_back(curve_of(r));
    const auto reached = static_cast<std::size_t>(std::max(r.epochs_run, 0));
    epochs = std::min(epochs, curves.back() != nullptr ? std::min(curves.back()->size(), reached) : reached);
  }
  if (curves.empty()) epochs = 0;
  MeanCurve out{std::vector<double>(epochs, kNaN), std::vector<double>(epochs, kNaN)};
  std::vector<double> values;
  for (std::size_t e = 0; e < epochs; ++e) {
    values.clear();
    for (const auto* c : curves) {
      if (c != nullptr && e < c->size() && std::isfinite((*c)[e])) values.push_back((*c)[e]);
    }
    const Stat s = stat_of(values);
    out.mean[e] = s.mean;
    out.spread[e] = s.sd;
  }
  return out;
}

}  // namespace

MeanCurve mean_curve(const store::Results& results, std::span<const int> trials,
                     std::vector<double> store::Curve::*which) {
  return mean_curve_of(results, trials, [&](const store::TrialRecord& r) { return &(r.curve.*which); });
}

const std::vector<double>* named_curve(const store::Curve& curve, const std::string& name) {
  if (name == "train_loss") return &curve.train_loss;
  if (name == "val_loss") return &curve.val_loss;
  if (name == "val_metric") return &curve.val_metric;
  for (const store::ReportedCurve& c : curve.reported) {
    if (c.name == name) return &c.values;
  }
  return nullptr;
}

MeanCurve mean_curve(const store::Results& results, std::span<const int> trials, const std::string& name) {
  return mean_curve_of(results, trials, [&](const store::TrialRecord& r) { return named_curve(r.curve, name); });
}

std::span<const char* const> regularization_settings() noexcept { return kRegularization; }

Verdict judge(const store::Results& results, std::span<const search::RankedConfig> ranking,
              std::span<const ConfigSummary> summaries, const std::vector<std::string>& swept,
              const RankedMetric& metric) {
  const search::Goal goal = metric.goal;
  Verdict v;
  const std::size_t n = std::min(summaries.size(), ranking.size());
  auto finished = [&](std::size_t i) { return summaries[i].score.n > 0 && !ranking[i].all_bad; };
  auto unstopped = [&](std::size_t i) { return finished(i) && ranking[i].stopped == 0; };
  std::optional<std::size_t> first_finished;
  std::optional<std::size_t> first_with_loss;  // the first with a rise (every finished one, for the trainer)
  std::optional<std::size_t> baseline;
  for (std::size_t i = 0; i < n; ++i) {
    if (!finished(i)) continue;
    if (!first_finished) first_finished = i;
    if (summaries[i].rise.n == 0) continue;  // a program sweep's repeats without val_loss and train_loss
    if (!first_with_loss) first_with_loss = i;
    const bool plain = unregularized(settings_of(results, summaries[i].first_trial));
    // Prefer a baseline that was not stopped at a rung: its rise covers its whole run.
    if (plain && (!baseline || (ranking[*baseline].stopped > 0 && ranking[i].stopped == 0))) baseline = i;
  }
  if (!first_finished) return v;
  for (std::size_t i = 0; i < n; ++i) {
    if (!unstopped(i)) continue;
    if (!v.pick_best_epoch) v.pick_best_epoch = i;
    const double final_score = summaries[i].final_score.mean;
    if (summaries[i].full_length && std::isfinite(final_score) &&
        (!v.pick_final_epoch || better(final_score, summaries[*v.pick_final_epoch].final_score.mean, goal))) {
      v.pick_final_epoch = i;
    }
  }
  v.regularization_swept = std::any_of(swept.begin(), swept.end(), [](const std::string& name) {
    return std::find_if(kRegularization.begin(), kRegularization.end(), [&](const char* r) { return name == r; }) !=
           kRegularization.end();
  });
  if (!first_with_loss) {  // a program that reported no val_loss and train_loss
    v.kind = Verdict::Kind::kNoLossCurves;
    v.baseline = *first_finished;
    return v;
  }
  v.baseline = v.regularization_swept && baseline ? *baseline : *first_with_loss;
  const ConfigSummary& base = summaries[v.baseline];
  v.threshold = 0.01 * std::abs(base.best_val_loss.mean);
  v.baseline_cut_short = ranking[v.baseline].stopped == 0 && !base.full_length;
  std::size_t looked = 0;
  for (std::size_t i = 0; i < n && looked < Verdict::kTopConfigs; ++i) {
    if (!unstopped(i)) continue;
    ++looked;
    const Stat& rise = summaries[i].rise;
    if (i != v.baseline && rise.mean > 0.01 * std::abs(summaries[i].best_val_loss.mean) &&
        !(rise.mean <= base.rise.mean) && (!v.largest_rise || rise.mean > summaries[*v.largest_rise].rise.mean)) {
      v.largest_rise = i;
    }
  }
  if (!v.regularization_swept || !baseline) {
    v.kind = Verdict::Kind::kNoBaseline;
    return v;
  }
  v.kind = base.rise.mean > v.threshold ? Verdict::Kind::kOverfitting : Verdict::Kind::kNoOverfitting;
  const std::map<std::string, Axis> axes = swept_axes(results, swept);
  std::vector<Cure> candidates = one_setting_changes(results, summaries, v.baseline, swept, axes);
  if (candidates.empty()) {
    candidates = marginal_changes(results, settings_of(results, base.first_trial), swept, axes, metric);
  }
  // A change that shrinks the rise by ruining the model (a huge L2, a tiny learning rate) is no cure.
  std::erase_if(candidates, [&](const Cure& c) {
    return !std::isfinite(c.final_score.mean) ||
           (std::isfinite(base.final_score.mean) && better(base.final_score.mean, c.final_score.mean, goal));
  });
  v.rise_cure = smallest(candidates, &Cure::rise, base.rise.mean);
  v.gap_cure = smallest(candidates, &Cure::gap, base.gap.mean);
  return v;
}

}  // namespace hpsweep::report
