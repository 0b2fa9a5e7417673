// hpsweep: hyperparameter sweeps of MLPs on HPC clusters. This file wires the commands together.

#include <CLI/CLI.hpp>
#include <iostream>

#include "hpsweep/cli/train_command.hpp"
#include "hpsweep/core/error.hpp"

namespace {

constexpr const char* kDescription =
    "hpsweep: hyperparameter sweeps of Eigen MLPs (dropout, L2, learning rate, batch size, width, ...)\n"
    "on HPC clusters with MPI, oneTBB and one HDF5 results file.";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(kDescription, "hpsweep");
  app.require_subcommand(1);
  app.set_version_flag("--version", HPSWEEP_VERSION);

  hpsweep::cli::TrainOptions train;
  CLI::App* train_cmd = app.add_subcommand("train", "Train one configuration and print its learning curve");
  hpsweep::cli::add_train_options(*train_cmd, train);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); every usage error gets the one documented code.
    return app.exit(e) == 0 ? 0 : static_cast<int>(hpsweep::core::ExitCode::kUsage);
  }
  try {
    if (train_cmd->parsed()) {
      hpsweep::cli::finish_train_options(train);
      return hpsweep::cli::run_train(train, std::cout);
    }
  } catch (const hpsweep::core::Error& e) {
    std::cerr << "hpsweep: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "hpsweep: internal error: " << e.what() << "\n";
    return static_cast<int>(hpsweep::core::ExitCode::kInternal);
  }
  return 0;
}
