#include "hpsweep/report/html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <set>
#include <utility>
#include <variant>

#include "hpsweep/report/analysis.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/report/svg.hpp"
#include "hpsweep/report/verdict.hpp"

namespace hpsweep::report {
namespace {

/// Whether low scores are best under `goal` (for chart colours).
bool lower_is_better(search::Goal goal) { return better(0.0, 1.0, goal); }

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:1.5em;max-width:1300px;color:#222}"
    "#verdict{background:#f3f7fb;border-left:4px solid #1f77b4;padding:.4em 1em;font-size:15px;line-height:1.5}"
    "table{border-collapse:collapse;font-size:12px;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}table.sortable td{white-space:nowrap}"
    ".scroll{overflow-x:auto}"
    "th{background:#eee;cursor:pointer}td.l,th.l{text-align:left}"
    ".partial{background:#fde2a7;padding:.5em;border:1px solid #e0a800}"
    "svg{margin:4px;border:1px solid #eee}.note{color:#555;font-size:12px}"
    ".charts{display:flex;flex-wrap:wrap;gap:4px}.charts svg{width:calc(50% - 12px);height:auto}"
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
  RankedMetric metric;
  bool program = false;                  ///< a program sweep: its metric is the program's, counted in reports
  bool loss_curves = true;               ///< has_loss_curves(): rise and gap can be computed
  std::vector<ConfigSummary> summaries;  ///< per ranked configuration, in ranking order
  Verdict verdict;
  std::vector<Importance> terms;

  const store::TrialRecord& trial(int index) const { return results.trials.at(static_cast<std::size_t>(index)); }
  std::string settings_text(int trial_index) const {
    return short_assignment(trial(trial_index).settings, shown);
  }
  /// "config 3 (dropout=0.5 l2=0.01)"
  std::string config_text(std::size_t i) const {
    const std::string settings = settings_text(summaries[i].first_trial);
    return "config " + std::to_string(summaries[i].config) + (settings.empty() ? "" : " (" + settings + ")");
  }
  bool has_best() const { return !ranking.empty() && !ranking.front().all_bad && ranking.front().finished > 0; }
  /// What the metric is called in prose: "validation loss" or "validation accuracy" (or RMSE), or
  /// "loss (reported by the program)".
  std::string metric_words() const {
    if (program) return metric.name + " (reported by the program)";
    if (metric.kind != RankedMetric::Kind::kValMetric) return "validation loss";
    const std::string& m = results.info.data.val_metric;
    return "validation " + (m.empty() ? std::string("metric") : m == "rmse" ? std::string("RMSE") : m);
  }
  /// "val_loss", "val_metric", or the program's name of its metric.
  std::string metric_column() const { return metric.name; }
  /// What the curves count: the trainer's epochs, or a program's reports.
  std::string step() const { return program ? "report" : "epoch"; }
};

/// A number of the verdict: shown rounded, its full value in data-v under the name `key`, so a
/// test can check each against the file.
std::string figure(const std::string& key, double v, const char* format = "%.4g") {
  return "<b data-k=\"" + key + "\" data-v=\"" + num(v, "%.17g") + "\">" + xml_escape(num(v, format)) + "</b>";
}
/// "9.2 ± 1.3" with both figures keyed (key, key_sd); the spread, to 2 digits, left out for one repeat.
std::string figure(const std::string& key, const Stat& s, const char* format = "%.4g") {
  std::string text = figure(key, s.mean, format);
  if (s.n > 1 && std::isfinite(s.sd)) text += " ± " + figure(key + "_sd", s.sd, "%.2g");
  return text;
}
std::string text_figure(const std::string& key, const std::string& text) {
  return "<b data-k=\"" + key + "\" data-v=\"" + xml_escape(text) + "\">" + xml_escape(text) + "</b>";
}
/// A mean ± sd for a table cell's text.
std::string stat_text(const Stat& s, const char* format = "%.5g") {
  return num(s.mean, format) + (s.n > 1 && std::isfinite(s.sd) ? " ± " + num(s.sd, "%.2g") : "");
}

/// "dropout, l2, weight_decay or input_noise"
std::string regularizer_list(const char* last_joint) {
  const auto names = regularization_settings();
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += std::string(i == 0 ? "" : i + 1 == names.size() ? last_joint : ", ") + names[i];
  }
  return text;
}

