#include "hpsweep/store/results_keeper.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <utility>

#include "hpsweep/core/crash_point.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::store {
namespace {

/// Why an existing file cannot be resumed by this sweep, or nullptr when it can.
const char* mismatch(const Results& old, const Results& fresh) {
  if (old.info.sweep_text != fresh.info.sweep_text) return "the sweep file differs";
  if (old.info.data_fingerprint != fresh.info.data_fingerprint) return "the data differs (fingerprint)";
  // An adaptive sampler's file holds more rows than its first batch; never fewer.
  if (old.trials.size() < fresh.trials.size()) return "the number of trials differs";
  for (std::size_t t = 0; t < fresh.trials.size(); ++t) {
    if (!search::same_settings(old.trials[t].settings, fresh.trials[t].settings)) return "the trials' settings differ";
  }
  return nullptr;
}

/// The finished trials of `old` (same sweep) placed into `fresh`.
void adopt_finished(Results& fresh, Results&& old) {
  fresh.info.created = old.info.created;
  fresh.info.epochs_trained = old.info.epochs_trained;  // a total over every run, not this run's
  fresh.info.max_epochs = std::max(fresh.info.max_epochs, old.info.max_epochs);  // later batches' trials
  const std::size_t first_batch = fresh.trials.size();
  for (std::size_t t = 0; t < first_batch; ++t) {
    if (old.trials[t].status != search::TrialStatus::kPending) {
      old.trials[t].settings = std::move(fresh.trials[t].settings);
      fresh.trials[t] = std::move(old.trials[t]);
    }
  }
  // Rows an adaptive sampler decided during earlier runs, finished or not.
  for (std::size_t t = first_batch; t < old.trials.size(); ++t) fresh.trials.push_back(std::move(old.trials[t]));
}

}  // namespace

ResultsKeeper::ResultsKeeper(Results fresh, const KeeperOptions& options, const std::string& path, std::ostream& log)
    : path_(path),
      log_(log),
      shard_(options.shard),
      lock_(path),
      results_(std::move(fresh)),
      rewrite_every_(options.rewrite_every) {
  const std::string journal_file = journal_path(path);
  if (std::filesystem::is_directory(path)) {
    throw core::StoreError("'" + path + "' is a directory; give the results file's name with -o (e.g. " +
                           (std::filesystem::path(path) / (results_.info.name + ".h5")).string() + ")");
  }
  if (std::filesystem::exists(path)) {
    Results old;
    try {
      old = read_results_file(path);  // its journal is merged below, counting foreign records
    } catch (const core::StoreError& e) {
      throw core::StoreError(std::string(e.what()) + "; refusing to overwrite it: remove it or choose another -o");
    }
    if (const char* differs = mismatch(old, results_); differs != nullptr && !options.restart) {
      throw core::StoreError(path + " holds another sweep: " + differs +
                             "; nothing was changed. Use --restart to start over, or -o for another file");
    }
    if (old.info.shard != results_.info.shard && !options.restart) {
      const std::string& held = old.info.shard;
      const std::string& asked = results_.info.shard;
      throw core::StoreError(
          path + " holds " + (held.empty() ? "the whole sweep" : "shard " + held) + ", not " +
          (asked.empty() ? "the whole sweep" : "shard " + asked) + "; nothing was changed. " +
          (held.empty()   ? "Drop --shard to resume it, or give this shard its own -o file"
           : asked.empty() ? "Resume it with --shard " + held + ", or combine the shards with `hpsweep merge`"
                           : "Give each shard its own -o file"));
    }
    if (!options.restart) {
      adopt_finished(results_, std::move(old));
      JournalContents journal = read_journals(path, sweep_identity(results_.info));
      auto epochs_held = [&] {
        long long sum = 0;
        for (const auto& r : results_.trials) sum += r.epochs_run;
        return sum;
      };
      // The journal's trials were trained by the run that died before it could count them.
      const long long held_before = epochs_held();
      const int merged = merge_journal(results_, journal);
      results_.info.epochs_trained += epochs_held() - held_before;
      for (const auto& bytes : journal.records) {
        if (!is_decision(bytes)) continue;
        RungDecision d;
        try {
          d = decode_decision(bytes);
        } catch (const core::Error&) {
          ++journal.foreign_records;  // a checksum over bytes hpsweep did not write
          continue;
        }
        if (d.trial >= 0 && d.trial < static_cast<int>(results_.trials.size()) && d.rung >= 0 && d.rung < 64 &&
            search::is_unsettled(results_.trials[static_cast<std::size_t>(d.trial)].status) &&
            std::none_of(resumed_decisions_.begin(), resumed_decisions_.end(), [&](const RungDecision& r) {
              return r.trial == d.trial && r.rung == d.rung;  // in the sealed journal and the journal
            })) {
          resumed_decisions_.push_back(d);
        }
      }
      open_decisions_ = resumed_decisions_;
      if (journal.dropped_records > 0) {
        log << "hpsweep: warning: dropped " << journal.dropped_records << " torn or unreadable journal record(s) ("
            << journal.dropped_bytes << " bytes) of " << journal_file << "; those trials run again\n";
      }
      if (merged > 0) log << "hpsweep: recovered " << merged << " finished trial(s) from the journal\n";
      if (journal.foreign_records > 0) {
        log << "hpsweep: warning: ignored " << journal.foreign_records << " journal record(s) of another sweep in "
            << journal_file << " (another sweep file or data, or seeds that are not this sweep's)\n";
      }
    }
  }
  write_results(path, results_);  // consolidated, so the journals can go
  std::error_code left;  // a sealed journal that stays is renamed over at the next seal: the file holds it
  std::filesystem::remove(sealed_journal_path(path), left);
  journal_.emplace(journal_file, sweep_identity(results_.info));
  journal_->clear();
  for (const auto& d : open_decisions_) journal_->append(encode_decision(d));
  rewriter_.emplace(path, results_);
  last_rewrite_ = std::chrono::steady_clock::now();
}

