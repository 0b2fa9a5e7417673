#include "hpsweep/runtime/node_data.hpp"

#include <array>
#include <cstring>
#include <exception>
#include <optional>
#include <ostream>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/core/wire.hpp"

namespace hpsweep::runtime {
namespace {

/// What the ranks of a node learn from its leader before the values are shared.
struct NodeHeader {
  std::int32_t error = 0;  ///< the leader's exit code when its preparation failed
  std::int32_t task = 0;
  std::int32_t with_double = 0;
  std::int64_t features = 0, outputs = 0;
  std::array<std::int64_t, 3> samples{};  ///< train, val, test
};

constexpr std::size_t kAlignment = 64;  // a cache line, and Eigen's widest vector

std::size_t aligned(std::size_t bytes) { return (bytes + kAlignment - 1) / kAlignment * kAlignment; }

/// Where each array sits in the shared memory: float32 x and y of train, val and test, then the
/// same in float64 when a trial may train in float64.
struct Layout {
  std::array<std::size_t, 6> float_at{}, double_at{};
  std::size_t bytes = 0;

  explicit Layout(const NodeHeader& h) {
    place(h, float_at, sizeof(float));
    if (h.with_double != 0) place(h, double_at, sizeof(double));
  }

 private:
  void place(const NodeHeader& h, std::array<std::size_t, 6>& at, std::size_t scalar) {
    for (std::size_t i = 0; i < 3; ++i) {
      const auto n = static_cast<std::size_t>(h.samples[i]);
      at[2 * i] = bytes;
      bytes += aligned(scalar * static_cast<std::size_t>(h.features) * n);
      at[2 * i + 1] = bytes;
      bytes += aligned(scalar * n);
    }
  }
};

NodeHeader header_of(const PreparedSweep& sweep) {
  // A float32 sweep of float32 data holds it only in float32 (prepare_sweep).
  const bool float32_only = sweep.float32_splits.train.num_samples() > 0;
  const nn::SplitsShape s = float32_only ? nn::SplitsShape::of(sweep.float32_splits) : nn::SplitsShape::of(sweep.splits);
  NodeHeader h;
  h.task = static_cast<std::int32_t>(s.task);
  h.with_double = may_train_in_float64(sweep.spec) ? 1 : 0;
  h.features = s.features;
  h.outputs = s.outputs;
  h.samples = {s.train, s.val, s.test};
  return h;
}

/// The leader's float32 splits moved into the shared memory (a float32 sweep: no float64 part), a
/// block of samples at a time, so that the leader never holds the data twice.
void move_into(std::byte* base, const Layout& layout, const NodeHeader& h, data::Splits32& splits) {
  const std::array<data::Dataset32*, 3> sets{&splits.train, &splits.val, &splits.test};
  for (std::size_t i = 0; i < 3; ++i) {
    data::Dataset32& d = *sets[i];
    Eigen::Map<Eigen::VectorXf>(reinterpret_cast<float*>(base + layout.float_at[2 * i + 1]), d.num_samples()) =
        d.target.cast<float>();
    auto* x = reinterpret_cast<float*>(base + layout.float_at[2 * i]);
    data::take_columns_from_end(d.features, [&](Eigen::Index begin, Eigen::Index count) {
      const auto bytes = sizeof(float) * static_cast<std::size_t>(h.features * count);
      core::populate_pages(x + begin * h.features, bytes, true);  // one call, not a fault per page
      std::memcpy(x + begin * h.features, d.features.data() + begin * h.features, bytes);
    });
    d = {};
  }
}

/// The leader's values into the shared memory, in each precision the layout has.
void fill(std::byte* base, const Layout& layout, const NodeHeader& h, const data::Splits& splits) {
  const std::array<const data::Dataset*, 3> sets{&splits.train, &splits.val, &splits.test};
  for (std::size_t i = 0; i < 3; ++i) {
    const data::Dataset& d = *sets[i];
    const Eigen::Index n = d.num_samples();
    Eigen::Map<Eigen::MatrixXf>(reinterpret_cast<float*>(base + layout.float_at[2 * i]), h.features, n) =
        d.features.cast<float>();
    Eigen::Map<Eigen::VectorXf>(reinterpret_cast<float*>(base + layout.float_at[2 * i + 1]), n) = d.target.cast<float>();
    if (h.with_double == 0) continue;
    std::memcpy(base + layout.double_at[2 * i], d.features.data(), sizeof(double) * static_cast<std::size_t>(d.features.size()));
    std::memcpy(base + layout.double_at[2 * i + 1], d.target.data(), sizeof(double) * static_cast<std::size_t>(n));
  }
}

template <typename Scalar>
nn::SplitsValues<Scalar> values_at(const std::byte* base, const std::array<std::size_t, 6>& at) {
  nn::SplitsValues<Scalar> values;
  for (std::size_t i = 0; i < 3; ++i) {
    values[i] = {reinterpret_cast<const Scalar*>(base + at[2 * i]), reinterpret_cast<const Scalar*>(base + at[2 * i + 1])};
  }
  return values;
}

/// Runs `prepare`; an error is kept in `failure` and its exit code returned (0: none). Rank 0
/// prints errors (main); a rank whose error rank 0 does not learn (`tell`) writes it to `log`.
template <typename Prepare>
int attempt(const Prepare& prepare, int world_rank, bool tell, std::ostream& log, std::exception_ptr& failure) {
  int code = 0;
  try {
    prepare();
  } catch (const core::Error& e) {
    code = static_cast<int>(e.code());
    failure = std::current_exception();
  } catch (const std::exception& e) {  // std::bad_alloc: the data does not fit
    code = static_cast<int>(core::ExitCode::kInternal);
    failure = std::current_exception();
  }
  if (failure && tell) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      log << "hpsweep: error on rank " << world_rank << ": " << e.what() << "\n";
    }
  }
  return code;
}

