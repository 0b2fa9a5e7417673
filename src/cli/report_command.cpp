#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <cctype>

#include "hpsweep/cli/report_commands.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"
#include "hpsweep/report/html.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/store/journal.hpp"

namespace hpsweep::cli {

void add_report_options(CLI::App& cmd, ReportOptions& o) {
  cmd.add_option("results", o.results, "Results file (HDF5) written by hpsweep run")->required();
  cmd.add_option("-o,--output", o.output, "The HTML file to write (one self-contained page)")->capture_default_str();
}

namespace {

/// True when `path` starts like an HTML page: the only kind of file a report may replace.
bool looks_like_html(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.find("<!doctype html") != std::string::npos || head.find("<html") != std::string::npos;
}

}  // namespace

int run_report(const ReportOptions& o, std::ostream& out) {
  namespace fs = std::filesystem;
  if (fs::is_directory(o.output)) {
    throw core::StoreError("'" + o.output + "' is a directory; give the report's file name, e.g. -o report.html");
  }
  core::refuse_input_as_output(o.output, {o.results, store::journal_path(o.results), store::sealed_journal_path(o.results)},
                               "-o");
  // The results file, the sweep file, the data: whatever is there and is not an earlier report stays.
  if (fs::exists(o.output) && !looks_like_html(o.output)) {
    throw core::Error("-o " + o.output + " exists and is not an HTML page (a results file, sweep file or data?); "
                      "writing the report would destroy it: remove it or choose another name, e.g. -o report.html",
                      core::ExitCode::kUsage);
  }
  const store::Results results = store::read_results(o.results);
  const search::SweepSpec spec = report::stored_spec(results);
  std::ostringstream page;
  report::write_report(page, results, spec, o.results);
  core::PendingFile file(o.output);
  file.write(page.str());
  file.publish();
  out << "wrote " << o.output << " (" << fs::file_size(o.output) << " bytes)\n";
  return 0;
}

}  // namespace hpsweep::cli
