#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <ostream>

#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/cli/table.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/search/rank.hpp"
#include "hpsweep/store/journal.hpp"
#include "settings_json.hpp"

namespace hpsweep::cli {
namespace {

/// The sweep stored in a results file (its metric and swept settings).
search::SweepSpec stored_spec(const store::Results& results) {
  return search::parse_sweep(results.info.sweep_text, results.info.name + ".yaml");
}

std::string status_note(const search::RankedConfig& c) {
  if (c.all_bad) return c.failed > 0 && c.diverged == 0 ? "all failed" : "all diverged/failed";
  std::string note;
  if (c.diverged > 0) note += std::to_string(c.diverged) + " diverged ";
  if (c.failed > 0) note += std::to_string(c.failed) + " failed ";
  if (c.pending > 0) note += std::to_string(c.pending) + " pending";
  return note.empty() ? "ok" : note;
}

/// Mean test loss over a configuration's finished trials (NaN without a test split): reported
/// beside the ranking, never used for it.
double mean_test_loss(const store::Results& results, const search::RankedConfig& c) {
  double sum = 0.0;
  int count = 0;
  for (int t : c.trials) {
    const store::TrialRecord& r = results.trials.at(static_cast<std::size_t>(t));
    if (search::is_finished(r.status)) {
      sum += r.test_loss;
      ++count;
    }
  }
  return count > 0 ? sum / count : std::nan("");
}

}  // namespace

void add_rank_options(CLI::App& cmd, RankOptions& o) {
  cmd.add_option("results", o.results, "Results file (HDF5) written by hpsweep run")->required();
  cmd.add_option("--top", o.top, "Show only the best K configurations (0: all)")->capture_default_str();
  cmd.add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

int run_rank(const RankOptions& o, std::ostream& out) {
  const store::Results results = store::read_results_with_journal(o.results);
  const search::SweepSpec spec = stored_spec(results);
  const bool by_metric = spec.metric.name == "val_metric";
  std::vector<search::Outcome> outcomes;
  for (const auto& t : results.trials) {
    outcomes.push_back({t.trial, t.config, t.repeat, t.status, by_metric ? t.best_val_metric : t.best_val_loss});
  }
  const std::vector<search::RankedConfig> ranking = search::rank_configs(outcomes, spec.metric.goal);
  std::vector<std::string> shown = spec.swept_names();
  if (shown.empty() && !results.trials.empty()) {
    for (const auto& s : results.trials.front().settings) shown.push_back(s.name);
  }
  const std::string metric = by_metric ? "best_val_metric" : "best_val_loss";
  const bool has_test = std::any_of(results.trials.begin(), results.trials.end(),
                                    [](const store::TrialRecord& r) { return std::isfinite(r.test_loss); });
  std::vector<std::string> columns = {"rank", "config", "trials", metric, "std", "min", "max", "best_epoch", "status"};
  if (has_test) columns.push_back("test_loss");
  columns.insert(columns.end(), shown.begin(), shown.end());
  Table table(columns);
  for (const auto& c : ranking) {
    if (o.top > 0 && c.rank > o.top) break;
    const store::TrialRecord& first = results.trials.at(static_cast<std::size_t>(c.first_trial));
    std::vector<nlohmann::ordered_json> row = {c.rank,           c.config,       std::to_string(c.finished) + "/" + std::to_string(c.trials.size()),
                                               number(c.mean),   number(c.stddev), number(c.min),
                                               number(c.max),    c.finished == 1 ? nlohmann::ordered_json(first.best_epoch) : nullptr,
                                               status_note(c)};
    if (has_test) row.push_back(number(mean_test_loss(results, c)));
    for (const auto& name : shown) {
      const search::Value* v = search::find_value(first.settings, name);
      row.push_back(v != nullptr ? to_json(*v) : nullptr);
    }
    table.add(std::move(row));
  }
  table.print(out, parse_format(o.format));
  return 0;
}

}  // namespace hpsweep::cli