int ResultsKeeper::planned() const {
  return static_cast<int>(std::count_if(results_.trials.begin(), results_.trials.end(),
                                        [&](const auto& r) { return shard_.contains(r.trial); }));
}

std::deque<int> ResultsKeeper::pending() const {
  std::deque<int> pending;
  for (const auto& record : results_.trials) {
    if (record.status == search::TrialStatus::kPending && shard_.contains(record.trial)) pending.push_back(record.trial);
  }
  return pending;
}

int ResultsKeeper::unsettled() const {
  return static_cast<int>(std::count_if(results_.trials.begin(), results_.trials.end(), [&](const auto& r) {
    return search::is_unsettled(r.status) && shard_.contains(r.trial);
  }));
}

void ResultsKeeper::record(TrialRecord&& record, long long epochs_trained) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::byte> bytes = encode_record(record);
  journal_->append(bytes);
  unsealed_.push_back(std::move(bytes));
  cost_.journal += std::chrono::steady_clock::now() - start;
  core::crash_point("after-append");
  results_.info.epochs_trained += epochs_trained;
  if (!search::is_unsettled(record.status) && !open_decisions_.empty()) {
    std::erase_if(open_decisions_, [&](const RungDecision& d) { return d.trial == record.trial; });
  }
  put_record(results_, std::move(record));
  const auto now = std::chrono::steady_clock::now();
  if (now - last_rewrite_ >= rewrite_every_ && !rewriter_->busy() && now - last_rewrite_ >= 4 * rewriter_->last()) {
    rewrite_in_background();
  }
}

void ResultsKeeper::add_trials(std::vector<TrialRecord> decided, int max_epochs) {
  results_.info.max_epochs = std::max(results_.info.max_epochs, max_epochs);
  const auto start = std::chrono::steady_clock::now();
  for (TrialRecord& row : decided) {
    if (row.trial != static_cast<int>(results_.trials.size()) || row.status != search::TrialStatus::kPending) {
      throw core::Error("trial " + std::to_string(row.trial) + " was decided out of order (the file holds " +
                        std::to_string(results_.trials.size()) + ")", core::ExitCode::kInternal);
    }
    std::vector<std::byte> bytes = encode_record(row);  // with its settings: a resume finds the row
    journal_->append(bytes);
    unsealed_.push_back(std::move(bytes));
    put_record(results_, std::move(row));
  }
  cost_.journal += std::chrono::steady_clock::now() - start;
}

void ResultsKeeper::record_decision(const RungDecision& decision) {
  const auto start = std::chrono::steady_clock::now();
  journal_->append(encode_decision(decision));
  cost_.journal += std::chrono::steady_clock::now() - start;
  core::crash_point("after-decision");
  open_decisions_.push_back(decision);
}

void ResultsKeeper::rewrite_in_background() {
  const auto start = std::chrono::steady_clock::now();
  const std::string sealed = sealed_journal_path(path_);
  journal_->seal(sealed);
  core::crash_point("after-seal");
  // Verdicts on trials still running must outlive the sealed journal: the file does not hold them.
  for (const auto& d : open_decisions_) journal_->append(encode_decision(d));
  rewriter_->start(std::exchange(unsealed_, {}), results_.info, sealed);
  last_rewrite_ = std::chrono::steady_clock::now();
  cost_.sealing += last_rewrite_ - start;
}

void ResultsKeeper::finish(double wall_seconds) {
  const auto start = std::chrono::steady_clock::now();
  try {
    rewriter_->wait();
  } catch (const core::Error& e) {
    // Memory holds every trial: the final write below replaces what the failed rewrite missed,
    // and throws in turn if the disk is still failing.
    log_ << "hpsweep: warning: a background rewrite of " << path_ << " failed (" << e.what()
         << "); writing it from memory\n";
  }
  results_.info.wall_seconds = wall_seconds;
  write_results(path_, results_);
  core::crash_point("after-rewrite");
  journal_.reset();
  std::error_code ignored;
  std::filesystem::remove(journal_path(path_), ignored);
  std::filesystem::remove(sealed_journal_path(path_), ignored);
  cost_.final_rewrite += std::chrono::steady_clock::now() - start;
}

ResultsKeeper::DurabilityCost ResultsKeeper::durability() const {
  DurabilityCost cost = cost_;
  cost.background_rewrites = rewriter_->rewrites();
  cost.background = rewriter_->total();
  cost.longest_background = rewriter_->longest();
  return cost;
}

}  // namespace hpsweep::store
