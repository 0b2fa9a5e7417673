#include "hpsweep/data/hdf5_reader.hpp"

#include <cmath>
#include <filesystem>

#include "../h5/h5.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/data/labels.hpp"
#include "hpsweep/data/source.hpp"

namespace hpsweep::data {
namespace {

/// The declared size must be in the file before it is allocated: a crafted file can declare any
/// shape and store nothing. A compressed dataset may hold at most deflate's best ratio (1032:1).
void check_stored(hid_t dataset, const std::string& where, hsize_t bytes) {
  const hsize_t stored = h5::storage_size(dataset, where);
  const hsize_t ratio = h5::is_filtered(dataset, where) ? 1032 : 1;
  if (bytes / ratio > stored) {
    throw core::DataError(where + " declares " + std::to_string(bytes) + " bytes of values but the file holds " +
                          std::to_string(stored) + "; the file is damaged or not what it says");
  }
}

/// A numeric dataset of 1 or 2 dimensions, opened and checked, not read yet.
struct Array {
  h5::Handle dataset;
  std::string where;
  std::vector<hsize_t> dims;
  hsize_t count = 1;  ///< values

  /// Reads every value as a Scalar into `out` (room for `count`), row-major as stored.
  template <typename Scalar>
  void read_into(Scalar* out) const {
    h5::read_dataset(dataset.id(), h5::native<Scalar>(), out, where);
    for (hsize_t i = 0; i < count; ++i) {
      if (!std::isfinite(out[i])) {
        const hsize_t width = dims.size() == 2 ? dims[1] : 1;
        throw core::DataError(where + ": row " + std::to_string(i / width) + ", column " + std::to_string(i % width) +
                              " is " + std::to_string(out[i]) + "; every value must be finite");
      }
    }
  }
};

Array open_array(hid_t file, const std::string& file_path, const std::string& path) {
  const std::string where = file_path + ": dataset '" + path + "'";
  if (!h5::exists(file, path)) {
    throw core::DataError(where + " does not exist (set its path in the data options)");
  }
  Array array{h5::open_dataset(file, path), where, {}, 1};
  array.dims = h5::dataset_dims(array.dataset.id(), where);
  if (array.dims.size() < 1 || array.dims.size() > 2) {
    throw core::DataError(where + " has " + std::to_string(array.dims.size()) + " dimensions; expected 1 or 2");
  }
  for (hsize_t d : array.dims) {
    if (d != 0 && array.count > (hsize_t{1} << 40) / d) throw core::DataError(where + " declares more than 2^40 values");
    array.count *= d;
  }
  const h5::Handle type = h5::dataset_type(array.dataset.id(), where);
  const H5T_class_t type_class = h5::type_class(type.id(), where);
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    throw core::DataError(where + " is not numeric; expected integers or floats");
  }
  // Checked here too (read_dataset would refuse it later) for a data error at open, with the fix.
  if (const auto problem = h5::impossible_number_layout(type.id())) {
    throw core::DataError(where + " declares " + *problem + "; write it again with h5py or the HDF5 library");
  }
  check_stored(array.dataset.id(), where, array.count * h5::type_size(type.id(), where));
  return array;
}

/// Whether `array` holds 32-bit floats.
bool holds_float32(const Array& array) {
  const h5::Handle type = h5::dataset_type(array.dataset.id(), array.where);
  return h5::type_class(type.id(), array.where) == H5T_FLOAT && h5::type_size(type.id(), array.where) == 4;
}

template <typename Scalar>
BasicDataset<Scalar> read_hdf5_as(const std::string& path, const Hdf5Options& options) {
  if (!std::filesystem::exists(path)) throw core::DataError("cannot open data file '" + path + "': no such file");
  check_regular_file(path);
  if (!h5::is_hdf5(path)) throw core::DataError("'" + path + "' is not an HDF5 file");
  try {
    const h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY);
    const Array x = open_array(file.id(), path, options.features_path);
    const bool has_target = !options.target_optional || h5::exists(file.id(), options.target_path);
    const hsize_t samples = x.dims[0];
    const hsize_t features = x.dims.size() == 2 ? x.dims[1] : 1;
    std::vector<double> y_values;
    if (has_target) {
      const Array y = open_array(file.id(), path, options.target_path);
      const bool y_is_column = y.dims.size() == 1 || y.dims[1] == 1;
      if (!y_is_column || y.dims[0] != samples) {
        throw core::DataError(path + ": dataset '" + options.target_path + "' must hold one value per row of '" +
                              options.features_path + "' (" + std::to_string(samples) + ")");
      }
      y_values.resize(y.count);
      y.read_into(y_values.data());
    }
    if (samples == 0) throw core::DataError(path + ": dataset '" + options.features_path + "' is empty");
    BasicDataset<Scalar> d;
    d.origin = path;
    if (has_target) d.target_name = options.target_path;
    for (hsize_t f = 0; f < features; ++f) d.feature_names.push_back("x" + std::to_string(f));
    // Row-major samples x features in the file is column-major features x samples here: read
    // straight into the matrix, no second copy.
    d.features.resize(static_cast<Eigen::Index>(features), static_cast<Eigen::Index>(samples));
    core::prefer_huge_pages(d.features.data(), sizeof(Scalar) * static_cast<std::size_t>(d.features.size()));
    x.read_into(d.features.data());
    if (has_target) assign_targets(d, y_values, options.task.value_or(infer_task(y_values)), options.classes);
    return d;
  } catch (const h5::H5Failure& failure) {
    throw core::DataError(failure.what());
  } catch (const std::bad_alloc&) {
    throw core::DataError(path + ": the data does not fit in this machine's memory");
  }
}

}  // namespace

Dataset read_hdf5(const std::string& path, const Hdf5Options& options) { return read_hdf5_as<double>(path, options); }

Dataset32 read_hdf5_float32(const std::string& path, const Hdf5Options& options) {
  return read_hdf5_as<float>(path, options);
}

bool hdf5_features_are_float32(const std::string& path, const std::string& features_path) {
  try {
    if (!h5::is_hdf5(path)) return false;
    const h5::Handle file = h5::open_file(path, H5F_ACC_RDONLY);
    return h5::exists(file.id(), features_path) && holds_float32(open_array(file.id(), path, features_path));
  } catch (const std::exception&) {
    return false;  // read_hdf5 names the problem
  }
}

}  // namespace hpsweep::data