/// The names a program sweep's finished trials reported, sorted, at most `limit` of them ("a, b and 3 more").
std::string reported_names(const Page& p, std::size_t limit = 12) {
  std::set<std::string> names;
  auto has_value = [](const std::vector<double>& curve) {
    return std::any_of(curve.begin(), curve.end(), [](double x) { return !std::isnan(x); });
  };
  for (const store::TrialRecord& t : p.results.trials) {
    if (!search::is_finished(t.status)) continue;
    if (has_value(t.curve.train_loss)) names.insert("train_loss");
    if (has_value(t.curve.val_loss)) names.insert("val_loss");
    if (has_value(t.curve.val_metric)) names.insert("val_metric");
    for (const store::ReportedCurve& c : t.curve.reported) names.insert(c.name);
  }
  std::string text;
  std::size_t i = 0;
  for (const std::string& name : names) {
    if (i == limit) {
      text += " and " + std::to_string(names.size() - limit) + " more";
      break;
    }
    text += (i == 0 ? "" : ", ") + name;
    ++i;
  }
  return text;
}

/// Why a program sweep has no overfitting analysis (Verdict::Kind::kNoLossCurves), in words.
std::string no_loss_curves_text(const Page& p) {
  const std::string names = reported_names(p);
  return "The overfitting analysis (how far validation loss rises after its minimum, and the final gap between "
         "validation and training loss) needs the program to report <code>train_loss</code> and "
         "<code>val_loss</code> each epoch, as fields of those names in its JSON lines; " +
         (names.empty() ? std::string("this sweep's program reported neither")
                        : "this sweep's program reported only " + xml_escape(names)) +
         ", so this page ranks the configurations but cannot tell whether they overfit.";
}

/// The verdict's last paragraph for a program sweep: what the ranking picks by the best report
/// and by the final report of the runs that ran to their end.
void write_program_picks(std::ostream& out, const Page& p) {
  const Verdict& v = p.verdict;
  const ConfigSummary& a = p.summaries[*v.pick_best_epoch];
  const std::string name = xml_escape(p.metric.name);
  out << "<p>Ranked by best " << name << " over each run's reports (as if each run had stopped at its best report), "
      << "the sweep picks " << text_figure("pick_best_config", p.config_text(*v.pick_best_epoch)) << " at "
      << figure("pick_best_score", a.score) << "; at its final report that configuration scores "
      << figure("pick_best_final", a.final_score) << ". ";
  if (!v.pick_final_epoch) {
    out << "No configuration ran to its end in every repeat (early termination stopped them), so there is no "
           "ranking by the final report to compare.";
  } else if (*v.pick_best_epoch == *v.pick_final_epoch) {
    out << "Ranked by final " << name
        << " among the configurations whose runs all ran to their end, it picks the same.";
  } else {
    out << "Ranked by final " << name << " among the configurations whose runs all ran to their end, it picks "
        << text_figure("pick_final_config", p.config_text(*v.pick_final_epoch)) << " at "
        << figure("pick_final_score", p.summaries[*v.pick_final_epoch].final_score) << ".";
  }
  out << "</p>";
}

