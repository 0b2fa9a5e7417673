#include "hpsweep/runtime/sweep.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <ostream>
#include <optional>
#include <thread>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/runtime/checkpoint_cache.hpp"
#include "hpsweep/runtime/coordinator.hpp"
#include "hpsweep/runtime/early_termination.hpp"
#include "hpsweep/runtime/progress.hpp"
#include "hpsweep/store/results_keeper.hpp"
#include "hpsweep/runtime/stop_signals.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/runtime/program_trial.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/search/trial_codec.hpp"
#include "hpsweep/store/record_codec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

void check_against_data(const search::SweepSpec& spec, const search::Trial& trial, long long train_samples);

namespace {

/// The epochs a trial's settings train for, the width its curves need; 0 for a program sweep,
/// whose width is the reports its programs make (the results file grows to them).
int planned_epochs(const search::SweepSpec& spec, const search::Assignment& settings, std::uint64_t seed) {
  return spec.runs_program() ? 0 : train_config(settings, seed).epochs;
}

/// What a worker rank needs to run jobs.
struct WorkerContext {
  const PreparedSweep& sweep;
  const EarlyTermination& termination;
  CheckpointCache& checkpoints;  // sha/hyperband: paused trials, to go on without retraining
  const StopSignals& signals;    // a program trial passes a stop on to its program at once
  const nn::TrainingData& data;  // converted once, shared by the trials running side by side
  int rank;
  const TrialFunction& train;
};

std::vector<std::byte> run_decoded(WorkerContext& w, const Job& job, const AskRung& ask);

/// Runs one job (on an arena thread) and encodes its record for the coordinator. The trial and
/// its settings come with the job: a worker looks nothing up in a plan.
std::vector<std::byte> run_encoded(WorkerContext& w, const Job& job, const AskRung& ask) {
  // Nothing may escape: this runs as a TBB task, where an exception would end the process. A
  // trial that cannot even start is a failed record like any other.
  try {
    return run_decoded(w, job, ask);
  } catch (const std::exception& e) {
    store::TrialRecord failed;
    failed.trial = job.trial;
    failed.rank = w.rank;
    failed.status = search::TrialStatus::kFailed;
    failed.message = e.what();
    return store::encode_record(failed);
  }
}

std::vector<std::byte> run_decoded(WorkerContext& w, const Job& job, const AskRung& ask) {
  const search::Trial trial = search::decode_trial(job.trial_bytes);
  if (trial.index != job.trial) {
    throw core::Error("assignment of trial " + std::to_string(job.trial) + " carries trial " +
                      std::to_string(trial.index), core::ExitCode::kInternal);
  }
  TrialBudget budget = w.termination.budget(job, trial, ask);
  budget.timeout_seconds = w.sweep.spec.trial_timeout;
  budget.stop_requested = [&signals = w.signals] { return signals.count() > 0; };
  std::optional<nn::TrainCheckpoint> resume;
  nn::TrainCheckpoint save;
  if (w.termination.spec().synchronous()) {
    resume = w.checkpoints.take(job.trial);
    budget.resume = resume ? &*resume : nullptr;
    budget.save = &save;
  }
  store::TrialRecord record = w.train(trial, w.data, w.rank, budget);
  if (record.status == search::TrialStatus::kPaused && save.state) w.checkpoints.put(job.trial, std::move(save));
  record.settings.clear();  // the coordinator has them: a result message stays small
  return store::encode_record(record);
}

void print_stats(std::ostream& log, const CoordinatorStats& stats, double loop_seconds, double trial_seconds,
                 int slots) {
  const double n = static_cast<double>(std::max<long long>(stats.results, 1));
  char line[320];
  std::snprintf(line, sizeof line,
                "coordinator: %lld trials in %.3f s (%.1f trials/s), %.1f us of coordinator time per trial "
                "(journal included; the results file is rewritten in the background), %.0f bytes per result message; %d trial slots busy %.1f%% of the time\n",
                stats.results, loop_seconds, static_cast<double>(stats.results) / loop_seconds,
                1e6 * stats.handling_seconds / n, static_cast<double>(stats.result_bytes) / n, slots,
                100.0 * trial_seconds / (slots * loop_seconds));
  log << line;
}

void print_durability(std::ostream& log, const store::ResultsKeeper::DurabilityCost& cost, double wall_seconds,
                      long long results) {
  const double n = static_cast<double>(std::max<long long>(results, 1));
  const int rewrites = cost.background_rewrites;
  char line[480];
  std::snprintf(line, sizeof line,
                "durability: %.1f ms of %.1f ms wall (%.2f%%) on the coordinator's thread: journal %.1f us per trial, "
                "sealing it for rewrites %.1f us per trial, the final rewrite %.1f ms (waiting for the last background one included); %d rewrites of the results "
                "file in the background, %.1f ms each on average, %.1f ms the longest\n",
                1e3 * cost.coordinator_seconds(), 1e3 * wall_seconds, 100.0 * cost.coordinator_seconds() / wall_seconds,
                1e6 * cost.journal.count() / n, 1e6 * cost.sealing.count() / n, 1e3 * cost.final_rewrite.count(),
                rewrites, 1e3 * cost.background.count() / std::max(rewrites, 1), 1e3 * cost.longest_background.count());
  log << line;
}

template <typename Scalar>
store::DataDescription describe_data(const data::BasicSplits<Scalar>& splits) {
  const data::BasicDataset<Scalar>& train = splits.train;
  store::DataDescription d;
  d.task = data::task_name(train.task);
  d.target = train.target_name;
  d.feature_names = train.feature_names;
  d.class_labels = train.class_values;
  d.train_samples = train.num_samples();
  d.val_samples = splits.val.num_samples();
  d.test_samples = splits.test.num_samples();
  d.val_metric = train.task == data::Task::kRegression ? "rmse" : "accuracy";
  return d;
}

/// The results of a sweep that has run nothing yet: its info and every trial decided, pending.
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
  info.shard = options.shard.to_string();
  if (sweep.spec.runs_program()) {
    info.reported_metric = sweep.spec.metric.name;
  } else {
    info.data = sweep.data_description;
  }
  for (const search::Trial& trial : sweep.plan) {
    info.max_epochs = std::max(info.max_epochs, planned_epochs(sweep.spec, trial.settings, trial.seed));
    results.trials.push_back(pending_record(trial));
  }
  return results;
}

