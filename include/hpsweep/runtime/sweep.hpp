#pragma once
/// Running a whole sweep: validate everything first, then coordinate (rank 0) or work (ranks
/// 1..N-1), or, without an MPI launcher, coordinate local worker threads in one process.

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/data/source.hpp"
#include "hpsweep/nn/config.hpp"
#include "hpsweep/nn/trainer.hpp"
#include "hpsweep/runtime/transport.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/search/shard.hpp"
#include "hpsweep/search/spec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

/// A sweep file with its data loaded and its plan made: everything checked before any training
/// or MPI traffic.
struct PreparedSweep {
  search::SweepSpec spec;
  data::Splits splits;
  /// The trials decided before anything ran: the sampler's first batch (grid, random: all).
  std::vector<search::Trial> plan;
  std::string fingerprint;
  /// What the results file records of the data (empty for a program sweep); kept apart from
  /// `splits`, which a rank that reads its node's shared copy of the data does not hold.
  store::DataDescription data_description;
  /// The splits as trials read them. Null: run_sweep makes it from `splits`. Under MPI, the
  /// node's shared copy (runtime/node_data.hpp).
  std::shared_ptr<const nn::TrainingData> training_data;
  /// A float32 sweep's float32 data (data::load_float32_splits) when prepared for a node's shared
  /// copy, which takes it block by block (node_data.cpp); otherwise it is in `training_data`.
  data::Splits32 float32_splits;
  /// Decides the batches after the first as results settle (search/sampler.hpp); shared, so the
  /// prepared sweep stays copyable. The coordinator alone asks it.
  std::shared_ptr<search::Sampler> sampler;
};

/// The data source a sweep file's `data` section names.
[[nodiscard]] data::DataSource to_data_source(const search::DataSpec& spec);

/// Throws core::DataError naming the sweep file and key when a data file it names is missing.
void check_data_files(const search::SweepSpec& spec);

/// Which fingerprint of the data a sweep records (PreparedSweep::fingerprint).
enum class FingerprintKind {
  kCurrent,  ///< data::fingerprint
  kLegacy,   ///< data::legacy_fingerprint: the sweep resumes a results file that records one
};

/// The kind a sweep writing `results_path` records: kLegacy when that is a results file whose
/// fingerprint is legacy and it is resumed (not `restart`), so that its identity, which journal
/// records carry too, stays the same.
[[nodiscard]] FingerprintKind fingerprint_kind_for(const std::string& results_path, bool restart);

/// Loads and validates the sweep file, its data, and every trial's training settings.
/// Throws core::ConfigError / core::DataError with file and place.
[[nodiscard]] PreparedSweep prepare_sweep(const std::string& sweep_path);
/// Where prepare_sweep leaves float32 data it holds only in float32.
enum class Float32DataIn {
  kTrainingData,  ///< `training_data`, ready to train on
  kSplits,        ///< `float32_splits`, for a node's shared copy to take
};

/// The same for a sweep file already parsed (search::load_sweep).
[[nodiscard]] PreparedSweep prepare_sweep(search::SweepSpec spec, FingerprintKind kind = FingerprintKind::kCurrent,
                                          Float32DataIn float32_data_in = Float32DataIn::kTrainingData);

/// The sweep of a rank that reads its data from another rank (runtime/node_data.hpp): the spec
/// and plan prepare_sweep makes for data of this task, without loading or checking the data,
/// which the rank that loads it has done. No splits, description or fingerprint.
[[nodiscard]] PreparedSweep prepare_sweep_without_data(search::SweepSpec spec, data::Task task);

/// Whether any trial of the sweep may train in float64 (a parameter sets the precision), so that
/// the data must be kept in float64 too.
[[nodiscard]] bool may_train_in_float64(const search::SweepSpec& spec);

/// When no trial may train in float64: converts the splits to the float32 copy trials read
/// (`training_data`) and drops them, so that one process holds the data once, as float32, for
/// the whole sweep (float32_splits become it without a copy). Otherwise leaves the sweep as it is.
void keep_float32_data_only(PreparedSweep& sweep);

struct RunOptions {
  std::string output;        ///< empty: "<sweep name>.h5" in the working directory
  int threads = 0;           ///< TBB threads of this rank; 0: default_threads()
  int slots = 0;             ///< trials a rank runs at once; 0: as many as threads
  bool quiet = false;
  bool restart = false;      ///< start over instead of resuming an existing results file
  double grace = 20.0;       ///< seconds running trials get to finish after a stop signal
  bool stats = false;        ///< print the coordinator's cost and the workers' utilization at the end
  std::string version;       ///< hpsweep's version, for the file
  search::Shard shard;       ///< the trials this run takes (job arrays); the others stay pending
  double rewrite_every = 2.0;  ///< seconds between rewrites of the results file (the journal holds the rest)
  /// Under MPI: seconds a worker rank may stay silent while it owes results before it counts as
  /// lost (stopped, hung on a file system, dead without MPI noticing); its trials go to the other
  /// workers. Workers send a heartbeat every quarter of it while they train. 0: never.
  double worker_timeout = 120.0;
};

/// The run options against the sweep, before MPI starts: --shard with early_terminate is
/// refused (core::ConfigError), since rungs compare trials that other shards run.
void check_run_options(const PreparedSweep& sweep, const RunOptions& options);

/// The results path of a run: the option, or "<sweep name>.h5".
[[nodiscard]] std::string output_path(const PreparedSweep& sweep, const RunOptions& options);
[[nodiscard]] std::string output_path(const search::SweepSpec& spec, const RunOptions& options);

/// TBB threads a rank uses by default: the CPUs in its affinity mask, shared among the ranks on
/// the node when the launcher did not bind them (so --cpus-per-task and --bind-to both work).
[[nodiscard]] int default_threads() noexcept;

/// How a run ended, for the command to act on: run_sweep never ends the process itself.
struct SweepOutcome {
  int exit_code = 0;  ///< 0: the sweep (or this shard) is complete; see core::ExitCode
  /// Under MPI: some rank cannot reach MPI_Finalize (it was lost, or trials were abandoned at a
  /// second signal), so the job must end with MPI_Abort(exit_code) rather than wait for it.
  bool abort_job = false;
};

/// Ends the process at once with a code, without unwinding: the command's way out when trials
/// still run on threads that cannot be joined (a second signal, or an error in one process while
/// the local worker trains). Every finished trial is on disk by then.
using ExitNow = std::function<void(int exit_code)>;

/// Runs the sweep. `world` is the MPI transport when launched by mpirun/srun (nullptr: one
/// process, local worker threads). Progress goes to `log` on the coordinator only. Workers train
/// with `train`. Errors throw (core::Error), except where threads still run: then `exit_now`.
[[nodiscard]] SweepOutcome run_sweep(const PreparedSweep& sweep, const RunOptions& options, Transport* world,
                                     std::ostream& log, bool log_is_terminal, const ExitNow& exit_now,
                                     const TrialFunction& train = run_trial);

}  // namespace hpsweep::runtime