/// What the leader tells its node after preparing: its error's text, or what rank 0 records of
/// the data (the fingerprint and the description), so that rank 0 need not load the data itself.
core::wire::Bytes leaders_word(const PreparedSweep& sweep, const std::exception_ptr& failure) {
  core::wire::Writer out;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      return out.put(std::string(e.what())).take();
    }
  }
  const store::DataDescription& d = sweep.data_description;
  out.put(sweep.fingerprint).put(d.task).put(d.target).put<std::uint64_t>(d.feature_names.size());
  for (const std::string& name : d.feature_names) out.put(name);
  out.put(d.class_labels).put(d.train_samples).put(d.val_samples).put(d.test_samples).put(d.val_metric);
  return out.take();
}

void read_leaders_word(const core::wire::Bytes& word, PreparedSweep& sweep) {
  core::wire::Reader in(word);
  store::DataDescription& d = sweep.data_description;
  sweep.fingerprint = in.get_string();
  d.task = in.get_string();
  d.target = in.get_string();
  const auto names = in.get<std::uint64_t>();
  if (names > in.remaining() / sizeof(std::uint64_t)) throw core::Error("truncated message between ranks", core::ExitCode::kInternal);
  for (std::uint64_t i = 0; i < names; ++i) d.feature_names.push_back(in.get_string());
  d.class_labels = in.get_doubles();
  d.train_samples = in.get<long long>();
  d.val_samples = in.get<long long>();
  d.test_samples = in.get<long long>();
  d.val_metric = in.get_string();
}

/// `bytes` of the leader to every rank of the node, their size first.
void broadcast_bytes(NodeGroup& node, core::wire::Bytes& bytes) {
  auto size = static_cast<std::uint64_t>(bytes.size());
  node.broadcast(&size, sizeof size);
  bytes.resize(size);
  node.broadcast(bytes.data(), bytes.size());
}

}  // namespace

