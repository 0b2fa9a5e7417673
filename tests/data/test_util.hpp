#pragma once
/// Helpers of the data tests: the shared ones (tests/common/test_util.hpp) in this namespace.

#include "../common/test_util.hpp"

namespace hpsweep::data::testing {

using hpsweep::testing::message_of;
using hpsweep::testing::TempDir;

}  // namespace hpsweep::data::testing
