#include "hpsweep/report/compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "hpsweep/core/error.hpp"
#include "hpsweep/report/ranking.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::report {
namespace {

std::vector<std::string> setting_names(const store::Results& results) {
  std::vector<std::string> names;
  if (!results.trials.empty()) {
    for (const auto& s : results.trials.front().settings) names.push_back(s.name);
  }
  return names;
}

/// Whether `name` takes more than one value among the file's trials.
bool varies(const store::Results& results, const std::string& name) {
  const search::Value* first = nullptr;
  for (const auto& t : results.trials) {
    const search::Value* v = search::find_value(t.settings, name);
    if (first == nullptr) {
      first = v;
    } else if (v != nullptr && *v != *first) {
      return true;
    }
  }
  return false;
}

void check_comparable(const store::Results& left, const search::SweepSpec& left_spec, const store::Results& right,
                      const search::SweepSpec& right_spec, const std::string& left_name,
                      const std::string& right_name) {
  const auto a = setting_names(left), b = setting_names(right);
  if (a != b) {
    auto only = [](const std::vector<std::string>& x, const std::vector<std::string>& y) {
      std::string list;
      for (const auto& n : x) {
        if (std::find(y.begin(), y.end(), n) == y.end()) list += (list.empty() ? "" : ", ") + n;
      }
      return list.empty() ? std::string("none") : list;
    };
    throw core::ConfigError(left_name + " and " + right_name +
                            " have different settings columns (only in " + left_name + ": " + only(a, b) +
                            "; only in " + right_name + ": " + only(b, a) +
                            "); compare needs two sweeps over the same settings");
  }
  if (left_spec.metric.name != right_spec.metric.name || left_spec.metric.goal != right_spec.metric.goal) {
    throw core::ConfigError(left_name + " ranks by " + left_spec.metric.name + " and " + right_name + " by " +
                            right_spec.metric.name + " (or with another goal); compare needs the same metric");
  }
}

search::Assignment key_of(const store::TrialRecord& trial, const std::vector<std::string>& names) {
  search::Assignment key;
  for (const auto& name : names) {
    if (const search::Value* v = search::find_value(trial.settings, name)) key.push_back({name, *v});
  }
  return key;
}

/// Spearman's rho over the pairs (left position, right position), re-ranked among the pairs.
double spearman(std::vector<std::pair<int, int>> pairs) {
  const auto n = static_cast<double>(pairs.size());
  if (pairs.size() < 3) return std::nan("");
  std::vector<int> right_ranks(pairs.size());
  std::sort(pairs.begin(), pairs.end());  // by left rank: position i is the left rank
  std::vector<std::size_t> by_right(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) by_right[i] = i;
  std::sort(by_right.begin(), by_right.end(), [&](auto x, auto y) { return pairs[x].second < pairs[y].second; });
  for (std::size_t r = 0; r < by_right.size(); ++r) right_ranks[by_right[r]] = static_cast<int>(r);
  double d2 = 0.0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const double d = static_cast<double>(i) - right_ranks[i];
    d2 += d * d;
  }
  return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}

}  // namespace

Comparison compare_results(const store::Results& left, const search::SweepSpec& left_spec,
                           const store::Results& right, const search::SweepSpec& right_spec,
                           const std::string& left_name, const std::string& right_name) {
  check_comparable(left, left_spec, right, right_spec, left_name, right_name);
  Comparison c;
  c.fingerprint_kinds_differ = !store::same_fingerprint_kind(left.info.data_fingerprint, right.info.data_fingerprint);
  c.data_differs = !c.fingerprint_kinds_differ && left.info.data_fingerprint != right.info.data_fingerprint;
  for (const auto& name : setting_names(left)) {
    if (varies(left, name) || varies(right, name)) {
      c.matched_on.push_back(name);
      continue;
    }
    const search::Value* a = search::find_value(left.trials.front().settings, name);
    const search::Value* b = search::find_value(right.trials.front().settings, name);
    if (a != nullptr && b != nullptr && *a != *b) {
      c.differences.push_back({name, search::format_value(*a), search::format_value(*b)});
    }
  }
  std::map<std::string, std::size_t> index;  // formatted key -> position in c.configs
  auto place = [&](const store::Results& results, const search::RankedConfig& ranked, bool is_left) {
    const auto& first = results.trials.at(static_cast<std::size_t>(ranked.first_trial));
    search::Assignment key = key_of(first, c.matched_on);
    const std::string text = search::format_assignment(key);
    auto [it, added] = index.try_emplace(text, c.configs.size());
    if (added) c.configs.push_back({std::move(key), std::nullopt, std::nullopt});
    (is_left ? c.configs[it->second].left : c.configs[it->second].right) = ranked;
  };
  for (const auto& ranked : rank_results(left, left_spec)) place(left, ranked, true);
  for (const auto& ranked : rank_results(right, right_spec)) place(right, ranked, false);
  std::vector<std::pair<int, int>> positions;
  for (const auto& config : c.configs) {
    if (!config.left || !config.right) continue;
    ++c.in_both;
    if (std::isfinite(config.left->mean) && std::isfinite(config.right->mean)) {
      positions.emplace_back(config.left->rank, config.right->rank);
    }
  }
  c.rank_correlation = spearman(std::move(positions));
  return c;
}

}  // namespace hpsweep::report
