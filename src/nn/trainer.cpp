#include "hpsweep/nn/trainer.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>
#include <optional>
#include <type_traits>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/nn/loss.hpp"
#include "hpsweep/nn/network.hpp"
#include "hpsweep/nn/optimizer.hpp"

namespace hpsweep::nn {

struct TrainCheckpoint::State {
  virtual ~State() = default;
};

namespace {

constexpr Eigen::Index kEvalChunk = kEvalChunkSamples;

using Clock = std::chrono::steady_clock;

/// One split in a trial's precision, read in place: the values belong to a TrainingData.
template <typename Scalar>
struct Split {
  Eigen::Map<const typename Mlp<Scalar>::Matrix> x{nullptr, 0, 0};
  Eigen::Map<const typename Mlp<Scalar>::Vector> y{nullptr, 0};
  [[nodiscard]] Eigen::Index size() const { return x.cols(); }
};

template <typename Scalar>
Split<Scalar> view(const SplitValues<Scalar>& values, long features, long samples) {
  Split<Scalar> split;
  if (samples == 0) return split;
  // Eigen's Maps cannot be reassigned, only rebuilt in place.
  new (&split.x) Eigen::Map<const typename Mlp<Scalar>::Matrix>(values.x, features, samples);
  new (&split.y) Eigen::Map<const typename Mlp<Scalar>::Vector>(values.y, samples);
  return split;
}

/// One split converted to Scalar, owned.
template <typename Scalar>
struct OwnedSplit {
  typename Mlp<Scalar>::Matrix x;
  typename Mlp<Scalar>::Vector y;
  explicit OwnedSplit(const data::Dataset& d) : x(d.features.rows(), d.features.cols()) {
    core::prefer_huge_pages(x.data(), sizeof(Scalar) * static_cast<std::size_t>(x.size()));
    x = d.features.cast<Scalar>();
    y = d.target.cast<Scalar>();
  }
  /// Float32 features taken as they are (Scalar float only).
  explicit OwnedSplit(data::Dataset32&& d) : x(std::move(d.features)), y(d.target.cast<Scalar>()) {
    static_assert(std::is_same_v<Scalar, float>);
  }
};

template <typename Scalar>
SplitsShape shape_of(const data::BasicSplits<Scalar>& splits) {
  return {splits.train.task, static_cast<long>(splits.train.num_features()), splits.train.num_outputs(),
          static_cast<long>(splits.train.num_samples()), static_cast<long>(splits.val.num_samples()),
          static_cast<long>(splits.test.num_samples())};
}

}  // namespace

template <typename Scalar>
struct ConvertedSplits {
  Split<Scalar> train, val, test;
};

SplitsShape SplitsShape::of(const data::Splits& splits) { return shape_of(splits); }

SplitsShape SplitsShape::of(const data::Splits32& splits) { return shape_of(splits); }

namespace {

/// Views of three splits' values laid out as `shape` says.
template <typename Scalar>
ConvertedSplits<Scalar> views(const SplitsShape& shape, const SplitsValues<Scalar>& values) {
  return {view(values[0], shape.features, shape.train), view(values[1], shape.features, shape.val),
          view(values[2], shape.features, shape.test)};
}

/// The values of one precision: converted by the first trial that asks, or given.
template <typename Scalar>
struct ValuesOf {
  std::once_flag once;
  std::vector<OwnedSplit<Scalar>> owned;  // empty when the values live elsewhere
  std::optional<ConvertedSplits<Scalar>> splits;
};

}  // namespace

struct TrainingData::Cache {
  ValuesOf<float> as_float;
  ValuesOf<double> as_double;
};

TrainingData::TrainingData(const data::Splits& splits)
    : splits_(&splits), shape_(SplitsShape::of(splits)), cache_(std::make_unique<Cache>()) {}

TrainingData::TrainingData(const SplitsShape& shape, const SplitsValues<float>& as_float,
                           const std::optional<SplitsValues<double>>& as_double)
    : shape_(shape), cache_(std::make_unique<Cache>()) {
  std::call_once(cache_->as_float.once, [&] { cache_->as_float.splits.emplace(views(shape, as_float)); });
  if (as_double) std::call_once(cache_->as_double.once, [&] { cache_->as_double.splits.emplace(views(shape, *as_double)); });
}

TrainingData::~TrainingData() = default;

std::shared_ptr<const TrainingData> TrainingData::float32_owning(data::Splits32&& splits) {
  const SplitsShape shape = SplitsShape::of(splits);
  std::vector<OwnedSplit<float>> owned;
  owned.reserve(3);
  for (data::Dataset32* d : {&splits.train, &splits.val, &splits.test}) owned.emplace_back(std::move(*d));
  SplitsValues<float> pointers;
  for (std::size_t i = 0; i < 3; ++i) pointers[i] = {owned[i].x.data(), owned[i].y.data()};
  auto data = std::make_shared<TrainingData>(shape, pointers, std::nullopt);
  data->cache_->as_float.owned = std::move(owned);  // a moved vector keeps its elements where they are
  return data;
}

template <typename Scalar>
const ConvertedSplits<Scalar>& TrainingData::converted() const {
  ValuesOf<Scalar>& values = [this]() -> ValuesOf<Scalar>& {
    if constexpr (std::is_same_v<Scalar, float>) {
      return cache_->as_float;
    } else {
      return cache_->as_double;
    }
  }();
  // A conversion that throws (bad_alloc) leaves the flag unset: the next trial tries again.
  std::call_once(values.once, [&] {
    if (splits_ == nullptr) {
      throw core::DataError(std::string("the data was kept only in ") +
                            (std::is_same_v<Scalar, float> ? "float64" : "float32") +
                            " (no trial of the sweep was to train in this precision)");
    }
    std::vector<OwnedSplit<Scalar>> owned;
    owned.reserve(3);
    for (const data::Dataset* d : {&splits_->train, &splits_->val, &splits_->test}) owned.emplace_back(*d);
    SplitsValues<Scalar> pointers;
    for (std::size_t i = 0; i < 3; ++i) pointers[i] = {owned[i].x.data(), owned[i].y.data()};
    values.splits.emplace(views(shape_, pointers));
    values.owned = std::move(owned);  // a moved vector keeps its elements where they are
  });
  return *values.splits;
}

template const ConvertedSplits<float>& TrainingData::converted<float>() const;
template const ConvertedSplits<double>& TrainingData::converted<double>() const;

namespace {

/// Loss mean and metric (accuracy, or RMSE for regression) of a split.
struct Evaluation {
  double loss = 0.0;
  double metric = 0.0;
};

template <typename Scalar>
class TrialTrainer {
 public:
  TrialTrainer(const TrainingData& data, const TrainConfig& config)
      : config_(config),
        task_(data.shape().task),
        train_(data.converted<Scalar>().train),
        val_(data.converted<Scalar>().val),
        test_(data.converted<Scalar>().test),
        net_(Architecture{static_cast<int>(data.shape().features), config.width, config.depth,
                          static_cast<int>(data.shape().outputs), config.activation}),
        optimizer_(config, net_.num_parameters()),
        step_workspace_(net_, std::min<Eigen::Index>(config.batch_size, train_.size()), config.dropout > 0.0),
        step_targets_(step_workspace_.capacity),
        eval_workspaces_([this] { return Workspace<Scalar>(net_, kEvalChunk, false); }) {
    net_.init_glorot(config.seed);
    order_.resize(static_cast<std::size_t>(train_.size()));
    std::iota(order_.begin(), order_.end(), Eigen::Index{0});
  }

