#include "hpsweep/data/source.hpp"

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

/// Reads one file; `classes` fixes the class labels to those of the training file.
Dataset read_file(const DataSource& source, const std::string& path, std::optional<Task> task,
                  const std::optional<std::vector<double>>& classes) {
  if (source.kind == SourceKind::kHdf5) {
    return read_hdf5(path, Hdf5Options{source.features_path, source.target_path, task, classes});
  }
  return read_csv(path, CsvOptions{source.target, task, classes});
}

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// Validation and test files must have the training file's columns: same count, same names, same order.
void check_same_features(const Dataset& train, const Dataset& other) {
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

Splits load_raw_splits(const DataSource& source) {
  Splits splits;
  if (source.kind == SourceKind::kSynthetic) {
    splits = make_synthetic(source.synthetic);
  } else {
    Dataset all = read_file(source, source.train, source.task, std::nullopt);
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
    if (!source.val.empty()) splits.val = read_file(source, source.val, splits.train.task, classes);
    if (!source.test.empty()) splits.test = read_file(source, source.test, splits.train.task, classes);
    if (splits.val.num_samples() == 0) {
      throw core::ConfigError(source.train + ": no validation data; give a validation file or a fraction > 0");
    }
    for (const Dataset* d : {&splits.val, &splits.test}) {
      if (d->num_samples() > 0) check_same_features(splits.train, *d);
    }
  }
  return splits;
}

Splits load_splits(const DataSource& source, Standardizer* fitted) {
  Splits splits;
  try {
    splits = load_raw_splits(source);
  } catch (const std::bad_alloc&) {
    // The user's data, not a bug: exit 4 naming it, not 70.
    throw core::DataError((source.train.empty() ? std::string("the synthetic set") : source.train) +
                          ": the data does not fit in this machine's memory; use fewer rows or features, or a larger node");
  }
  Standardizer standardizer = standardize(splits);
  if (fitted != nullptr) *fitted = std::move(standardizer);
  return splits;
}

}  // namespace hpsweep::data

namespace hpsweep::data {
namespace {

constexpr char kXxh3Prefix[] = "xxh3:";

/// Gives `add` every byte a fingerprint covers, in order: per split, its shape, features, targets.
template <typename Add>
void for_each_fingerprinted(const Splits& splits, Add&& add) {
  for (const Dataset* d : {&splits.train, &splits.val, &splits.test}) {
    const Eigen::Index shape[2] = {d->features.rows(), d->features.cols()};
    add(shape, sizeof shape);
    add(d->features.data(), sizeof(double) * static_cast<std::size_t>(d->features.size()));
    add(d->target.data(), sizeof(double) * static_cast<std::size_t>(d->target.size()));
  }
}

std::string hex16(std::uint64_t h) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

}  // namespace

std::string fingerprint(const Splits& splits) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  for_each_fingerprinted(splits, [&](const void* data, std::size_t size) { XXH3_64bits_update(&state, data, size); });
  return kXxh3Prefix + hex16(XXH3_64bits_digest(&state));
}

std::string legacy_fingerprint(const Splits& splits) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for_each_fingerprinted(splits, [&](const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      h ^= p[i];
      h *= 0x100000001b3ULL;
    }
  });
  return hex16(h);
}

bool is_legacy_fingerprint(const std::string& recorded) { return recorded.rfind(kXxh3Prefix, 0) != 0; }

std::string fingerprint_like(const std::string& recorded, const Splits& splits) {
  return is_legacy_fingerprint(recorded) ? legacy_fingerprint(splits) : fingerprint(splits);
}

}  // namespace hpsweep::data
