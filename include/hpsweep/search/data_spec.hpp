#pragma once
/// The `data` section of a sweep file, kept as plain values. The search module only validates
/// types and ranges; the data loader checks that files exist and reads them.

#include <cstdint>
#include <string>

namespace hpsweep::search {

/// The built-in synthetic set (source: synthetic); `train`, `val`, `test` are sample counts.
struct SyntheticSpec {
  int train = 500;
  int val = 1000;
  int test = 0;
  int features = 10;
  double label_noise = 0.2;  ///< in [0, 1)
  std::uint64_t seed = 0;
};

/// Where a sweep's data comes from.
///
/// Accepted keys by source:
/// - synthetic: train, val, test (sample counts), features, label_noise, seed
/// - csv: train, val, test (files), target, task, val_fraction, test_fraction, split_seed
/// - hdf5: train, val, test (files), x_path, y_path, task, val_fraction, test_fraction, split_seed
///
/// Without `source`, the source is synthetic unless `train` is a file name, whose extension
/// decides (.h5, .hdf5, .he5: hdf5; anything else: csv). Without a `data` section: synthetic.
struct DataSpec {
  std::string source = "synthetic";  ///< synthetic | csv | hdf5
  /// Files, resolved against the sweep file's directory so they open from the working directory
  /// (absolute paths are kept). Empty val/test: split from train by the fractions.
  std::string train;
  std::string val;
  std::string test;
  std::string target;         ///< csv: the target column (empty: the last)
  std::string task;           ///< binary | multiclass | regression; empty: inferred from the data
  double val_fraction = 0.2;  ///< share of train held out when there is no val file, in [0, 1)
  double test_fraction = 0.0; ///< share of train held out when there is no test file, in [0, 1)
  std::uint64_t split_seed = 0;
  std::string x_path = "X";   ///< hdf5: the features dataset
  std::string y_path = "y";   ///< hdf5: the target dataset
  SyntheticSpec synthetic;    ///< source synthetic only
};

}  // namespace hpsweep::search
