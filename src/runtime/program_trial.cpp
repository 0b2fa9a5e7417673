#include "hpsweep/runtime/program_trial.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"
#include "hpsweep/runtime/child_process.hpp"
#include "hpsweep/runtime/report_line.hpp"
#include "hpsweep/search/command.hpp"
#include "hpsweep/store/journal.hpp"

namespace hpsweep::runtime {
namespace {

/// Creates `path` as a directory, or accepts the directory already there; a symlink or a file
/// planted in its place is refused (the trial would write through it).
void make_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    throw core::StoreError("cannot create directory '" + path + "': " + std::strerror(errno));
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw core::StoreError("'" + path + "' is not a directory (a file or symlink is in its place); remove it");
  }
}

/// Writes `text` to a new file `path` (replacing one of an earlier run, never through a symlink).
/// Removes what an earlier run of the trial left at `path`, so that the file is created afresh:
/// truncating in place would write through a hard link planted in the trial's directory.
void remove_earlier(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw core::StoreError("cannot replace '" + path + "': " + std::strerror(errno));
  }
}

/// Writes `text` to a new file `path`. Not core::PendingFile: params.json needs no fsync and
/// rename (a rerun writes it again), and the trial's start waits for it.
void write_new_file(const std::string& path, const std::string& text) {
  remove_earlier(path);
  const int fd = core::open_regular_file(path, O_WRONLY | O_CREAT | O_EXCL, "the trial's params.json");
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      throw core::StoreError("cannot write '" + path + "': " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

/// A program's bytes as one line of a message: control characters (escape sequences, NUL) become
/// '?', newlines '|', and a cut never splits a UTF-8 character.
std::string one_line(std::string_view text, std::size_t keep_last) {
  if (text.size() > keep_last) {
    std::size_t from = text.size() - keep_last;
    while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
    text.remove_prefix(from);
  }
  std::string line(text);
  for (char& c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') c = '|';
    else if (u < 0x20 || u == 0x7f) c = '?';
  }
  return line;
}

std::string signal_text(int number) {
  const char* abbrev = sigabbrev_np(number);
  return std::to_string(number) + (abbrev != nullptr ? std::string(" (SIG") + abbrev + ")" : std::string());
}

/// The last lines of a standard error tail, on one line for the trial's message.
std::string stderr_summary(const std::string& tail) {
  std::string_view text = tail;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  if (text.empty()) return "";
  return std::string("; stderr: ") + (text.size() > 160 ? "..." : "") + one_line(text, 160);
}

}  // namespace

ProgramSetup program_setup(const PreparedSweep& sweep, const RunOptions& options) {
  ProgramSetup setup;
  setup.program = *sweep.spec.program;
  setup.metric = sweep.spec.metric;
  setup.sweep_name = sweep.spec.name;
  setup.trials_dir = trials_dir_of(output_path(sweep, options));
  const int threads = options.threads > 0 ? options.threads : default_threads();
  const int slots = options.slots > 0 ? options.slots : threads;
  setup.threads_per_trial = std::max(1, threads / std::max(1, slots));
  setup.kill_grace_seconds = std::clamp(options.grace / 2.0, 0.1, 10.0);
  return setup;
}

std::string set_aside_stale_trials(const std::string& results_path, bool restart) {
  const std::string dir = trials_dir_of(results_path);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return "";
  const auto exists = [](const std::string& path) {
    struct stat s {};
    return ::lstat(path.c_str(), &s) == 0;
  };
  if (!restart && (exists(results_path) || exists(store::journal_path(results_path)) ||
                   exists(store::sealed_journal_path(results_path)))) {
    return "";  // a resume: the trials' directories belong to it
  }
  for (int n = 1; n < 10000; ++n) {
    const std::string aside = dir + ".old-" + std::to_string(n);
    if (exists(aside)) continue;
    if (::rename(dir.c_str(), aside.c_str()) != 0) {
      throw core::StoreError("cannot move the earlier sweep's '" + dir + "' aside to '" + aside + "': " + std::strerror(errno));
    }
    return aside;
  }
  throw core::StoreError("'" + dir + "' belongs to an earlier sweep and 9999 older ones are beside it; remove them");
}

std::string trials_dir_of(const std::string& results_path) {
  const std::string suffix = ".h5";
  const bool h5 = results_path.size() > suffix.size() &&
                  results_path.compare(results_path.size() - suffix.size(), suffix.size(), suffix) == 0;
  return (h5 ? results_path.substr(0, results_path.size() - suffix.size()) : results_path) + ".trials";
}

bool usable_metric_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);  // UTF-8 bytes (>= 0x80) are fine in an HDF5 name
    return u > ' ' && c != '/' && u != 0x7f;
  });
}