/// Hands the end of the process to the command; never returns (a caller's exit_now that returned
/// would leave a running thread to unwind past, so that is a bug that ends the process too).
[[noreturn]] void end_now(const ExitNow& exit_now, int code) {
  exit_now(code);
  std::terminate();
}

/// The settled trials of `results` as a sampler sees them, in trial order.
std::vector<search::Observation> history_of(const store::Results& results, const search::Metric& metric) {
  std::vector<search::Observation> history;
  for (const store::TrialRecord& r : results.trials) {
    if (search::is_unsettled(r.status)) continue;
    history.push_back({r.trial, r.config, r.status, store::ranked_value(metric, r), r.epochs_run,
                       &r.settings});
  }
  return history;
}

/// The sampler's batch of configurations `first`.. as pending rows, decided from the settled
/// trials of the configurations before it (exactly the history it had when it first decided it).
std::vector<store::TrialRecord> batch_rows(const PreparedSweep& sweep, const store::Results& results, int first) {
  std::vector<store::TrialRecord> rows;
  std::vector<search::Observation> history = history_of(results, sweep.spec.metric);
  std::erase_if(history, [&](const search::Observation& o) { return o.config >= first; });
  for (const search::Proposal& p : sweep.sampler->propose(first, history)) {
    for (const search::Trial& t : search::trials_of(sweep.spec, p)) {
      check_against_data(sweep.spec, t, sweep.data_description.train_samples);
      rows.push_back(pending_record(t));
    }
  }
  return rows;
}

/// The sampler's next batch as pending rows, once every trial decided so far has settled (none
/// when the sweep has all its configurations, as grid and random do from the start).
std::vector<store::TrialRecord> next_batch(const PreparedSweep& sweep, const store::Results& results, int unsettled) {
  if (sweep.sampler == nullptr || sweep.sampler->decides_all_upfront() || results.trials.empty() || unsettled > 0) {
    return {};
  }
  return batch_rows(sweep, results, results.trials.back().config + 1);
}

