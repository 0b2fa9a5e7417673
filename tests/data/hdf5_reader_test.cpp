#include "hpsweep/data/hdf5_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <limits>
#include <string>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "test_util.hpp"

namespace hpsweep::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::message_of;
using testing::TempDir;

std::vector<double> targets(const Dataset& d) { return {d.target.begin(), d.target.end()}; }

/// Writes datasets into a new HDF5 file with the plain C API, independently of the reader under test.
class H5Writer {
 public:
  explicit H5Writer(const std::string& path)
      : file_(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {
    EXPECT_GE(file_, 0) << "cannot create " << path;
  }
  H5Writer(const H5Writer&) = delete;
  H5Writer& operator=(const H5Writer&) = delete;
  ~H5Writer() {
    if (file_ >= 0) H5Fclose(file_);
  }

  void group(const std::string& name) {
    const hid_t g = H5Gcreate2(file_, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(g, 0) << name;
    H5Gclose(g);
  }

  /// A dataset of the given shape (row-major values) stored as `file_type`, written from `memory_type`.
  template <typename T>
  void dataset(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<T>& values,
               hid_t file_type, hid_t memory_type) {
    hsize_t count = 1;
    for (hsize_t d : dims) count *= d;
    ASSERT_EQ(count, values.size()) << name;
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    ASSERT_GE(space, 0) << name;
    const hid_t set = H5Dcreate2(file_, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(set, 0) << name;
    if (set >= 0) {
      EXPECT_GE(H5Dwrite(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0) << name;
      H5Dclose(set);
    }
    H5Sclose(space);
  }

  void doubles(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<double>& values) {
    dataset(name, dims, values, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
  }
  void ints(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<int>& values) {
    dataset(name, dims, values, H5T_STD_I32LE, H5T_NATIVE_INT);
  }

 private:
  hid_t file_;
};

Hdf5Options at(const std::string& features_path, const std::string& target_path) {
  Hdf5Options options;
  options.features_path = features_path;
  options.target_path = target_path;
  return options;
}

/// The DataError message of reading `path`.
std::string h5_error(const std::string& path, const Hdf5Options& options = {}) {
  return message_of<core::DataError>([&] { (void)read_hdf5(path, options); });
}

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ReadHdf5, ReadsSamplesByFeaturesAndIntegerLabels) {
  const TempDir dir;
  const std::string path = dir.file("small.h5");
  {
    H5Writer w(path);
    // 3 samples x 2 features, as h5py writes a numpy array.
    w.doubles("X", {3, 2}, {1.0, 2.0,  //
                            3.0, 4.5,  //
                            -1.0, 0.25});
    w.ints("y", {3}, {0, 1, 1});
  }
  const Dataset d = read_hdf5(path, {});
  ASSERT_EQ(d.num_samples(), 3);
  ASSERT_EQ(d.num_features(), 2);
  Eigen::MatrixXd expected(2, 3);
  expected << 1.0, 3.0, -1.0,  //
      2.0, 4.5, 0.25;
  EXPECT_EQ(d.features, expected);
  EXPECT_THAT(targets(d), ElementsAre(0, 1, 1));
  EXPECT_EQ(d.task, Task::kBinary);
  EXPECT_THAT(d.class_values, ElementsAre(0, 1));
  EXPECT_THAT(d.feature_names, ElementsAre("x0", "x1"));
  EXPECT_EQ(d.target_name, "y");
  EXPECT_EQ(d.origin, path);
}

TEST(ReadHdf5, ReadsDatasetsInGroupsAndColumnTarget) {
  const TempDir dir;
  const std::string path = dir.file("grouped.h5");
  {
    H5Writer w(path);
    w.group("data");
    w.doubles("data/inputs", {4, 1}, {0.5, 1.5, 2.5, 3.5});
    w.doubles("data/labels", {4, 1}, {7, 3, 5, 3});
  }
  const Dataset d = read_hdf5(path, at("/data/inputs", "data/labels"));
  ASSERT_EQ(d.num_features(), 1);
  ASSERT_EQ(d.num_samples(), 4);
  EXPECT_EQ(d.features(0, 3), 3.5);
  EXPECT_EQ(d.task, Task::kMulticlass);
  EXPECT_THAT(targets(d), ElementsAre(2, 0, 1, 0));
  EXPECT_THAT(d.class_values, ElementsAre(3, 5, 7));
}

TEST(ReadHdf5, RegressionTargetKeepsRawValues) {
  const TempDir dir;
  const std::string path = dir.file("reg.h5");
  {
    H5Writer w(path);
    w.doubles("X", {3, 1}, {1, 2, 3});
    w.doubles("y", {3}, {0.5, -1.25, 2});
  }
  const Dataset d = read_hdf5(path, {});
  EXPECT_EQ(d.task, Task::kRegression);
  EXPECT_THAT(targets(d), ElementsAre(0.5, -1.25, 2));
}

TEST(ReadHdf5, MissingDatasetIsNamed) {
  const TempDir dir;
  const std::string path = dir.file("no_x.h5");
  {
    H5Writer w(path);
    w.doubles("features", {2, 1}, {1, 2});
    w.ints("y", {2}, {0, 1});
  }
  const std::string msg = h5_error(path);
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("dataset 'X' does not exist"));
  EXPECT_THAT(h5_error(path, at("features", "labels")),
              HasSubstr("dataset 'labels' does not exist"));
  EXPECT_THAT(h5_error(path, at("no/such/group/X", "y")),
              HasSubstr("dataset 'no/such/group/X' does not exist"));
}

TEST(ReadHdf5, MismatchedLengthsAreRejected) {
  const TempDir dir;
  const std::string path = dir.file("mismatch.h5");
  {
    H5Writer w(path);
    w.doubles("X", {3, 2}, {1, 2, 3, 4, 5, 6});
    w.ints("y", {4}, {0, 1, 0, 1});
    w.ints("y2", {3, 2}, {0, 1, 0, 1, 0, 1});
  }
  EXPECT_THAT(h5_error(path), HasSubstr(path + ": dataset 'y' must hold one value per row of 'X' (3)"));
  EXPECT_THAT(h5_error(path, at("X", "y2")), HasSubstr("dataset 'y2' must hold one value"));
}

TEST(ReadHdf5, NanAndInfValuesAreRejectedWithTheirPlace) {
  const TempDir dir;
  const std::string path = dir.file("nan.h5");
  {
    H5Writer w(path);
    w.doubles("X", {3, 2}, {1, 2, 3, 4, kNan, 6});
    w.doubles("X_ok", {3, 2}, {1, 2, 3, 4, 5, 6});
    w.doubles("y", {3}, {0, 1, 0});
    w.doubles("y_inf", {3}, {0, kInf, 1});
  }
  const std::string msg = h5_error(path);
  EXPECT_THAT(msg, HasSubstr(path + ": dataset 'X': row 2, column 0 is nan"));
  EXPECT_THAT(msg, HasSubstr("finite"));
  EXPECT_THAT(h5_error(path, at("X_ok", "y_inf")),
              HasSubstr("dataset 'y_inf': row 1, column 0 is inf"));
}

TEST(ReadHdf5, WrongRankIsRejected) {
  const TempDir dir;
  const std::string path = dir.file("rank3.h5");
  {
    H5Writer w(path);
    w.doubles("X", {2, 1, 1}, {1, 2});
    w.ints("y", {2}, {0, 1});
  }
  EXPECT_THAT(h5_error(path), HasSubstr("dataset 'X' has 3 dimensions; expected 1 or 2"));
}

TEST(ReadHdf5, NonHdf5FileIsRejected) {
  const TempDir dir;
  const std::string path = dir.write("data.h5", "a,b,y\n1,2,0\n3,4,1\n");
  EXPECT_THAT(h5_error(path), HasSubstr("'" + path + "' is not an HDF5 file"));
}

TEST(ReadHdf5, MissingFileIsRejected) {
  const TempDir dir;
  const std::string path = dir.file("absent.h5");
  EXPECT_THAT(h5_error(path), HasSubstr("cannot open data file '" + path + "'"));
}

TEST(ReadHdf5, SingleClassIsRejected) {
  const TempDir dir;
  const std::string path = dir.file("one_class.h5");
  {
    H5Writer w(path);
    w.doubles("X", {2, 1}, {1, 2});
    w.ints("y", {2}, {1, 1});
  }
  EXPECT_THAT(h5_error(path), HasSubstr("single class"));
}

// Found by fuzz_hdf5_data: a label dataset whose integer type declares 0 bits of precision.
// libhdf5 1.10 converts it anyway, reading at a wild address (SIGBUS); the reader refuses the
// type first, naming the dataset.
TEST(ReadHdf5, AMalformedNumberTypeIsRefusedBeforeLibhdf5ConvertsIt) {
  const std::string path = std::string(HPSWEEP_SOURCE_DIR) + "/tests/data/hostile/label_of_precision_zero.h5";
  EXPECT_THAT(h5_error(path), HasSubstr(path + ": dataset 'y' declares a malformed number type (1 bytes, 0 bits"));
}

}  // namespace
}  // namespace hpsweep::data
