#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <ostream>

#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/cli/table.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/report/verdict.hpp"
#include "hpsweep/store/journal.hpp"
#include "settings_json.hpp"

namespace hpsweep::cli {

void add_rank_options(CLI::App& cmd, RankOptions& o) {
  cmd.add_option("results", o.results, "Results file (HDF5) written by hpsweep run")->required();
  cmd.add_option("--top", o.top, "Show only the best K configurations (0: all)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  cmd.add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

namespace {

/// An epoch count as JSON: an integer when it is one (one repeat, or repeats that agree), so that
/// scripts reading best_epoch as an integer keep working.
nlohmann::ordered_json whole_or_real(double value) {
  if (std::isfinite(value) && value == std::round(value) && std::abs(value) < 1e15) return static_cast<long long>(value);
  return number(value);
}

/// The settings of a configuration's representative trial, appended to its row.
void append_settings(std::vector<nlohmann::ordered_json>& row, const store::TrialRecord& trial,
                     const std::vector<std::string>& shown) {
  for (const auto& name : shown) {
    const search::Value* v = search::find_value(trial.settings, name);
    row.push_back(v != nullptr ? to_json(*v) : nullptr);
  }
}

/// A program sweep's ranking: by the metric the program reported, under its own name.
int rank_program_sweep(const RankOptions& o, const store::Results& results, const search::SweepSpec& spec,
                       std::ostream& out) {
  const std::vector<search::RankedConfig> ranking = report::rank_results(results, spec);
  const std::vector<report::ConfigSummary> summaries =
      report::summarize_configs(results, ranking, report::ranked_metric(spec));
  const std::vector<std::string> shown = report::shown_settings(results, spec);
  const std::string& name = spec.metric.name;
  std::vector<std::string> columns = {"rank", "config", "trials", "best_" + name, "std", "min", "max",
                                      "best_report", "final_" + name, "status"};
  columns.insert(columns.end(), shown.begin(), shown.end());
  Table table(columns);
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    const search::RankedConfig& c = ranking[i];
    const report::ConfigSummary& s = summaries[i];
    if (o.top > 0 && c.rank > o.top) break;
    std::vector<nlohmann::ordered_json> row = {
        c.rank, c.config, std::to_string(c.finished) + "/" + std::to_string(c.trials.size()), number(c.mean),
        number(c.stddev), number(c.min), number(c.max), whole_or_real(s.best_epoch.mean),
        number(s.final_score.mean), report::status_note(c)};
    append_settings(row, results.trials.at(static_cast<std::size_t>(s.first_trial)), shown);
    table.add(std::move(row));
  }
  const Format format = parse_format(o.format);
  if (format == Format::kTable) {
    out << name << " as the program reported it (" << search::goal_name(spec.metric.goal)
        << "); means over finished repeats; best_report is the 1-based report of the best value, final_"
        << name << " its last\n";
  }
  table.print(out, format);
  return 0;
}

}  // namespace

int run_rank(const RankOptions& o, std::ostream& out) {
  const store::Results results = store::read_results(o.results);
  const search::SweepSpec spec = report::stored_spec(results);
  if (spec.metric.reported) return rank_program_sweep(o, results, spec, out);
  const report::RankedMetric metric = report::ranked_metric(spec);
  const bool by_metric = metric.kind == report::RankedMetric::Kind::kValMetric;
  const std::vector<search::RankedConfig> ranking = report::rank_results(results, spec);
  const std::vector<report::ConfigSummary> summaries = report::summarize_configs(results, ranking, metric);
  const std::vector<std::string> shown = report::shown_settings(results, spec);
  const bool has_test = report::has_test_scores(results);
  const std::string primary = by_metric ? "val_metric" : "val_loss";
  std::vector<std::string> columns = {"rank", "config", "trials", "best_" + primary, "std", "min", "max",
                                      "best_epoch", "best_epoch_std", "final_" + primary};
  if (by_metric) columns.insert(columns.end(), {"best_val_loss", "final_val_loss"});
  else columns.push_back("best_val_metric");
  columns.push_back("rise");
  if (has_test) columns.insert(columns.end(), {"best_test_loss", "best_test_metric", "test_loss", "test_metric"});
  columns.push_back("status");
  columns.insert(columns.end(), shown.begin(), shown.end());
  Table table(columns);
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    const search::RankedConfig& c = ranking[i];
    const report::ConfigSummary& s = summaries[i];
    if (o.top > 0 && c.rank > o.top) break;
    std::vector<nlohmann::ordered_json> row = {
        c.rank, c.config, std::to_string(c.finished) + "/" + std::to_string(c.trials.size()), number(c.mean),
        number(c.stddev), number(c.min), number(c.max), whole_or_real(s.best_epoch.mean), number(s.best_epoch.sd),
        number(s.final_score.mean)};
    if (by_metric) {
      row.insert(row.end(), {number(s.best_val_loss.mean), number(s.final_val_loss.mean)});
    } else {
      row.push_back(number(s.best_val_metric.mean));
    }
    row.push_back(number(s.rise.mean));
    if (has_test) {
      row.insert(row.end(), {number(s.best_test_loss.mean), number(s.best_test_metric.mean), number(s.test_loss.mean),
                             number(s.test_metric.mean)});
    }
    row.push_back(report::status_note(c));
    append_settings(row, results.trials.at(static_cast<std::size_t>(s.first_trial)), shown);
    table.add(std::move(row));
  }
  const Format format = parse_format(o.format);
  if (format == Format::kTable) out << report::metric_note(results) << "\n";
  table.print(out, format);
  return 0;
}

}  // namespace hpsweep::cli
