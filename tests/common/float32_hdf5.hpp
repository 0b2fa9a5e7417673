#pragma once
// A float32 HDF5 data file for tests of the float32 data path (data::load_float32_splits).

#include <hdf5.h>

#include <cmath>
#include <string>
#include <vector>

namespace hpsweep::testing {

/// Writes `path`: X, `rows` x `features` float32 values (feature f near 10 f), and y, a binary
/// label of the first two features (so that training learns something), as float64.
inline void write_float32_hdf5(const std::string& path, hsize_t rows, hsize_t features) {
  std::vector<float> x(rows * features);
  std::vector<double> y(rows);
  for (hsize_t r = 0; r < rows; ++r) {
    for (hsize_t f = 0; f < features; ++f) {
      // Deterministic, irregular values with offsets that make standardization round.
      x[r * features + f] = static_cast<float>(10.0 * static_cast<double>(f) + std::sin(0.7 * static_cast<double>(r * (f + 3))));
    }
    const double second = features > 1 ? x[r * features + 1] - 10.0 : 0.0;
    y[r] = x[r * features] + 0.5 * second > 0.1 ? 1.0 : 0.0;
  }
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t x_dims[2] = {rows, features};
  const hid_t x_space = H5Screate_simple(2, x_dims, nullptr);
  const hid_t x_set = H5Dcreate2(file, "X", H5T_IEEE_F32LE, x_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(x_set, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x.data());
  const hid_t y_space = H5Screate_simple(1, &rows, nullptr);
  const hid_t y_set = H5Dcreate2(file, "y", H5T_IEEE_F64LE, y_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(y_set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, y.data());
  for (const hid_t id : {x_set, y_set}) H5Dclose(id);
  for (const hid_t id : {x_space, y_space}) H5Sclose(id);
  H5Fclose(file);
}

}  // namespace hpsweep::testing
