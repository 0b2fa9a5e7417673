// Model files: what is written reads back equal; inconsistent or crafted files are refused
// before anything is allocated from their numbers.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <utility>

#include "../common/test_util.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
#include "hpsweep/model/model_file.hpp"

namespace hpsweep::model {
namespace {

using ::testing::HasSubstr;

Model small_model(data::Task task, int outputs, nn::Precision precision) {
  Model m;
  m.architecture = nn::Architecture{3, 5, 2, outputs, nn::Activation::kTanh};
  m.precision = precision;
  m.task = task;
  const nn::Mlp<double> net(m.architecture);
  core::Rng rng(11);
  for (Eigen::Index i = 0; i < net.num_parameters(); ++i) {
    // float32 models keep float values, so the round trip is exact in both precisions
    const double w = rng.uniform() - 0.5;
    m.parameters.push_back(precision == nn::Precision::kFloat32 ? static_cast<float>(w) : w);
  }
  m.standardizer.mean.resize(3);
  m.standardizer.mean << 1.0, -2.0, 0.5;
  m.standardizer.scale.resize(3);
  m.standardizer.scale << 2.0, 1.0, 0.25;
  m.feature_names = {"age", "dose", "weight (kg)"};
  m.target_name = "outcome";
  if (task == data::Task::kBinary) m.class_values = {-1.0, 1.0};
  if (task == data::Task::kMulticlass) m.class_values = {0.0, 3.0, 7.0, 9.0};
  m.provenance.sweep = "study";
  m.provenance.trial = 17;
  m.provenance.seed = 0xfedcba9876543210ULL;  // above 2^63: kept exactly as text
  m.provenance.weights_epoch = 12;
  m.provenance.val_loss = 0.123;
  return m;
}

void set_integer_attribute(const std::string& path, const char* name, long long value) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
  ASSERT_GE(attr, 0);
  EXPECT_GE(H5Awrite(attr, H5T_NATIVE_LLONG, &value), 0);
  H5Aclose(attr);
  H5Fclose(file);
}

TEST(ModelFile, EveryPartReadsBackEqual) {
  const testing::TempDir dir;
  for (const auto& [task, outputs] : {std::pair{data::Task::kBinary, 1}, std::pair{data::Task::kMulticlass, 4},
                                      std::pair{data::Task::kRegression, 1}}) {
    for (const nn::Precision precision : {nn::Precision::kFloat32, nn::Precision::kFloat64}) {
      const Model m = small_model(task, outputs, precision);
      const std::string path = dir.file("m.h5");
      write_model(path, m);
      const Model back = read_model(path);
      EXPECT_EQ(back.parameters, m.parameters);
      EXPECT_EQ(back.architecture.inputs, 3);
      EXPECT_EQ(back.architecture.width, 5);
      EXPECT_EQ(back.architecture.depth, 2);
      EXPECT_EQ(back.architecture.outputs, outputs);
      EXPECT_EQ(back.architecture.activation, nn::Activation::kTanh);
      EXPECT_EQ(back.precision, precision);
      EXPECT_EQ(back.task, task);
      EXPECT_EQ(back.standardizer.mean, m.standardizer.mean);
      EXPECT_EQ(back.standardizer.scale, m.standardizer.scale);
      EXPECT_EQ(back.feature_names, m.feature_names);
      EXPECT_EQ(back.target_name, "outcome");
      EXPECT_EQ(back.class_values, m.class_values);
      EXPECT_EQ(back.provenance.seed, 0xfedcba9876543210ULL);
      EXPECT_EQ(back.provenance.trial, 17);
      EXPECT_EQ(back.provenance.weights_epoch, 12);
      EXPECT_EQ(back.provenance.val_loss, 0.123);
      EXPECT_TRUE(is_model_file(path));
    }
  }
}

TEST(ModelFile, KernelsAreStoredSoThatKernelTimesInputWorks) {
  // Read the file as h5py would: element (o, i) of layers/l/kernel is the weight from input i to
  // output o, i.e. Mlp::kernel(parameters, l)(o, i). The 3 -> 5 -> 5 -> 4 layers are not square,
  // so a transposed writer and reader that agree with each other would still fail here.
  const testing::TempDir dir;
  const Model m = small_model(data::Task::kMulticlass, 4, nn::Precision::kFloat64);
  write_model(dir.file("m.h5"), m);
  const nn::Mlp<double> net(m.architecture);
  nn::Mlp<double>::Vector parameters = Eigen::Map<const Eigen::VectorXd>(m.parameters.data(), net.num_parameters());
  const hid_t file = H5Fopen(dir.file("m.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (int layer = 0; layer < net.num_layers(); ++layer) {
    const auto expected = net.kernel(parameters, layer);
    const hid_t ds = H5Dopen2(file, ("layers/" + std::to_string(layer) + "/kernel").c_str(), H5P_DEFAULT);
    ASSERT_GE(ds, 0);
    const hid_t space = H5Dget_space(ds);
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    EXPECT_EQ(dims[0], static_cast<hsize_t>(expected.rows())) << "rows are outputs";
    EXPECT_EQ(dims[1], static_cast<hsize_t>(expected.cols())) << "columns are inputs";
    std::vector<double> raw(dims[0] * dims[1]);
    H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
    for (hsize_t o = 0; o < dims[0]; ++o) {
      for (hsize_t i = 0; i < dims[1]; ++i) {
        EXPECT_EQ(raw[o * dims[1] + i], expected(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(i)));
      }
    }
    H5Sclose(space);
    H5Dclose(ds);
  }
  H5Fclose(file);
}

TEST(ModelFile, AnInconsistentModelIsNotWritten) {
  const testing::TempDir dir;
  Model m = small_model(data::Task::kBinary, 1, nn::Precision::kFloat32);
  m.parameters.pop_back();
  EXPECT_THROW(write_model(dir.file("m.h5"), m), core::StoreError);
  m = small_model(data::Task::kBinary, 1, nn::Precision::kFloat32);
  m.class_values = {0.0, 1.0, 2.0};
  EXPECT_THROW(write_model(dir.file("m.h5"), m), core::StoreError);
  m = small_model(data::Task::kBinary, 1, nn::Precision::kFloat32);
  m.parameters[0] = std::nan("");
  EXPECT_THROW(write_model(dir.file("m.h5"), m), core::StoreError);
  m = small_model(data::Task::kMulticlass, 4, nn::Precision::kFloat32);
  m.class_values = {0.0, 7.0, 3.0, 9.0};
  EXPECT_THROW(write_model(dir.file("m.h5"), m), core::StoreError) << "class labels out of order";
  EXPECT_FALSE(std::filesystem::exists(dir.file("m.h5")));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 0) << "a temporary file was left behind";
}

TEST(ModelFile, CraftedSizesAreRefusedBeforeReading) {
  const testing::TempDir dir;
  const std::string path = dir.file("m.h5");
  for (const auto& [name, value, expected] :
       {std::tuple{"inputs", 1LL << 40, "inputs must be an integer in"}, std::tuple{"width", -3LL, "width must be"},
        std::tuple{"depth", 1LL << 31, "depth must be"}, std::tuple{"inputs", 4LL, "has shape (3), expected (4)"},
        std::tuple{"width", 6LL, "expected (6, 3)"}, std::tuple{"format_version", 2LL, "format_version 2"}}) {
    write_model(path, small_model(data::Task::kBinary, 1, nn::Precision::kFloat32));
    set_integer_attribute(path, name, value);
    try {
      (void)read_model(path);
      ADD_FAILURE() << name << " = " << value << " was accepted";
    } catch (const core::StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr(expected)) << name;
      EXPECT_THAT(e.what(), HasSubstr(path));
    }
  }
}