/// The rows of the last batch a kill cut short while they were journaled (none of them ran:
/// jobs are handed out once the whole batch is in): decided again from the same history, so the
/// same rows, and those missing returned.
std::vector<store::TrialRecord> missing_rows(const PreparedSweep& sweep, const store::Results& results) {
  if (sweep.sampler == nullptr || sweep.sampler->decides_all_upfront() || results.trials.empty()) return {};
  const int first = sweep.sampler->batch_start(results.trials.back().config);
  if (first == 0) return {};  // the first batch is written whole with the file
  std::vector<store::TrialRecord> rows = batch_rows(sweep, results, first);
  std::erase_if(rows, [&](const store::TrialRecord& r) { return r.trial < static_cast<int>(results.trials.size()); });
  return rows;
}

/// Whether a finished record reaches metric.target.
bool reaches_target(const search::Metric& metric, const store::TrialRecord& r) {
  return r.status == search::TrialStatus::kOk && search::reaches_target(metric, store::ranked_value(metric, r));
}

/// The first trial (in trial order) of `trials` that reached metric.target.
std::optional<int> first_on_target(const search::Metric& metric, const std::vector<store::TrialRecord>& trials) {
  for (const store::TrialRecord& r : trials) {
    if (reaches_target(metric, r)) return r.trial;
  }
  return std::nullopt;
}

/// The batches an adaptive sampler decided in an earlier run of a resumed sweep (rows past the
/// first batch), for early termination to judge them as it did then.
void add_decided_batches(EarlyTermination& termination, const PreparedSweep& sweep, const store::Results& results) {
  if (!termination.enabled() || sweep.sampler == nullptr) return;
  std::vector<search::Trial> batch;
  for (std::size_t i = sweep.plan.size(); i < results.trials.size(); ++i) {
    const store::TrialRecord& r = results.trials[i];
    if (!batch.empty() && sweep.sampler->batch_start(r.config) != sweep.sampler->batch_start(batch.front().config)) {
      (void)termination.add_batch(batch);
      batch.clear();
    }
    batch.push_back({r.trial, r.config, r.repeat, r.seed, r.settings});
  }
  (void)termination.add_batch(batch);
}

