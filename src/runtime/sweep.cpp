#include "hpsweep/runtime/sweep.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <thread>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/runtime/coordinator.hpp"
#include "hpsweep/runtime/progress.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {
namespace {

/// The coordinator rewrites the results file at most this often while trials finish.
constexpr double kRewriteSeconds = 2.0;

int epochs_of(const search::Trial& trial) {
  return static_cast<int>(search::get_int(trial.settings, "epochs", nn::TrainConfig{}.epochs));
}

store::Results fresh_results(const PreparedSweep& sweep, const RunOptions& options, int ranks, int threads) {
  store::Results results;
  store::SweepInfo& info = results.info;
  info.name = sweep.spec.name;
  info.sweep_text = sweep.spec.text;
  info.sweep_path = std::filesystem::absolute(sweep.spec.path).string();
  info.hpsweep_version = options.version;
  info.created = store::iso8601_now();
  info.data_fingerprint = sweep.fingerprint;
  info.ranks = ranks;
  info.threads = threads;
  for (const search::Trial& trial : sweep.plan) {
    store::TrialRecord record;
    record.trial = trial.index;
    record.config = trial.config;
    record.repeat = trial.repeat;
    record.seed = trial.seed;
    record.settings = trial.settings;
    info.max_epochs = std::max(info.max_epochs, epochs_of(trial));
    results.trials.push_back(std::move(record));
  }
  return results;
}

/// The results to continue from: those of an existing file of the same sweep and data, or fresh.
store::Results starting_results(const PreparedSweep& sweep, const RunOptions& options, const std::string& path,
                                int ranks, int threads) {
  store::Results fresh = fresh_results(sweep, options, ranks, threads);
  if (!std::filesystem::exists(path)) return fresh;
  store::Results old;
  try {
    old = store::read_results(path);
  } catch (const core::StoreError& e) {
    throw core::StoreError(std::string(e.what()) + "; refusing to overwrite it: remove it or choose another -o");
  }
  if (options.restart) return fresh;
  const char* differs = old.info.sweep_text != sweep.spec.text        ? "the sweep file differs"
                        : old.info.data_fingerprint != sweep.fingerprint ? "the data differs (fingerprint)"
                        : old.trials.size() != fresh.trials.size()      ? "the number of trials differs"
                                                                        : nullptr;
  if (differs != nullptr) {
    throw core::StoreError(path + " holds another sweep: " + differs +
                           "; nothing was changed. Use --restart to start over, or -o for another file");
  }
  fresh.info.created = old.info.created;
  for (std::size_t t = 0; t < fresh.trials.size(); ++t) {
    if (old.trials[t].status != search::TrialStatus::kPending) {
      old.trials[t].settings = fresh.trials[t].settings;
      fresh.trials[t] = std::move(old.trials[t]);
    }
  }
  return fresh;
}

/// Runs one trial (on an arena thread) and encodes its record for the coordinator.
std::vector<std::byte> run_encoded(const PreparedSweep& sweep, int trial, int rank) {
  return encode_record(run_trial(sweep.plan.at(static_cast<std::size_t>(trial)), sweep.splits, rank));
}

void print_stats(std::ostream& log, const CoordinatorStats& stats, double loop_seconds, double trial_seconds,
                 int slots) {
  const double n = static_cast<double>(std::max<long long>(stats.results, 1));
  char line[256];
  std::snprintf(line, sizeof line,
                "coordinator: %lld trials in %.3f s (%.1f trials/s), %.1f us of coordinator time per trial "
                "(file writes included); %d trial slots busy %.1f%% of the time\n",
                stats.results, loop_seconds, static_cast<double>(stats.results) / loop_seconds,
                1e6 * stats.handling_seconds / n, slots, 100.0 * trial_seconds / (slots * loop_seconds));
  log << line;
}

}  // namespace

data::DataSource to_data_source(const search::DataSpec& d) {
  data::DataSource s;
  s.kind = d.source == "csv" ? data::SourceKind::kCsv : d.source == "hdf5" ? data::SourceKind::kHdf5
                                                                          : data::SourceKind::kSynthetic;
  s.synthetic = {d.synthetic.features, d.synthetic.train, d.synthetic.val, d.synthetic.test,
                 d.synthetic.label_noise, d.synthetic.seed};
  s.train = d.train;
  s.val = d.val;
  s.test = d.test;
  s.target = d.target;
  if (!d.task.empty()) s.task = data::parse_task(d.task);
  s.features_path = d.x_path;
  s.target_path = d.y_path;
  s.fractions = {d.val_fraction, d.test_fraction};
  s.split_seed = d.split_seed;
  return s;
}

