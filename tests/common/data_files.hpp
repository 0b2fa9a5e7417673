#pragma once
// Data files (HDF5, written with the HDF5 C API, and CSV) for the tests of the data path.

#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

namespace hpsweep::testing {

/// Writes `path`: features `x` (rows x `features`, row-major) as `x_name` of HDF5 type `x_type`
/// (values converted on writing, e.g. rounded to H5T_IEEE_F32LE), and `y` as "y", float64.
/// Returns false when the library refuses any step.
inline bool write_hdf5_data(const std::string& path, const std::vector<double>& x, hsize_t features,
                            const std::vector<double>& y, hid_t x_type, const char* x_name = "X") {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) return false;
  bool written = true;
  const hsize_t rows = y.size();
  for (const auto& [name, dims, values, type] :
       {std::tuple{x_name, std::vector<hsize_t>{rows, features}, &x, x_type},
        std::tuple{"y", std::vector<hsize_t>{rows}, &y, H5T_IEEE_F64LE}}) {
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t set = H5Dcreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    written = written && set >= 0 && H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values->data()) >= 0;
    if (set >= 0) H5Dclose(set);
    H5Sclose(space);
  }
  return H5Fclose(file) >= 0 && written;
}

/// The data of write_float32_hdf5: `rows` x `features` float32 values (feature f near 10 f),
/// row-major, and a binary label of the first two features (so that training learns something).
inline void float32_data(hsize_t rows, hsize_t features, std::vector<double>& x, std::vector<double>& y) {
  x.resize(rows * features);
  y.resize(rows);
  for (hsize_t r = 0; r < rows; ++r) {
    for (hsize_t f = 0; f < features; ++f) {
      // Deterministic, irregular float32 values with offsets that make standardization round.
      x[r * features + f] = static_cast<float>(10.0 * static_cast<double>(f) + std::sin(0.7 * static_cast<double>(r * (f + 3))));
    }
    const double second = features > 1 ? x[r * features + 1] - 10.0 : 0.0;
    y[r] = x[r * features] + 0.5 * second > 0.1 ? 1.0 : 0.0;
  }
}

/// Writes `path` for the float32 data path: X (float32_data's, float32) and y.
inline bool write_float32_hdf5(const std::string& path, hsize_t rows, hsize_t features) {
  std::vector<double> x, y;
  float32_data(rows, features, x, y);
  return write_hdf5_data(path, x, features, y, H5T_IEEE_F32LE);
}

/// Writes `path` as CSV: a header (x0, x1, ..., y), then `x` (rows x `features`, row-major) with 7
/// significant digits (short decimals, which a float32 sweep holds in 4 bytes) except every
/// `long_every`-th value (0: none), printed with 17 (one for DecimalCodes' side table), and `y`.
/// Returns false when the file cannot be written.
inline bool write_csv_data(const std::string& path, const std::vector<double>& x, hsize_t features,
                           const std::vector<double>& y, hsize_t long_every = 0) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) return false;
  for (hsize_t f = 0; f < features; ++f) std::fprintf(out, "x%llu,", static_cast<unsigned long long>(f));
  std::fprintf(out, "y\n");
  for (hsize_t r = 0; r < y.size(); ++r) {
    for (hsize_t f = 0; f < features; ++f) {
      const hsize_t i = r * features + f;
      std::fprintf(out, long_every != 0 && i % long_every == 0 ? "%.17g," : "%.7g,", x[i]);
    }
    std::fprintf(out, "%.17g\n", y[r]);
  }
  return std::fclose(out) == 0;
}

/// Writes `path`: the data of write_float32_hdf5 as CSV of short decimals (write_csv_data).
inline bool write_short_decimal_csv(const std::string& path, hsize_t rows, hsize_t features) {
  std::vector<double> x, y;
  float32_data(rows, features, x, y);
  return write_csv_data(path, x, features, y);
}

}  // namespace hpsweep::testing
