// A setting's rules live in one place, the settings table, and every out-of-range value of a sweep
// file is refused when the file is read, at its own file:line:col: wherever it is written (fixed,
// a parameter's value or values, a distribution's min or max) and whatever side of the range it
// falls on (width: 0 and width: 100000 alike). None may reach the trainer to be refused there
// without a place.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hpsweep/search/parse.hpp"
#include "hpsweep/search/settings.hpp"
#include "test_util.hpp"

namespace hpsweep::search {
namespace {

using testing::config_error;

/// An out-of-range value, a value in range for the same setting, and the rule's message.
struct Bad {
  const char* name;
  const char* value;
  const char* good;
  const char* rule;
  bool integer;
};

const std::vector<Bad>& bad_values() {
  static const std::vector<Bad> values = {
      {"width", "100000", "16", "width must be an integer in [1, 65536], got 100000", true},
      {"width", "0", "16", "width must be an integer in [1, 65536], got 0", true},
      {"depth", "65", "1", "depth must be an integer in [0, 64], got 65", true},
      {"epochs", "0", "5", "epochs must be an integer in [1, 1000000], got 0", true},
      {"dropout", "1.0", "0.5", "dropout must be in [0, 1), got 1.0", false},
      {"batch_size", "0", "32", "batch_size must be an integer in [1, 2147483647], got 0", true},
      {"lr", "-1", "0.5", "lr must be > 0, got -1", false},
      {"momentum", "1", "0.5", "momentum must be in [0, 1), got 1", false},
  };
  return values;
}

/// A sweep file: `header`, then the line `prefix + bad.value + suffix`.
struct Case {
  std::string text;
  std::string place;  ///< "sweep.yaml:<that line>:<column of the value>"
};

Case make_case(const std::string& header, const std::string& prefix, const Bad& bad, const std::string& suffix) {
  Case c;
  c.text = header + prefix + bad.value + suffix + "\n";
  const auto line = 1 + std::count(header.begin(), header.end(), '\n');
  c.place = "sweep.yaml:" + std::to_string(line) + ":" + std::to_string(prefix.size() + 1);
  return c;
}

const std::string kGrid = "method: grid\ndata: {source: synthetic, train: 20, val: 20}\n";
const std::string kRandom = "method: random\nrun_cap: 2\n";

void expect_refused_at_its_place(const Case& c, const Bad& bad, ParseMode mode = ParseMode::kNew) {
  const std::string message = config_error([&] { (void)parse_sweep(c.text, "sweep.yaml", mode); });
  EXPECT_EQ(message, c.place + ": " + bad.rule) << c.text;
}

TEST(SettingRules, FixedValueOutOfRangeHasItsPlace) {
  for (const Bad& bad : bad_values()) {
    const std::string name(bad.name);
    expect_refused_at_its_place(make_case(kGrid + "fixed:\n", "  " + name + ": ", bad, ""), bad);
    // On one line with others, in the flow form.
    expect_refused_at_its_place(
        make_case(kGrid + "parameters: {l2: {values: [0.0, 0.1]}}\n", "fixed: {optimizer: sgd, " + name + ": ", bad, "}"),
        bad);
  }
}

TEST(SettingRules, ListedValueOutOfRangeHasItsPlace) {
  for (const Bad& bad : bad_values()) {
    const std::string name(bad.name);
    const std::string header = kGrid + "fixed: {optimizer: sgd}\n";
    expect_refused_at_its_place(
        make_case(header + "parameters:\n", "  " + name + ": {values: [" + bad.good + ", ", bad, "]}"), bad);
    expect_refused_at_its_place(make_case(header + "parameters:\n", "  " + name + ": {value: ", bad, "}"), bad);
    // The block form of a list.
    expect_refused_at_its_place(
        make_case(header + "parameters: {" + name + ": {values: [\n", "    " + std::string(bad.good) + ", ", bad, "]}}"),
        bad);
  }
}

TEST(SettingRules, DistributionBoundOutOfRangeHasItsPlace) {
  for (const Bad& bad : bad_values()) {
    const std::string name(bad.name);
    const std::string header = kRandom + "fixed: {optimizer: sgd}\n";
    const std::string distribution = bad.integer ? "int_uniform" : "uniform";
    const std::string body = "  " + name + ": {distribution: " + distribution + ", ";
    expect_refused_at_its_place(make_case(header + "parameters:\n", body + "min: ", bad, ", max: " + std::string(bad.good) + "}"),
                                bad);
    expect_refused_at_its_place(make_case(header + "parameters:\n", body + "min: " + bad.good + ", max: ", bad, "}"),
                                bad);
  }
}

TEST(SettingRules, QuantizedBoundOutOfRangeHasItsPlace) {
  const Bad width = bad_values().front();
  expect_refused_at_its_place(
      make_case(kRandom + "fixed: {optimizer: sgd}\nparameters:\n",
                "  width: {distribution: q_log_uniform_values, q: 8, min: 8, max: ", width, "}"),
      width);
}

TEST(SettingRules, StoredSweepTextMeetsTheSameRules) {
  // A results file's sweep text is parsed with kStored, which relaxes only the newer refusals of
  // settings that are merely pointless, never a setting's range.
  for (const Bad& bad : bad_values()) {
    expect_refused_at_its_place(make_case(kGrid + "fixed:\n", "  " + std::string(bad.name) + ": ", bad, ""), bad,
                                ParseMode::kStored);
  }
}

TEST(SettingRules, EveryOutOfRangeValueOfAFileIsReportedAtOnce) {
  const std::string message = config_error([] {
    (void)parse_sweep("method: grid\n"
                      "fixed: {optimizer: sgd, width: 100000, depth: 65, epochs: 0, dropout: 1.0}\n"
                      "parameters:\n"
                      "  batch_size: {values: [32, 0]}\n"
                      "  lr: {values: [-1]}\n"
                      "  momentum: {values: [0.5, 1]}\n",
                      "sweep.yaml");
  });
  EXPECT_EQ(message,
            "sweep.yaml:2:32: width must be an integer in [1, 65536], got 100000\n"
            "sweep.yaml:2:47: depth must be an integer in [0, 64], got 65\n"
            "sweep.yaml:2:59: epochs must be an integer in [1, 1000000], got 0\n"
            "sweep.yaml:2:71: dropout must be in [0, 1), got 1.0\n"
            "sweep.yaml:4:29: batch_size must be an integer in [1, 2147483647], got 0\n"
            "sweep.yaml:5:17: lr must be > 0, got -1\n"
            "sweep.yaml:6:28: momentum must be in [0, 1), got 1");
}

TEST(SettingRules, TheTableIsTheRuleForValuesAsForFileText) {
  // check_value (assignments) and check_written_value (file text) are one judgement: the same
  // verdict, differing only in how the value is shown after "got".
  const SettingInfo& width = *find_setting("width");
  EXPECT_EQ(check_value(width, Value{100000LL}), "width must be an integer in [1, 65536], got 100000");
  EXPECT_EQ(check_written_value(width, std::nullopt, "wide"), "width must be an integer in [1, 65536], got wide");
  EXPECT_EQ(check_written_value(width, Value{64LL}, "64"), "");
  const SettingInfo& dropout = *find_setting("dropout");
  EXPECT_EQ(check_value(dropout, Value{1.0}), "dropout must be in [0, 1), got 1");
  EXPECT_EQ(check_written_value(dropout, Value{1.0}, "1.0"), "dropout must be in [0, 1), got 1.0");
  EXPECT_EQ(check_written_value(dropout, Value{INFINITY}, ".inf"), "dropout must be finite, got .inf");
}

}  // namespace
}  // namespace hpsweep::search