  /// Everything of a run that changes from epoch to epoch, apart from the trainer's members.
  struct Loop {
    core::Rng shuffle_rng;
    TrainResult result;
    typename Mlp<Scalar>::Vector best_weights;
    /// With a test split: the weights of best_epoch, so the test split can be scored at the epoch
    /// validation selected (apart from early stopping's copy, whose best honours min_delta).
    typename Mlp<Scalar>::Vector selected_weights;
    double early_best = std::numeric_limits<double>::infinity();
    int early_best_epoch = 0;
    int wait = 0;
  };

  TrainResult run(const EpochObserver& observer, const EpochGate& gate, const TrainCheckpoint* resume,
                  TrainCheckpoint* save, std::vector<double>* final_parameters) {
    const auto start = Clock::now();
    Loop loop{core::Rng(core::derive_seed(config_.seed, {0x5bff1e})), {}, {}, {}};
    if (resume != nullptr) restore(*resume, loop);
    TrainResult& result = loop.result;
    const double seconds_before = result.seconds;
    for (int epoch = static_cast<int>(result.curve.size()) + 1; epoch <= config_.epochs; ++epoch) {
      const auto epoch_start = Clock::now();
      core::shuffle(order_, loop.shuffle_rng);
      train_epoch(epoch);
      EpochRecord record = evaluate_epoch(epoch);
      record.seconds = std::chrono::duration<double>(Clock::now() - epoch_start).count();
      result.curve.push_back(record);
      if (observer) observer(record);
      if (!std::isfinite(record.train_loss) || !std::isfinite(record.val_loss)) {
        result.status = TrialStatus::kDiverged;
        result.message = "loss became " + std::string(std::isnan(record.train_loss) || std::isnan(record.val_loss) ? "NaN" : "Inf") +
                         " at epoch " + std::to_string(epoch);
        break;
      }
      if (result.best_epoch == 0 || record.val_loss < result.best_val_loss) {
        result.best_epoch = epoch;
        result.best_val_loss = record.val_loss;
        result.best_val_metric = record.val_metric;
        if (test_.size() > 0) loop.selected_weights = net_.parameters();
      }
      result.weights_epoch = epoch;
      if (config_.early_stopping.enabled && early_stop(record, epoch, loop)) {
        result.stopped_early = true;
        break;
      }
      if (gate && epoch < config_.epochs && !gate(result)) {
        result.halted = true;
        break;
      }
    }
    result.seconds = seconds_before + std::chrono::duration<double>(Clock::now() - start).count();
    if (result.halted && save != nullptr) *save = checkpoint(loop);
    if (final_parameters != nullptr) {
      const auto& p = net_.parameters();
      final_parameters->assign(p.data(), p.data() + p.size());
    }
    if (result.status == TrialStatus::kOk && test_.size() > 0) {
      const Evaluation test = evaluate(test_);
      result.test_loss = test.loss;
      result.test_metric = test.metric;
      Evaluation selected = test;
      if (result.weights_epoch != result.best_epoch && loop.selected_weights.size() > 0) {
        const typename Mlp<Scalar>::Vector ended_with = net_.parameters();
        net_.parameters() = loop.selected_weights;
        selected = evaluate(test_);
        net_.parameters() = ended_with;
      }
      result.best_test_loss = selected.loss;
      result.best_test_metric = selected.metric;
    }
    return result;
  }