int ReportFolder::slot_of(std::string_view name) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  if (!usable_metric_name(name) || static_cast<int>(names_.size()) >= kMaxReportedNames ||
      static_cast<long long>(names_.size() + 1) * reports_ > kMaxReportedValues) {
    ++skipped_names_;
    return -1;
  }
  names_.emplace_back(name);
  values_.emplace_back(static_cast<std::size_t>(reports_), 0.0 / 0.0);  // NaN for the reports before
  return static_cast<int>(names_.size()) - 1;
}

bool ReportFolder::add_line(std::string_view line, bool truncated) {
  if (truncated) {  // a cut line is never a report: its end (and maybe its closing brace) is gone
    ++cut_lines_;
    return true;
  }
  if (reports_ >= kMaxReports || static_cast<long long>(reports_ + 1) * std::max<std::size_t>(names_.size(), 1) > kMaxReportedValues) {
    if (parse_report_line(line).kind == LineKind::kReport) ++skipped_reports_;
    return true;
  }
  ParsedLine parsed = parse_report_line(line);
  if (parsed.kind == LineKind::kNotAnObject) ++not_objects_;
  if (parsed.kind != LineKind::kReport) return true;
  ++reports_;
  for (auto& v : values_) v.push_back(0.0 / 0.0);
  for (const auto& [name, value] : parsed.metrics) {
    const int slot = slot_of(name);
    if (slot < 0) continue;
    values_[static_cast<std::size_t>(slot)].back() = value;
    if (name == metric_.name) {
      ++metric_reports_;
      if (!std::isfinite(value) && diverged_at_ == 0) diverged_at_ = reports_;
      const bool minimize = metric_.goal == search::Goal::kMinimize;
      if (std::isfinite(value) && (std::isnan(best_) || (minimize ? value < best_ : value > best_))) best_ = value;
    }
  }
  return diverged_at_ == 0;
}

std::string ReportFolder::names() const {
  std::string text;
  for (const std::string& n : names_) text += (text.empty() ? "" : ", ") + n;
  return text.empty() ? "nothing" : text;
}

void ReportFolder::finish(store::TrialRecord& record, std::string& notes) const {
  const auto steps = static_cast<std::size_t>(reports_);
  // The three built-in curves always span every report (NaN where the program did not report
  // them), so that a record read back from the file equals the one written.
  record.curve.train_loss.assign(steps, 0.0 / 0.0);
  record.curve.val_loss.assign(steps, 0.0 / 0.0);
  record.curve.val_metric.assign(steps, 0.0 / 0.0);
  record.curve.reported.clear();
  const std::vector<double>* ranked = nullptr;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const std::string& name = names_[i];
    if (name == "train_loss") record.curve.train_loss = values_[i];
    else if (name == "val_loss") record.curve.val_loss = values_[i];
    else if (name == "val_metric") record.curve.val_metric = values_[i];
    else record.curve.reported.push_back({name, values_[i]});
    if (name == metric_.name) ranked = &values_[i];
  }
  std::sort(record.curve.reported.begin(), record.curve.reported.end(),
            [](const store::ReportedCurve& a, const store::ReportedCurve& b) { return a.name < b.name; });
  record.epochs_run = reports_;
  if (ranked != nullptr) {
    const bool minimize = metric_.goal == search::Goal::kMinimize;
    for (std::size_t s = 0; s < ranked->size(); ++s) {
      const double v = (*ranked)[s];
      // NaN is a report without the metric, except where the metric itself was NaN (diverged).
      if (std::isnan(v) && static_cast<int>(s) + 1 != diverged_at_) continue;
      record.final_metric = v;
      if (!std::isfinite(v)) continue;
      if (record.best_epoch == 0 || (minimize ? v < record.best_metric : v > record.best_metric)) {
        record.best_metric = v;
        record.best_epoch = static_cast<int>(s) + 1;
      }
    }
  }
  auto note = [&notes](const std::string& text) { notes += (notes.empty() ? "" : "; ") + text; };
  if (skipped_names_ > 0) {
    note(std::to_string(skipped_names_) + " reported value(s) left out (a name over 64 characters, with '/' or spaces, or beyond " +
         std::to_string(kMaxReportedNames) + " names)");
  }
  if (skipped_reports_ > 0) {
    note(std::to_string(skipped_reports_) + " report(s) beyond " + std::to_string(kMaxReports) + " (or " +
         std::to_string(kMaxReportedValues) + " values) left out");
  }
  if (cut_lines_ > 0) {
    note(std::to_string(cut_lines_) + " output line(s) longer than " + std::to_string(kMaxReportLineBytes >> 20) +
         " MiB cut and not read as reports (the log keeps them)");
  }
  if (not_objects_ > 0) note(std::to_string(not_objects_) + " JSON line(s) that are not objects ignored (a report is one JSON object per line)");
}