TEST(ModelFile, ADatasetDeclaredButNotStoredIsRefusedBeforeAllocating) {
  // A crafted file can declare any shape and store nothing (chunked, a fill value): reading it
  // would allocate the declared size. Here standardize/mean is replaced by such a dataset.
  const testing::TempDir dir;
  const std::string path = dir.file("m.h5");
  write_model(path, small_model(data::Task::kBinary, 1, nn::Precision::kFloat32));
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Ldelete(file, "standardize/mean", H5P_DEFAULT), 0);
  const hsize_t dims = 3, chunk = 3;
  const hid_t space = H5Screate_simple(1, &dims, nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &chunk);
  const hid_t ds = H5Dcreate2(file, "standardize/mean", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  ASSERT_GE(ds, 0);
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Fclose(file);
  try {
    (void)read_model(path);
    ADD_FAILURE() << "a dataset with no stored values was read";
  } catch (const core::StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("declares 3 values but the file holds 0 bytes"));
  }
}

/// Rewrites, in place, the one integer type of `bytes` bytes and `precision` bits at bit 0 that
/// the file at `path` declares so that it declares 0 bits: a layout HDF5 refuses to create, so it
/// is patched into the datatype message (size: 4 bytes, then bit offset and precision: 2 each).
void declare_precision_zero(const std::string& path, std::uint8_t bytes, std::uint8_t precision) {
  std::string file;
  {
    std::ifstream in(path, std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string layout{static_cast<char>(bytes), 0, 0, 0, 0, 0, static_cast<char>(precision), 0};
  const auto at = file.find(layout);
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(file.find(layout, at + 1), std::string::npos) << "the layout must be declared once";
  file[at + 6] = 0;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << file;
}

// libhdf5 1.10 converts whatever a file declares: an integer of precision 0 made `hpsweep
// predict` die of SIGBUS inside H5T__conv_i_f (exit 135). Every h5 read checks the layout first.
TEST(ModelFile, ANumberTypeOfImpossibleLayoutIsRefusedBeforeLibhdf5ConvertsIt) {
  const testing::TempDir dir;
  const std::string dataset_path = dir.file("dataset.h5"), attribute_path = dir.file("attribute.h5");
  write_model(dataset_path, small_model(data::Task::kBinary, 1, nn::Precision::kFloat32));
  write_model(attribute_path, small_model(data::Task::kBinary, 1, nn::Precision::kFloat32));
  {  // the class labels as 16-bit integers of 13 bits
    const hid_t file = H5Fopen(dataset_path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    ASSERT_GE(H5Ldelete(file, "classes", H5P_DEFAULT), 0);
    const hid_t type = H5Tcopy(H5T_STD_I16LE);
    ASSERT_GE(H5Tset_precision(type, 13), 0);
    const hsize_t count = 2;
    const hid_t space = H5Screate_simple(1, &count, nullptr);
    const hid_t ds = H5Dcreate2(file, "classes", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const std::int16_t labels[] = {-1, 1};
    EXPECT_GE(H5Dwrite(ds, H5T_NATIVE_INT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, labels), 0);
    H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(file);
  }
  {  // format_version as a 32-bit integer of 29 bits
    const hid_t file = H5Fopen(attribute_path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    ASSERT_GE(H5Adelete(file, "format_version"), 0);
    const hid_t type = H5Tcopy(H5T_STD_I32LE);
    ASSERT_GE(H5Tset_precision(type, 29), 0);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(file, "format_version", type, space, H5P_DEFAULT, H5P_DEFAULT);
    const std::int32_t version = 1;
    EXPECT_GE(H5Awrite(attr, H5T_NATIVE_INT32, &version), 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(file);
  }
  declare_precision_zero(dataset_path, 2, 13);
  declare_precision_zero(attribute_path, 4, 29);
  for (const auto& [path, expected] : {std::pair{dataset_path, "classes declares a malformed number type (2 bytes, 0 bits"},
                                       std::pair{attribute_path, "format_version declares a malformed number type (4 bytes, 0 bits"}}) {
    try {
      (void)read_model(path);
      ADD_FAILURE() << "a number type of 0 bits was read: " << path;
    } catch (const core::StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr(expected));
      EXPECT_THAT(e.what(), HasSubstr(path));
    }
  }
}

TEST(ModelFile, OtherFilesAreNotModels) {
  const testing::TempDir dir;
  const std::string text = dir.write("data.csv", "a,b\n1,2\n");
  EXPECT_FALSE(is_model_file(text));
  try {
    (void)read_model(text);
    ADD_FAILURE() << "a CSV file was read as a model";
  } catch (const core::StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not an HDF5 file"));
  }
  const hid_t file = H5Fcreate(dir.file("other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(file);
  EXPECT_THROW((void)read_model(dir.file("other.h5")), core::StoreError);
  EXPECT_THROW((void)read_model(dir.file("missing.h5")), core::StoreError);
}

TEST(ModelFile, ALinkAtTheTargetIsReplacedNotFollowed) {
  // The model goes to a fresh, unpredictable name opened with O_EXCL | O_NOFOLLOW; the target
  // itself, if a link, is replaced rather than followed.
  const testing::TempDir dir;
  const std::string victim = dir.write("victim.txt", "precious");
  std::filesystem::create_symlink(victim, dir.file("model.h5"));
  write_model(dir.file("model.h5"), small_model(data::Task::kRegression, 1, nn::Precision::kFloat32));
  EXPECT_FALSE(std::filesystem::is_symlink(dir.file("model.h5")));
  std::ifstream in(victim);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
}

}  // namespace
}  // namespace hpsweep::model
