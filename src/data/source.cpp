#include "hpsweep/data/source.hpp"

#include <algorithm>
#include <cstdio>
#include <new>
#include <filesystem>
#include <string>
#include <vector>

#include "../h5/h5.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/data/csv_reader.hpp"
#include "hpsweep/data/hdf5_reader.hpp"

#define XXH_INLINE_ALL  // header-only: no library to link
#include <xxhash.h>

namespace hpsweep::data {
namespace {

/// Reads one file; `classes` fixes the class labels to those of the training file. Codes (CSV
/// only) are `codes`'s.
template <typename Scalar>
BasicDataset<Scalar> read_file(const DataSource& source, const std::string& path, std::optional<Task> task,
                               const std::optional<std::vector<double>>& classes, DecimalCodes* codes) {
  const Hdf5Options hdf5{source.features_path, source.target_path, task, classes};
  if constexpr (std::is_same_v<Scalar, float>) {
    return read_hdf5_float32(path, hdf5);  // only for float32 HDF5 files (load_float32_splits)
  } else if constexpr (std::is_same_v<Scalar, std::uint32_t>) {
    return read_csv_coded(path, CsvOptions{source.target, task, classes}, *codes);
  } else {
    if (source.kind == SourceKind::kHdf5) return read_hdf5(path, hdf5);
    return read_csv(path, CsvOptions{source.target, task, classes});
  }
}

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// Validation and test files must have the training file's columns: same count, same names, same order.
template <typename Scalar>
void check_same_features(const BasicDataset<Scalar>& train, const BasicDataset<Scalar>& other) {
  if (other.num_features() != train.num_features()) {
    throw core::DataError(other.origin + ": " + std::to_string(other.num_features()) +
                          " feature columns, but the training file " + train.origin + " has " +
                          std::to_string(train.num_features()));
  }
  if (other.feature_names != train.feature_names || other.target_name != train.target_name) {
    throw core::DataError(other.origin + ": the columns are (" + join_names(other.feature_names) + "; target " +
                          other.target_name + "), but the training file " + train.origin + " has (" +
                          join_names(train.feature_names) + "; target " + train.target_name +
                          "); validation and test files must have the training file's columns, in the same order");
  }
}

}  // namespace

SourceKind detect_kind(const std::string& path) {
  check_regular_file(path);
  return h5::is_hdf5(path) ? SourceKind::kHdf5 : SourceKind::kCsv;
}

void check_regular_file(const std::string& path) {
  // A FIFO blocks a reader forever and a device (/dev/zero) never ends: data is a regular file.
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    throw core::DataError(path + ": is not a regular file (a directory, FIFO or device); give the data file itself");
  }
}

namespace {

/// The splits of a source of files, as read: in float64, float32 (float32 HDF5 only) or as `codes`'s
/// codes (CSV only).
template <typename Scalar>
BasicSplits<Scalar> read_splits(const DataSource& source, DecimalCodes* codes = nullptr) {
  BasicSplits<Scalar> splits;
  BasicDataset<Scalar> all = read_file<Scalar>(source, source.train, source.task, std::nullopt, codes);
  std::optional<std::vector<double>> classes;
  if (all.task != Task::kRegression) classes = all.class_values;
  SplitFractions fractions = source.fractions;
  if (!source.val.empty()) fractions.val = 0.0;
  if (!source.test.empty()) fractions.test = 0.0;
  if (fractions.val > 0.0 || fractions.test > 0.0) {
    splits = split_dataset(std::move(all), fractions, source.split_seed);
  } else {
    splits.train = std::move(all);
  }
  if (!source.val.empty()) splits.val = read_file<Scalar>(source, source.val, splits.train.task, classes, codes);
  if (!source.test.empty()) splits.test = read_file<Scalar>(source, source.test, splits.train.task, classes, codes);
  if (splits.val.num_samples() == 0) {
    throw core::ConfigError(source.train + ": no validation data; give a validation file or a fraction > 0");
  }
  for (const BasicDataset<Scalar>* d : {&splits.val, &splits.test}) {
    if (d->num_samples() > 0) check_same_features(splits.train, *d);
  }
  return splits;
}

/// Runs `load`, turning running out of memory into the user's error: exit 4 naming the data, not 70.
template <typename Load>
auto within_memory(const DataSource& source, const Load& load) {
  try {
    return load();
  } catch (const std::bad_alloc&) {
    throw core::DataError((source.train.empty() ? std::string("the synthetic set") : source.train) +
                          ": the data does not fit in this machine's memory; use fewer rows or features, or a larger node");
  }
}

}  // namespace