namespace {

/// Whether `word` names a program that can be executed: a path (with a slash) to an executable
/// file, or a name found in PATH, as posix_spawnp looks it up.
bool findable(const std::string& word) {
  if (word.find('/') != std::string::npos) return ::access(word.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    const std::string candidate = dir + "/" + word;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

void check_program_sweep(const search::SweepSpec& spec) {
  const search::ProgramSpec& program = *spec.program;
  // The columns `hpsweep rank` shows beside the parameters, which a parameter must not shadow.
  const std::string metric = spec.metric.name;
  const std::vector<std::string> rank_columns = {"rank", "config", "trials", "std", "min", "max", "best_report",
                                                 "status", "best_" + metric, "final_" + metric};
  for (const search::Parameter& p : spec.parameters) {
    if (std::find(rank_columns.begin(), rank_columns.end(), p.name) != rank_columns.end()) {
      throw core::ConfigError(spec.path + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": parameter '" +
                              p.name + "' has the name of one of `hpsweep rank`'s columns; rename it");
    }
    if (store::is_fixed_column(p.name)) {
      throw core::ConfigError(spec.path + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": parameter '" +
                              p.name + "' has the name of one of the results table's own columns; rename it (the "
                              "program receives parameters under the names the sweep file gives them)");
    }
  }
  if (!usable_metric_name(spec.metric.name)) {
    throw core::ConfigError(spec.metric.place + ": metric name '" + spec.metric.name +
                            "' cannot be a curve of the results file (1 to 64 characters, no '/', spaces or control "
                            "characters); report it under a name like '" + "eval_loss" + "'");
  }
  // The command as a trial would run it (parameters do not change which program starts).
  const std::vector<std::string> argv = search::expand_command(program, {}, "params.json");
  if (argv.empty()) throw core::ConfigError(program.place + ": the command is empty; name the program to run");
  std::size_t first = 0;
  if (argv[0] == "/usr/bin/env" || argv[0] == "env") {  // env runs the next word that is not VAR=value
    first = 1;
    // env's own options and VAR=value assignments come before the program (env -i, env -u NAME X=1 prog).
    while (first < argv.size() && (argv[first].find('=') != std::string::npos || argv[first].rfind('-', 0) == 0)) {
      if (argv[first] == "-u" || argv[first] == "-C" || argv[first] == "-S") ++first;  // options with an argument
      ++first;
    }
    if (first == argv.size()) throw core::ConfigError(program.place + ": the command runs env with no program; name the program after ${env}");
  }
  if (!findable(argv[first])) {
    throw core::ConfigError(program.place + ": the command's program '" + argv[first] +
                            "' cannot be found" + (argv[first].find('/') != std::string::npos ? " or is not executable" : " in PATH") +
                            "; install it, or give its full path in `command`");
  }
}

store::TrialRecord run_program_trial(const ProgramSetup& setup, const search::Trial& trial, int rank,
                                     const TrialBudget& budget) {
  store::TrialRecord record = pending_record(trial);
  record.rank = rank;
  make_directory(setup.trials_dir);
  const std::string dir = setup.trials_dir + "/trial-" + std::to_string(trial.index);
  make_directory(dir);
  const std::string params = search::settings_json(trial.settings);
  const std::string params_file = dir + "/params.json";
  write_new_file(params_file, params + "\n");

  ChildSpec spec;
  spec.argv = search::expand_command(setup.program, trial.settings, params_file);
  const std::string threads = std::to_string(std::max(1, setup.threads_per_trial));
  spec.env = {{"HPSWEEP_PARAMS", params},
              {"HPSWEEP_TRIAL", std::to_string(trial.index)},
              {"HPSWEEP_SEED", std::to_string(trial.seed)},
              {"HPSWEEP_SWEEP", setup.sweep_name},
              {"HPSWEEP_TRIAL_DIR", dir},
              {"HPSWEEP_THREADS", threads},
              {"OMP_NUM_THREADS", threads}};
  spec.stdout_log = dir + "/stdout.log";
  spec.stderr_log = dir + "/stderr.log";
  remove_earlier(spec.stdout_log);  // a rerun's logs start afresh
  remove_earlier(spec.stderr_log);
  spec.timeout_seconds = budget.timeout_seconds;
  spec.kill_grace_seconds = setup.kill_grace_seconds;
  spec.max_line_bytes = kMaxReportLineBytes;

  ReportFolder folder(setup.metric);
  // asha/median: at each rung (a count of reports of the metric), the coordinator judges the best so far; told
  // to stop, the program is stopped there.
  bool stopped_at_rung = false;
  const auto on_line = [&](std::string_view line, bool truncated) {
    const int before = folder.metric_reports();
    if (!folder.add_line(line, truncated)) return false;
    if (folder.metric_reports() == before || !budget.ask) return true;
    const auto at = std::find(budget.rungs.begin(), budget.rungs.end(), folder.metric_reports());
    if (at == budget.rungs.end()) return true;
    record.rung = static_cast<int>(at - budget.rungs.begin());
    stopped_at_rung = !budget.ask(record.rung, folder.best_so_far());
    return !stopped_at_rung;
  };
  bool stopped_by_hpsweep = false;
  const auto stop = [&] {
    stopped_by_hpsweep = stopped_by_hpsweep || (budget.stop_requested && budget.stop_requested());
    return stopped_by_hpsweep;
  };
  const ChildOutcome outcome = run_child(spec, on_line, stop);
  record.seconds = outcome.seconds;
  std::string notes;
  folder.finish(record, notes);
  record.epochs_trained = record.epochs_run;
  const std::string& name = setup.metric.name;
  std::string message;
  record.status = search::TrialStatus::kFailed;
  if (stopped_at_rung) {
    record.status = search::TrialStatus::kStopped;  // early termination's verdict, not a failure
  } else if (folder.diverged()) {
    record.status = search::TrialStatus::kDiverged;
    message = name + " was not finite at report " + std::to_string(record.epochs_run) + "; the program was stopped";
  } else if (stopped_by_hpsweep || (budget.stop_requested && budget.stop_requested() &&
                                    !(outcome.end == ChildEnd::kExited && outcome.exit_code == 0))) {
    // Interrupted, not finished: a pending record, so that a rerun runs the trial again. The
    // job's signal may reach the program directly (SLURM signals the whole job): one that ended
    // badly while hpsweep was stopping was interrupted too, not failed.
    store::TrialRecord interrupted = pending_record(trial);
    interrupted.rank = rank;
    return interrupted;
  } else if (outcome.end == ChildEnd::kNotStarted) {
    message = "the program did not start: " + outcome.error;
  } else if (outcome.end == ChildEnd::kTimedOut) {
    // No measured time in the message: the file stays the same whatever the machine's speed.
    char text[160];
    std::snprintf(text, sizeof text, "timed out: stopped at trial_timeout (%g s) after %d report(s)", budget.timeout_seconds,
                  record.epochs_run);
    message = text;
  } else if (outcome.end == ChildEnd::kSignaled) {
    message = "killed by signal " + signal_text(outcome.signal) + " after " + std::to_string(record.epochs_run) +
              " report(s)" + stderr_summary(outcome.stderr_tail);
  } else if (outcome.end == ChildEnd::kExited && outcome.exit_code != 0) {
    message = "exited with code " + std::to_string(outcome.exit_code) + " after " + std::to_string(record.epochs_run) +
              " report(s)" + stderr_summary(outcome.stderr_tail);
  } else if (!folder.reported_metric()) {
    message = "never reported " + name + " (it reported " + folder.names() +
              "); print one JSON object per line, e.g. {\"" + name + "\": 0.42}";
  } else {
    record.status = search::TrialStatus::kOk;
  }
  // The notes first: the table keeps the first 255 bytes of a message, and stderr comes last.
  if (!notes.empty()) message = notes + (message.empty() ? "" : "; " + message);
  record.message = std::move(message);
  return record;
}

}  // namespace hpsweep::runtime
