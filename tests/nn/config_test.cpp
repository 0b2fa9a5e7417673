// TrainConfig::validate is a backstop for callers outside sweeps; a sweep's settings are ruled by
// search's settings table, with the value's file:line:col. So the trainer must accept everything
// the table accepts (else a trial, not the sweep file, would be the first to refuse a value), and
// the names it parses must be the table's choices.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/nn/config.hpp"
#include "hpsweep/search/settings.hpp"

namespace hpsweep::nn {
namespace {

/// Sets the TrainConfig field of a numeric setting; false for a name it does not know.
bool set_number(TrainConfig& c, std::string_view name, double x) {
  const auto whole = [x] { return static_cast<int>(x); };
  if (name == "lr") c.lr = x;
  else if (name == "l2") c.l2 = x;
  else if (name == "weight_decay") c.weight_decay = x;
  else if (name == "dropout") c.dropout = x;
  else if (name == "input_noise") c.input_noise = x;
  else if (name == "momentum") c.momentum = x;
  else if (name == "min_delta") c.early_stopping.min_delta = x;
  else if (name == "batch_size") c.batch_size = whole();
  else if (name == "width") c.width = whole();
  else if (name == "depth") c.depth = whole();
  else if (name == "epochs") c.epochs = whole();
  else if (name == "patience") c.early_stopping.patience = whole();
  else return false;
  return true;
}

/// The extreme values the table accepts: each finite bound (or the nearest number inside an
/// open one), and a huge number where there is no upper bound.
std::vector<double> accepted_extremes(const search::SettingInfo& s) {
  const search::NumberRange& r = s.range;
  const double huge = s.kind == search::SettingKind::kInteger ? 2147483647.0 : 1e300;
  std::vector<double> values;
  if (std::isfinite(r.min)) values.push_back(r.min_inclusive ? r.min : std::nextafter(r.min, huge));
  if (std::isfinite(r.max)) {
    values.push_back(r.max_inclusive ? r.max : std::nextafter(r.max, -huge));
  } else {
    values.push_back(huge);
  }
  return values;
}

TEST(TrainConfig, AcceptsEveryValueTheSettingsTableAccepts) {
  for (const search::SettingInfo& s : search::all_settings()) {
    switch (s.kind) {
      case search::SettingKind::kReal:
      case search::SettingKind::kInteger:
        for (double x : accepted_extremes(s)) {
          const search::Value value = s.kind == search::SettingKind::kInteger
                                          ? search::Value{static_cast<long long>(x)}
                                          : search::Value{x};
          ASSERT_EQ(search::check_value(s, value), "") << s.name << " " << x;
          TrainConfig c;
          ASSERT_TRUE(set_number(c, s.name, x)) << "setting " << s.name << " has no TrainConfig field in this test";
          EXPECT_NO_THROW(c.validate()) << s.name << " = " << x << " is accepted by the settings table";
        }
        break;
      case search::SettingKind::kChoice:
        for (std::string_view choice : s.choices) {
          const std::string name(choice);
          if (s.name == "activation") EXPECT_STREQ(activation_name(parse_activation(name)), name.c_str());
          else if (s.name == "optimizer") EXPECT_STREQ(optimizer_name(parse_optimizer(name)), name.c_str());
          else if (s.name == "precision") EXPECT_STREQ(precision_name(parse_precision(name)), name.c_str());
          else ADD_FAILURE() << "setting " << s.name << " has no parser in this test";
        }
        break;
      case search::SettingKind::kBoolean: break;  // nesterov: a bool either way
    }
  }
}

TEST(TrainConfig, NamesRoundTripAndUnknownNamesAreRefused) {
  for (Activation a : {Activation::kRelu, Activation::kTanh, Activation::kGelu}) {
    EXPECT_EQ(parse_activation(activation_name(a)), a);
  }
  for (OptimizerKind o : {OptimizerKind::kAdam, OptimizerKind::kSgd}) EXPECT_EQ(parse_optimizer(optimizer_name(o)), o);
  for (Precision p : {Precision::kFloat32, Precision::kFloat64}) EXPECT_EQ(parse_precision(precision_name(p)), p);
  EXPECT_STREQ(optimizer_name(OptimizerKind::kSgd), "sgd");
  EXPECT_STREQ(precision_name(Precision::kFloat64), "float64");
  EXPECT_THROW((void)parse_optimizer("rmsprop"), core::ConfigError);
  EXPECT_THROW((void)parse_precision("float16"), core::ConfigError);
  EXPECT_THROW((void)parse_activation("sigmoid"), core::ConfigError);
}

}  // namespace
}  // namespace hpsweep::nn