void write_verdict(std::ostream& out, const Page& p) {
  const Verdict& v = p.verdict;
  out << "<section id=\"verdict\"><h2>Verdict</h2>";
  if (v.kind == Verdict::Kind::kNothingFinished) {
    out << "<p>No trial has finished yet, so there is nothing to judge.</p></section>";
    return;
  }
  const ConfigSummary& base = p.summaries[v.baseline];
  const std::string repeats =
      base.val_loss_epoch.n > 1 ? " (mean ± sd over " + std::to_string(base.val_loss_epoch.n) + " repeats)" : "";
  const std::string end = v.baseline_cut_short ? "by the epoch early stopping ended its runs (" +
                                                     figure("baseline_epochs_run", base.epochs_run, "%.3g") + ")"
                                               : "by the final " + p.step();
  const std::string course =
      "validation loss bottoms out at " + p.step() + " " + figure("baseline_best_epoch", base.val_loss_epoch, "%.3g") +
      repeats + " at " +
      figure("baseline_best_val_loss", base.best_val_loss) + ", then rises by " + figure("baseline_rise", base.rise) + " " +
      end + "; the final gap between validation and training loss is " + figure("baseline_gap", base.gap) + ".";
  auto largest_rise = [&] {
    if (!v.largest_rise) return std::string();
    const ConfigSummary& c = p.summaries[*v.largest_rise];
    return " Among the " + std::to_string(Verdict::kTopConfigs) + " best configurations, " +
           text_figure("largest_rise_config", p.config_text(*v.largest_rise)) + " rises most: by " +
           figure("largest_rise", c.rise) + " after its minimum at " + p.step() + " " +
           stat_text(c.val_loss_epoch, "%.3g") + ".";
  };
  if (v.kind == Verdict::Kind::kNoLossCurves) {
    out << "<p>" << no_loss_curves_text(p) << "</p>";
  } else if (v.kind == Verdict::Kind::kNoBaseline) {
    out << "<p>"
        << (v.regularization_swept ? "No configuration of this sweep has " + regularizer_list(" and ") + " all 0"
                                   : "This sweep does not vary " + regularizer_list(" or "))
        << ", so there is no unregularized baseline to compare with. For its best configuration, "
        << text_figure("baseline_config", p.config_text(v.baseline)) << ", " << course << largest_rise() << "</p>";
  } else {
    out << "<p>Without regularization, " << text_figure("baseline_config", p.config_text(v.baseline)) << ", "
        << course << "</p>";
    if (v.kind == Verdict::Kind::kNoOverfitting) {
      out << "<p>That rise is within 1% of the minimum (" << figure("threshold", v.threshold) << "): "
          << (v.baseline_cut_short
                  ? "early stopping's patience ended the runs soon after the minimum, so the rise was <b>cut short</b> "
                    "and this sweep cannot tell how far validation loss would climb; train without early stopping to see."
                  : "the baseline shows <b>no overfitting</b>.")
          << largest_rise() << "</p>";
    } else {
      const std::string column = xml_escape(p.metric_column());
      auto cure_text = [&](const Cure& c, const char* key) {
        const std::string k = key;
        std::string where = c.marginal ? " (over every finished trial with that value, whatever the other settings)"
                                       : " (config " + std::to_string(p.summaries[c.summary].config) + ")";
        return text_figure(k + "_setting", c.setting + "=" + c.value) + where;
      };
      auto final_text = [&](const Cure& c, const char* key) {
        return "; final " + column + " " + figure(std::string(key) + "_final", c.final_score) + " against the baseline's " +
               stat_text(base.final_score, "%.4g");
      };
      out << "<p><b>Overfitting</b>: validation loss rises by more than 1% of its minimum after the best epoch. ";
      if (v.rise_cure) {
        out << cure_text(*v.rise_cure, "rise_cure") << " shrinks the rise most, to "
            << figure("rise_cure_rise", v.rise_cure->rise) << ", with a final gap of "
            << figure("rise_cure_gap", v.rise_cure->gap) << final_text(*v.rise_cure, "rise_cure") << ". ";
      }
      if (v.gap_cure && (!v.rise_cure || v.gap_cure->setting != v.rise_cure->setting ||
                         v.gap_cure->value != v.rise_cure->value)) {
        out << cure_text(*v.gap_cure, "gap_cure") << " shrinks the gap most, to " << figure("gap_cure_gap", v.gap_cure->gap)
            << " (rise " << figure("gap_cure_rise", v.gap_cure->rise) << final_text(*v.gap_cure, "gap_cure") << "). ";
      }
      if (!v.rise_cure || !v.gap_cure) {
        out << "No change of one swept setting shrinks the " << (!v.rise_cure && !v.gap_cure ? "rise or the gap" : !v.rise_cure ? "rise" : "gap")
            << " without a worse final " << column << ". ";
      }
      out << "</p>";
    }
  }
  if (v.pick_best_epoch && p.program) {
    write_program_picks(out, p);
  } else if (v.pick_best_epoch) {
    const ConfigSummary& a = p.summaries[*v.pick_best_epoch];
    const std::string words = p.metric_words();
    out << "<p>Ranked by best-epoch " << words << " (each run as if early stopping kept its best epoch), the sweep picks "
        << text_figure("pick_best_config", p.config_text(*v.pick_best_epoch)) << " at "
        << figure("pick_best_score", a.score) << "; at its final epoch that configuration scores "
        << figure("pick_best_final", a.final_score) << ". ";
    if (!v.pick_final_epoch) {
      out << "No configuration trained every epoch of every repeat (early stopping or early termination ended "
             "them), so there is no ranking by the final epoch of full training to compare.";
    } else if (*v.pick_best_epoch == *v.pick_final_epoch) {
      out << "Ranked by final-epoch " << words << " among the configurations that trained every epoch, it picks the same.";
    } else {
      out << "Ranked by final-epoch " << words << " among the configurations that trained every epoch (no early "
          << "stopping), it picks " << text_figure("pick_final_config", p.config_text(*v.pick_final_epoch)) << " at "
          << figure("pick_final_score", p.summaries[*v.pick_final_epoch].final_score) << ".";
    }
    out << "</p>";
  }
  out << "</section>";
}

/// "train.py, command ${env} ${interpreter} ${program} ${args}": what a program sweep ran.
std::string program_text(const Page& p) {
  if (!p.spec.program) return "the program named in the sweep file";
  const search::ProgramSpec& program = *p.spec.program;
  std::string command;
  for (const std::string& word : program.command) command += (command.empty() ? "" : " ") + word;
  return (program.program.empty() ? std::string() : program.program + ", ") + "command " + command +
         "; ranked by " + p.metric.name + " as it reports it";
}

