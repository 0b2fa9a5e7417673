#pragma once
/// Training one configuration on one set of splits: the unit of work of every worker.
///
/// Parallelism: a whole mini-batch goes through each layer at once; the layer's products are cut
/// into blocks of output rows whose partition depends only on the shapes (never on the thread
/// count), each computed whole by one thread (nn/network.hpp, RowBlocks). Evaluation runs fixed
/// chunks of samples as tasks and sums them in chunk order. So a trial's numbers are bitwise
/// identical for any number of threads. Run it inside a tbb::task_arena to choose the threads.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"
#include "hpsweep/nn/config.hpp"

namespace hpsweep::nn {

/// One epoch of the learning curve.
struct EpochRecord {
  int epoch = 0;             ///< 1-based
  double train_loss = 0.0;   ///< data loss over the whole training split, inference mode
  double val_loss = 0.0;
  double val_metric = 0.0;   ///< accuracy (classification) or RMSE (regression)
  double l2_penalty = 0.0;   ///< λ·Σw² at the end of the epoch, reported apart from the data loss
  double seconds = 0.0;      ///< wall time of the epoch, evaluation included
};

enum class TrialStatus { kOk, kDiverged };

/// The outcome of a training run. A diverged run is a result, not an error.
struct TrainResult {
  TrialStatus status = TrialStatus::kOk;
  std::string message;                 ///< why it diverged; empty when ok
  std::vector<EpochRecord> curve;      ///< the epochs actually run
  int best_epoch = 0;                  ///< epoch of the minimum validation loss (1-based; 0 if none)
  double best_val_loss = 0.0;
  double best_val_metric = 0.0;        ///< validation metric at best_epoch
  bool stopped_early = false;          ///< ended by early stopping's patience
  bool halted = false;                 ///< ended by the EpochGate before config.epochs
  /// The epoch whose weights the run ended with: early stopping's best epoch when it restored
  /// them, else the last epoch run (0 if none). test_loss and a saved model use these weights.
  int weights_epoch = 0;
  std::optional<double> test_loss;     ///< with a test split: loss of the final (or restored) weights
  std::optional<double> test_metric;
  /// With a test split: loss and metric of the weights of best_epoch, the epoch validation selected.
  std::optional<double> best_test_loss;
  std::optional<double> best_test_metric;
  double seconds = 0.0;
};

/// Called after every epoch, e.g. to print the curve as it grows.
using EpochObserver = std::function<void(const EpochRecord&)>;

/// Asked after every epoch that is not the last (and did not diverge or stop by patience), with
/// the result so far: false ends training there (an early-termination rung). The numbers of the
/// epochs run are the same as without the gate.
using EpochGate = std::function<bool(const TrainResult& so_far)>;

/// A run the EpochGate halted, kept so that it can go on later bit for bit as if it had never
/// stopped: weights, optimizer moments, the shuffle order and random stream, early stopping's
/// state and the curve so far. Opaque: made and used by train(). Shared so that copies are cheap.
struct TrainCheckpoint {
  struct State;
  std::shared_ptr<const State> state;
  std::size_t bytes = 0;  ///< memory it holds, for caches with a budget
  int epochs = 0;         ///< epochs run before it was saved
};

/// Samples per task of the evaluation passes; fixed so that the per-chunk sums are combined in a
/// fixed order (prediction with a saved model uses it too, to give the same loss to the bit).
/// Large enough for efficient GEMMs (OpenBLAS at width 2048: 164 GFLOP/s with 64 columns,
/// 177 with 256), small enough to give threads several chunks of a validation split.
inline constexpr long kEvalChunkSamples = 256;

/// What the trainer needs to know of the splits apart from their values.
struct SplitsShape {
  data::Task task = data::Task::kRegression;
  long features = 0;
  long outputs = 1;
  long train = 0, val = 0, test = 0;  ///< samples in each split
  [[nodiscard]] static SplitsShape of(const data::Splits& splits);
  [[nodiscard]] static SplitsShape of(const data::Splits32& splits);
};

/// One split's values held elsewhere: `x` is features x samples, column-major; `y` one per sample.
template <typename Scalar>
struct SplitValues {
  const Scalar* x = nullptr;
  const Scalar* y = nullptr;
};

/// The three splits' values in one precision, in train, val, test order.
template <typename Scalar>
using SplitsValues = std::array<SplitValues<Scalar>, 3>;

/// One set of splits as the trainer reads them, in a trial's precision.
template <typename Scalar>
struct ConvertedSplits;

/// The splits in the trainer's precisions, shared read-only by every trial that trains on them:
/// a process that runs trials side by side holds one float copy of the data, not one per running
/// trial, and a trial starts without converting. Thread-safe.
class TrainingData {
 public:
  /// Converts `splits` to a precision when the first trial needs it; `splits` must outlive this.
  explicit TrainingData(const data::Splits& splits);
  /// Reads values that live elsewhere (a node's shared copy), which must outlive this. Without
  /// `as_double`, a float64 trial is refused (core::DataError).
  TrainingData(const SplitsShape& shape, const SplitsValues<float>& as_float,
               const std::optional<SplitsValues<double>>& as_double);
  /// Takes float32 splits (data::load_float32_splits, data::to_float32) as its float32 values,
  /// without a copy: a sweep whose trials all train in float32 then holds its data once, as
  /// float32. A float64 trial on it is refused (core::DataError).
  [[nodiscard]] static std::shared_ptr<const TrainingData> float32_owning(data::Splits32&& splits);
  ~TrainingData();
  TrainingData(const TrainingData&) = delete;
  TrainingData& operator=(const TrainingData&) = delete;

  [[nodiscard]] const SplitsShape& shape() const noexcept { return shape_; }
  /// The splits in Scalar (float or double).
  template <typename Scalar>
  [[nodiscard]] const ConvertedSplits<Scalar>& converted() const;

 private:
  struct Cache;
  const data::Splits* splits_ = nullptr;  // null when the values live elsewhere
  SplitsShape shape_;
  std::unique_ptr<Cache> cache_;
};

/// Trains on splits.train, evaluates on splits.val (and splits.test at the end).
/// Throws core::ConfigError for an invalid config and core::DataError for unusable splits.
/// With `resume` (a checkpoint of the same config and splits) it goes on from there; the result's
/// curve then holds every epoch since the first. When the gate halts it and `save` is given, the
/// run is saved there. With `final_parameters`, the weights the run ended with (see
/// TrainResult::weights_epoch) are copied there, laid out as Mlp::parameters(), in double.
[[nodiscard]] TrainResult train(const data::Splits& splits, const TrainConfig& config,
                                const EpochObserver& observer = {}, const EpochGate& gate = {},
                                const TrainCheckpoint* resume = nullptr, TrainCheckpoint* save = nullptr,
                                std::vector<double>* final_parameters = nullptr);
/// The same, on data already converted (and shared with the trials running beside it).
[[nodiscard]] TrainResult train(const TrainingData& data, const TrainConfig& config,
                                const EpochObserver& observer = {}, const EpochGate& gate = {},
                                const TrainCheckpoint* resume = nullptr, TrainCheckpoint* save = nullptr,
                                std::vector<double>* final_parameters = nullptr);

}  // namespace hpsweep::nn
