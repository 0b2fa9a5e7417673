// hpsweep: hyperparameter sweeps of MLPs on HPC clusters. This file wires the commands together
// and maps errors to exit codes; each command lives in src/cli/.

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "hpsweep/cli/model_commands.hpp"
#include "hpsweep/cli/report_commands.hpp"
#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/cli/train_command.hpp"
#include "hpsweep/core/error.hpp"

namespace {

constexpr const char* kDescription =
    "hpsweep: hyperparameter sweeps of Eigen MLPs (dropout, L2, learning rate, batch size, width, ...)\n"
    "on HPC clusters with MPI, oneTBB and one HDF5 results file.\n\n"
    "  hpsweep plan  sweep.yaml                  validate, list the trials, run nothing\n"
    "  hpsweep run   sweep.yaml -o results.h5    one process using all cores, or under mpirun/srun\n"
    "  hpsweep rank  results.h5 --top 10         configurations by best validation loss\n"
    "  hpsweep info  results.h5                  progress of a sweep, complete or not\n"
    "  hpsweep curves results.h5 --trial 17      one trial's learning curves\n"
    "  hpsweep report results.h5 -o report.html  one self-contained HTML page: ranking, curves, diagnosis\n"
    "  hpsweep compare a.h5 b.h5                 two sweeps over the same settings side by side\n"
    "  hpsweep merge -o all.h5 shard-*.h5        one results file from a job array's shards (run --shard I/N)\n"
    "  hpsweep train --width 128 --dropout 0.5   one configuration, its learning curve\n"
    "  hpsweep train --from r.h5 --trial 17 --save model.h5   rerun a trial and save its model\n"
    "  hpsweep predict model.h5 --data new.csv -o predictions.csv   predictions of a saved model\n"
    "  hpsweep split sweep.yaml -o splits/       the sweep's train/val/test splits as CSV\n\n"
    "Exit codes: 0 ok, 2 usage, 3 bad sweep file or setting, 4 bad data, 5 results file, 70 internal error,\n"
    "6 every trial diverged or failed, 75 run stopped by a signal (resumable: run it again).";

/// Rank of this process in a launched MPI job, from the launcher's environment (0 otherwise):
/// errors found before MPI starts are printed once, not once per rank.
int launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}) {
    if (const char* value = std::getenv(name)) return std::atoi(value);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = hpsweep::cli;
  using hpsweep::core::ExitCode;
  CLI::App app(kDescription, "hpsweep");
  app.require_subcommand(1);
  app.set_version_flag("--version", HPSWEEP_VERSION);

  cli::TrainOptions train;
  CLI::App* train_cmd = app.add_subcommand("train", "Train one configuration and print its learning curve");
  cli::add_train_options(*train_cmd, train);
  train.version = HPSWEEP_VERSION;
  cli::PredictOptions predict;
  CLI::App* predict_cmd = app.add_subcommand("predict", "Predict with a model saved by `train --save`");
  cli::add_predict_options(*predict_cmd, predict);
  cli::SplitOptions split;
  CLI::App* split_cmd = app.add_subcommand("split", "Write the train/validation/test splits a sweep uses as CSV files");
  cli::add_split_options(*split_cmd, split);
  cli::PlanOptions plan;
  CLI::App* plan_cmd = app.add_subcommand("plan", "Validate a sweep file and its data, list its trials");
  cli::add_plan_options(*plan_cmd, plan);
  cli::RunCommandOptions run;
  run.run.version = HPSWEEP_VERSION;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a sweep into one HDF5 results file");
  cli::add_run_options(*run_cmd, run);
  cli::InfoOptions info;
  CLI::App* info_cmd = app.add_subcommand("info", "Show a results file's sweep, progress and completeness");
  cli::add_info_options(*info_cmd, info);
  cli::RankOptions rank;
  CLI::App* rank_cmd = app.add_subcommand("rank", "Rank the configurations of a results file");
  cli::add_rank_options(*rank_cmd, rank);
  cli::CurvesOptions curves;
  CLI::App* curves_cmd = app.add_subcommand("curves", "Print one trial's learning curves from a results file");
  cli::add_curves_options(*curves_cmd, curves);
  cli::ReportOptions report;
  CLI::App* report_cmd = app.add_subcommand("report", "Write a self-contained HTML report of a results file");
  cli::add_report_options(*report_cmd, report);
  cli::CompareOptions compare;
  CLI::App* compare_cmd = app.add_subcommand("compare", "Put two sweeps over the same settings side by side");
  cli::add_compare_options(*compare_cmd, compare);

  cli::MergeOptions merge;
  CLI::App* merge_cmd = app.add_subcommand("merge", "Combine the shards' results files of a sweep into one");
  cli::add_merge_options(*merge_cmd, merge);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); every usage error gets the one documented code.
    return app.exit(e) == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }
  try {
    if (train_cmd->parsed()) {
      cli::finish_train_options(train);
      return cli::run_train(train, std::cout);
    }
    if (plan_cmd->parsed()) return cli::run_plan(plan, std::cout);
    if (run_cmd->parsed()) return cli::run_run(run, argc, argv);
    if (rank_cmd->parsed()) return cli::run_rank(rank, std::cout);
    if (info_cmd->parsed()) return cli::run_info(info, std::cout);
    if (curves_cmd->parsed()) return cli::run_curves(curves, std::cout);
    if (report_cmd->parsed()) return cli::run_report(report, std::cout);
    if (compare_cmd->parsed()) return cli::run_compare(compare, std::cout);
    if (merge_cmd->parsed()) return cli::run_merge(merge, std::cerr);
    if (predict_cmd->parsed()) return cli::run_predict(predict, std::cout, std::cerr);
    if (split_cmd->parsed()) return cli::run_split(split, std::cerr);
  } catch (const hpsweep::core::Error& e) {
    if (launcher_rank() == 0) std::cerr << "hpsweep: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "hpsweep: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInternal);
  }
  return 0;
}
