#pragma once
/// `hpsweep plan`, `hpsweep run` and `hpsweep rank`.

#include <CLI/App.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "hpsweep/runtime/sweep.hpp"

namespace hpsweep::cli {

struct PlanOptions {
  std::string sweep;
  std::string format = "table";
};
void add_plan_options(CLI::App& command, PlanOptions& options);
/// Validates the sweep file and its data completely, prints the trial count, the work and every
/// trial's settings. Runs nothing.
int run_plan(const PlanOptions& options, std::ostream& out);

struct RunCommandOptions {
  std::string sweep;
  runtime::RunOptions run;
};
void add_run_options(CLI::App& command, RunCommandOptions& options);
/// Runs the sweep: under mpirun/srun as rank 0 (coordinator) or a worker, else as one process.
int run_run(RunCommandOptions& options, int& argc, char**& argv);

struct RankOptions {
  std::string results;
  int top = 0;  ///< 0: all
  std::string format = "table";
};
void add_rank_options(CLI::App& command, RankOptions& options);
/// Prints the configurations by their mean best validation loss (see search/rank.hpp).
int run_rank(const RankOptions& options, std::ostream& out);

struct InfoOptions {
  std::string results;
  std::string format = "table";  ///< table (text for people) or json
};
void add_info_options(CLI::App& command, InfoOptions& options);
/// The sweep of a results file, what it trained on, its progress (ok, diverged, failed, pending)
/// and whether it is complete; as text or as one JSON object (numbers as numbers).
int run_info(const InfoOptions& options, std::ostream& out);

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string output;
};
void add_merge_options(CLI::App& command, MergeOptions& options);
/// Combines the shards' results files (journals included; the inputs are never changed) into
/// `output`, written atomically. Returns 0 when every trial is settled, else 75 (the merged file
/// is written, the missing trials and their shards are printed to `log`).
int run_merge(const MergeOptions& options, std::ostream& log);

}  // namespace hpsweep::cli
