#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>

#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/store/file_lock.hpp"
#include "hpsweep/search/shard.hpp"
#include "hpsweep/store/journal.hpp"
#include "hpsweep/store/merge.hpp"

namespace hpsweep::cli {
namespace {

namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

/// "trials 1, 5, 9 and 9 more (shard 1/4)": which trials are missing, and whose they were.
std::string describe_missing(const std::vector<int>& trials, const std::vector<store::MergeInput>& inputs) {
  search::Shard shards;
  for (const auto& input : inputs) {
    if (!input.results.info.shard.empty()) shards = search::parse_shard(input.results.info.shard);
  }
  std::string text = "trial(s) ";
  for (std::size_t i = 0; i < trials.size() && i < 8; ++i) text += (i > 0 ? ", " : "") + std::to_string(trials[i]);
  if (trials.size() > 8) text += " and " + std::to_string(trials.size() - 8) + " more";
  if (!shards.whole()) {
    std::vector<bool> missing(static_cast<std::size_t>(shards.count), false);
    for (int t : trials) missing[static_cast<std::size_t>(t % shards.count)] = true;
    text += " (of shard";
    for (int s = 0; s < shards.count; ++s) {
      if (missing[static_cast<std::size_t>(s)]) text += " " + std::to_string(s) + "/" + std::to_string(shards.count);
    }
    text += ")";
  }
  return text;
}

}  // namespace

void add_merge_options(CLI::App& cmd, MergeOptions& o) {
  cmd.add_option("-o,--output", o.output, "The merged results file (written atomically)")->required();
  cmd.add_option("shards", o.inputs, "The shards' results files (hpsweep run --shard I/N)")->required()->check(CLI::ExistingFile);
}

int run_merge(const MergeOptions& o, std::ostream& log) {
  for (const std::string& input : o.inputs) {
    if (same_file(input, o.output)) {
      throw core::StoreError("-o " + o.output + " is one of the inputs; write the merged file elsewhere");
    }
  }
  const store::FileLock lock(o.output);  // no run or merge is writing it meanwhile
  std::vector<store::MergeInput> inputs;
  for (const std::string& path : o.inputs) inputs.push_back({path, store::read_results(path)});
  if (fs::exists(o.output)) {
    // An earlier merge, perhaps with trials run into it since: it joins the inputs (last, so the
    // shards' rows win), and nothing it holds is lost. Never someone's shard or other sweep.
    store::Results old = store::read_results(o.output);
    if (!old.info.shard.empty()) {
      throw core::StoreError(o.output + " exists and holds shard " + old.info.shard +
                             "; nothing was written. Give it as an input and choose another -o");
    }
    inputs.push_back({o.output, std::move(old)});
  }
  const store::Merged merged = store::merge_results(inputs);
  store::write_results(o.output, merged.results);
  const auto total = merged.results.trials.size();
  log << "hpsweep merge: " << o.output << ": " << total - merged.unsettled.size() << " of " << total
      << " trials settled, from " << inputs.size() << " file(s)\n";
  if (merged.unsettled.empty()) return 0;
  log << "hpsweep merge: " << merged.unsettled.size() << " " << describe_missing(merged.unsettled, inputs)
      << " are in no input; run the missing shard(s) and merge again, or run `hpsweep run "
      << merged.results.info.sweep_path << " -o " << o.output << "` to run them into the merged file\n";
  return static_cast<int>(core::ExitCode::kStopped);
}

}  // namespace hpsweep::cli
