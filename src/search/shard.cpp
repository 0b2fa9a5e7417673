#include "hpsweep/search/shard.hpp"

#include <charconv>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search {
namespace {

bool parse_int(std::string_view text, int& value) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end && !text.empty();
}

}  // namespace

std::string Shard::to_string() const {
  return whole() ? std::string() : std::to_string(index) + "/" + std::to_string(count);
}

Shard parse_shard(std::string_view text) {
  if (text.empty()) return {};
  const std::string quoted = "'" + std::string(text) + "'";
  const auto slash = text.find('/');
  Shard shard;
  if (slash == std::string_view::npos || !parse_int(text.substr(0, slash), shard.index) ||
      !parse_int(text.substr(slash + 1), shard.count)) {
    throw core::ConfigError("--shard " + quoted + ": expected I/N, two whole numbers, e.g. --shard 0/4 for the first of 4 shards");
  }
  if (shard.count < 1) throw core::ConfigError("--shard " + quoted + ": N must be at least 1");
  if (shard.index < 0 || shard.index >= shard.count) {
    throw core::ConfigError("--shard " + quoted + ": I must be between 0 and N-1 = " + std::to_string(shard.count - 1) +
                            " (job array task ids from 0: sbatch --array=0-" + std::to_string(shard.count - 1) + ")");
  }
  return shard;
}

}  // namespace hpsweep::search