PreparedSweep prepare_sweep_on_node(const search::SweepSpec& spec, NodeGroup& node, int world_rank, std::ostream& log,
                                    FingerprintKind kind) {
  kind = static_cast<FingerprintKind>(node.max_over_job(world_rank == 0 ? static_cast<int>(kind) : 0));
  const bool leader = node.local_rank() == 0;
  const bool coordinator = world_rank == 0 && !leader;  // trains nothing: loads nothing
  PreparedSweep sweep;
  NodeHeader header;
  std::exception_ptr failure;
  if (leader) {
    // Rank 0 on this node prints the leader's error itself (below): the leader says it only elsewhere.
    header.error = attempt([&] {
      sweep = prepare_sweep(spec, kind, Float32DataIn::kSplits);
      header = header_of(sweep);
    }, world_rank, world_rank != 0 && !node.holds_world_rank_zero(), log, failure);
  }
  node.broadcast(&header, sizeof header);
  core::wire::Bytes word = leader ? leaders_word(sweep, failure) : core::wire::Bytes{};
  broadcast_bytes(node, word);
  // Every node agrees before anyone goes on: a node whose data is missing or bad ends the job.
  const int error = node.max_over_job(header.error);
  if (error != 0) {
    if (failure) std::rethrow_exception(failure);
    if (header.error != 0) throw core::Error(core::wire::Reader(word).get_string(), static_cast<core::ExitCode>(error));
    throw core::Error("the data could not be prepared on another node (its first rank's error is above)",
                      static_cast<core::ExitCode>(error));
  }
  if (!leader) {
    sweep = prepare_sweep_without_data(spec, static_cast<data::Task>(header.task));
    read_leaders_word(word, sweep);
  }

  const Layout layout(header);
  // A rank alone on its node (`mpirun -np 1`, or one rank per node) keeps what it loaded: a copy
  // into shared memory would only write the data once more (0.7 s for 400 MB of fresh pages here).
  const bool alone = node.size() == 1;
  std::byte* base = alone ? nullptr : node.allocate_shared(leader ? layout.bytes : 0);
  int fallback_error = 0;
  if (base == nullptr) {
    if (leader) {
      if (!alone) {
        log << "hpsweep: warning: the ranks of this node cannot share memory (MPI_Win_allocate_shared failed), so "
               "each loads its own copy of the data\n";
      }
      keep_float32_data_only(sweep);
    } else if (!coordinator) {
      fallback_error = attempt([&] {
        sweep = prepare_sweep(spec, kind);
        keep_float32_data_only(sweep);
      }, world_rank, world_rank != 0, log, failure);
    }
  }
  // A rank loading its own copy can fail alone (memory): the job agrees again, so that every
  // rank ends together rather than some waiting forever for the others.
  if (const int e = node.max_over_job(fallback_error); e != 0) {
    if (failure) std::rethrow_exception(failure);
    throw core::Error("a rank that loads its own copy of the data could not prepare it (its error is above)",
                      static_cast<core::ExitCode>(e));
  }
  if (base == nullptr) return sweep;
  if (leader) {
    if (sweep.float32_splits.train.num_samples() > 0) {
      move_into(base, layout, header, sweep.float32_splits);
    } else {
      core::populate_pages(base, layout.bytes, true);  // one call, not a fault per page
      fill(base, layout, header, sweep.splits);
    }
    sweep.splits = {};  // the shared copy is the node's only one; the description keeps what rank 0 records
  }
  node.barrier();
  if (!leader && !coordinator) core::populate_pages(base, layout.bytes, false);
  const nn::SplitsShape shape{static_cast<data::Task>(header.task), header.features, header.outputs,
                              header.samples[0], header.samples[1], header.samples[2]};
  std::optional<nn::SplitsValues<double>> as_double;
  if (header.with_double != 0) as_double = values_at<double>(base, layout.double_at);
  sweep.training_data = std::make_shared<const nn::TrainingData>(shape, values_at<float>(base, layout.float_at), as_double);
  return sweep;
}

}  // namespace hpsweep::runtime
