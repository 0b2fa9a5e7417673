#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <ostream>

#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/cli/table.hpp"
#include "hpsweep/report/ranking.hpp"
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

int run_rank(const RankOptions& o, std::ostream& out) {
  const store::Results results = store::read_results_with_journal(o.results);
  const search::SweepSpec spec = report::stored_spec(results);
  const bool by_metric = report::ranks_by_metric(spec);
  const std::vector<search::RankedConfig> ranking = report::rank_results(results, spec);
  const std::vector<std::string> shown = report::shown_settings(results, spec);
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
                                               report::status_note(c)};
    if (has_test) row.push_back(number(report::mean_test_loss(results, c)));
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