Splits load_raw_splits(const DataSource& source) {
  if (source.kind == SourceKind::kSynthetic) return make_synthetic(source.synthetic);
  return read_splits<double>(source);
}

Splits load_splits(const DataSource& source, Standardizer* fitted) {
  Splits splits = within_memory(source, [&] { return load_raw_splits(source); });
  Standardizer standardizer = standardize(splits);
  if (fitted != nullptr) *fitted = std::move(standardizer);
  return splits;
}

}  // namespace hpsweep::data

namespace hpsweep::data {
namespace {

constexpr char kXxh3Prefix[] = "xxh3:";

std::string hex16(std::uint64_t h) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

/// Hashes the bytes a fingerprint covers, given in order in pieces of any size: per split, its
/// shape, its float64 features and its targets.
class FingerprintHasher {
 public:
  explicit FingerprintHasher(bool legacy_kind) : legacy_kind_(legacy_kind) { XXH3_64bits_reset(&state_); }

  void add(const void* data, std::size_t size) {
    if (!legacy_kind_) {
      XXH3_64bits_update(&state_, data, size);
      return;
    }
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      fnv_ ^= p[i];
      fnv_ *= 0x100000001b3ULL;
    }
  }
  template <typename Scalar>
  void add_shape(const BasicDataset<Scalar>& d) {
    const Eigen::Index shape[2] = {d.features.rows(), d.features.cols()};
    add(shape, sizeof shape);
  }
  void add_target(const Eigen::VectorXd& target) {
    add(target.data(), sizeof(double) * static_cast<std::size_t>(target.size()));
  }
  [[nodiscard]] std::string digest() {
    return legacy_kind_ ? hex16(fnv_) : kXxh3Prefix + hex16(XXH3_64bits_digest(&state_));
  }