void write_summary(std::ostream& out, const Page& p) {
  const Summary s = summarize(p.results);
  const store::SweepInfo& info = p.results.info;
  out << "<h2>Summary</h2><table id=\"summary\"><tbody>"
      << "<tr><th class=\"l\">sweep</th>" << text_cell(info.name + " (" + search::method_name(p.spec.method) + ", " +
                                                       std::to_string(p.results.trials.size()) + " trials)")
      << "</tr>";
  if (p.program) {
    out << "<tr><th class=\"l\">program</th>" << text_cell(program_text(p)) << "</tr>";
  } else {
    out << "<tr><th class=\"l\">data</th>"
        << text_cell((info.data.task.empty() ? std::string() : info.data.task + ", ") +
                     (info.data.train_samples > 0 ? std::to_string(info.data.train_samples) + " train / " +
                                                        std::to_string(info.data.val_samples) + " val / " +
                                                        std::to_string(info.data.test_samples) + " test samples; "
                                                  : std::string()) +
                     "val_metric is " +
                     (info.data.val_metric.empty() ? std::string("not recorded") : info.data.val_metric) +
                     "; fingerprint " + info.data_fingerprint)
        << "</tr>";
  }
  out << "<tr><th class=\"l\">trials</th>"
      << text_cell(std::to_string(s.counts.ok) + " ok, " + std::to_string(s.counts.stopped) + " stopped at a rung, " +
                   std::to_string(s.counts.diverged) + " diverged, " + std::to_string(s.counts.failed) + " failed, " +
                   std::to_string(s.counts.pending) + " pending")
      << "</tr><tr><th class=\"l\">compute</th>"
      << text_cell(num(s.trial_seconds, "%.1f") + " trial-seconds, " + std::to_string(s.epochs) + " " + p.step() + "s")
      << "</tr><tr><th class=\"l\">last run</th>"
      << text_cell((info.wall_seconds > 0 ? num(info.wall_seconds, "%.1f") + " s wall" : std::string("running or interrupted")) +
                   ", " + std::to_string(info.ranks) + " rank(s) x " + std::to_string(info.threads) + " thread(s)")
      << "</tr>";
  if (p.spec.early_terminate.enabled()) {
    const TerminationSummary t = summarize_termination(p.results);
    std::string text = std::string(search::termination_name(p.spec.early_terminate.type)) + ": ";
    // A program's full length is unknown (it reports as often as it likes): its reports are counted.
    text += p.program ? std::to_string(t.epochs_run) + " reports in all; stopped:"
                      : std::to_string(t.epochs_run) + " of the " + std::to_string(t.full_epochs) +
                            " epochs of a full sweep (saved " + num(100.0 * t.saved(), "%.1f") + "%), " +
                            std::to_string(t.epochs_trained) + " epochs trained; stopped:";
    for (const auto& [epochs, trials] : t.stopped_at) {
      text += " " + std::to_string(trials) + " at " + p.step() + " " + std::to_string(epochs) + ",";
    }
    if (t.stopped_at.empty()) text += " none,";
    text.back() = '.';
    out << "<tr><th class=\"l\">early termination</th>" << text_cell(text) << "</tr>";
  }
  if (p.has_best()) {
    const ConfigSummary& best = p.summaries.front();
    std::string text = p.config_text(0) + "; best " + p.metric_column() + " " + stat_text(best.score) + " over " +
                       std::to_string(best.score.n) + " repeat(s), at " + p.step() + " " +
                       stat_text(best.best_epoch, "%.3g") +
                       "; final " + p.metric_column() + " " + stat_text(best.final_score);
    if (best.best_test_loss.n > 0 && std::isfinite(best.best_test_loss.mean)) {
      text += "; test loss " + stat_text(best.best_test_loss) + ", test " + p.results.info.data.val_metric + " " +
              stat_text(best.best_test_metric) + " at the epoch validation selected (" + stat_text(best.test_loss) +
              " and " + stat_text(best.test_metric) + " with the final weights)";
    } else if (best.test_loss.n > 0 && std::isfinite(best.test_loss.mean)) {
      text += "; test loss " + stat_text(best.test_loss) + " with the final weights";
    }
    out << "<tr><th class=\"l\">best configuration</th>" << text_cell(text) << "</tr>";
  }
  out << "</tbody></table>";
}

