#include <CLI/CLI.hpp>
#include <cmath>
#include <ostream>

#include "hpsweep/cli/report_commands.hpp"
#include "hpsweep/cli/table.hpp"
#include "hpsweep/report/compare.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/store/journal.hpp"
#include "settings_json.hpp"

namespace hpsweep::cli {
namespace {

/// "overfitting: 20 trials, 20 finished; best val_loss 0.5874": one file in a line.
std::string describe(const std::string& name, const store::Results& results,
                     const std::vector<search::RankedConfig>& ranking, const std::string& metric) {
  int finished = 0;
  for (const auto& t : results.trials) finished += search::is_finished(t.status) ? 1 : 0;
  std::string line = name + ": sweep " + results.info.name + ", " + std::to_string(results.trials.size()) +
                     " trials, " + std::to_string(finished) + " finished";
  if (!ranking.empty() && std::isfinite(ranking.front().mean)) {
    char best[64];
    std::snprintf(best, sizeof best, "%.6g", ranking.front().mean);
    line += "; best mean " + metric + " " + best + " (config " + std::to_string(ranking.front().config) + ")";
  }
  return line;
}

void add_side(std::vector<nlohmann::ordered_json>& row, const std::optional<search::RankedConfig>& side) {
  if (!side) {
    row.insert(row.end(), {nullptr, nullptr, nullptr, nullptr});
    return;
  }
  row.insert(row.end(), {side->rank, number(side->mean), number(side->stddev),
                         std::to_string(side->finished) + "/" + std::to_string(side->trials.size())});
}

}  // namespace

void add_compare_options(CLI::App& cmd, CompareOptions& o) {
  cmd.add_option("first", o.left, "First results file (HDF5)")->required();
  cmd.add_option("second", o.right, "Second results file, a sweep over the same settings")->required();
  cmd.add_option("--top", o.top, "Show only the first K rows (0: all)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  cmd.add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

int run_compare(const CompareOptions& o, std::ostream& out) {
  const store::Results left = store::read_results(o.left);
  const store::Results right = store::read_results(o.right);
  const search::SweepSpec left_spec = report::stored_spec(left), right_spec = report::stored_spec(right);
  const report::Comparison c = report::compare_results(left, left_spec, right, right_spec, o.left, o.right);
  // best_val_loss, best_val_metric, or best_<name> of the metric a program reports (compare_results
  // refused two sweeps ranked by different metrics).
  const std::string metric = "best_" + report::ranked_metric(left_spec).name;
  const Format format = parse_format(o.format);
  if (format == Format::kTable) {
    out << describe(o.left, left, report::rank_results(left, left_spec), left_spec.metric.name) << "\n"
        << describe(o.right, right, report::rank_results(right, right_spec), right_spec.metric.name) << "\n";
    for (const auto& d : c.differences) out << "differs: " << d.setting << " = " << d.left << " | " << d.right << "\n";
    if (c.data_differs) out << "differs: the data (fingerprints differ)\n";
    if (c.fingerprint_kinds_differ) {
      out << "differs: perhaps the data (one file's data fingerprint is of an earlier hpsweep's kind, so they cannot be compared)\n";
    }
    if (c.differences.empty() && !c.data_differs && !c.fingerprint_kinds_differ) {
      out << "differs: nothing but the runs (same settings and data)\n";
    }
    out << "matched on: " << (c.matched_on.empty() ? std::string("(nothing varies)") : "");
    for (std::size_t i = 0; i < c.matched_on.size(); ++i) out << (i ? ", " : "") << c.matched_on[i];
    char rho[32];
    std::snprintf(rho, sizeof rho, "%.3f", c.rank_correlation);
    out << "; " << c.in_both << " of " << c.configs.size() << " configurations in both; rank correlation "
        << (std::isnan(c.rank_correlation) ? std::string("n/a (fewer than 3 in both)") : std::string(rho)) << "\n\n";
  }
  std::vector<std::string> columns = c.matched_on;
  for (const char* side : {"first", "second"}) {
    for (const std::string& what : {std::string("rank"), metric, std::string("std"), std::string("trials")}) {
      columns.push_back(std::string(side) + "_" + what);
    }
  }
  columns.push_back("difference");
  Table table(columns);
  int shown = 0;
  for (const auto& config : c.configs) {
    if (o.top > 0 && shown++ >= o.top) break;
    std::vector<nlohmann::ordered_json> row;
    for (const auto& s : config.key) row.push_back(to_json(s.value));
    add_side(row, config.left);
    add_side(row, config.right);
    row.push_back(config.left && config.right ? number(config.right->mean - config.left->mean) : nullptr);
    table.add(std::move(row));
  }
  table.print(out, format);
  return 0;
}

}  // namespace hpsweep::cli