  /// The run's state; its type ties it to this precision.
  struct Saved : TrainCheckpoint::State {
    Saved(const TrialTrainer& trainer, const Loop& loop)
        : params(trainer.net_.parameters()), optimizer(trainer.optimizer_), order(trainer.order_), loop(loop) {}
    typename Mlp<Scalar>::Vector params;
    Optimizer<Scalar> optimizer;
    std::vector<Eigen::Index> order;
    Loop loop;
  };

  TrainCheckpoint checkpoint(const Loop& loop) const {
    auto saved = std::make_shared<const Saved>(*this, loop);
    const std::size_t bytes = sizeof(Saved) + static_cast<std::size_t>(net_.num_parameters() + loop.best_weights.size() + loop.selected_weights.size()) * sizeof(Scalar) +
                              optimizer_.state_bytes() + order_.size() * sizeof(Eigen::Index) +
                              loop.result.curve.size() * sizeof(EpochRecord);
    return TrainCheckpoint{std::move(saved), bytes, static_cast<int>(loop.result.curve.size())};
  }

  void restore(const TrainCheckpoint& from, Loop& loop) {
    const auto* saved = dynamic_cast<const Saved*>(from.state.get());
    if (saved == nullptr || saved->params.size() != net_.num_parameters() ||
        saved->order.size() != order_.size()) {
      throw core::Error("a training checkpoint of another configuration was given to resume", core::ExitCode::kInternal);
    }
    net_.parameters() = saved->params;
    optimizer_ = saved->optimizer;
    order_ = saved->order;
    loop = saved->loop;
    loop.result.halted = false;
    loop.result.test_loss.reset();
    loop.result.test_metric.reset();
    loop.result.best_test_loss.reset();
    loop.result.best_test_metric.reset();
  }