void write_ranking(std::ostream& out, const Page& p) {
  const bool has_test = has_test_scores(p.results);
  const std::string primary = p.metric_column();
  std::vector<std::string> columns = {"rank", "config", "trials", "best_" + primary + " mean ± std", "min", "max",
                                      p.program ? "best_report" : "best_epoch", "final_" + primary};
  // A program sweep has none of the trainer's other columns; its rise needs val_loss and train_loss.
  if (p.program) {
    if (p.loss_curves) columns.push_back("rise");
  } else {
    if (p.metric.kind == RankedMetric::Kind::kValMetric) {
      columns.insert(columns.end(), {"best_val_loss", "final_val_loss"});
    } else {
      columns.push_back("best_val_metric");
    }
    columns.push_back("rise");
  }
  if (has_test) columns.insert(columns.end(), {"best_test_loss", "best_test_metric", "test_loss", "test_metric"});
  columns.push_back("status");
  columns.insert(columns.end(), p.shown.begin(), p.shown.end());
  out << "<h2>Ranking</h2><p class=\"note\">Top " << std::min<std::size_t>(p.ranking.size(), p.limits.ranking_rows)
      << " of " << p.ranking.size() << " configurations by the sweep's metric (" << xml_escape(p.spec.metric.name)
      << ", "
      << search::goal_name(p.spec.metric.goal) << "), each scored by the mean over its finished repeats; click a "
      << "header to sort. " << xml_escape(metric_note(p.results)) << ".</p>"
      << "<div class=\"scroll\"><table class=\"sortable\" id=\"ranking\">" << header_row(columns) << "<tbody>";
  for (std::size_t i = 0; i < p.ranking.size(); ++i) {
    const search::RankedConfig& c = p.ranking[i];
    const ConfigSummary& s = p.summaries[i];
    if (c.rank > p.limits.ranking_rows) break;
    out << "<tr>" << num_cell(c.rank, std::to_string(c.rank)) << num_cell(c.config, std::to_string(c.config))
        << text_cell(std::to_string(c.finished) + "/" + std::to_string(c.trials.size()))
        << num_cell(c.mean, num(c.mean) + (c.finished > 1 ? " ± " + num(c.stddev, "%.2g") : "")) << num_cell(c.min)
        << num_cell(c.max) << num_cell(s.best_epoch.mean, stat_text(s.best_epoch, "%.3g"))
        << num_cell(s.final_score.mean);
    if (!p.program && p.metric.kind == RankedMetric::Kind::kValMetric) {
      out << num_cell(s.best_val_loss.mean) << num_cell(s.final_val_loss.mean);
    } else if (!p.program) {
      out << num_cell(s.best_val_metric.mean);
    }
    if (!p.program || p.loss_curves) out << num_cell(s.rise.mean, stat_text(s.rise, "%.3g"));
    if (has_test) {
      out << num_cell(s.best_test_loss.mean) << num_cell(s.best_test_metric.mean) << num_cell(s.test_loss.mean)
          << num_cell(s.test_metric.mean);
    }
    out << text_cell(status_note(c));
    const store::TrialRecord& first = p.trial(s.first_trial);
    for (const auto& name : p.shown) {
      const search::Value* v = search::find_value(first.settings, name);
      out << text_cell(v != nullptr ? short_value(*v) : "");
    }
    out << "</tr>";
  }
  out << "</tbody></table></div>";
}

/// Each configuration's score by its number (NaN: none), over every number up to the last the
/// file holds, and how many of the configurations in the file have none.
struct History {
  std::vector<double> score;
  int unscored = 0;
};

History history_scores(const Page& p) {
  std::vector<bool> present;
  for (const store::TrialRecord& t : p.results.trials) {
    const auto c = static_cast<std::size_t>(t.config);
    if (c >= present.size()) present.resize(c + 1, false);
    present[c] = true;
  }
  History h{std::vector<double>(present.size(), std::numeric_limits<double>::quiet_NaN()), 0};
  for (const ConfigSummary& s : p.summaries) {
    if (s.score.n > 0) h.score.at(static_cast<std::size_t>(s.config)) = s.score.mean;
  }
  for (std::size_t c = 0; c < h.score.size(); ++c) h.unscored += present[c] && !std::isfinite(h.score[c]) ? 1 : 0;
  return h;
}

void write_history(std::ostream& out, const Page& p) {
  const std::string value = "mean best " + p.metric_column();
  History history = history_scores(p);
  HistoryChart chart{"optimization history: " + value + " per configuration", value, std::move(history.score),
                     p.spec.metric.goal, 0, {}};
  if (std::none_of(chart.score.begin(), chart.score.end(), [](double v) { return std::isfinite(v); })) return;
  const bool bayes = p.spec.method == search::Method::kBayes;
  if (bayes) chart.model_from = p.spec.bayes.startup_trials;
  if (history.unscored > 0) {
    chart.legend_notes.push_back(std::to_string(history.unscored) +
                                 " configuration(s) without a score (no finished repeat): not drawn");
  }
  const std::string expect =
      bayes ? "after the first " + std::to_string(p.spec.bayes.startup_trials) +
                  " configurations (drawn at random) the model decides them, so the later dots should approach the line"
            : "grid and random decide every configuration up front, so no trend is expected (under method bayes the "
              "later configurations are decided by the model and should approach the line)";
  out << "<h2>Optimization history</h2><p class=\"note\">Each dot is one configuration's score (" << xml_escape(value)
      << " over its finished repeats) in the order the sweep decided them, numbered from 0, and the line is the "
      << (lower_is_better(p.spec.metric.goal) ? "lowest" : "highest") << " score so far; " << expect
      << ".</p><div class=\"charts\">" << history_chart_svg(chart) << "</div>";
}

