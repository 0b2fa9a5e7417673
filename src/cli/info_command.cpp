#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/cli/table.hpp"
#include "hpsweep/core/text.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/search/parse.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/search/shard.hpp"
#include "hpsweep/runtime/program_trial.hpp"
#include "hpsweep/store/journal.hpp"

namespace hpsweep::cli {
namespace {

using Json = nlohmann::ordered_json;

/// Everything `info` says, as data: the text form is printed from it.
Json describe(const std::string& path, const store::Results& results, const store::JournalContents& journal) {
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
  // An adaptive method decides its trials as it runs: the file may hold fewer rows than its
  // budget, all settled, and still be incomplete; metric.target may end any sweep early.
  long long budget = static_cast<long long>(results.trials.size());
  bool target_reached = false;
  try {
    search::SweepSpec spec = search::parse_sweep(info.sweep_text, info.sweep_path, search::ParseMode::kStored);
    if (!info.data.task.empty()) search::resolve_metric_goal(spec.metric, info.data.task == "regression");
    if (spec.method == search::Method::kBayes) budget = std::max(budget, search::num_trials(spec));
    for (const auto& t : results.trials) {
      target_reached = target_reached ||
                       (t.status == search::TrialStatus::kOk && search::reaches_target(spec.metric, store::ranked_value(spec.metric, t)));
    }
  } catch (const core::Error&) {
    // A sweep text this build cannot read: judge by the rows alone.
  }
  Json j;
  j["results_file"] = path;
  j["sweep"] = {{"name", info.name}, {"path", info.sweep_path}};
  j["created"] = info.created;
  j["hpsweep_version"] = info.hpsweep_version;
  const store::DataDescription& d = info.data;
  j["data"] = {{"fingerprint", info.data_fingerprint}};
  if (!d.task.empty()) {
    j["data"].update({{"task", d.task}, {"target", d.target}, {"features", d.feature_names.size()},
                      {"feature_names", d.feature_names}, {"classes", d.class_labels}, {"train_samples", d.train_samples},
                      {"val_samples", d.val_samples}, {"test_samples", d.test_samples}, {"val_metric", d.val_metric}});
  }
  if (!info.reported_metric.empty()) {
    // A program sweep: what it ranks by, and where each trial's output and files are.
    j["program"] = {{"metric", info.reported_metric}, {"trials_dir", runtime::trials_dir_of(path)}};
  }
  j["trials"] = {{"planned", results.trials.size()},       {"ok", counts[search::TrialStatus::kOk]},
                 {"stopped", counts[search::TrialStatus::kStopped]}, {"diverged", counts[search::TrialStatus::kDiverged]},
                 {"failed", counts[search::TrialStatus::kFailed]},   {"pending", pending},
                 {"paused", paused}, {"budget", budget}};
  j["max_epochs"] = info.max_epochs;
  j["epochs_trained"] = info.epochs_trained;
  if (info.shard_runs.empty()) {
    j["last_run"] = {{"ranks", info.ranks}, {"threads", info.threads}, {"wall_seconds", info.wall_seconds}};
  } else {
    j["merged_from"] = info.shard_runs;
  }
  if (!shard.whole()) j["shard"] = {{"index", shard.index}, {"count", shard.count}};
  j["journal"] = {{"records_not_in_file", journal.records.size()},
                  {"unreadable_records", journal.dropped_records},
                  {"foreign_records", journal.foreign_records}};
  const bool all_decided = static_cast<long long>(results.trials.size()) >= budget;
  j["complete"] = target_reached || (shard.whole() ? pending == 0 && all_decided : shard_pending == 0);
  if (target_reached) j["target_reached"] = true;
  return j;
}

void print_text(const Json& j, const store::SweepInfo& info, std::ostream& out) {
  const Json& t = j["trials"];
  const Json& d = j["data"];
  using core::printable;  // the file may be crafted: no escape sequence reaches the terminal
  out << "results file:  " << printable(j["results_file"].get<std::string>()) << "\n"
      << "sweep:         " << printable(info.name) << " (" << printable(info.sweep_path) << ")\n"
      << "created:       " << printable(info.created) << " by hpsweep " << printable(info.hpsweep_version) << "\n"
      << "data:          fingerprint " << printable(info.data_fingerprint);
  if (d.contains("task")) {
    const store::DataDescription& dd = info.data;
    out << ", " << printable(dd.task) << " on '" << printable(dd.target) << "' from " << dd.feature_names.size() << " features, " << dd.train_samples
        << " train / " << dd.val_samples << " val / " << dd.test_samples << " test samples; val_metric is " << printable(dd.val_metric);
    if (!dd.class_labels.empty()) out << ", " << dd.class_labels.size() << " classes";
  }
  out << "\n";
  if (j.contains("program")) {
    out << "program:       ranked by the reported " << printable(info.reported_metric) << "; each trial's stdout.log, "
        << "stderr.log and files in " << printable(j["program"]["trials_dir"].get<std::string>()) << "/trial-N/\n";
  }
  const int paused = t["paused"];
  out << "trials:        " << t["planned"] << " planned: " << t["ok"] << " ok, " << t["stopped"] << " stopped, " << t["diverged"]
      << " diverged, " << t["failed"] << " failed, " << t["pending"] << " pending"
      << (paused > 0 ? " (" + std::to_string(paused) + " of them paused at a rung)" : std::string()) << "\n";
  if (t["budget"].get<long long>() > t["planned"].get<long long>()) {
    out << "budget:        " << t["budget"] << " trials (run_cap x repeats); the rest are decided as the sweep runs\n";
  }
  if (j.contains("target_reached")) out << "target:        reached (metric.target): no further trial starts\n";
  if (j.contains("last_run")) {
    out << "last run:      " << info.ranks << " rank(s) x " << info.threads << " thread(s), " << info.wall_seconds << " s\n";
  } else {
    for (std::size_t i = 0; i < info.shard_runs.size(); ++i) {
      out << (i == 0 ? "merged from:   " : "               ") << printable(info.shard_runs[i]) << "\n";
    }
  }
  const search::Shard shard = search::parse_shard(info.shard);
  if (!shard.whole()) {
    out << "shard:         " << printable(info.shard) << ": trials with index % " << shard.count << " == " << shard.index
        << " (the others are other shards'; combine the files with `hpsweep merge`)\n";
  }
  if (info.epochs_trained > 0) out << "compute:       " << info.epochs_trained << " epochs trained\n";
  const std::size_t records = j["journal"]["records_not_in_file"];
  const int dropped = j["journal"]["unreadable_records"];
  const int foreign = j["journal"]["foreign_records"];
  if (records > 0 || dropped > 0 || foreign > 0) {
    out << "journal:       " << records << " record(s) not yet in the file (merged at the next run)";
    if (dropped > 0) out << ", " << dropped << " torn/unreadable (ignored)";
    if (foreign > 0) out << ", " << foreign << " of another sweep (ignored)";
    out << "\n";
  }
  const bool complete = j["complete"];
  if (shard.whole()) {
    out << "complete:      " << (complete ? "yes" : "no: run `hpsweep run` on the sweep again to resume") << "\n";
  } else {
    out << "complete:      " << (complete ? "this shard, yes" : "no: run `hpsweep run --shard " + info.shard + "` again to resume")
        << "\n";
  }
}

}  // namespace

void add_info_options(CLI::App& cmd, InfoOptions& o) {
  cmd.add_option("results", o.results, "Results file (HDF5) written by hpsweep run")->required();
  cmd.add_option("--format", o.format, "table (text) or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
}

int run_info(const InfoOptions& o, std::ostream& out) {
  store::JournalContents journal;
  const store::Results results = store::read_results(o.results, &journal);
  const Json j = describe(o.results, results, journal);
  if (o.format == "json") {
    out << j.dump(2) << "\n";
  } else {
    print_text(j, results.info, out);
  }
  return 0;
}

}  // namespace hpsweep::cli