 private:
  bool legacy_kind_;
  XXH3_state_t state_;
  std::uint64_t fnv_ = 0xcbf29ce484222325ULL;  // FNV-1a 64
};

std::string fingerprint_of(const Splits& splits, bool legacy_kind) {
  FingerprintHasher hasher(legacy_kind);
  for (const Dataset* d : {&splits.train, &splits.val, &splits.test}) {
    hasher.add_shape(*d);
    hasher.add(d->features.data(), sizeof(double) * static_cast<std::size_t>(d->features.size()));
    hasher.add_target(d->target);
  }
  return hasher.digest();
}

/// Standardizer::apply's float64 values of the float64 values `x`: (x - mean) / scale in two
/// roundings, as fit_and_apply and apply compute them.
template <typename Values>
auto standardized(const Values& x, const Standardizer& s) {
  return ((x.colwise() - s.mean).array().colwise() / s.scale.array()).matrix();
}

/// Gives `hasher` the standardized float64 values of `d` (whose float64 values
/// widen(d.features.middleCols(...), block) puts in block), a block of columns at a time; with
/// `store`, stores each block's float32 rounding there too.
template <typename Scalar, typename Widen>
void hash_standardized(const BasicDataset<Scalar>& d, const Standardizer& s, const Widen& widen,
                       FingerprintHasher& hasher, Dataset32* store) {
  constexpr Eigen::Index kBlockColumns = 4096;
  hasher.add_shape(d);
  Eigen::MatrixXd block;
  for (Eigen::Index first = 0; first < d.num_samples(); first += kBlockColumns) {
    const Eigen::Index count = std::min(kBlockColumns, d.num_samples() - first);
    widen(d.features.middleCols(first, count), block);
    block = standardized(block, s);
    hasher.add(block.data(), sizeof(double) * static_cast<std::size_t>(block.size()));
    if (store != nullptr) store->features.middleCols(first, count) = block.cast<float>();
  }
  hasher.add_target(d.target);
}

const auto widen_float = [](const auto& from, Eigen::MatrixXd& block) { block = from.template cast<double>(); };

/// Float32 features of float32 HDF5 files, standardized in place; the fingerprint hashes the float64 values.
Float32Splits standardize_float32(Splits32&& splits, bool legacy_kind) {
  Float32Splits loaded;
  loaded.standardizer = Standardizer::fit(splits.train);
  loaded.splits = std::move(splits);
  FingerprintHasher hasher(legacy_kind);
  for (Dataset32* d : {&loaded.splits.train, &loaded.splits.val, &loaded.splits.test}) {
    hash_standardized(*d, loaded.standardizer, widen_float, hasher, d);
  }
  loaded.fingerprint = hasher.digest();
  return loaded;
}

/// The same for a CSV's codes: hashed in order, then stored as float32 a block at a time from the
/// end, each block taking the codes' memory (to_float32), so that the values are never held twice.
Float32Splits standardize_coded(CodedSplits&& coded, const DecimalCodes& codes, bool legacy_kind) {
  Float32Splits loaded;
  loaded.standardizer = Standardizer::fit(coded.train, codes);
  const Standardizer& s = loaded.standardizer;
  const auto widen = [&codes](const auto& from, Eigen::MatrixXd& block) { codes.decode(from, block); };
  FingerprintHasher hasher(legacy_kind);
  for (const CodedDataset* d : {&coded.train, &coded.val, &coded.test}) hash_standardized(*d, s, widen, hasher, nullptr);
  loaded.fingerprint = hasher.digest();
  Eigen::MatrixXd values;
  const auto to_float = [&](const auto& from, auto to) {
    codes.decode(from, values);
    to = standardized(values, s).template cast<float>();
  };
  loaded.splits.train = to_float32(std::move(coded.train), to_float);
  loaded.splits.val = to_float32(std::move(coded.val), to_float);
  loaded.splits.test = to_float32(std::move(coded.test), to_float);
  return loaded;
}

}  // namespace

std::string fingerprint(const Splits& splits) { return fingerprint_of(splits, false); }

std::string legacy_fingerprint(const Splits& splits) { return fingerprint_of(splits, true); }

std::optional<Float32Splits> load_float32_splits(const DataSource& source, bool legacy_kind) {
  if (source.kind == SourceKind::kCsv) {
    return within_memory(source, [&]() -> std::optional<Float32Splits> {
      DecimalCodes codes;
      CodedSplits coded;
      try {
        coded = read_splits<std::uint32_t>(source, &codes);
      } catch (const DecimalCodes::NotCompact&) {
        return std::nullopt;  // not short decimals: the float64 path
      }
      return standardize_coded(std::move(coded), codes, legacy_kind);
    });
  }
  if (source.kind != SourceKind::kHdf5) return std::nullopt;
  for (const std::string* path : {&source.train, &source.val, &source.test}) {
    if (!path->empty() && !hdf5_features_are_float32(*path, source.features_path)) return std::nullopt;
  }
  return within_memory(source, [&] { return std::optional(standardize_float32(read_splits<float>(source), legacy_kind)); });
}

bool is_legacy_fingerprint(const std::string& recorded) { return recorded.rfind(kXxh3Prefix, 0) != 0; }

std::string fingerprint_like(const std::string& recorded, const Splits& splits) {
  return is_legacy_fingerprint(recorded) ? legacy_fingerprint(splits) : fingerprint(splits);
}

}  // namespace hpsweep::data
