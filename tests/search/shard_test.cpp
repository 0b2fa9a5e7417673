#include "hpsweep/search/shard.hpp"

#include <gtest/gtest.h>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {
namespace {

TEST(Shard, SharesAreDisjointAndCoverThePlan) {
  constexpr int kShards = 4, kTrials = 23;
  std::vector<int> owners(kTrials, 0);
  std::vector<int> sizes(kShards, 0);
  for (int s = 0; s < kShards; ++s) {
    const Shard shard = parse_shard(std::to_string(s) + "/" + std::to_string(kShards));
    for (int t = 0; t < kTrials; ++t) {
      if (shard.contains(t)) {
        ++owners[static_cast<std::size_t>(t)];
        ++sizes[static_cast<std::size_t>(s)];
      }
    }
  }
  for (int owner_count : owners) EXPECT_EQ(owner_count, 1);
  EXPECT_EQ(sizes, (std::vector<int>{6, 6, 6, 5}));
}

TEST(Shard, WholeSweepByDefaultAndInText) {
  EXPECT_TRUE(parse_shard("").whole());
  EXPECT_TRUE(parse_shard("0/1").whole());
  EXPECT_EQ(parse_shard("").to_string(), "");
  EXPECT_EQ(parse_shard("2/5").to_string(), "2/5");
  EXPECT_EQ(parse_shard("2/5"), (Shard{2, 5}));
}

TEST(Shard, BadTextNamesTheFix) {
  for (const char* bad : {"3", "a/b", "1/", "/4", "1/4x", "-1/4", "4/4", "0/0", "1 /4"}) {
    try {
      (void)parse_shard(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const core::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
  try {
    (void)parse_shard("4/4");
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("between 0 and N-1 = 3"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hpsweep::search
