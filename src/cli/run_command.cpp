#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cmath>
#include <iostream>
#include <map>

#include "hpsweep/cli/sweep_commands.hpp"
#include "test_faults.hpp"
#include "option_checks.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/runtime/child_process.hpp"
#include "hpsweep/runtime/program_trial.hpp"
#include "hpsweep/runtime/mpi_transport.hpp"
#include "hpsweep/runtime/node_data.hpp"
#include "hpsweep/search/parse.hpp"

namespace hpsweep::cli {

void add_run_options(CLI::App& cmd, RunCommandOptions& o) {
  cmd.add_option("sweep", o.sweep, "Sweep file (YAML)")->required()->check(CLI::ExistingFile);
  cmd.add_option("-o,--output", o.run.output, "Results file (default: <sweep name>.h5 in the working directory)");
  cmd.add_option("--threads", o.run.threads,
                 "TBB threads per rank (default: the CPUs the rank may run on, shared among unbound ranks on a node)")
      ->check(thread_count());
  cmd.add_option("--trials-per-rank", o.run.slots, "Trials a rank trains side by side (default: its threads)")
      ->check(thread_count());
  cmd.add_flag("--quiet", o.run.quiet, "No progress output (errors and the final summary are still printed)");
  cmd.add_option("--grace", o.run.grace, "Seconds running trials get to finish after SIGTERM/SIGINT/SIGUSR1")
      ->check(seconds())
      ->capture_default_str();
  cmd.add_flag("--stats", o.run.stats, "Print the coordinator's cost per trial and the workers' utilization");
  cmd.add_option("--rewrite-every", o.run.rewrite_every,
                 "Seconds between rewrites of the results file while the sweep runs (the journal beside it holds "
                 "the trials since; hpsweep's own commands read both)")
      ->check(seconds())
      ->capture_default_str();
  cmd.add_option("--worker-timeout", o.run.worker_timeout,
                 "Under MPI: seconds a worker may stay silent while it trains before its trials go to the other "
                 "workers (0: never)")
      ->check(timeout_seconds())
      ->capture_default_str();
  cmd.add_flag("--restart", o.run.restart, "Start over instead of resuming an existing results file of this sweep");
  cmd.add_option_function<std::string>(
         "--shard",
         [&o](const std::string& text) {
           try {
             o.run.shard = search::parse_shard(text);
           } catch (const core::ConfigError& e) {
             throw CLI::ValidationError("--shard", e.what());  // a usage error: exit 2
           }
         },
         "Run only shard I of N (trials with index % N == I), e.g. a job array's task; combine with hpsweep merge")
      ->type_name("I/N");
}

namespace {

/// The last line of a run: what the file holds now (of this run's shard) and the best
/// configuration, as `rank` shows it. Best effort: the run's own outcome stands whatever happens here.
void print_summary(const std::string& path, const search::Shard& shard, std::ostream& log) {
  try {
    const store::Results results = store::read_results(path);
    std::map<search::TrialStatus, int> counts;
    int trials = 0;
    for (const auto& t : results.trials) {
      if (!shard.contains(t.trial)) continue;
      ++counts[t.status];
      ++trials;
    }
    const int pending = counts[search::TrialStatus::kPending] + counts[search::TrialStatus::kPaused];
    log << "hpsweep: " << path << " holds " << trials << " trials" << (shard.whole() ? "" : " of shard " + shard.to_string())
        << ": " << counts[search::TrialStatus::kOk] << " ok, " << counts[search::TrialStatus::kStopped] << " stopped, "
        << counts[search::TrialStatus::kDiverged] << " diverged, " << counts[search::TrialStatus::kFailed] << " failed, "
        << pending << " pending";
    const search::SweepSpec spec = report::stored_spec(results);
    const std::vector<search::RankedConfig> ranking = report::rank_results(results, spec);
    if (!ranking.empty() && !ranking.front().all_bad && std::isfinite(ranking.front().mean)) {
      const search::RankedConfig& best = ranking.front();
      const int trial = report::representative_trial(results, best);
      const std::string metric = spec.metric.reported         ? "best " + spec.metric.name + " "
                                 : report::ranks_by_metric(spec) ? "val_metric "
                                                                 : "best val_loss ";
      log << "; best: config " << best.config << ", " << metric << best.mean;
      if (best.finished > 1) log << " (mean of " << best.finished << ")";
      if (trial >= 0) {
        log << ", " << search::format_assignment(results.trials[static_cast<std::size_t>(trial)].settings,
                                                 report::shown_settings(results, spec));
      }
    }
    log << "\n";
  } catch (const std::exception& e) {
    log << "\nhpsweep: warning: no summary (" << e.what() << "); `hpsweep info " << path << "` shows the file\n";
  }
}

/// Under MPI, the sweep with its data read once per node (runtime/node_data.hpp); a failure on
/// any node ends every rank with its code, MPI finalized (only rank 0 prints, see main).
runtime::PreparedSweep prepare_on_node(const search::SweepSpec& spec, const RunCommandOptions& o,
                                       runtime::Transport& world, std::unique_ptr<runtime::NodeGroup>& node) {
  try {
    node = runtime::node_group();
    // Only rank 0 reads the results file; the job follows its answer.
    const runtime::FingerprintKind kind = world.rank() == 0
        ? runtime::fingerprint_kind_for(runtime::output_path(spec, o.run), o.run.restart)
        : runtime::FingerprintKind::kCurrent;
    runtime::PreparedSweep sweep = runtime::prepare_sweep_on_node(spec, *node, world.rank(), std::cerr, kind);
    runtime::check_run_options(sweep, o.run);
    return sweep;
  } catch (const core::Error&) {
    node.reset();
    runtime::finalize_mpi();
    throw;
  }
}

}  // namespace

int run_run(RunCommandOptions& o, int& argc, char**& argv) {
  // The sweep file is validated before MPI starts: a bad one costs no MPI traffic, and every rank
  // fails the same way (only rank 0 of a launched job prints, see main). Under MPI the data is
  // then read once per node; without, here.
  std::unique_ptr<runtime::Transport> world;
  std::unique_ptr<runtime::NodeGroup> node;
  runtime::PreparedSweep prepared;
  const bool mpi = runtime::launched_by_mpi();
  search::SweepSpec spec = search::load_sweep(o.sweep);
  if (!mpi || spec.runs_program()) {  // a program sweep reads no data
    // A program sweep has no data to fingerprint: its ranks need not read the results file.
    const runtime::FingerprintKind kind = spec.runs_program()
        ? runtime::FingerprintKind::kCurrent
        : runtime::fingerprint_kind_for(runtime::output_path(spec, o.run), o.run.restart);
    prepared = runtime::prepare_sweep(std::move(spec), kind);
    runtime::keep_float32_data_only(prepared);
    runtime::check_run_options(prepared, o.run);
    if (mpi) world = runtime::init_mpi(argc, argv);
  } else {
    runtime::check_data_files(spec);
    world = runtime::init_mpi(argc, argv);
    prepared = prepare_on_node(spec, o, *world, node);
  }
  const runtime::PreparedSweep& sweep = prepared;
  if (!world || world->rank() == 0) {
    for (const std::string& note : sweep.spec.notes) std::cerr << note << "\n";
    if (sweep.spec.runs_program()) {
      try {
        const std::string aside = runtime::set_aside_stale_trials(runtime::output_path(sweep, o.run), o.run.restart);
        if (!aside.empty()) std::cerr << "hpsweep: note: an earlier sweep's trial directories moved aside to " << aside << "\n";
      } catch (const core::Error& e) {
        if (!world) throw;
        std::cerr << "hpsweep: error: " << e.what() << "\n";
        world->abort(static_cast<int>(e.code()));  // the other ranks wait on this one
      }
    }
  }
  const std::string path = runtime::output_path(sweep, o.run);
  // Trials still run on threads that cannot be joined: end here, without unwinding past them.
  const runtime::ExitNow exit_now = [](int code) {
    runtime::kill_running_children();  // a program trial's process group would outlive us
    std::cerr.flush();
    std::_Exit(code);
  };
  runtime::TrialFunction train = with_test_fault(runtime::run_trial);
  if (sweep.spec.runs_program()) {
    auto setup = std::make_shared<const runtime::ProgramSetup>(runtime::program_setup(sweep, o.run));
    train = [setup](const search::Trial& trial, const nn::TrainingData&, int rank, const runtime::TrialBudget& budget) {
      return runtime::run_program_trial(*setup, trial, rank, budget);
    };
  }
  if (!world) {
    const runtime::SweepOutcome outcome =
        runtime::run_sweep(sweep, o.run, nullptr, std::cerr, ::isatty(STDERR_FILENO) != 0, exit_now, train);
    print_summary(path, o.run.shard, std::cerr);
    return outcome.exit_code;
  }
  int code = static_cast<int>(core::ExitCode::kInternal);
  try {
    const runtime::SweepOutcome outcome =
        runtime::run_sweep(sweep, o.run, world.get(), std::cerr, ::isatty(STDERR_FILENO) != 0, exit_now, train);
    if (world->rank() == 0) print_summary(path, o.run.shard, std::cerr);
    if (outcome.abort_job) {  // a rank that cannot reach MPI_Finalize
      runtime::kill_running_children();
      world->abort(outcome.exit_code);
    }
    node.reset();  // the node's shared data, freed by all its ranks together
    runtime::finalize_mpi();
    return outcome.exit_code;
  } catch (const core::Error& e) {
    std::cerr << "hpsweep: error on rank " << world->rank() << ": " << e.what() << "\n";
    code = static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "hpsweep: internal error on rank " << world->rank() << ": " << e.what() << "\n";
  } catch (...) {
    std::cerr << "hpsweep: internal error on rank " << world->rank() << ": an unknown exception\n";
  }
  // The other ranks wait on this one: end the whole job, with the documented code, rather than hang it.
  runtime::kill_running_children();
  world->abort(code);
  return code;  // not reached: abort() ends the job
}

}  // namespace hpsweep::cli
