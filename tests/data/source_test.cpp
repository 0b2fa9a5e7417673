#include "hpsweep/data/source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <array>
#include <cmath>
#include <optional>
#include <string>

#include "../common/data_files.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
#include "test_util.hpp"

namespace hpsweep::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::message_of;
using testing::TempDir;

const std::string kBreastCancer = std::string(HPSWEEP_SOURCE_DIR) + "/sweeps/data/breast_cancer.csv";

DataSource csv_source(const std::string& train) {
  DataSource source;
  source.kind = SourceKind::kCsv;
  source.train = train;
  return source;
}

void expect_standardized(const Dataset& d) {
  const Eigen::VectorXd mean = d.features.rowwise().mean();
  const Eigen::VectorXd sd =
      ((d.features.colwise() - mean).array().square().rowwise().sum() / static_cast<double>(d.num_samples()))
          .sqrt()
          .matrix();
  for (Eigen::Index f = 0; f < d.num_features(); ++f) {
    EXPECT_NEAR(mean(f), 0.0, 1e-9) << d.feature_names[static_cast<std::size_t>(f)];
    EXPECT_NEAR(sd(f), 1.0, 1e-9) << d.feature_names[static_cast<std::size_t>(f)];
  }
}

TEST(LoadSplits, BreastCancerWithValAndTestFractions) {
  DataSource source = csv_source(kBreastCancer);
  source.fractions = {0.2, 0.1};
  source.split_seed = 7;
  const Splits s = load_splits(source);
  EXPECT_EQ(s.train.num_samples() + s.val.num_samples() + s.test.num_samples(), 569);
  // Stratified per class (212 of label 0, 357 of label 1): round(42.4) + round(71.4), round(21.2) + round(35.7).
  EXPECT_EQ(s.val.num_samples(), 42 + 71);
  EXPECT_EQ(s.test.num_samples(), 21 + 36);
  for (const Dataset* d : {&s.train, &s.val, &s.test}) {
    EXPECT_EQ(d->task, Task::kBinary);
    EXPECT_THAT(d->class_values, ElementsAre(0, 1));
    EXPECT_EQ(d->num_features(), 30);
    EXPECT_EQ(d->target_name, "benign");
    EXPECT_TRUE(d->features.allFinite());
  }
  EXPECT_EQ(s.train.feature_names.front(), "mean_radius");
  expect_standardized(s.train);
  // Validation is scaled with the training statistics, so it is close to, but not exactly, standard.
  const Eigen::VectorXd val_mean = s.val.features.rowwise().mean();
  EXPECT_LT(val_mean.cwiseAbs().maxCoeff(), 0.5);
  EXPECT_GT(val_mean.cwiseAbs().maxCoeff(), 1e-6);

  const Splits again = load_splits(source);
  EXPECT_EQ(again.val.features, s.val.features);
  source.split_seed = 8;
  EXPECT_NE(load_splits(source).val.features, s.val.features);
}

