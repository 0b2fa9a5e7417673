#include "hpsweep/search/value.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"

namespace hpsweep::search {
namespace {

using testing::config_error;

Assignment example() {
  return {{"lr", 0.001}, {"l2", 1e-5}, {"batch_size", 32LL}, {"activation", std::string("relu")}, {"nesterov", true}};
}

TEST(Value, GettersReturnTypedValues) {
  const Assignment a = example();
  EXPECT_EQ(get_double(a, "lr"), 0.001);
  EXPECT_EQ(get_int(a, "batch_size"), 32);
  EXPECT_EQ(get_double(a, "batch_size"), 32.0);  // integers widen to double
  EXPECT_EQ(get_string(a, "activation"), "relu");
  EXPECT_TRUE(get_bool(a, "nesterov"));
}

TEST(Value, GettersNameTheSettingOnMissingOrWrongType) {
  const Assignment a = example();
  EXPECT_EQ(config_error([&] { (void)get_double(a, "dropout"); }), "setting dropout is not set");
  EXPECT_EQ(config_error([&] { (void)get_int(a, "lr"); }), "setting lr is number 0.001, expected an integer");
  EXPECT_EQ(config_error([&] { (void)get_double(a, "activation"); }),
            "setting activation is string relu, expected a number");
  EXPECT_EQ(config_error([&] { (void)get_bool(a, "batch_size"); }),
            "setting batch_size is integer 32, expected a boolean");
  EXPECT_EQ(config_error([&] { (void)get_string(a, "nesterov"); }),
            "setting nesterov is boolean true, expected a string");
}

TEST(Value, FallbacksApplyOnlyWhenAbsent) {
  const Assignment a = example();
  EXPECT_EQ(get_double(a, "dropout", 0.5), 0.5);
  EXPECT_EQ(get_int(a, "width", 128), 128);
  EXPECT_EQ(get_string(a, "optimizer", "adam"), "adam");
  EXPECT_FALSE(get_bool(a, "missing", false));
  EXPECT_EQ(get_double(a, "lr", 0.5), 0.001);
  EXPECT_THROW((void)get_int(a, "lr", 1), core::ConfigError);
}

TEST(Value, FormatsShortestRoundTrip) {
  EXPECT_EQ(format_value(0.001), "0.001");
  EXPECT_EQ(format_value(1e-5), "1e-05");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(0.0), "0");
  EXPECT_EQ(format_value(0.1 + 0.2), "0.30000000000000004");  // exact: round-trips
  EXPECT_EQ(format_value(128LL), "128");
  EXPECT_EQ(format_value(false), "false");
  EXPECT_EQ(format_value(std::string("gelu")), "gelu");
}

TEST(Value, FormatsAssignmentsForLogs) {
  const Assignment a = example();
  EXPECT_EQ(format_assignment(a), "lr=0.001 l2=1e-05 batch_size=32 activation=relu nesterov=true");
  EXPECT_EQ(format_assignment(a, {"batch_size", "lr"}), "lr=0.001 batch_size=32");
  EXPECT_EQ(format_assignment({}), "");
}

TEST(Value, FindValue) {
  const Assignment a = example();
  ASSERT_NE(find_value(a, "l2"), nullptr);
  EXPECT_EQ(*find_value(a, "l2"), Value{1e-5});
  EXPECT_EQ(find_value(a, "width"), nullptr);
  EXPECT_STREQ(value_kind_name(Value{1LL}), "integer");
}

TEST(Value, SameSettingsToleratesTheLastBitOfARealAndNothingElse) {
  const Assignment a = {{"lr", 0.1}, {"width", 64LL}, {"optimizer", std::string("adam")}, {"nesterov", true}};
  Assignment b = a;
  EXPECT_TRUE(same_settings(a, b));
  b[0].value = std::nextafter(0.1, 1.0);  // another build's FMA or libm
  EXPECT_TRUE(same_settings(a, b));
  b[0].value = 0.1000001;
  EXPECT_FALSE(same_settings(a, b));
  b = a;
  b[1].value = 65LL;
  EXPECT_FALSE(same_settings(a, b));
  b = a;
  b[1].value = 64.0;  // another kind
  EXPECT_FALSE(same_settings(a, b));
  b = a;
  b[2].name = "activation";
  EXPECT_FALSE(same_settings(a, b));
  b = a;
  b.pop_back();
  EXPECT_FALSE(same_settings(a, b));
}

}  // namespace
}  // namespace hpsweep::search
