#pragma once
/// Rewrites the results file on a thread of its own, so that the coordinator never waits for it.
/// A whole-file rewrite grows with the sweep (about 30 ms at 10,000 trials, 0.6 s at 100,000 here:
/// bench/results_file.cpp); on the coordinator's thread no worker would get a new trial meanwhile.
/// The rewriter keeps its own copy of the results, brought up to date with the journal records it
/// is handed, so handing over costs the coordinator no copy of the results.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "hpsweep/store/results.hpp"

namespace hpsweep::store {

class BackgroundRewriter {
 public:
  /// `results`: what the file at `path` holds now.
  BackgroundRewriter(std::string path, store::Results results);
  /// Waits for a rewrite in progress (its error, if any, is dropped: the journals hold everything).
  ~BackgroundRewriter();
  BackgroundRewriter(const BackgroundRewriter&) = delete;
  BackgroundRewriter& operator=(const BackgroundRewriter&) = delete;

  /// Whether a rewrite is still running. Rethrows the error of one that failed (core::StoreError).
  [[nodiscard]] bool busy();
  /// Starts a rewrite, once the previous one is done: applies the encoded journal records
  /// `records` (rung decisions are skipped) and `info` to its copy, rewrites the file, then
  /// removes `sealed_journal`, whose records the file now holds.
  void start(std::vector<std::vector<std::byte>> records, store::SweepInfo info, std::string sealed_journal);
  /// Waits for the rewrite in progress; rethrows its error.
  void wait();

  [[nodiscard]] int rewrites() const noexcept { return rewrites_; }
  /// Wall time of the rewrites that finished: the last, all, the longest.
  [[nodiscard]] std::chrono::duration<double> last() const noexcept { return last_; }
  [[nodiscard]] std::chrono::duration<double> total() const noexcept { return total_; }
  [[nodiscard]] std::chrono::duration<double> longest() const noexcept { return longest_; }

 private:
  void collect();  // joins a finished rewrite and takes its figures or its error

  std::string path_;
  store::Results results_;  // touched only by the rewrite thread while one runs
  std::thread thread_;
  std::atomic<bool> done_{true};
  std::exception_ptr error_;
  std::chrono::duration<double> running_{0.0};  // written by the thread, read after the join
  std::chrono::duration<double> last_{0.0}, total_{0.0}, longest_{0.0};
  int rewrites_ = 0;
};

}  // namespace hpsweep::store