/// Each trial of `results` as an assignment carries it to a worker.
std::vector<Bytes> describe_trials(const store::Results& results) {
  std::vector<Bytes> described;
  described.reserve(results.trials.size());
  for (const store::TrialRecord& r : results.trials) {
    described.push_back(search::encode_trial({r.trial, r.config, r.repeat, r.seed, r.settings}));
  }
  return described;
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

/// Every data file the sweep names exists (checked first, so the message names the sweep file
/// and the key, not only the missing path).
void check_data_files(const search::SweepSpec& spec) {
  if (spec.data.source == "synthetic") return;
  const std::pair<const char*, const std::string*> files[] = {
      {"train", &spec.data.train}, {"val", &spec.data.val}, {"test", &spec.data.test}};
  for (const auto& [key, path] : files) {
    if (!path->empty() && !std::filesystem::is_regular_file(*path)) {
      throw core::DataError(spec.path + ": data." + key + ": the file '" + *path +
                            "' does not exist (data paths are relative to the sweep file's directory)");
    }
  }
}

/// A trial's settings against the data: a batch cannot be larger than the training split.
void check_against_data(const search::SweepSpec& spec, const search::Trial& trial, long long train_samples) {
  if (spec.runs_program()) return;  // the program reads its own data
  const nn::TrainConfig config = train_config(trial.settings, trial.seed);
  const auto samples = train_samples;
  if (config.batch_size > samples) {
    throw core::ConfigError(spec.path + ": trial " + std::to_string(trial.index) + ": batch_size " +
                            std::to_string(config.batch_size) + " is larger than the " + std::to_string(samples) +
                            " training samples; use at most " + std::to_string(samples));
  }
}

/// Method bayes may propose any value of a parameter later in the sweep: each batch_size it can
/// reach must fit the training split, checked before anything runs (a proposal refused mid-sweep
/// would be proposed again on every resume).
void check_bayes_against_data(const search::SweepSpec& spec, long long train_samples) {
  const auto samples = static_cast<double>(train_samples);
  for (const search::Parameter& p : spec.parameters) {
    if (p.name != "batch_size") continue;
    double largest = p.max;
    if (p.distribution == search::Distribution::kCategorical) {
      largest = 0.0;
      for (const search::Value& v : p.values) {
        if (const auto* n = std::get_if<long long>(&v)) largest = std::max(largest, static_cast<double>(*n));
      }
    }
    if (largest > samples) {
      throw core::ConfigError(spec.path + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                              ": parameter batch_size reaches " + search::format_value(search::Value{largest}) +
                              ", more than the " + std::to_string(train_samples) +
                              " training samples, and method bayes may propose any of its values: keep it at most " +
                              std::to_string(train_samples));
    }
  }
}

namespace {

/// The splits, their fingerprint of `kind` and description. A sweep whose trials all train in
/// float32 on float32 HDF5 data holds it once, in float32 (`training_data` or `float32_splits`,
/// not `splits`): the same values and fingerprint, half the memory.
void load_data(PreparedSweep& sweep, FingerprintKind kind, Float32DataIn float32_data_in) {
  const data::DataSource source = to_data_source(sweep.spec.data);
  const bool legacy_kind = kind == FingerprintKind::kLegacy;
  if (!may_train_in_float64(sweep.spec)) {
    if (std::optional<data::Float32Splits> loaded = data::load_float32_splits(source, legacy_kind)) {
      sweep.data_description = describe_data(loaded->splits);
      sweep.fingerprint = std::move(loaded->fingerprint);
      sweep.float32_splits = std::move(loaded->splits);
      if (float32_data_in == Float32DataIn::kTrainingData) keep_float32_data_only(sweep);
      return;
    }
  }
  sweep.splits = data::load_splits(source);
  sweep.data_description = describe_data(sweep.splits);
  sweep.fingerprint = legacy_kind ? data::legacy_fingerprint(sweep.splits) : data::fingerprint(sweep.splits);
}

/// The sampler, and the trials it decides before anything runs (grid, random: all of them).
void decide_first_batch(PreparedSweep& sweep) {
  sweep.sampler = search::make_sampler(sweep.spec);
  for (const search::Proposal& p : sweep.sampler->propose(0, {})) {
    for (search::Trial& t : search::trials_of(sweep.spec, p)) sweep.plan.push_back(std::move(t));
  }
}

}  // namespace

PreparedSweep prepare_sweep(const std::string& sweep_path) { return prepare_sweep(search::load_sweep(sweep_path)); }

PreparedSweep prepare_sweep(search::SweepSpec spec, FingerprintKind kind, Float32DataIn float32_data_in) {
  PreparedSweep sweep;
  sweep.spec = std::move(spec);
  const std::string& sweep_path = sweep.spec.path;
  if (sweep.spec.runs_program()) {
    check_program_sweep(sweep.spec);
    decide_first_batch(sweep);
    (void)EarlyTermination(sweep.spec, sweep.plan);  // its settings (max_t) against the plan, before any MPI
    // No data: the identity of its results is the sweep file's text alone, so an edited program
    // resumes the same sweep (its trials that finished keep the numbers they had).
    sweep.fingerprint = "program";
    return sweep;
  }
  check_data_files(sweep.spec);
  load_data(sweep, kind, float32_data_in);
  const long long train_samples = sweep.data_description.train_samples;
  const bool regression = sweep.data_description.task == data::task_name(data::Task::kRegression);
  search::check_metric_goal(sweep.spec.metric, regression);
  search::resolve_metric_goal(sweep.spec.metric, regression);
  if (sweep.spec.method == search::Method::kBayes) check_bayes_against_data(sweep.spec, train_samples);
  decide_first_batch(sweep);
  for (const search::Trial& trial : sweep.plan) {
    try {
      check_against_data(sweep.spec, trial, train_samples);
    } catch (const core::ConfigError& e) {
      const std::string message = e.what();
      throw core::ConfigError(message.rfind(sweep_path, 0) == 0
                                  ? message
                                  : sweep_path + ": trial " + std::to_string(trial.index) + ": " + message);
    }
  }
  (void)EarlyTermination(sweep.spec, sweep.plan);  // its settings against the plan, before any MPI
  return sweep;
}

PreparedSweep prepare_sweep_without_data(search::SweepSpec spec, data::Task task) {
  PreparedSweep sweep;
  sweep.spec = std::move(spec);
  const bool regression = task == data::Task::kRegression;
  search::check_metric_goal(sweep.spec.metric, regression);
  search::resolve_metric_goal(sweep.spec.metric, regression);
  decide_first_batch(sweep);
  return sweep;
}

bool may_train_in_float64(const search::SweepSpec& spec) {
  // A trial's settings are the fixed ones and the parameters' values: only these can change the
  // precision from the default, float32.
  static_assert(nn::TrainConfig{}.precision == nn::Precision::kFloat32);
  if (spec.runs_program()) return false;
  if (search::find_value(spec.fixed, "precision") != nullptr) {
    return nn::parse_precision(search::get_string(spec.fixed, "precision")) == nn::Precision::kFloat64;
  }
  return std::any_of(spec.parameters.begin(), spec.parameters.end(),
                     [](const search::Parameter& p) { return p.name == "precision"; });
}

void keep_float32_data_only(PreparedSweep& sweep) {
  if (sweep.float32_splits.train.num_samples() > 0) {
    sweep.training_data = nn::TrainingData::float32_owning(std::move(sweep.float32_splits));
    sweep.float32_splits = {};
    return;
  }
  if (sweep.spec.runs_program() || sweep.training_data || may_train_in_float64(sweep.spec)) return;
  sweep.training_data = nn::TrainingData::float32_owning(data::to_float32(std::move(sweep.splits)));
  sweep.splits = {};
}

void check_run_options(const PreparedSweep& sweep, const RunOptions& options) {
  const search::EarlyTerminate& et = sweep.spec.early_terminate;
  if (sweep.sampler != nullptr && !sweep.sampler->decides_all_upfront() && !options.shard.whole()) {
    throw core::ConfigError(sweep.spec.path + ": method " + search::method_name(sweep.spec.method) +
                            " decides trials from the results of earlier ones, so it runs as one job without --shard " +
                            options.shard.to_string());
  }
  if (!options.shard.whole() && et.enabled()) {
    throw core::ConfigError(et.place + ": early_terminate (" + search::termination_name(et.type) +
                            ") cannot run in shards (--shard " + options.shard.to_string() +
                            "): its rungs compare trials that other shards run; run the sweep as one MPI job instead");
  }
}

std::string output_path(const PreparedSweep& sweep, const RunOptions& options) { return output_path(sweep.spec, options); }

std::string output_path(const search::SweepSpec& spec, const RunOptions& options) {
  return options.output.empty() ? spec.name + ".h5" : options.output;
}

FingerprintKind fingerprint_kind_for(const std::string& results_path, bool restart) {
  if (restart) return FingerprintKind::kCurrent;
  const std::optional<std::string> recorded = store::recorded_data_fingerprint(results_path);
  return recorded && data::is_legacy_fingerprint(*recorded) ? FingerprintKind::kLegacy : FingerprintKind::kCurrent;
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

SweepOutcome run_sweep(const PreparedSweep& sweep, const RunOptions& options, Transport* world, std::ostream& log,
                       bool log_is_terminal, const ExitNow& exit_now, const TrialFunction& train) {
  const StopSignals signals;
  const int threads = options.threads > 0 ? options.threads : default_threads();
  const int slots = options.slots > 0 ? options.slots : threads;
  // Trials run as tasks of an arena of `threads` TBB threads (no slot kept for this thread, which
  // only handles messages); several trials side by side, and a trial's batch shards spread over
  // whatever threads are idle. +1: the global limit counts this thread too.
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads) + 1);
  tbb::task_arena arena(threads, 0);
  const Submit submit = [&arena](std::function<void()> task) { arena.enqueue(std::move(task)); };
  const bool distributed = world != nullptr && world->size() > 1;
  EarlyTermination termination(sweep.spec, sweep.plan);
  CheckpointCache checkpoints;
  std::optional<nn::TrainingData> own_data;  // converted when the first trial needs it
  const nn::TrainingData& training_data = sweep.training_data ? *sweep.training_data : own_data.emplace(sweep.splits);
  if (distributed && world->rank() != 0) {
    WorkerContext context{sweep, termination, checkpoints, signals, training_data, world->rank(), train};
    const auto heartbeat = std::chrono::milliseconds(static_cast<long long>(options.worker_timeout * 1000.0 / 4.0));
    work(*world, 0, slots, [&](const Job& job, const AskRung& ask) { return run_encoded(context, job, ask); }, submit,
         heartbeat);
    return {};
  }

  const auto start = std::chrono::steady_clock::now();
  store::ResultsKeeper keeper(fresh_results(sweep, options, distributed ? world->size() : 1, threads),
                              {options.restart, options.rewrite_every, options.shard}, output_path(sweep, options), log);
  if (options.shard.whole()) {  // a batch that a kill cut short is completed first
    std::vector<store::TrialRecord> rows = missing_rows(sweep, keeper.results());
    int max_epochs = 0;
    for (const store::TrialRecord& r : rows) max_epochs = std::max(max_epochs, planned_epochs(sweep.spec, r.settings, r.seed));
    if (!rows.empty()) keeper.add_trials(std::move(rows), max_epochs);
  }
  std::vector<Bytes> described = describe_trials(keeper.results());
  add_decided_batches(termination, sweep, keeper.results());
  // metric.target: once a finished trial reaches it, nothing new starts (W&B's rule).
  std::optional<int> target_trial = first_on_target(sweep.spec.metric, keeper.results().trials);
  const bool target_at_start = target_trial.has_value();
  // An adaptive sampler decides its next batch once the trials before it have settled.
  const auto decide_more = [&] {
    std::vector<Job> jobs;
    if (target_trial) return jobs;
    std::vector<store::TrialRecord> rows = next_batch(sweep, keeper.results(), keeper.unsettled());
    if (rows.empty()) return jobs;
    int max_epochs = 0;
    std::vector<search::Trial> batch;
    for (const store::TrialRecord& r : rows) {
      batch.push_back({r.trial, r.config, r.repeat, r.seed, r.settings});
      described.push_back(search::encode_trial(batch.back()));
      max_epochs = std::max(max_epochs, planned_epochs(sweep.spec, r.settings, r.seed));
    }
    keeper.add_trials(std::move(rows), max_epochs);
    if (termination.enabled()) return termination.add_batch(batch);
    for (const search::Trial& t : batch) jobs.push_back({t.index, 0, {}});
    return jobs;
  };
  // An adaptive method decides its trials as it goes: the sweep's size is its budget, and what is
  // left counts the trials not decided yet.
  const bool upfront = sweep.sampler == nullptr || sweep.sampler->decides_all_upfront() || !options.shard.whole();
  const int total = upfront ? keeper.planned() : static_cast<int>(std::max<long long>(keeper.planned(), search::num_trials(sweep.spec)));
  const auto left = [&] { return keeper.unsettled() + std::max(0, total - keeper.planned()); };
  std::deque<Job> pending;
  std::vector<store::TrialRecord> settled;  // paused trials that early termination stops now
  if (termination.enabled()) {
    for (const Job& job : termination.start(keeper.results(), keeper.journaled_decisions(), settled)) pending.push_back(job);
    for (store::TrialRecord& s : settled) keeper.record(std::move(s));
  } else {
    for (int trial : keeper.pending()) pending.push_back({trial, 0, {}});
  }
  if (pending.empty() && options.shard.whole()) {  // resumed at a batch boundary
    for (Job& job : decide_more()) pending.push_back(std::move(job));
  }
  if (target_trial) pending.clear();
  Progress progress(log, Progress::choose(options.quiet, log_is_terminal), total, total - left(),
                    sweep.spec.swept_names(), sweep.spec.metric);
  const int ranks = distributed ? world->size() : 1;
  if (target_trial) {
    log << "hpsweep: sweep " << sweep.spec.name << ": trial " << *target_trial << " already reached metric.target "
        << *sweep.spec.metric.target << " in " << output_path(sweep, options)
        << "; nothing to run (--restart runs it again)\n";
  } else if (left() == 0) {
    log << "hpsweep: sweep " << sweep.spec.name << " is already complete in " << output_path(sweep, options)
        << "; nothing to run (--restart runs it again)\n";
  } else if (!options.quiet) {
    log << "hpsweep: sweep " << sweep.spec.name << " (" << sweep.spec.path << "): " << left() << " of " << total
        << " trials to run" << (left() < total ? " (resuming)" : "") << " on " << ranks << " rank(s) ("
        << (distributed ? ranks - 1 : 1) << " training) x " << threads << " thread(s), " << slots
        << " trial(s) side by side per rank; results: " << output_path(sweep, options) << "\n";
  }
  if (const int trial_slots = (distributed ? ranks - 1 : 1) * slots;
      !upfront && sweep.spec.method == search::Method::kBayes && left() > 0 &&
      sweep.spec.bayes.batch_size * sweep.spec.repeats < trial_slots) {
    const int batch_trials = sweep.spec.bayes.batch_size * sweep.spec.repeats;
    log << "hpsweep: note: method bayes decides " << batch_trials << " trial(s) at a time (bayes.batch_size "
        << sweep.spec.bayes.batch_size << " x " << sweep.spec.repeats << " repeat(s)), so at most " << batch_trials
        << " of the " << trial_slots << " trial slots are busy after the startup ones; set bayes: {batch_size: "
        << (trial_slots + sweep.spec.repeats - 1) / sweep.spec.repeats
        << "} in the sweep file to use them all (a larger batch learns less often)\n";
  }
  StopPolicy stop(signals, std::chrono::duration<double>(options.grace));
  CoordinatorStats stats;
  double trial_seconds = 0.0;
  CoordinatorEvents events;
  events.describe = [&](int trial) -> const Bytes& { return described.at(static_cast<std::size_t>(trial)); };
  events.assigned = [&](int, int) { progress.assigned(); };
  events.finished = [&](store::TrialRecord&& record) {
    trial_seconds += record.seconds;
    // The row's identity and settings: a worker sends neither (a failed start may not know them).
    const store::TrialRecord& row = keeper.results().trials.at(static_cast<std::size_t>(record.trial));
    record.settings = row.settings;
    record.seed = row.seed;
    record.config = row.config;
    record.repeat = row.repeat;
    if (record.status == search::TrialStatus::kPaused) {
      progress.paused(record);
    } else {
      progress.finished(record);
    }
    const int trial = record.trial;
    const long long epochs = record.epochs_trained;
    keeper.record(std::move(record), epochs);
    std::vector<store::TrialRecord> stopped;
    std::vector<Job> due = termination.after_result(keeper.results(), trial, stopped);
    for (store::TrialRecord& s : stopped) {
      progress.finished(s, false);
      keeper.record(std::move(s));
    }
    if (!target_trial && reaches_target(sweep.spec.metric, keeper.results().trials.at(static_cast<std::size_t>(trial)))) {
      target_trial = trial;
    }
    if (options.shard.whole()) {
      for (Job& job : decide_more()) due.push_back(std::move(job));
    }
    return due;
  };
  events.rung = [&](int trial, int rung, double value) {
    const bool go_on = termination.at_rung(trial, rung, value);
    keeper.record_decision({trial, rung, value, !go_on});
    return go_on;
  };
  events.stop_requested = [&] { return target_trial.has_value() || stop.stop_requested(); };
  std::vector<int> lost_ranks;
  if (distributed) {
    events.worker_timeout = options.worker_timeout;
    events.worker_lost = [&](int rank, const std::string& host, const std::vector<int>& trials) {
      lost_ranks.push_back(rank);
      log << "hpsweep: warning: rank " << rank << " on host " << host << " has sent nothing for "
          << options.worker_timeout << " s (--worker-timeout) while it owed "
          << (trials.empty() ? std::string("its registration") : std::to_string(trials.size()) + " trial(s)")
          << "; it is stopped, hung or dead: its trials go to the other workers\n" << std::flush;
    };
  }
  bool gave_up = false;  // the coordinator returned with trials still running
  events.give_up = [&] { return gave_up = stop.give_up(); };

  const auto loop_start = std::chrono::steady_clock::now();
  const double cpu_at_start = core::process_cpu_seconds();
  std::thread local_worker;
  // An error (say, the disk filled up) while the one-process worker thread still runs trials: it
  // cannot be joined, and every finished trial is in the journal or the file, so end here.
  const auto end_with_worker_running = [&](const core::Error& e) {
    log << "hpsweep: error: " << e.what() << "\n" << std::flush;
    end_now(exit_now, static_cast<int>(e.code()));
  };
  std::unique_ptr<Transport> local_coordinator, local_endpoint;
  if (distributed) {
    std::vector<int> workers;
    for (int r = 1; r < world->size(); ++r) workers.push_back(r);
    coordinate(*world, workers, std::move(pending), events, &stats);
  } else {
    // One process: the coordinator on this thread, one in-process worker on another, the same
    // code paths as under MPI.
    auto endpoints = make_in_process_ranks(2);
    local_coordinator = std::move(endpoints[0]);
    local_endpoint = std::move(endpoints[1]);
    local_worker = std::thread([&] {
      WorkerContext context{sweep, termination, checkpoints, signals, training_data, 0, train};
      work(*local_endpoint, 0, slots, [&](const Job& job, const AskRung& ask) { return run_encoded(context, job, ask); },
           submit);
    });
    try {
      coordinate(*local_coordinator, {1}, std::move(pending), events, &stats);
    } catch (const core::Error& e) {
      end_with_worker_running(e);
    } catch (const std::exception& e) {
      end_with_worker_running(core::Error(std::string("internal error: ") + e.what(), core::ExitCode::kInternal));
    }
  }
  progress.close();
  if (options.stats) {
    const double loop = std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start).count();
    print_stats(log, stats, loop, trial_seconds, (distributed ? world->size() - 1 : 1) * slots);
    if (distributed) {
      // What rank 0 costs its node: whether it can share a core with a worker (mpirun -np cores+1).
      const double cpu = core::process_cpu_seconds() - cpu_at_start;
      log << "coordinator rank: " << cpu << " s of CPU in " << loop << " s (" << 100.0 * cpu / loop
          << "% of one core)\n";
    }
  }
  // Every slot was told to stop unless the coordinator gave up, so the local worker has returned.
  if (!gave_up && local_worker.joinable()) local_worker.join();
  try {
    keeper.finish(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  } catch (const core::Error& e) {
    if (!local_worker.joinable()) throw;
    end_with_worker_running(e);
  }
  if (options.stats) {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    print_durability(log, keeper.durability(), wall, stats.results);
  }
  if (target_trial && !target_at_start && signals.last() == 0 && lost_ranks.empty() && !gave_up) {
    const store::TrialRecord& best = keeper.results().trials.at(static_cast<std::size_t>(*target_trial));
    log << "hpsweep: trial " << *target_trial << " reached metric.target " << *sweep.spec.metric.target << " ("
        << sweep.spec.metric.name << " " << store::ranked_value(sweep.spec.metric, best) << "); the sweep started no further trial ("
        << left() << " of " << total << " left unrun)\n";
    return {};
  }
  if (target_at_start) return {};
  const bool complete = left() == 0;
  if (!complete) {
    log << "hpsweep: stopped " << (signals.last() != 0 ? "by signal " + std::to_string(signals.last())
                                                   : std::string("because every worker rank was lost"))
        << " with " << left() << " of " << total
        << " trials left; every finished trial is in " << output_path(sweep, options)
        << "; run the same command again to resume\n";
  }
  if (!lost_ranks.empty()) {
    // A lost rank never reaches MPI_Finalize, which would then wait for it forever: end the job
    // here, everything finished being on disk, with the code the sweep earned.
    const int code = complete ? 0 : static_cast<int>(core::ExitCode::kStopped);
    log << "hpsweep: ending the MPI job without waiting for the lost rank(s) (MPI_Abort with exit code " << code
        << "): every finished trial is in " << output_path(sweep, options) << "\n" << std::flush;
    return {code, true};
  }
  if (gave_up) {
    // Trials are still running on the workers: end them; everything finished is on disk.
    log.flush();
    const int code = static_cast<int>(core::ExitCode::kStopped);
    if (distributed) return {code, true};
    end_now(exit_now, code);  // the local worker's thread still trains and cannot be joined
  }
  if (!complete) return {static_cast<int>(core::ExitCode::kStopped)};
  const auto& trials = keeper.results().trials;
  const auto mine = [&](const store::TrialRecord& t) { return options.shard.contains(t.trial); };
  const auto usable = std::count_if(trials.begin(), trials.end(), [&](const auto& t) { return mine(t) && search::is_finished(t.status); });
  if (std::none_of(trials.begin(), trials.end(), mine)) {
    log << "hpsweep: shard " << options.shard.to_string() << " has no trials (the sweep has " << trials.size()
        << "); nothing to run\n";
    return {};
  }
  if (usable == 0) {
    log << "hpsweep: every trial diverged or failed; see `hpsweep rank " << output_path(sweep, options) << "`\n";
    return {static_cast<int>(core::ExitCode::kNoUsableTrial)};
  }
  return {};
}

}  // namespace hpsweep::runtime
