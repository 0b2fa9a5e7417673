#pragma once
/// The `hpsweep report` page: one self-contained HTML file (inline CSS and SVG, a few lines of
/// plain JavaScript to sort the tables, no external resource) with the summary, the ranking, the
/// optimization history, the learning curves, the overfitting diagnosis, heat maps and the failures
/// of a results file.
/// Large sweeps stay small: the top configurations are plotted and tabled, the rest summarized.

#include <iosfwd>
#include <string>

#include "hpsweep/search/spec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::report {

/// Limits that keep the page small for any number of trials.
struct PageLimits {
  int ranking_rows = 50;     ///< configurations in the ranking table
  int curve_configs = 5;     ///< configurations in the top-N learning-curve chart
  int diagnosis_rows = 250;  ///< trials in the diagnosis table (those of the best configurations)
  int failure_rows = 200;    ///< diverged/failed trials listed
};

/// Writes the page for `results`, whose sweep file is `spec` (its metric ranks the
/// configurations). `source` names the results file in the page. A program sweep's page
/// (spec.metric.reported) names the program's metric, counts reports instead of epochs, judges
/// overfitting from the train_loss and val_loss the program reported (or says that it needs them),
/// and leaves out the trainer's columns (val_metric, test scores) rather than print them empty.
void write_report(std::ostream& out, const store::Results& results, const search::SweepSpec& spec,
                  const std::string& source, const PageLimits& limits = {});

}  // namespace hpsweep::report