TEST(LoadSplits, SeparateValidationFile) {
  const TempDir dir;
  DataSource source = csv_source(dir.write("train.csv", "a,b,y\n1,10,0\n2,20,1\n3,30,0\n4,40,1\n"));
  source.val = dir.write("val.csv", "a,b,y\n2.5,25,1\n");
  const Splits s = load_splits(source);
  EXPECT_EQ(s.train.num_samples(), 4);
  EXPECT_EQ(s.val.num_samples(), 1);
  EXPECT_EQ(s.test.num_samples(), 0);
  expect_standardized(s.train);
  // a: mean 2.5, so the validation row is exactly at the training mean.
  EXPECT_DOUBLE_EQ(s.val.features(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(s.val.features(1, 0), 0.0);
  EXPECT_EQ(s.val.target(0), 1);
}

TEST(LoadSplits, ValidationLabelNotInTrainingClassesIsRejected) {
  const TempDir dir;
  DataSource source = csv_source(dir.write("train.csv", "a,y\n1,0\n2,1\n3,2\n4,0\n"));
  source.val = dir.write("val.csv", "a,y\n1,0\n2,5\n");
  const std::string msg = message_of<core::DataError>([&] { (void)load_splits(source); });
  EXPECT_THAT(msg, HasSubstr(source.val));
  EXPECT_THAT(msg, HasSubstr("sample 2 has label 5"));
  EXPECT_THAT(msg, HasSubstr("not a class of the training data (0, 1, 2)"));
}

TEST(LoadSplits, ValidationWithSubsetOfClassesKeepsTrainingIndices) {
  const TempDir dir;
  DataSource source = csv_source(dir.write("train.csv", "a,y\n1,3\n2,5\n3,7\n4,3\n"));
  source.val = dir.write("val.csv", "a,y\n1,7\n2,5\n");  // two labels only: still the 3-class task
  const Splits s = load_splits(source);
  EXPECT_EQ(s.val.task, Task::kMulticlass);
  EXPECT_THAT(s.val.class_values, ElementsAre(3, 5, 7));
  EXPECT_EQ(s.val.target(0), 2);
  EXPECT_EQ(s.val.target(1), 1);
}

TEST(LoadSplits, ValidationWithOtherFeatureCountIsRejected) {
  const TempDir dir;
  DataSource source = csv_source(dir.write("train.csv", "a,b,y\n1,10,0\n2,20,1\n3,30,0\n"));
  source.val = dir.write("val.csv", "a,y\n1,0\n2,1\n");
  const std::string msg = message_of<core::DataError>([&] { (void)load_splits(source); });
  EXPECT_THAT(msg, HasSubstr(source.val + ": 1 feature columns, but the training file"));
}

TEST(LoadSplits, NoValidationIsAConfigError) {
  const TempDir dir;
  DataSource source = csv_source(dir.write("train.csv", "a,y\n1,0\n2,1\n3,0\n"));
  source.fractions = {0.0, 0.0};
  const std::string msg = message_of<core::ConfigError>([&] { (void)load_splits(source); });
  EXPECT_THAT(msg, HasSubstr("no validation data"));
}

TEST(LoadSplits, MissingTrainingFileIsADataError) {
  const TempDir dir;
  const std::string path = dir.file("absent.csv");
  const std::string msg = message_of<core::DataError>([&] { (void)load_splits(csv_source(path)); });
  EXPECT_THAT(msg, HasSubstr(path));
}

TEST(LoadSplits, SyntheticSourceIsStandardized) {
  DataSource source;
  source.synthetic = SyntheticOptions{.features = 4, .train = 300, .val = 100, .test = 50, .seed = 4};
  const Splits s = load_splits(source);
  EXPECT_EQ(s.train.num_samples(), 300);
  EXPECT_EQ(s.val.num_samples(), 100);
  EXPECT_EQ(s.test.num_samples(), 50);
  expect_standardized(s.train);
}

TEST(LoadSplits, Hdf5SourceWithFractions) {
  const TempDir dir;
  const std::string path = dir.file("data.h5");
  std::vector<double> x(40 * 2), y(40);
  for (int i = 0; i < 40; ++i) {
    x[2 * i] = i;
    x[2 * i + 1] = i * i;
    y[i] = i % 2;
  }
  ASSERT_TRUE(hpsweep::testing::write_hdf5_data(path, x, 2, y, H5T_IEEE_F64LE, "inputs"));
  EXPECT_EQ(detect_kind(path), SourceKind::kHdf5);
  DataSource source;
  source.kind = SourceKind::kHdf5;
  source.train = path;
  source.features_path = "inputs";
  source.fractions = {0.25, 0.0};
  const Splits s = load_splits(source);
  EXPECT_EQ(s.train.num_samples(), 30);
  EXPECT_EQ(s.val.num_samples(), 10);
  EXPECT_EQ(s.train.task, Task::kBinary);
  expect_standardized(s.train);
}

// The fingerprint covers every value, target and shape of the three splits; its legacy kind
// (what results files of earlier versions record) is still FNV-1a 64 over the same bytes, so
// that such a file resumes (store.format1_files_read_and_resume resumes one of the first release).
TEST(Fingerprint, CoversEveryValueAndKeepsItsLegacyKind) {
  DataSource source;
  source.synthetic = SyntheticOptions{.features = 4, .train = 50, .val = 20, .test = 10, .seed = 4};
  const Splits splits = load_splits(source);
  const std::string current = fingerprint(splits);
  EXPECT_THAT(current, ::testing::MatchesRegex("xxh3:[0-9a-f]{16}"));
  EXPECT_EQ(fingerprint(load_splits(source)), current);  // the same data, the same fingerprint
  EXPECT_FALSE(is_legacy_fingerprint(current));
  const std::string legacy = legacy_fingerprint(splits);
  EXPECT_THAT(legacy, ::testing::MatchesRegex("[0-9a-f]{16}"));
  EXPECT_TRUE(is_legacy_fingerprint(legacy));
  EXPECT_EQ(fingerprint_like(current, splits), current);
  EXPECT_EQ(fingerprint_like(legacy, splits), legacy);
  for (int part = 0; part < 4; ++part) {
    Splits changed = splits;
    if (part == 0) changed.train.features(3, 7) = std::nextafter(changed.train.features(3, 7), 10.0);
    if (part == 1) changed.val.features(0, 0) = -changed.val.features(0, 0);
    if (part == 2) changed.val.target(4) = 1.0 - changed.val.target(4);
    if (part == 3) {  // the same bytes in another shape
      const Eigen::MatrixXd& x = splits.train.features;
      changed.train.features = Eigen::Map<const Eigen::MatrixXd>(x.data(), x.cols(), x.rows());
    }
    EXPECT_NE(fingerprint(changed), current) << "change " << part;
    EXPECT_NE(legacy_fingerprint(changed), legacy) << "change " << part;
  }
}

/// Float32-representable features (odd offsets and scales) and a target for `task`.
void make_data(std::size_t rows, hsize_t features, Task task, std::uint64_t seed, std::vector<double>& x,
               std::vector<double>& y) {
  core::Rng rng(seed);
  x.resize(rows * features);
  y.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    for (hsize_t f = 0; f < features; ++f) {
      x[r * features + f] = static_cast<float>(100.0 * static_cast<double>(f % 3) + rng.normal() * static_cast<double>(f + 1));
    }
    y[r] = task == Task::kRegression ? rng.normal() : static_cast<double>(rng.below(task == Task::kBinary ? 2 : 4));
  }
}

/// Writes `x` and `y` as `kind`: float32 HDF5, or CSV of short decimals with every 13th value long
/// (DecimalCodes' side table); returns the path.
std::string write_data(const TempDir& dir, const std::string& name, SourceKind kind, const std::vector<double>& x,
                       std::size_t features, const std::vector<double>& y) {
  const std::string path = dir.file(name + (kind == SourceKind::kCsv ? ".csv" : ".h5"));
  EXPECT_TRUE(kind == SourceKind::kCsv ? hpsweep::testing::write_csv_data(path, x, features, y, 13)
                                       : hpsweep::testing::write_hdf5_data(path, x, features, y, H5T_IEEE_F32LE));
  return path;
}

// A sweep whose trials all train in float32 loads float32 HDF5 data as float32 only, and a CSV of
// short decimals as their codes: the values must be those float32 trials read from load_splits's
// float64 splits, and the fingerprint (both kinds) that of those splits, to the bit, so that
// results files and resumes cannot tell.
TEST(LoadFloat32Splits, GivesTheBitsAndFingerprintOfTheFloat64Path) {
  const TempDir dir;
  for (const SourceKind kind : {SourceKind::kHdf5, SourceKind::kCsv}) {
    for (const Task task : {Task::kBinary, Task::kMulticlass, Task::kRegression}) {
      for (const bool separate_files : {false, true}) {
        std::vector<double> x, y;
        make_data(533, 19, task, 11 + static_cast<std::uint64_t>(task), x, y);
        DataSource source;
        source.kind = kind;
        source.train = write_data(dir, "train", kind, x, 19, y);
        if (separate_files) {
          std::vector<double> vx, vy;
          make_data(97, 19, task, 5, vx, vy);
          if (task != Task::kRegression) std::fill(vy.begin(), vy.begin() + 2, 1.0);
          source.val = write_data(dir, "val", kind, vx, 19, vy);
        } else {
          source.fractions = {0.2, 0.1};
          source.split_seed = 3;
        }
        const std::string where = std::string(kind == SourceKind::kCsv ? "CSV, " : "HDF5, ") + task_name(task) +
                                  (separate_files ? ", separate files" : ", fractions");
        const Splits wide = load_splits(source);
        const std::optional<Float32Splits> narrow = load_float32_splits(source, false);
        ASSERT_TRUE(narrow.has_value()) << where;
        EXPECT_EQ(narrow->fingerprint, fingerprint(wide)) << where;
        EXPECT_EQ(load_float32_splits(source, true)->fingerprint, legacy_fingerprint(wide)) << where;
        const std::array<const Dataset*, 3> expected{&wide.train, &wide.val, &wide.test};
        const std::array<const Dataset32*, 3> got{&narrow->splits.train, &narrow->splits.val, &narrow->splits.test};
        for (std::size_t i = 0; i < 3; ++i) {
          EXPECT_TRUE(got[i]->features == expected[i]->features.cast<float>()) << where << ", split " << i;
          EXPECT_TRUE(got[i]->target == expected[i]->target) << where << ", split " << i;
          EXPECT_EQ(got[i]->task, expected[i]->task);
          EXPECT_EQ(got[i]->class_values, expected[i]->class_values);
          EXPECT_EQ(got[i]->feature_names, expected[i]->feature_names);
        }
        EXPECT_GT(narrow->splits.test.num_samples() + narrow->splits.val.num_samples(), 90) << where;
      }
    }
  }
}

// Only float32 features and short decimals are held in 4 bytes to the bit: float64 HDF5 data, a
// CSV of 17-digit values and the synthetic set keep the float64 path.
TEST(LoadFloat32Splits, IsEmptyUnlessTheFeaturesAreFloat32OrShortDecimals) {
  const TempDir dir;
  std::vector<double> x, y;
  make_data(50, 3, Task::kBinary, 1, x, y);
  DataSource source;
  source.kind = SourceKind::kHdf5;
  source.train = dir.file("wide.h5");
  ASSERT_TRUE(hpsweep::testing::write_hdf5_data(source.train, x, 3, y, H5T_IEEE_F64LE));
  EXPECT_FALSE(load_float32_splits(source, false).has_value());
  source.val = dir.file("narrow.h5");
  ASSERT_TRUE(hpsweep::testing::write_hdf5_data(source.val, x, 3, y, H5T_IEEE_F32LE));
  source.train.swap(source.val);  // float32 training file, float64 validation file
  EXPECT_FALSE(load_float32_splits(source, false).has_value());
  source.val = source.train;
  EXPECT_TRUE(load_float32_splits(source, false).has_value());
  EXPECT_TRUE(load_float32_splits(csv_source(kBreastCancer), false).has_value());
  DataSource long_values = csv_source(dir.file("long.csv"));
  std::vector<double> long_x, long_y;
  for (int r = 0; r < 2000; ++r) {
    long_x.insert(long_x.end(), {1.0 / (r + 3), 2.0 / (r + 7), 1.0 / (r + 11)});
    long_y.push_back(r % 2);
  }
  ASSERT_TRUE(hpsweep::testing::write_csv_data(long_values.train, long_x, 3, long_y, 1));  // all 17 digits
  EXPECT_FALSE(load_float32_splits(long_values, false).has_value());
  EXPECT_EQ(load_splits(long_values).train.num_samples(), 1600) << "the float64 path reads it";
  EXPECT_FALSE(load_float32_splits(DataSource{}, false).has_value());
}

// Bad float32 data is refused as the float64 path refuses it, with the file and the place.
TEST(LoadFloat32Splits, NanIsADataErrorNamingThePlace) {
  {
    const TempDir dir;
    const DataSource source = csv_source(dir.write("nan.csv", "a,b,y\n1,2,0\n3,nan,1\n4,5,1\n6,7,0\n"));
    const std::string expected = message_of<core::DataError>([&] { (void)load_splits(source); });
    EXPECT_THAT(expected, HasSubstr("nan.csv:3: column 2 ('b')"));
    EXPECT_EQ(message_of<core::DataError>([&] { (void)load_float32_splits(source, false); }), expected);
  }
  const TempDir dir;
  std::vector<double> x, y;
  make_data(50, 3, Task::kBinary, 1, x, y);
  x[3 * 7 + 2] = std::nan("");
  DataSource source;
  source.kind = SourceKind::kHdf5;
  source.train = dir.file("nan.h5");
  ASSERT_TRUE(hpsweep::testing::write_hdf5_data(source.train, x, 3, y, H5T_IEEE_F32LE));
  const std::string expected = message_of<core::DataError>([&] { (void)load_splits(source); });
  EXPECT_THAT(expected, HasSubstr("row 7, column 2"));
  EXPECT_EQ(message_of<core::DataError>([&] { (void)load_float32_splits(source, false); }), expected);
}

TEST(DetectKind, TextFileIsCsv) {
  const TempDir dir;
  EXPECT_EQ(detect_kind(dir.write("x.h5", "a,y\n1,0\n")), SourceKind::kCsv);
  EXPECT_EQ(detect_kind(kBreastCancer), SourceKind::kCsv);
}

}  // namespace
}  // namespace hpsweep::data
