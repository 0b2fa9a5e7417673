#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "hpsweep/cli/report_commands.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/report/html.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/store/journal.hpp"

namespace hpsweep::cli {

void add_report_options(CLI::App& cmd, ReportOptions& o) {
  cmd.add_option("results", o.results, "Results file (HDF5) written by hpsweep run")->required();
  cmd.add_option("-o,--output", o.output, "The HTML file to write (one self-contained page)")->capture_default_str();
}

int run_report(const ReportOptions& o, std::ostream& out) {
  namespace fs = std::filesystem;
  if (fs::is_directory(o.output)) {
    throw core::StoreError("'" + o.output + "' is a directory; give the report's file name, e.g. -o report.html");
  }
  const store::Results results = store::read_results_with_journal(o.results);
  const search::SweepSpec spec = report::stored_spec(results);
  const std::string temporary = o.output + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) throw core::StoreError("cannot write the report '" + o.output + "'");
    report::write_report(file, results, spec, o.results);
    file.close();
    if (!file) {
      std::remove(temporary.c_str());
      throw core::StoreError("cannot write the report '" + o.output + "' (disk full?)");
    }
  }
  std::error_code error;
  fs::rename(temporary, o.output, error);
  if (error) {
    std::remove(temporary.c_str());
    throw core::StoreError("cannot write the report '" + o.output + "': " + error.message());
  }
  out << "wrote " << o.output << " (" << fs::file_size(o.output) << " bytes)\n";
  return 0;
}

}  // namespace hpsweep::cli
