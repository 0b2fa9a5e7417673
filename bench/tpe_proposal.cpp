// The cost of a proposal of method bayes (TPE) against the size of the history: 6 parameters
// (log-scale, linear, integer, quantized-log integer, categorical x 2), a history of N finished
// configurations, one batch of `batch` proposals per iteration. Reported per proposed
// configuration (items/s and the time per iteration divided by the batch).
//   build/release/bench/tpe_proposal [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cmath>
#include <deque>
#include <vector>

#include "hpsweep/search/parse.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/search/tpe.hpp"

namespace {

using namespace hpsweep::search;

SweepSpec spec_for(int history, int batch) {
  return parse_sweep("method: bayes\nseed: 1\nrun_cap: " + std::to_string(history + batch) +
                         "\nbayes: {startup_trials: 0, batch_size: " + std::to_string(batch) + R"(}
parameters:
  lr: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0}
  l2: {distribution: log_uniform_values, min: 1.0e-7, max: 1.0}
  dropout: {min: 0.0, max: 0.9}
  width: {distribution: q_log_uniform_values, min: 4, max: 512, q: 1}
  batch_size: {values: [8, 16, 32, 64, 128, 256]}
  optimizer: {values: [adam, sgd]}
)",
                     "");
}

void BM_Propose(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int batch = static_cast<int>(state.range(1));
  const SweepSpec spec = spec_for(n, batch);
  std::deque<Assignment> settings;
  std::vector<Observation> history;
  for (int c = 0; c < n; ++c) {
    settings.push_back(random_settings(spec, c));
    const double value = std::abs(std::log10(get_double(settings.back(), "lr")) + 2.0) + get_double(settings.back(), "dropout");
    history.push_back({c, c, TrialStatus::kOk, value, 30, &settings.back()});
  }
  TpeSampler tpe(spec);
  for (auto _ : state) {
    std::vector<Proposal> proposals = tpe.propose(n, history);
    benchmark::DoNotOptimize(proposals);
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["seconds_per_proposal"] =
      benchmark::Counter(static_cast<double>(state.iterations() * batch), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Propose)->Args({100, 1})->Args({1000, 1})->Args({1000, 8})->Args({10000, 1})->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