 private:
  /// Keras EarlyStopping on val_loss; returns true when training must stop.
  bool early_stop(const EpochRecord& record, int epoch, Loop& loop) {
    const EarlyStopping& es = config_.early_stopping;
    ++loop.wait;
    if (record.val_loss < loop.early_best - es.min_delta) {
      loop.early_best = record.val_loss;
      loop.early_best_epoch = epoch;
      loop.wait = 0;
      if (es.restore_best_weights) loop.best_weights = net_.parameters();
    }
    if (loop.wait < std::max(es.patience, 1) || epoch == 1) return false;
    if (es.restore_best_weights && loop.best_weights.size() > 0) {
      net_.parameters() = loop.best_weights;
      loop.result.weights_epoch = loop.early_best_epoch;
    }
    return true;
  }

  void train_epoch(int epoch) {
    const auto batch = static_cast<Eigen::Index>(config_.batch_size);
    long long step = 0;
    for (Eigen::Index start = 0; start < train_.size(); start += batch, ++step) {
      const Eigen::Index size = std::min(batch, train_.size() - start);
      train_step(start, size, core::derive_seed(config_.seed, {0x57e9, static_cast<std::uint64_t>(epoch),
                                                               static_cast<std::uint64_t>(step)}));
    }
  }

  /// One optimizer step on order_[start, start + size): the whole mini-batch goes through each
  /// layer at once, its products cut into row blocks (see RowBlocks), so that the GEMMs are as
  /// large as the batch allows and no gradient is ever summed across threads.
  void train_step(Eigen::Index start, Eigen::Index size, std::uint64_t step_seed) {
    Workspace<Scalar>& ws = step_workspace_;
    for (Eigen::Index j = 0; j < size; ++j) {
      const Eigen::Index sample = order_[static_cast<std::size_t>(start + j)];
      ws.input.col(j) = train_.x.col(sample);
      step_targets_(j) = train_.y(sample);
    }
    forward(net_, ws, size, ForwardNoise{config_.dropout, config_.input_noise, step_seed});
    auto delta = ws.delta.back().leftCols(size);
    (void)loss_sum_and_gradient<Scalar>(task_, ws.pre.back().leftCols(size), step_targets_.data(), delta);
    delta *= static_cast<Scalar>(1.0 / static_cast<double>(size));  // the mean's gradient
    backward(net_, ws, size, config_.dropout > 0.0, config_.l2);
    optimizer_.step(net_.parameters(), ws.gradient);
  }

  EpochRecord evaluate_epoch(int epoch) {
    EpochRecord record;
    record.epoch = epoch;
    record.train_loss = evaluate(train_).loss;
    const Evaluation val = evaluate(val_);
    record.val_loss = val.loss;
    record.val_metric = val.metric;
    record.l2_penalty = net_.l2_penalty(config_.l2);
    return record;
  }

