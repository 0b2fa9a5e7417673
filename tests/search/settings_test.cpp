#include "hpsweep/search/settings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace hpsweep::search {
namespace {

TEST(Settings, TableHasEverySettingOnceInCanonicalOrder) {
  const auto settings = all_settings();
  ASSERT_EQ(settings.size(), 16u);
  std::set<std::string_view> names;
  for (const auto& s : settings) names.insert(s.name);
  EXPECT_EQ(names.size(), settings.size());
  EXPECT_EQ(setting_names(),
            "lr, l2, weight_decay, dropout, input_noise, batch_size, width, depth, activation, optimizer, momentum, "
            "nesterov, epochs, patience, min_delta, precision");
  EXPECT_EQ(setting_order("lr"), 0u);
  EXPECT_EQ(setting_order("precision"), 15u);
  EXPECT_EQ(setting_order("nope"), settings.size());
  EXPECT_EQ(find_setting("nope"), nullptr);
}

TEST(Settings, DescribesRanges) {
  EXPECT_EQ(describe(*find_setting("lr")), "a number > 0");
  EXPECT_EQ(describe(*find_setting("l2")), "a number >= 0");
  EXPECT_EQ(describe(*find_setting("dropout")), "a number in [0, 1)");
  EXPECT_EQ(describe(*find_setting("batch_size")), "an integer in [1, 2147483647]");
  EXPECT_EQ(describe(*find_setting("depth")), "an integer in [0, 64]");
  EXPECT_EQ(describe(*find_setting("activation")), "one of relu, tanh, gelu");
  EXPECT_EQ(describe(*find_setting("optimizer")), "one of adam, sgd");
  EXPECT_EQ(describe(*find_setting("precision")), "one of float32, float64");
  EXPECT_EQ(describe(*find_setting("nesterov")), "true or false");
}

TEST(Settings, ChecksValuesAgainstRangeAndKind) {
  const auto check = [](const char* name, const Value& v) { return check_value(*find_setting(name), v); };
  EXPECT_EQ(check("dropout", 0.5), "");
  EXPECT_EQ(check("dropout", 0.0), "");
  EXPECT_EQ(check("dropout", 1.2), "dropout must be in [0, 1), got 1.2");
  EXPECT_EQ(check("dropout", 1.0), "dropout must be in [0, 1), got 1");
  EXPECT_EQ(check("lr", 0.0), "lr must be > 0, got 0");
  EXPECT_EQ(check("lr", 1LL), "");  // an integer is a number
  EXPECT_EQ(check("lr", INFINITY), "lr must be finite, got inf");
  EXPECT_EQ(check("batch_size", 0.5), "batch_size must be an integer in [1, 2147483647], got 0.5");
  EXPECT_EQ(check("batch_size", 0LL), "batch_size must be an integer in [1, 2147483647], got 0");
  EXPECT_EQ(check("depth", 64LL), "");
  EXPECT_EQ(check("depth", 65LL), "depth must be an integer in [0, 64], got 65");
  EXPECT_EQ(check("activation", std::string("sigmoid")),
            "activation must be one of relu, tanh, gelu, got 'sigmoid'");
  EXPECT_EQ(check("nesterov", true), "");
  EXPECT_EQ(check("nesterov", 1LL), "nesterov must be true or false, got 1");
}

TEST(NumberRange, ContainsRespectsOpenAndClosedBounds) {
  const NumberRange r{0.0, 1.0, true, false};
  EXPECT_TRUE(r.contains(0.0));
  EXPECT_FALSE(r.contains(1.0));
  EXPECT_FALSE(r.contains(-1e-300));
  EXPECT_FALSE(r.contains(NAN));
  EXPECT_EQ(describe(NumberRange{0.0, 1.0, false, true}), "in (0, 1]");
}

}  // namespace
}  // namespace hpsweep::search
