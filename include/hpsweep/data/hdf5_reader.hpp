#pragma once
/// Reading a labelled data set from an HDF5 file, as many HPC users keep their data.

#include <optional>
#include <string>
#include <vector>

#include "hpsweep/data/dataset.hpp"

namespace hpsweep::data {

/// Where the arrays are inside the file.
struct Hdf5Options {
  std::string features_path = "X";  ///< 2-D dataset, samples x features (as h5py/numpy writes it)
  std::string target_path = "y";    ///< 1-D dataset (or samples x 1), one value per sample
  std::optional<Task> task;         ///< empty: inferred
  std::optional<std::vector<double>> classes;
  /// When `target_path` does not exist: the target stays empty (the data to predict on).
  bool target_optional = false;
};

/// Reads `path`; throws core::DataError naming the file and dataset on any problem
/// (missing file or dataset, wrong rank, mismatched lengths, NaN or Inf values).
[[nodiscard]] Dataset read_hdf5(const std::string& path, const Hdf5Options& options);

/// read_hdf5 with float32 features: the file's own values when hdf5_features_are_float32.
[[nodiscard]] Dataset32 read_hdf5_float32(const std::string& path, const Hdf5Options& options);

/// Whether the features dataset of `path` holds 32-bit floats. False for anything else, including
/// a file that cannot be read (read_hdf5 then says why).
[[nodiscard]] bool hdf5_features_are_float32(const std::string& path, const std::string& features_path);

}  // namespace hpsweep::data