  /// Inference-mode loss and metric over a split, in fixed chunks summed in chunk order.
  Evaluation evaluate(const Split<Scalar>& split) {
    const Eigen::Index chunks = (split.size() + kEvalChunk - 1) / kEvalChunk;
    sums_.assign(static_cast<std::size_t>(2 * chunks), 0.0);
    auto run_chunk = [&](Eigen::Index c) {
      Workspace<Scalar>& ws = eval_workspaces_.local();
      const Eigen::Index lo = c * kEvalChunk;
      const Eigen::Index n = std::min(kEvalChunk, split.size() - lo);
      ws.input.leftCols(n) = split.x.middleCols(lo, n);
      // Isolated: while it waits for the forward pass's row blocks, this thread must not pick up
      // another chunk, which would reuse this thread's workspace.
      tbb::this_task_arena::isolate([&] { forward(net_, ws, n, ForwardNoise{}); });
      const auto logits = ws.pre.back().leftCols(n);
      sums_[static_cast<std::size_t>(2 * c)] = loss_sum<Scalar>(task_, logits, split.y.data() + lo);
      sums_[static_cast<std::size_t>(2 * c + 1)] = metric_sum<Scalar>(task_, logits, split.y.data() + lo);
    };
    // Chunks are summed in chunk order, so running them on one thread gives the same bits. A
    // chunk of a small network is a few microseconds, less than waking another thread costs.
    const double chunk_flops = 2.0 * static_cast<double>(net_.num_parameters()) * static_cast<double>(kEvalChunk);
    if (chunks == 1 || chunk_flops < kMinTaskFlops) {
      for (Eigen::Index c = 0; c < chunks; ++c) run_chunk(c);
    } else {
      tbb::parallel_for(Eigen::Index{0}, chunks, run_chunk);
    }
    double loss = 0.0, metric = 0.0;
    for (Eigen::Index c = 0; c < chunks; ++c) {
      loss += sums_[static_cast<std::size_t>(2 * c)];
      metric += sums_[static_cast<std::size_t>(2 * c + 1)];
    }
    const auto n = static_cast<double>(split.size());
    return Evaluation{loss / n, task_ == data::Task::kRegression ? std::sqrt(metric / n) : metric / n};
  }

  TrainConfig config_;
  data::Task task_;
  const Split<Scalar>& train_;  // shared with the trials running beside this one: read only
  const Split<Scalar>& val_;
  const Split<Scalar>& test_;
  Mlp<Scalar> net_;
  Optimizer<Scalar> optimizer_;
  Workspace<Scalar> step_workspace_;  // a whole mini-batch, reused by every step
  typename Mlp<Scalar>::Vector step_targets_;
  tbb::enumerable_thread_specific<Workspace<Scalar>> eval_workspaces_;
  std::vector<Eigen::Index> order_;
  std::vector<double> sums_;
};

void check_splits(const data::Splits& splits) {
  for (const data::Dataset* d : {&splits.val, &splits.test}) {
    if (d->num_samples() > 0 && d->num_features() != splits.train.num_features()) {
      throw core::DataError(d->origin + ": " + std::to_string(d->num_features()) + " features, but the training data has " +
                            std::to_string(splits.train.num_features()));
    }
  }
}

void check_shape(const SplitsShape& shape) {
  if (shape.train < 1) throw core::DataError("the training split is empty");
  if (shape.val < 1) throw core::DataError("the validation split is empty");
}

}  // namespace

TrainResult train(const data::Splits& splits, const TrainConfig& config, const EpochObserver& observer,
                  const EpochGate& gate, const TrainCheckpoint* resume, TrainCheckpoint* save,
                  std::vector<double>* final_parameters) {
  check_splits(splits);
  return train(TrainingData(splits), config, observer, gate, resume, save, final_parameters);
}

TrainResult train(const TrainingData& data, const TrainConfig& config, const EpochObserver& observer,
                  const EpochGate& gate, const TrainCheckpoint* resume, TrainCheckpoint* save,
                  std::vector<double>* final_parameters) {
  config.validate();
  check_shape(data.shape());
  switch (config.precision) {
    case Precision::kFloat64:
      return TrialTrainer<double>(data, config).run(observer, gate, resume, save, final_parameters);
    case Precision::kFloat32:
      return TrialTrainer<float>(data, config).run(observer, gate, resume, save, final_parameters);
  }
  throw core::Error("unknown precision " + std::to_string(static_cast<int>(config.precision)), core::ExitCode::kInternal);
}

}  // namespace hpsweep::nn