PreparedSweep prepare_sweep(const std::string& sweep_path) {
  PreparedSweep sweep;
  sweep.spec = search::load_sweep(sweep_path);
  sweep.splits = data::load_splits(to_data_source(sweep.spec.data));
  sweep.plan = search::make_plan(sweep.spec);
  for (const search::Trial& trial : sweep.plan) {
    try {
      (void)train_config(trial.settings, trial.seed);
    } catch (const core::ConfigError& e) {
      throw core::ConfigError(sweep_path + ": trial " + std::to_string(trial.index) + ": " + e.what());
    }
  }
  sweep.fingerprint = data::fingerprint(sweep.splits);
  return sweep;
}

std::string output_path(const PreparedSweep& sweep, const RunOptions& options) {
  return options.output.empty() ? sweep.spec.name + ".h5" : options.output;
}

int default_threads() noexcept {
  const int cpus = core::available_cpus();
  const char* local_size = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  const int ranks_here = local_size != nullptr ? std::atoi(local_size) : 1;
  const auto online = static_cast<int>(std::thread::hardware_concurrency());
  // Unbound ranks on one node all see every CPU: share them among the workers (rank 0 idles).
  if (ranks_here > 1 && cpus == online) return std::max(1, cpus / std::max(1, ranks_here - 1));
  return cpus;
}

int run_sweep(const PreparedSweep& sweep, const RunOptions& options, Transport* world, std::ostream& log,
              bool log_is_terminal) {
  const int threads = options.threads > 0 ? options.threads : default_threads();
  const int slots = options.slots > 0 ? options.slots : threads;
  // Trials run as tasks of an arena of `threads` TBB threads (no slot kept for this thread, which
  // only handles messages); several trials side by side, and a trial's batch shards spread over
  // whatever threads are idle. +1: the global limit counts this thread too.
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads) + 1);
  tbb::task_arena arena(threads, 0);
  const Submit submit = [&arena](std::function<void()> task) { arena.enqueue(std::move(task)); };
  const bool distributed = world != nullptr && world->size() > 1;
  if (distributed && world->rank() != 0) {
    work(*world, 0, slots, [&](int trial) { return run_encoded(sweep, trial, world->rank()); }, submit);
    return 0;
  }

  const auto start = std::chrono::steady_clock::now();
  const std::string path = output_path(sweep, options);
  const int ranks = distributed ? world->size() : 1;
  store::Results results = starting_results(sweep, options, path, ranks, threads);
  std::deque<int> pending;
  for (const auto& record : results.trials) {
    if (record.status == search::TrialStatus::kPending) pending.push_back(record.trial);
  }
  store::write_results(path, results);  // the file exists, complete and readable, from the start

  const int total = static_cast<int>(results.trials.size());
  Progress progress(log, Progress::choose(options.quiet, log_is_terminal), total, total - static_cast<int>(pending.size()),
                    sweep.spec.swept_names());
  auto last_write = std::chrono::steady_clock::now();
  CoordinatorEvents events;
  events.assigned = [&](int, int) { progress.assigned(); };
  events.finished = [&](store::TrialRecord&& record) {
    record.settings = results.trials.at(static_cast<std::size_t>(record.trial)).settings;
    progress.finished(record);
    results.trials[static_cast<std::size_t>(record.trial)] = std::move(record);
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_write).count() >= kRewriteSeconds) {
      store::write_results(path, results);
      last_write = now;
    }
  };

  CoordinatorStats stats;
  double trial_seconds = 0.0;
  const auto loop_start = std::chrono::steady_clock::now();
  int worker_count = 0;  // trial slots over all workers
  events.finished = [&, record_result = events.finished](store::TrialRecord&& record) {
    trial_seconds += record.seconds;
    record_result(std::move(record));
  };
  if (distributed) {
    std::vector<int> workers;
    for (int r = 1; r < world->size(); ++r) workers.push_back(r);
    worker_count = static_cast<int>(workers.size()) * slots;
    coordinate(*world, workers, std::move(pending), events, &stats);
  } else {
    // One process: the coordinator on this thread, one in-process worker on another, the same
    // code paths as under MPI.
    auto endpoints = make_in_process_ranks(2);
    std::thread worker([&] { work(*endpoints[1], 0, slots, [&](int trial) { return run_encoded(sweep, trial, 0); }, submit); });
    worker_count = slots;
    coordinate(*endpoints[0], {1}, std::move(pending), events, &stats);
    worker.join();
  }
  progress.close();
  if (options.stats) {
    const double loop = std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start).count();
    print_stats(log, stats, loop, trial_seconds, worker_count);
  }
  results.info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  store::write_results(path, results);
  return 0;
}

}  // namespace hpsweep::runtime
