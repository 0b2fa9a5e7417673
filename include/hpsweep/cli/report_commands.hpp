#pragma once
/// `hpsweep curves`, `hpsweep report` and `hpsweep compare`: reading a finished (or partial) results file.

#include <CLI/App.hpp>
#include <iosfwd>
#include <string>

namespace hpsweep::cli {

struct CurvesOptions {
  std::string results;
  int trial = -1;
  std::string format = "table";
};
void add_curves_options(CLI::App& command, CurvesOptions& options);
/// Prints one trial's per-epoch train_loss, val_loss and val_metric. A trial index outside the
/// file is a usage error (exit 2) naming the valid range; a pending trial prints no rows.
int run_curves(const CurvesOptions& options, std::ostream& out);

struct ReportOptions {
  std::string results;
  std::string output = "report.html";
};
void add_report_options(CLI::App& command, ReportOptions& options);
/// Writes the one-file HTML report of a results file (complete or not; see report/html.hpp).
/// The page is written to a temporary file beside `output` and renamed over it; a directory or
/// an unwritable place throws core::StoreError.
int run_report(const ReportOptions& options, std::ostream& out);

struct CompareOptions {
  std::string left;
  std::string right;
  int top = 0;  ///< 0: all rows
  std::string format = "table";
};
void add_compare_options(CLI::App& command, CompareOptions& options);
/// Prints two sweeps side by side: what differs between them, and each configuration's rank and
/// mean metric in both (see report/compare.hpp). Files over other settings throw core::ConfigError.
int run_compare(const CompareOptions& options, std::ostream& out);

}  // namespace hpsweep::cli
