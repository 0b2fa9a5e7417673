#include "hpsweep/report/html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <variant>

#include "hpsweep/report/analysis.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/report/svg.hpp"

namespace hpsweep::report {
namespace {

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:1.5em;max-width:1100px;color:#222}"
    "table{border-collapse:collapse;font-size:12px;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}"
    "th{background:#eee;cursor:pointer}td.l,th.l{text-align:left}"
    ".partial{background:#fde2a7;padding:.5em;border:1px solid #e0a800}"
    "svg{margin:4px;border:1px solid #eee}.note{color:#555;font-size:12px}"
    "@media print{th{cursor:auto}}";

/// Clicking a header sorts its table by that column (numbers by data-v, else text).
constexpr const char* kSortScript =
    "document.querySelectorAll('table.sortable th').forEach(function(th,i){th.onclick=function(){"
    "var tb=th.closest('table').tBodies[0],rows=Array.from(tb.rows),up=th.dataset.up!=='1';th.dataset.up=up?'1':'0';"
    "function key(r){var c=r.cells[i],v=c.dataset.v;return v!==undefined&&v!==''?parseFloat(v):c.textContent;}"
    "rows.sort(function(a,b){var x=key(a),y=key(b);var r=(typeof x==='number'&&typeof y==='number')?x-y:"
    "String(x).localeCompare(String(y));return up?r:-r;});rows.forEach(function(r){tb.appendChild(r);});};});";

std::string num(double v, const char* format = "%.5g") {
  if (!std::isfinite(v)) return std::isnan(v) ? "" : (v > 0 ? "inf" : "-inf");
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

/// A numeric cell: shown rounded, sortable (and checkable) at full precision.
std::string num_cell(double v, const std::string& text) {
  return "<td data-v=\"" + num(v, "%.17g") + "\">" + xml_escape(text) + "</td>";
}
std::string num_cell(double v) { return num_cell(v, num(v)); }
std::string text_cell(const std::string& text) { return "<td class=\"l\">" + xml_escape(text) + "</td>"; }

std::string header_row(const std::vector<std::string>& columns) {
  std::string row = "<thead><tr>";
  for (const auto& c : columns) row += "<th>" + xml_escape(c) + "</th>";
  return row + "</tr></thead>";
}

/// A setting value for people: reals to 4 significant digits.
std::string short_value(const search::Value& value) {
  if (const auto* d = std::get_if<double>(&value)) return num(*d, "%.4g");
  return search::format_value(value);
}

/// `name=value ...` for the given settings, values short.
std::string short_assignment(const search::Assignment& settings, const std::vector<std::string>& names) {
  std::string text;
  for (const auto& s : settings) {
    if (std::find(names.begin(), names.end(), s.name) == names.end()) continue;
    text += (text.empty() ? "" : " ") + s.name + "=" + short_value(s.value);
  }
  return text;
}

/// Everything the sections share.
struct Page {
  const store::Results& results;
  const search::SweepSpec& spec;
  PageLimits limits;
  std::vector<search::RankedConfig> ranking;
  std::vector<std::string> shown;  ///< settings shown beside configurations

  const store::TrialRecord& trial(int index) const { return results.trials.at(static_cast<std::size_t>(index)); }
  std::string settings_text(int trial_index) const {
    return short_assignment(trial(trial_index).settings, shown);
  }
  bool has_best() const { return !ranking.empty() && !ranking.front().all_bad && ranking.front().finished > 0; }
};

void write_summary(std::ostream& out, const Page& p) {
  const Summary s = summarize(p.results);
  const store::SweepInfo& info = p.results.info;
  if (s.partial) {
    out << "<p class=\"partial\"><b>PARTIAL</b>: " << s.counts.pending
        << " trial(s) still pending; this report shows what the file holds so far.</p>";
  }
  out << "<h2>Summary</h2><table><tbody>"
      << "<tr><th class=\"l\">sweep</th>" << text_cell(info.name + " (" + search::method_name(p.spec.method) + ", " +
                                                       std::to_string(p.results.trials.size()) + " trials)")
      << "</tr><tr><th class=\"l\">data fingerprint</th>" << text_cell(info.data_fingerprint)
      << "</tr><tr><th class=\"l\">trials</th>"
      << text_cell(std::to_string(s.counts.ok) + " ok, " + std::to_string(s.counts.stopped) + " stopped at a rung, " +
                   std::to_string(s.counts.diverged) + " diverged, " + std::to_string(s.counts.failed) + " failed, " +
                   std::to_string(s.counts.pending) + " pending")
      << "</tr><tr><th class=\"l\">compute</th>"
      << text_cell(num(s.trial_seconds, "%.1f") + " trial-seconds, " + std::to_string(s.epochs) + " epochs")
      << "</tr><tr><th class=\"l\">last run</th>"
      << text_cell((info.wall_seconds > 0 ? num(info.wall_seconds, "%.1f") + " s wall" : std::string("running or interrupted")) +
                   ", " + std::to_string(info.ranks) + " rank(s) x " + std::to_string(info.threads) + " thread(s)")
      << "</tr>";
  if (p.spec.early_terminate.enabled()) {
    const TerminationSummary t = summarize_termination(p.results);
    std::string text = std::string(search::termination_name(p.spec.early_terminate.type)) + ": " +
                       std::to_string(t.epochs_run) + " of the " + std::to_string(t.full_epochs) +
                       " epochs of a full sweep (saved " + num(100.0 * t.saved(), "%.1f") + "%), " +
                       std::to_string(t.epochs_trained) + " epochs trained; stopped:";
    for (const auto& [epochs, trials] : t.stopped_at) {
      text += " " + std::to_string(trials) + " at epoch " + std::to_string(epochs) + ",";
    }
    if (t.stopped_at.empty()) text += " none,";
    text.back() = '.';
    out << "<tr><th class=\"l\">early termination</th>" << text_cell(text) << "</tr>";
  }
  if (p.has_best()) {
    const search::RankedConfig& best = p.ranking.front();
    const store::TrialRecord& first = p.trial(representative_trial(p.results, best));
    const std::string metric = ranks_by_metric(p.spec) ? "best val metric" : "best val loss";
    std::string text = "config " + std::to_string(best.config) + ": " + p.settings_text(first.trial) + "; " + metric +
                       " " + num(best.mean) + (best.finished > 1 ? " ± " + num(best.stddev) : "") + " over " +
                       std::to_string(best.finished) + " repeat(s); trial " + std::to_string(first.trial) +
                       " at epoch " + std::to_string(first.best_epoch);
    const double test = mean_test_loss(p.results, best);
    if (std::isfinite(test)) text += "; test loss " + num(test) + " (selected by validation, reported on test)";
    out << "<tr><th class=\"l\">best configuration</th>" << text_cell(text) << "</tr>";
  }
  out << "</tbody></table>";
}

void write_ranking(std::ostream& out, const Page& p) {
  const bool has_test = std::any_of(p.results.trials.begin(), p.results.trials.end(),
                                    [](const store::TrialRecord& r) { return std::isfinite(r.test_loss); });
  std::vector<std::string> columns = {"rank", "config", "trials",
                                      ranks_by_metric(p.spec) ? "best_val_metric mean ± std" : "best_val_loss mean ± std",
                                      "min", "max", "best_epoch", "status"};
  if (has_test) columns.push_back("test_loss");
  columns.insert(columns.end(), p.shown.begin(), p.shown.end());
  out << "<h2>Ranking</h2><p class=\"note\">Top " << std::min<std::size_t>(p.ranking.size(), p.limits.ranking_rows)
      << " of " << p.ranking.size() << " configurations by the sweep's metric (" << p.spec.metric.name << ", "
      << search::goal_name(p.spec.metric.goal) << "); click a header to sort.</p>"
      << "<table class=\"sortable\" id=\"ranking\">" << header_row(columns) << "<tbody>";
  for (const auto& c : p.ranking) {
    if (c.rank > p.limits.ranking_rows) break;
    const store::TrialRecord& first = p.trial(representative_trial(p.results, c));
    out << "<tr>" << num_cell(c.rank, std::to_string(c.rank)) << num_cell(c.config, std::to_string(c.config))
        << text_cell(std::to_string(c.finished) + "/" + std::to_string(c.trials.size()))
        << num_cell(c.mean, num(c.mean) + (c.finished > 1 ? " ± " + num(c.stddev) : "")) << num_cell(c.min)
        << num_cell(c.max) << (c.finished == 1 ? num_cell(first.best_epoch, std::to_string(first.best_epoch)) : num_cell(std::nan(""), ""))
        << text_cell(status_note(c));
    if (has_test) out << num_cell(mean_test_loss(p.results, c));
    for (const auto& name : p.shown) {
      const search::Value* v = search::find_value(first.settings, name);
      out << text_cell(v != nullptr ? short_value(*v) : "");
    }
    out << "</tr>";
  }
  out << "</tbody></table>";
}

/// Train (dashed) and validation (solid) loss of one trial, the minimum validation epoch marked.
std::vector<Series> trial_series(const store::TrialRecord& r, const std::string& label, std::size_t colour) {
  return {{label + " val", r.curve.val_loss, palette(colour), false, r.best_epoch},
          {label + " train", r.curve.train_loss, palette(colour), true, 0}};
}

void write_curves(std::ostream& out, const Page& p) {
  if (!p.has_best()) return;
  out << "<h2>Learning curves</h2><p class=\"note\">Solid: validation loss; dashed: training loss (inference mode, "
         "no L2 penalty); dots: the epoch of minimum validation loss.</p>";
  const int best = representative_trial(p.results, p.ranking.front());
  out << line_chart_svg({"best: config " + std::to_string(p.ranking.front().config) + ", trial " + std::to_string(best),
                         "loss", trial_series(p.trial(best), "trial " + std::to_string(best), 0)});
  const std::size_t shown = std::min(p.ranking.size(), static_cast<std::size_t>(p.limits.curve_configs));
  LineChart top{"top " + std::to_string(shown) + " configurations (first finished trial)", "loss", {}};
  for (std::size_t i = 0; i < p.ranking.size() && static_cast<int>(i) < p.limits.curve_configs; ++i) {
    if (p.ranking[i].finished == 0) break;
    const int t = representative_trial(p.results, p.ranking[i]);
    for (auto& s : trial_series(p.trial(t), "#" + std::to_string(i + 1), i)) top.series.push_back(std::move(s));
  }
  out << line_chart_svg(top);
  const std::optional<Baseline> pair = find_baseline(p.results, p.ranking);
  if (!pair) return;
  const search::RankedConfig& base = p.ranking[pair->baseline];
  const search::RankedConfig& reg = p.ranking[pair->regularized];
  const int bt = representative_trial(p.results, base);
  const int rt = representative_trial(p.results, reg);
  std::vector<Series> both = trial_series(p.trial(bt), "", 1);
  for (auto& s : trial_series(p.trial(rt), "", 2)) both.push_back(std::move(s));
  const auto [lo, hi] = value_range(both);  // one y range, so the two charts compare at a glance
  out << "<h3>Overfitting and its cure</h3><div>"
      << line_chart_svg({"unregularized: " + p.settings_text(bt), "loss", trial_series(p.trial(bt), "baseline", 1), lo, hi})
      << line_chart_svg({"best regularized: " + p.settings_text(rt), "loss", trial_series(p.trial(rt), "regularized", 2),
                         lo, hi})
      << "</div>";
}

double median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

/// The diagnosed trials in ranking order (best configurations first), at most `limit`.
std::vector<TrialDiagnosis> shown_diagnoses(const Page& p, const std::vector<TrialDiagnosis>& all) {
  std::vector<const TrialDiagnosis*> by_trial(p.results.trials.size(), nullptr);
  for (const auto& d : all) by_trial.at(static_cast<std::size_t>(d.trial)) = &d;
  std::vector<TrialDiagnosis> shown;
  for (const auto& c : p.ranking) {
    for (int t : c.trials) {
      if (static_cast<int>(shown.size()) >= p.limits.diagnosis_rows) return shown;
      if (by_trial[static_cast<std::size_t>(t)] != nullptr) shown.push_back(*by_trial[static_cast<std::size_t>(t)]);
    }
  }
  return shown;
}

void write_diagnosis(std::ostream& out, const Page& p) {
  const std::vector<TrialDiagnosis> all = diagnose(p.results);
  if (all.empty()) return;
  std::vector<double> epochs, rises, gaps;
  for (const auto& d : all) epochs.push_back(d.best_epoch), rises.push_back(d.rise), gaps.push_back(d.gap);
  const std::vector<TrialDiagnosis> shown = shown_diagnoses(p, all);
  out << "<h2>Overfitting diagnosis</h2><p class=\"note\">Rise = final minus best validation loss (how much "
         "validation loss grew after its minimum); gap = final validation minus final training loss. Over all "
      << all.size() << " finished trials, medians: best epoch " << num(median(epochs)) << ", rise "
      << num(median(rises)) << ", gap " << num(median(gaps)) << ". Table: " << shown.size()
      << " trials of the best-ranked configurations.</p>";
  for (const GapBySetting& g : gap_by_setting(p.results, all)) {
    out << bar_chart_svg({"mean final gap by " + g.axis.setting, g.axis.setting + (g.axis.log ? " (log scale)" : ""),
                          "val - train loss", g.axis.labels, g.mean_gap, edge_labels(g.axis)});
  }
  std::vector<std::string> columns = {"trial", "config", "best_epoch", "epochs_run", "best_val_loss", "rise", "gap"};
  columns.insert(columns.end(), p.shown.begin(), p.shown.end());
  out << "<table class=\"sortable\" id=\"diagnosis\">" << header_row(columns) << "<tbody>";
  for (const auto& d : shown) {
    out << "<tr>" << num_cell(d.trial, std::to_string(d.trial)) << num_cell(d.config, std::to_string(d.config))
        << num_cell(d.best_epoch, std::to_string(d.best_epoch)) << num_cell(d.epochs_run, std::to_string(d.epochs_run))
        << num_cell(d.best_val_loss) << num_cell(d.rise) << num_cell(d.gap);
    for (const auto& name : p.shown) {
      const search::Value* v = search::find_value(p.trial(d.trial).settings, name);
      out << text_cell(v != nullptr ? short_value(*v) : "");
    }
    out << "</tr>";
  }
  out << "</tbody></table>";
}

void write_heat_maps(std::ostream& out, const Page& p) {
  const std::vector<HeatMap> maps = heat_maps(p.results);
  if (maps.empty()) return;
  out << "<h2>Best validation loss over pairs of settings</h2><p class=\"note\">Each cell: the minimum best "
         "validation loss of the finished trials with those two values, whatever the other settings; grey: none."
         "</p><div>";
  for (const HeatMap& m : maps) out << heat_map_svg(m, "best val loss: " + m.x.setting + " x " + m.y.setting);
  out << "</div>";
}

void write_importance(std::ostream& out, const Page& p) {
  const std::vector<Importance> terms = importance(p.results);
  if (terms.empty()) return;
  out << "<h2>Parameter importance</h2><p class=\"note\">Share of the variance of best validation loss over the "
         "finished trials explained by each setting (correlation ratio over its values, or 8 bins when it has "
         "many; on a full grid the functional-ANOVA main effect) and by each pair's interaction beyond both "
         "main effects (shown only with at least 2 trials per cell). The rest is the other settings and "
         "seed noise.</p><table id=\"importance\">"
      << header_row({"term", "share", ""}) << "<tbody>";
  for (const Importance& t : terms) {
    out << "<tr>" << text_cell(t.term) << num_cell(t.share, num(100.0 * t.share, "%.1f") + "%")
        << "<td class=\"l\" style=\"width:300px\"><div style=\"background:" << palette(0) << ";height:10px;width:"
        << num(std::clamp(100.0 * t.share, 0.0, 100.0), "%.1f") << "%\"></div></td></tr>";
  }
  out << "</tbody></table>";
}

void write_failures(std::ostream& out, const Page& p) {
  const std::vector<int> failed = failed_trials(p.results);
  out << "<h2>Failures</h2>";
  if (failed.empty()) {
    out << "<p>No trial diverged or failed.</p>";
    return;
  }
  out << "<p class=\"note\">" << failed.size() << " trial(s) diverged or failed"
      << (static_cast<int>(failed.size()) > p.limits.failure_rows
              ? "; the first " + std::to_string(p.limits.failure_rows) + " are listed"
              : std::string())
      << ".</p><table class=\"sortable\" id=\"failures\">"
      << header_row({"trial", "config", "status", "epochs_run", "settings", "message"}) << "<tbody>";
  for (std::size_t i = 0; i < failed.size() && static_cast<int>(i) < p.limits.failure_rows; ++i) {
    const store::TrialRecord& r = p.trial(failed[i]);
    out << "<tr>" << num_cell(r.trial, std::to_string(r.trial)) << num_cell(r.config, std::to_string(r.config))
        << text_cell(search::status_name(r.status)) << num_cell(r.epochs_run, std::to_string(r.epochs_run))
        << text_cell(p.settings_text(r.trial)) << text_cell(r.message) << "</tr>";
  }
  out << "</tbody></table>";
}

}  // namespace

void write_report(std::ostream& out, const store::Results& results, const search::SweepSpec& spec,
                  const std::string& source, const PageLimits& limits) {
  const Page page{results, spec, limits, rank_results(results, spec), shown_settings(results, spec)};
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>hpsweep report: "
      << xml_escape(results.info.name) << "</title><style>" << kStyle << "</style></head><body><h1>hpsweep report: "
      << xml_escape(results.info.name) << "</h1><p class=\"note\">" << xml_escape(source) << ", created "
      << xml_escape(results.info.created) << " by hpsweep " << xml_escape(results.info.hpsweep_version) << "</p>\n";
  write_summary(out, page);
  out << "\n";
  write_ranking(out, page);
  out << "\n";
  write_curves(out, page);
  out << "\n";
  write_diagnosis(out, page);
  out << "\n";
  write_heat_maps(out, page);
  out << "\n";
  write_importance(out, page);
  out << "\n";
  write_failures(out, page);
  out << "\n<script>" << kSortScript << "</script></body></html>\n";
}

}  // namespace hpsweep::report