/// Mean validation (solid) and training (dashed, unlisted) loss of a configuration with ± sd bands.
std::vector<Series> config_series(const Page& p, std::size_t i, const std::string& label, std::size_t colour) {
  const MeanCurve val = mean_curve(p.results, p.ranking[i].trials, &store::Curve::val_loss);
  const MeanCurve train = mean_curve(p.results, p.ranking[i].trials, &store::Curve::train_loss);
  int marked = 0;
  for (std::size_t e = 0; e < val.mean.size(); ++e) {
    if (std::isfinite(val.mean[e]) && (marked == 0 || val.mean[e] < val.mean[static_cast<std::size_t>(marked - 1)])) {
      marked = static_cast<int>(e + 1);
    }
  }
  Series v{label, val.mean, val.spread, palette(colour), false, marked, true};
  Series t{label + " (train)", train.mean, train.spread, palette(colour), true, 0, false};
  return {v, t};
}

/// The mean validation loss minus its minimum, from the epoch of that minimum on: the rise.
Series rise_series(const Page& p, std::size_t i, const std::string& label, std::size_t colour) {
  std::vector<double> mean = mean_curve(p.results, p.ranking[i].trials, &store::Curve::val_loss).mean;
  std::size_t lowest = mean.size();
  for (std::size_t e = 0; e < mean.size(); ++e) {
    if (std::isfinite(mean[e]) && (lowest == mean.size() || mean[e] < mean[lowest])) lowest = e;
  }
  const double minimum = lowest < mean.size() ? mean[lowest] : 0.0;
  for (std::size_t e = 0; e < mean.size(); ++e) mean[e] = e < lowest ? std::nan("") : mean[e] - minimum;
  return {label, mean, {}, palette(colour), false, lowest < mean.size() ? static_cast<int>(lowest + 1) : 0, true};
}

/// A program sweep's chart of its ranked metric per report, for the top configurations; empty
/// when its metric is the val_loss or train_loss the loss charts show already.
std::string metric_curves_svg(const Page& p) {
  if (p.metric.name == "val_loss" || p.metric.name == "train_loss") return "";
  const std::size_t top = std::min(p.ranking.size(), static_cast<std::size_t>(p.limits.curve_configs));
  LineChart chart;
  chart.title =
      "top " + std::to_string(top) + " configurations: mean " + p.metric.name + " per report (the ranked metric)";
  chart.y_label = p.metric.name;
  chart.x_label = "report";
  chart.legend_notes = {"band: ± sd over repeats"};
  for (std::size_t i = 0; i < top; ++i) {
    if (p.summaries[i].score.n == 0) break;
    const MeanCurve m = mean_curve(p.results, p.ranking[i].trials, p.metric.name);
    chart.series.push_back({"#" + std::to_string(i + 1) + " " + p.settings_text(p.summaries[i].first_trial), m.mean,
                            m.spread, palette(i), false, 0, true});
  }
  const bool drawn = std::any_of(chart.series.begin(), chart.series.end(), [](const Series& s) {
    return std::any_of(s.y.begin(), s.y.end(), [](double y) { return std::isfinite(y); });
  });
  return drawn ? line_chart_svg(chart) : "";
}

