// The results file's cost as a sweep grows: rewriting it whole (write_results: a temporary file,
// fsync, rename) and copying the in-memory results, for 1,000 to 100,000 finished trials of
// bench/coordinator_scale.yaml's shape (5 settings, 50-epoch curves). docs/scaling.md projects
// the coordinator's rewrites from these figures.
//
//   results_file bench/coordinator_scale.yaml --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "hpsweep/runtime/sweep.hpp"
#include "hpsweep/store/results.hpp"
#include "stand_in_trial.hpp"

namespace {

using namespace hpsweep;

std::string g_sweep_path;

/// `trials` finished trials: the sweep's plan repeated (new indices) until there are enough.
store::Results finished_results(int trials) {
  static const runtime::PreparedSweep sweep = runtime::prepare_sweep(g_sweep_path);
  store::Results results;
  results.info.name = sweep.spec.name;
  results.info.sweep_text = "benchmark";
  for (int i = 0; i < trials; ++i) {
    search::Trial trial = sweep.plan[static_cast<std::size_t>(i) % sweep.plan.size()];
    trial.index = i;
    store::TrialRecord record = bench::stand_in_record(trial, 1);
    record.seconds = 1.0;
    results.trials.push_back(std::move(record));
  }
  return results;
}

void BM_RewriteResultsFile(benchmark::State& state) {
  const store::Results results = finished_results(static_cast<int>(state.range(0)));
  const std::string path = (std::filesystem::temp_directory_path() / ("results_file_bench_" + std::to_string(::getpid()) + ".h5")).string();
  for (auto _ : state) store::write_results(path, results);
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  // Seconds per trial in the file (a rate inverted): shows whether a rewrite grows faster than the file.
  state.counters["s_per_trial"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                     benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  std::filesystem::remove(path);
}
BENCHMARK(BM_RewriteResultsFile)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CopyResults(benchmark::State& state) {
  const store::Results results = finished_results(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    store::Results copy = results;
    benchmark::DoNotOptimize(copy.trials.data());
  }
}
BENCHMARK(BM_CopyResults)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 2) {
    std::cerr << "usage: results_file SWEEP.yaml [benchmark flags]  (e.g. bench/coordinator_scale.yaml)\n";
    return 2;
  }
  g_sweep_path = argv[1];
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
