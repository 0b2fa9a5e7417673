#pragma once
/// Progress of a sweep on the coordinator: one live status line on a terminal, one line per
/// finished trial in batch logs, nothing with --quiet.

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "hpsweep/search/spec.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::runtime {

class Progress {
 public:
  enum class Style { kLive, kLines, kQuiet };

  /// `total` trials of which `done` are already finished (a resumed sweep); `swept` names the
  /// settings worth showing for the best trial. `metric` is the sweep's: a program sweep's
  /// (metric.reported) best is its best_metric under the metric's name and goal; the built-in
  /// trainer's is always its best val_loss (the default).
  Progress(std::ostream& out, Style style, int total, int done, std::vector<std::string> swept,
           search::Metric metric = {});

  void assigned();
  /// A trial settled; `was_running` false when the coordinator settled it (a paused trial stopped).
  void finished(const store::TrialRecord& record, bool was_running = true);
  /// A trial came back paused at a rung (sha/hyperband): it is no longer running, nor done.
  void paused(const store::TrialRecord& record);
  /// Ends the live line.
  void close();

  /// kLive when `out_is_terminal`, else kLines; kQuiet when `quiet`.
  static Style choose(bool quiet, bool out_is_terminal) noexcept;

 private:
  void print_live();
  [[nodiscard]] double elapsed() const;
  /// The value shown as a record's best, and whether it beats the best so far.
  [[nodiscard]] double shown_value(const store::TrialRecord& record) const noexcept;
  [[nodiscard]] bool beats(double value, double best) const noexcept;

  std::ostream& out_;
  Style style_;
  int total_;
  int done_;
  int done_at_start_;
  int running_ = 0;
  int failed_ = 0;
  double best_ = 0.0;
  std::string best_settings_;
  bool has_best_ = false;
  std::vector<std::string> swept_;
  search::Metric metric_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace hpsweep::runtime
