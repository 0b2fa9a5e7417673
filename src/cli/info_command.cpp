#include <CLI/CLI.hpp>
#include <map>
#include <ostream>

#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/search/shard.hpp"
#include "hpsweep/store/journal.hpp"

namespace hpsweep::cli {

void add_info_options(CLI::App& cmd, InfoOptions& o) {
  cmd.add_option("results", o.results, "Results file (HDF5) written by hpsweep run")->required();
}

int run_info(const InfoOptions& o, std::ostream& out) {
  store::JournalContents journal;
  const store::Results results = store::read_results_with_journal(o.results, &journal);
  const search::Shard shard = search::parse_shard(results.info.shard);
  std::map<search::TrialStatus, int> counts;
  int shard_pending = 0;  // of this file's own shard's trials
  for (const auto& t : results.trials) {
    ++counts[t.status];
    if (shard.contains(t.trial) && search::is_unsettled(t.status)) ++shard_pending;
  }
  const int paused = counts[search::TrialStatus::kPaused];
  const int pending = counts[search::TrialStatus::kPending] + paused;
  const store::SweepInfo& info = results.info;
  out << "results file:  " << o.results << "\n"
      << "sweep:         " << info.name << " (" << info.sweep_path << ")\n"
      << "created:       " << info.created << " by hpsweep " << info.hpsweep_version << "\n"
      << "data:          fingerprint " << info.data_fingerprint << "\n"
      << "trials:        " << results.trials.size() << " planned: " << counts[search::TrialStatus::kOk] << " ok, "
      << counts[search::TrialStatus::kStopped] << " stopped, " << counts[search::TrialStatus::kDiverged]
      << " diverged, " << counts[search::TrialStatus::kFailed] << " failed, " << pending << " pending"
      << (paused > 0 ? " (" + std::to_string(paused) + " of them paused at a rung)" : std::string()) << "\n"
      << "last run:      " << info.ranks << " rank(s) x " << info.threads << " thread(s), " << info.wall_seconds
      << " s\n";
  if (!shard.whole()) {
    out << "shard:         " << info.shard << ": trials with index % " << shard.count << " == " << shard.index
        << " (the others are other shards'; combine the files with `hpsweep merge`)\n";
  }
  if (info.epochs_trained > 0) out << "compute:       " << info.epochs_trained << " epochs trained\n";
  if (!journal.records.empty() || journal.dropped_records > 0) {
    out << "journal:       " << journal.records.size() << " record(s) not yet in the file (merged at the next run)";
    if (journal.dropped_records > 0) out << ", " << journal.dropped_records << " torn/unreadable (ignored)";
    out << "\n";
  }
  if (shard.whole()) {
    out << "complete:      " << (pending == 0 ? "yes" : "no: run `hpsweep run` on the sweep again to resume") << "\n";
  } else {
    out << "complete:      " << (shard_pending == 0 ? "this shard, yes" : "no: run `hpsweep run --shard " + info.shard + "` again to resume")
        << "\n";
  }
  return 0;
}

}  // namespace hpsweep::cli
