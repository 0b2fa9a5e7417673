#include <CLI/CLI.hpp>
#include <ostream>

#include "hpsweep/cli/report_commands.hpp"
#include "hpsweep/cli/table.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/store/journal.hpp"

namespace hpsweep::cli {

void add_curves_options(CLI::App& cmd, CurvesOptions& o) {
  cmd.add_option("results", o.results, "Results file (HDF5) written by hpsweep run")->required();
  cmd.add_option("--trial", o.trial, "Trial index (0-based, as in `hpsweep plan` and the file)")->required();
  cmd.add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

int run_curves(const CurvesOptions& o, std::ostream& out) {
  const store::Results results = store::read_results(o.results);
  const auto count = static_cast<int>(results.trials.size());
  if (o.trial < 0 || o.trial >= count) {
    // The file is fine; the argument is not: a usage error.
    throw core::Error("--trial " + std::to_string(o.trial) + ": " + o.results + " has no such trial; " +
                          (count == 0 ? std::string("the file has no trials")
                                      : "valid trials are 0.." + std::to_string(count - 1)),
                      core::ExitCode::kUsage);
  }
  const store::Curve& curve = results.trials[static_cast<std::size_t>(o.trial)].curve;
  Table table({"epoch", "train_loss", "val_loss", "val_metric"});
  for (std::size_t e = 0; e < curve.val_loss.size(); ++e) {
    auto at = [e](const std::vector<double>& v) { return number(e < v.size() ? v[e] : 0.0 / 0.0); };
    table.add({static_cast<int>(e + 1), at(curve.train_loss), at(curve.val_loss), at(curve.val_metric)});
  }
  table.print(out, parse_format(o.format));
  return 0;
}

}  // namespace hpsweep::cli
