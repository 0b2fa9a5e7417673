// `hpsweep train` parsed from argument vectors (as CLI11's own tests do) and run in process.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "hpsweep/cli/train_command.hpp"
#include "hpsweep/core/error.hpp"

namespace hpsweep::cli {
namespace {

using ::testing::HasSubstr;

/// Parses `args` as `hpsweep train <args>`, resolves them, and runs the command.
class TrainCommand : public ::testing::Test {
 protected:
  void parse(std::vector<std::string> args) {
    CLI::App app("test");
    CLI::App* cmd = app.add_subcommand("train");
    add_train_options(*cmd, options_);
    args.insert(args.begin(), "train");
    std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
    app.parse(args);
    finish_train_options(options_);
  }
  std::string run() {
    std::ostringstream out;
    EXPECT_EQ(run_train(options_, out), 0);
    return out.str();
  }
  TrainOptions options_;
};

TEST_F(TrainCommand, OptionsReachTheConfig) {
  parse({"--width", "64", "--depth", "2", "--dropout", "0.5", "--l2", "0.01", "--lr", "0.01", "--batch-size", "16",
         "--epochs", "7", "--seed", "9", "--activation", "gelu", "--optimizer", "sgd", "--momentum", "0.9", "--nesterov",
         "--patience", "3", "--precision", "float64"});
  const nn::TrainConfig& c = options_.config;
  EXPECT_EQ(c.width, 64);
  EXPECT_EQ(c.depth, 2);
  EXPECT_EQ(c.dropout, 0.5);
  EXPECT_EQ(c.l2, 0.01);
  EXPECT_EQ(c.lr, 0.01);
  EXPECT_EQ(c.batch_size, 16);
  EXPECT_EQ(c.epochs, 7);
  EXPECT_EQ(c.seed, 9u);
  EXPECT_EQ(c.activation, nn::Activation::kGelu);
  EXPECT_EQ(c.optimizer, nn::OptimizerKind::kSgd);
  EXPECT_TRUE(c.nesterov);
  EXPECT_TRUE(c.early_stopping.enabled);
  EXPECT_EQ(c.early_stopping.patience, 3);
  EXPECT_EQ(c.precision, nn::Precision::kFloat64);
  EXPECT_EQ(options_.data.kind, data::SourceKind::kSynthetic);
}

TEST_F(TrainCommand, CsvFormatHasTheDocumentedHeaderAndOneRowPerEpoch) {
  parse({"--epochs", "4", "--format", "csv", "--synthetic-train", "100", "--synthetic-val", "50"});
  std::istringstream out(run());
  std::string line;
  std::getline(out, line);
  EXPECT_EQ(line, "epoch,train_loss,val_loss,val_metric,seconds,l2_penalty");
  int rows = 0;
  while (std::getline(out, line)) ++rows;
  EXPECT_EQ(rows, 4);
}

TEST_F(TrainCommand, TableEndsWithTheSummary) {
  parse({"--epochs", "3", "--synthetic-train", "100", "--synthetic-val", "50"});
  const std::string out = run();
  EXPECT_THAT(out, HasSubstr("val_metric"));  // one name for the metric, as in the results file and `curves`
  EXPECT_THAT(out, HasSubstr("accuracy"));
  EXPECT_THAT(out, HasSubstr("best val_loss"));
  EXPECT_THAT(out, HasSubstr("final train_loss"));
}

TEST_F(TrainCommand, TrainsOnTheBundledBreastCancerFile) {
  parse({"--data", std::string(HPSWEEP_SOURCE_DIR) + "/sweeps/data/breast_cancer.csv", "--target", "benign",
         "--epochs", "15", "--test-fraction", "0.2"});
  const std::string out = run();
  EXPECT_THAT(out, HasSubstr("test loss"));
  const auto at = out.find("best val_loss ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(std::stod(out.substr(at + 14)), 0.2) << out;  // the data set is nearly separable
}

TEST_F(TrainCommand, ImpossibleValuesAndUnknownNamesAreConfigErrors) {
  EXPECT_THROW(parse({"--dropout", "1.5"}), core::ConfigError);
  options_ = {};
  EXPECT_THROW(parse({"--activation", "sigmoidish"}), core::ConfigError);
  options_ = {};
  EXPECT_THROW(parse({"--format", "xml"}), CLI::ValidationError);
}

TEST_F(TrainCommand, MissingTargetColumnNamesFileAndColumns) {
  const std::string path = ::testing::TempDir() + "/cli_missing_target.csv";
  std::ofstream(path) << "a,b\n1,0\n2,1\n";
  parse({"--data", path, "--target", "label"});
  try {
    run();
    FAIL() << "no error";
  } catch (const core::DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path + ":1: no column named 'label'; the columns are: a, b"));
    EXPECT_EQ(e.code(), core::ExitCode::kData);
  }
}

}  // namespace
}  // namespace hpsweep::cli
