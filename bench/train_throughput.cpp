// Training throughput of the Eigen + oneTBB trainer: samples per second over whole epochs
// (shuffle, every mini-batch step, and the per-epoch inference passes over train and validation),
// for the sizes of the engine issue. bench/compare_torch.py runs the same loop in PyTorch.
//
//   train_throughput --benchmark_counters_tabular=true
//
// Counters: samples_per_second (training samples x epochs / wall time) and gflops (the training
// arithmetic it implies: 6 flops per weight per sample, forward 2 + backward 4).

#include <benchmark/benchmark.h>
#include <oneapi/tbb/task_arena.h>

#include "hpsweep/data/split.hpp"
#include "hpsweep/data/synthetic.hpp"
#include "hpsweep/nn/trainer.hpp"

namespace {

constexpr int kFeatures = 10;
constexpr int kTrainSamples = 8192;
constexpr int kValSamples = 1024;
constexpr int kEpochs = 3;

void BM_TrainEpochs(benchmark::State& state) {
  const int width = static_cast<int>(state.range(0));
  const int batch = static_cast<int>(state.range(1));
  const int threads = static_cast<int>(state.range(2));
  hpsweep::data::Splits splits = hpsweep::data::make_synthetic(
      {.features = kFeatures, .train = kTrainSamples, .val = kValSamples, .test = 0, .label_noise = 0.2, .seed = 1});
  hpsweep::data::standardize(splits);
  hpsweep::nn::TrainConfig config;
  config.width = width;
  config.batch_size = batch;
  config.epochs = kEpochs;
  config.seed = 1;
  tbb::task_arena arena(threads);
  for (auto _ : state) {
    hpsweep::nn::TrainResult result;
    arena.execute([&] { result = hpsweep::nn::train(splits, config); });
    benchmark::DoNotOptimize(result);
  }
  const double samples = double(kTrainSamples) * kEpochs * double(state.iterations());
  const double weights = double(kFeatures) * width + double(width) * 1;
  state.counters["samples_per_second"] = benchmark::Counter(samples, benchmark::Counter::kIsRate);
  state.counters["gflops"] = benchmark::Counter(samples * 6.0 * weights / 1e9, benchmark::Counter::kIsRate);
}

BENCHMARK(BM_TrainEpochs)
    ->ArgNames({"width", "batch", "threads"})
    ->ArgsProduct({{128}, {32, 256}, {1, 2}})
    ->Args({1024, 256, 1})
    ->Args({1024, 256, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
