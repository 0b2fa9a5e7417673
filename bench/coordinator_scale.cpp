/// The coordinator at scale: `hpsweep run`'s whole path (MPI transport, coordinator, journal,
/// results-file rewrites, progress bookkeeping) with stand-in trials that take a fixed wall time
/// instead of training. Sleeping trials use no CPU, so 64 ranks oversubscribed on 2 cores measure
/// the coordinator and the messages, not the trainers fighting over cores (Ray Tune's overhead
/// benchmark sleeps in its trials for the same reason).
///
///   mpirun -np 64 --oversubscribe coordinator_scale SWEEP --trial-ms 10 -o out.h5
///
/// Prints `hpsweep run --stats`'s figures: trials/s, coordinator time per trial, bytes per result
/// message, the slots' busy share, journal and rewrite time. bench/coordinator_scale.sh runs the
/// matrix of ranks and trial lengths and tabulates them; docs/scaling.md reads them.

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "hpsweep/core/error.hpp"
#include "stand_in_trial.hpp"
#include "hpsweep/runtime/mpi_transport.hpp"
#include "hpsweep/runtime/sweep.hpp"
#include "hpsweep/runtime/trial_runner.hpp"

namespace {

using namespace hpsweep;

/// A trial that waits `duration` and returns a record of a real trial's shape and size.
store::TrialRecord timed_trial(const search::Trial& trial, int rank, std::chrono::duration<double> duration) {
  const auto start = std::chrono::steady_clock::now();
  store::TrialRecord record = bench::stand_in_record(trial, rank);
  std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(duration));
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return record;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The coordinator's throughput and overhead with stand-in trials of a fixed duration"};
  std::string sweep_path;
  double trial_ms = 10.0;
  runtime::RunOptions options;
  options.threads = 1;
  options.quiet = true;
  options.stats = true;
  options.restart = true;
  app.add_option("sweep", sweep_path, "Sweep file (its plan, settings and epochs shape the records)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--trial-ms", trial_ms, "Wall time of each stand-in trial, in milliseconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("-o,--output", options.output, "Results file");
  app.add_option("--trials-per-rank", options.slots, "Trials each worker rank runs at once (default 1)");
  CLI11_PARSE(app, argc, argv);
  try {
    const runtime::PreparedSweep sweep = runtime::prepare_sweep(sweep_path);
    const std::chrono::duration<double> duration(trial_ms / 1e3);
    const runtime::TrialFunction stand_in = [duration](const search::Trial& trial, const nn::TrainingData&, int rank,
                                                       const runtime::TrialBudget&) {
      return timed_trial(trial, rank, duration);
    };
    if (options.slots > 0) options.threads = options.slots;  // a sleeping trial holds its thread
    std::unique_ptr<runtime::Transport> world;
    if (runtime::launched_by_mpi()) world = runtime::init_mpi(argc, argv);
    const runtime::SweepOutcome outcome = runtime::run_sweep(
        sweep, options, world.get(), std::cerr, false, [](int code) { std::_Exit(code); }, stand_in);
    if (world && outcome.abort_job) world->abort(outcome.exit_code);
    if (world) runtime::finalize_mpi();
    return outcome.exit_code;
  } catch (const core::Error& e) {
    std::cerr << "coordinator_scale: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
}