void write_curves(std::ostream& out, const Page& p) {
  if (!p.has_best()) return;
  if (p.program && !p.loss_curves) {  // no val_loss and train_loss: the ranked metric's curves alone
    const std::string chart = metric_curves_svg(p);
    if (chart.empty()) return;
    out << "<h2>Learning curves</h2><p class=\"note\">Means over each configuration's finished repeats of the "
        << xml_escape(p.metric.name) << " its program reported, up to the last report all of them reached, with ± "
        << "one standard deviation as a band.</p><div class=\"charts\">" << chart << "</div>";
    return;
  }
  const std::vector<std::string> notes = {"solid: validation, dashed: training", "band: ± sd over repeats",
                                          "dot: minimum of the mean validation loss"};
  if (p.program) {
    out << "<h2>Overfitting and its cure</h2><p class=\"note\">Learning curves are means over each configuration's "
           "finished repeats, up to the last report all of them reached, with ± one standard deviation as a band: "
           "val_loss and train_loss as the program reported them.</p><div class=\"charts\">";
  } else {
    out << "<h2>Overfitting and its cure</h2><p class=\"note\">Learning curves are means over each configuration's "
           "finished repeats, up to the last epoch all of them reached, with ± one standard deviation as a band; "
           "training loss is measured in inference mode without the L2 penalty.</p><div class=\"charts\">";
  }
  // The baseline beside the cures the verdict names and the ranking's first, on one y range.
  std::vector<std::pair<std::size_t, std::string>> picked;
  auto pick = [&](std::size_t i, const std::string& role) {
    for (auto& [j, r] : picked) {
      if (j == i) {
        r += ", " + role;
        return;
      }
    }
    picked.emplace_back(i, role);
  };
  const Verdict& v = p.verdict;
  if (v.kind != Verdict::Kind::kNothingFinished) pick(v.baseline, v.kind == Verdict::Kind::kNoBaseline ? "best" : "baseline");
  if (v.rise_cure && !v.rise_cure->marginal) pick(v.rise_cure->summary, "least rise");
  if (v.gap_cure && !v.gap_cure->marginal) pick(v.gap_cure->summary, "least gap");
  pick(0, "#1");
  LineChart cure;
  cure.title = "baseline and cures: mean loss per " + p.step();
  cure.x_label = p.step();
  cure.legend_notes = notes;
  for (std::size_t k = 0; k < picked.size(); ++k) {
    for (auto& s : config_series(p, picked[k].first, picked[k].second + ": " + p.settings_text(p.summaries[picked[k].first].first_trial), k)) {
      cure.series.push_back(std::move(s));
    }
  }
  out << line_chart_svg(cure);
  const std::size_t top = std::min(p.ranking.size(), static_cast<std::size_t>(p.limits.curve_configs));
  LineChart rise;
  rise.title = "the rise: mean validation loss minus its minimum";
  rise.y_label = "val loss - min";
  rise.x_label = p.step();
  rise.legend_notes = {"from the " + p.step() + " of the minimum (dot) on",
                       "the rise of the mean curve; the verdict's is the mean of each run's"};
  LineChart best;
  best.title = "top " + std::to_string(top) + " configurations: mean loss per " + p.step();
  best.x_label = p.step();
  best.legend_notes = notes;
  for (std::size_t i = 0; i < top; ++i) {
    if (p.summaries[i].score.n == 0) break;
    const std::string label = "#" + std::to_string(i + 1) + " " + p.settings_text(p.summaries[i].first_trial);
    rise.series.push_back(rise_series(p, i, label, i));
    for (auto& s : config_series(p, i, label, i)) best.series.push_back(std::move(s));
  }
  if (v.kind != Verdict::Kind::kNothingFinished && v.baseline >= top) {
    rise.series.push_back(rise_series(p, v.baseline, "baseline " + p.settings_text(p.summaries[v.baseline].first_trial), top));
  }
  // Its own scale from 0: a rise of 0.01 fills the chart instead of vanishing beside a fall of 0.3.
  rise.y_min = 0.0;
  rise.y_max = std::max(value_range(rise.series).second, 1e-6);
  out << line_chart_svg(rise) << line_chart_svg(best);
  if (p.program) out << metric_curves_svg(p);
  out << "</div>";
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
  const std::vector<TrialDiagnosis> shown = shown_diagnoses(p, all);
  out << "<h2>Rise and gap by setting</h2><p class=\"note\">Rise = final minus best validation loss (how much "
         "validation loss grew after its minimum); gap = final validation minus final training loss. Bars: the mean "
         "over the finished trials with each value, whatever their other settings; whiskers: ± one standard "
         "deviation.</p><div class=\"charts\">";
  for (const RiseGapBySetting& g : rise_gap_by_setting(p.results, all)) {
    ErrorBarChart chart{"rise and gap by " + g.axis.setting, g.axis.setting + (g.axis.log ? " (log scale)" : ""),
                        "val loss difference", g.axis.labels, edge_labels(g.axis), {}};
    ErrorBarChart::Group rise{"rise", palette(0), {}, {}};
    ErrorBarChart::Group gap{"gap", palette(1), {}, {}};
    for (std::size_t k = 0; k < g.rise.size(); ++k) {
      rise.mean.push_back(g.rise[k].mean);
      rise.spread.push_back(g.rise[k].sd);
      gap.mean.push_back(g.gap[k].mean);
      gap.spread.push_back(g.gap[k].sd);
    }
    chart.groups = {rise, gap};
    out << error_bar_chart_svg(chart);
  }
  out << "</div><p class=\"note\">Per trial, " << shown.size() << " of " << all.size()
      << " finished trials (those of the best-ranked configurations):</p>";
  std::vector<std::string> columns = {"trial", "config", p.program ? "min_val_loss_report" : "best_epoch",
                                      p.program ? "reports" : "epochs_run", "best_val_loss", "rise", "gap"};
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

std::vector<ScoredConfig> scored_configs(const Page& p) {
  std::vector<ScoredConfig> configs;
  for (const ConfigSummary& s : p.summaries) {
    if (s.score.n > 0) configs.push_back({s.first_trial, s.score.mean});
  }
  return configs;
}

void write_heat_maps(std::ostream& out, const Page& p) {
  const std::vector<ScoredConfig> configs = scored_configs(p);
  const HeatMaps maps = heat_maps(p.results, configs, p.terms, p.spec.metric.goal);
  if (maps.maps.empty()) return;
  const std::string value = "mean best " + p.metric_column();
  std::string heading = p.metric_words();
  if (!p.program) heading[0] = 'V';  // "validation ..." starts the heading
  out << "<h2>" << xml_escape(heading) << " over pairs of settings</h2><p class=\"note\">Each cell: the best "
      << "configuration in it, scored like the ranking (" << xml_escape(value)
      << " over its repeats), whatever the other "
      << "settings; grey: none. ";
  if (maps.pairs > static_cast<int>(maps.maps.size())) {
    out << "Shown: the " << maps.maps.size() << " of " << maps.pairs
        << " pairs of varying settings whose settings matter most (importance of both plus their interaction, below).";
  } else {
    out << "Shown: every pair of varying settings, the one whose settings matter most (importance of both plus "
           "their interaction, below) first.";
  }
  out << "</p><div class=\"charts\">";
  for (const HeatMap& m : maps.maps) {
    out << heat_map_svg(m, value + ": " + m.x.setting + " x " + m.y.setting, value,
                        lower_is_better(p.spec.metric.goal));
  }
  out << "</div>";
}

void write_parallel(std::ostream& out, const Page& p) {
  const std::vector<std::string> varying = varying_settings(p.results);
  const std::vector<ScoredConfig> configs = scored_configs(p);
  if (varying.empty() || configs.size() < 2) return;
  // The best configurations, so that a 10,000-configuration sweep stays readable and small.
  const std::size_t lines = std::min<std::size_t>(configs.size(), 500);
  ParallelChart chart{"every configuration" + std::string(lines < configs.size() ? " (the best 500)" : "") +
                          ", coloured by mean best " + p.metric_column(),
                      {}, {}, {}, "mean best " + p.metric_column(), lower_is_better(p.spec.metric.goal)};
  std::vector<std::vector<double>> columns(varying.size());
  for (std::size_t i = 0; i < lines; ++i) {
    std::vector<double> row;
    for (std::size_t k = 0; k < varying.size(); ++k) {
      row.push_back(numeric_setting(p.trial(configs[i].first_trial).settings, varying[k]).value_or(std::nan("")));
      columns[k].push_back(row.back());
    }
    chart.values.push_back(std::move(row));
    chart.score.push_back(configs[i].score);
  }
  for (std::size_t k = 0; k < varying.size(); ++k) chart.axes.push_back(make_axis(varying[k], columns[k]));
  out << "<h2>All configurations</h2><p class=\"note\">One line per configuration across its settings to its score; "
         "the best are drawn darkest and on top.</p>"
      << parallel_chart_svg(chart);
}

void write_importance(std::ostream& out, const Page& p) {
  if (p.terms.empty()) return;
  out << "<h2>Parameter importance</h2><p class=\"note\">Share of the variance of best "
      << xml_escape(p.metric_column())
      << " over the finished trials explained by each setting (correlation ratio over its values, or 8 bins when it has "
         "many; on a full grid the functional-ANOVA main effect) and by each pair's interaction beyond both "
         "main effects (shown only with at least 2 trials per cell). The rest is the other settings and "
         "seed noise.</p><table id=\"importance\">"
      << header_row({"term", "share", ""}) << "<tbody>";
  for (const Importance& t : p.terms) {
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
      << header_row({"trial", "config", "status", p.program ? "reports" : "epochs_run", "settings", "message"})
      << "<tbody>";
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
  const RankedMetric metric = ranked_metric(spec);
  Page page{results, spec, limits, rank_results(results, spec), shown_settings(results, spec), metric,
            metric.reported(), has_loss_curves(results), {}, {}, {}};
  page.summaries = summarize_configs(results, page.ranking, page.metric);
  page.verdict = judge(results, page.ranking, page.summaries, spec.swept_names(), page.metric);
  page.terms = importance(results, page.metric);
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>hpsweep report: "
      << xml_escape(results.info.name) << "</title><style>" << kStyle << "</style></head><body><h1>hpsweep report: "
      << xml_escape(results.info.name) << "</h1><p class=\"note\">" << xml_escape(source) << ", created "
      << xml_escape(results.info.created) << " by hpsweep " << xml_escape(results.info.hpsweep_version) << "</p>\n";
  const Summary summary = summarize(results);
  if (summary.partial) {
    out << "<p class=\"partial\"><b>PARTIAL</b>: " << summary.counts.pending
        << " trial(s) still pending; this report shows what the file holds so far.</p>";
  }
  for (auto* section : {write_verdict, write_summary, write_ranking, write_history, write_curves, write_diagnosis,
                        write_heat_maps, write_parallel, write_importance, write_failures}) {
    section(out, page);
    out << "\n";
  }
  out << "<script>" << kSortScript << "</script></body></html>\n";
}

}  // namespace hpsweep::report
