#include "hpsweep/search/termination.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"

namespace hpsweep::search {
namespace {

/// Stream of the shuffle that deals configurations to hyperband's brackets.
constexpr std::uint64_t kBracketStream = 0x627261636b6574ULL;  // "bracket"

/// Configurations ordered best first (NaN last, ties by index).
std::vector<int> order_best_first(const std::vector<std::pair<int, double>>& configs, bool minimize) {
  std::vector<std::size_t> idx(configs.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    const double va = configs[a].second, vb = configs[b].second;
    if (better(va, vb, minimize)) return true;
    if (better(vb, va, minimize)) return false;
    return configs[a].first < configs[b].first;
  });
  std::vector<int> ordered;
  for (std::size_t i : idx) ordered.push_back(configs[i].first);
  return ordered;
}

}  // namespace

const char* termination_name(Termination type) noexcept {
  switch (type) {
    case Termination::kNone: return "none";
    case Termination::kAsha: return "asha";
    case Termination::kMedian: return "median";
    case Termination::kSha: return "sha";
    case Termination::kHyperband: return "hyperband";
  }
  return "none";
}

std::vector<int> rung_epochs(const EarlyTerminate& spec, int epochs) {
  std::vector<int> rungs;
  const int limit = spec.max_epochs > 0 ? std::min(spec.max_epochs, epochs) : epochs;
  switch (spec.type) {
    case Termination::kNone: break;
    case Termination::kMedian:  // every epoch from the grace period on
      for (int e = spec.min_epochs; e < limit; ++e) rungs.push_back(e);
      break;
    case Termination::kAsha:
    case Termination::kSha:
    case Termination::kHyperband:  // min_epochs * eta^k
      for (long long r = spec.min_epochs; r < limit; r *= spec.eta) rungs.push_back(static_cast<int>(r));
      break;
  }
  return rungs;
}

bool better(double a, double b, bool minimize) noexcept {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return minimize ? a < b : a > b;
}

AsyncRungs::AsyncRungs(const EarlyTerminate& spec, std::vector<int> config_of, bool minimize)
    : spec_(spec), config_of_(std::move(config_of)), minimize_(minimize) {}

void AsyncRungs::add_trials(const std::vector<int>& config_of) {
  config_of_.insert(config_of_.end(), config_of.begin(), config_of.end());
}

void AsyncRungs::add(int trial, int rung, double value) {
  if (!counted_.insert({trial, rung}).second) return;
  Mean& mean = values_[rung][config_of_.at(static_cast<std::size_t>(trial))];
  // A diverged repeat (NaN) makes its configuration's mean NaN: it ranks last, as in the ranking.
  mean.sum += value;
  ++mean.count;
}

Verdict AsyncRungs::judge(int config, int rung) const {
  const std::map<int, Mean>& at_rung = values_.at(rung);
  switch (spec_.type) {
    case Termination::kMedian: {
      std::vector<double> others;
      for (const auto& [c, mean] : at_rung) {
        if (c != config) others.push_back(mean.value());
      }
      if (static_cast<int>(others.size()) < spec_.min_samples) return Verdict::kContinue;
      // NaN sorts last (worse than anything), like a diverged configuration in the ranking.
      std::sort(others.begin(), others.end(), [&](double a, double b) { return better(a, b, minimize_); });
      const std::size_t n = others.size();
      const double median = n % 2 == 1 ? others[n / 2] : 0.5 * (others[n / 2 - 1] + others[n / 2]);
      return better(median, at_rung.at(config).value(), minimize_) ? Verdict::kStop : Verdict::kContinue;
    }
    case Termination::kAsha: {
      std::vector<std::pair<int, double>> configs;
      for (const auto& [c, mean] : at_rung) configs.emplace_back(c, mean.value());
      const std::vector<int> ordered = order_best_first(configs, minimize_);
      const auto keep = static_cast<std::size_t>((ordered.size() + static_cast<std::size_t>(spec_.eta) - 1) /
                                                 static_cast<std::size_t>(spec_.eta));
      const auto position =
          static_cast<std::size_t>(std::find(ordered.begin(), ordered.end(), config) - ordered.begin());
      return position < std::max<std::size_t>(keep, 1) ? Verdict::kContinue : Verdict::kStop;
    }
    case Termination::kNone:
    case Termination::kSha:
    case Termination::kHyperband: break;  // synchronous (SyncBrackets) or none: no verdicts here
  }
  throw core::Error(std::string("early_terminate ") + termination_name(spec_.type) + " has no asynchronous verdicts",
                    core::ExitCode::kInternal);
}

Verdict AsyncRungs::decide(int trial, int rung, double value) {
  add(trial, rung, value);
  const int config = config_of_.at(static_cast<std::size_t>(trial));
  if (auto known = verdict(config, rung)) return *known;
  const Verdict v = judge(config, rung);
  verdicts_[{config, rung}] = v;
  return v;
}

void AsyncRungs::restore(int trial, int rung, double value, Verdict verdict) {
  add(trial, rung, value);
  verdicts_.try_emplace({config_of_.at(static_cast<std::size_t>(trial)), rung}, verdict);
}

std::optional<Verdict> AsyncRungs::verdict(int config, int rung) const {
  const auto it = verdicts_.find({config, rung});
  if (it == verdicts_.end()) return std::nullopt;
  return it->second;
}

SyncBrackets::SyncBrackets(const EarlyTerminate& spec, std::vector<int> config_of, int epochs, std::uint64_t seed,
                           bool minimize)
    : spec_(spec), config_of_(std::move(config_of)), minimize_(minimize) {
  switch (spec.type) {
    case Termination::kSha:
    case Termination::kHyperband: break;
    case Termination::kNone:
    case Termination::kAsha:
    case Termination::kMedian:
      throw core::Error(std::string("early_terminate ") + termination_name(spec.type) + " has no brackets",
                        core::ExitCode::kInternal);
  }
  ladder_ = rung_epochs(spec, epochs);
  ladder_.push_back(epochs);
  const int configs = config_of_.empty() ? 0 : *std::max_element(config_of_.begin(), config_of_.end()) + 1;
  trials_of_config_.resize(static_cast<std::size_t>(configs));
  for (std::size_t t = 0; t < config_of_.size(); ++t) {
    trials_of_config_[static_cast<std::size_t>(config_of_[t])].push_back(static_cast<int>(t));
  }
  bracket_of_config_.assign(static_cast<std::size_t>(configs), 0);
  const int rungs = static_cast<int>(ladder_.size()) - 1;  // halvings of the most aggressive bracket
  if (spec.type != Termination::kHyperband || rungs == 0) return;
  brackets_ = std::min({spec.brackets > 0 ? spec.brackets : rungs + 1, rungs + 1, std::max(configs, 1)});
  // Hyperband's bracket sizes n_s = ceil((s_max + 1) / (s + 1)) * eta^s, bracket b having s = s_max - b.
  std::vector<double> weight(static_cast<std::size_t>(brackets_));
  for (int b = 0; b < brackets_; ++b) {
    const int s = rungs - b;
    weight[static_cast<std::size_t>(b)] = std::ceil(double(rungs + 1) / (s + 1)) * std::pow(double(spec.eta), s);
  }
  const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
  // Hamilton's largest-remainder rounding of the exact shares; then no bracket is left empty.
  std::vector<int> size(static_cast<std::size_t>(brackets_), 0);
  std::vector<std::pair<double, int>> remainders;
  for (int b = 0; b < brackets_; ++b) {
    const double share = weight[static_cast<std::size_t>(b)] / total * configs;
    size[static_cast<std::size_t>(b)] = static_cast<int>(std::floor(share));
    remainders.emplace_back(share - std::floor(share), b);
  }
  int assigned = std::accumulate(size.begin(), size.end(), 0);
  std::stable_sort(remainders.begin(), remainders.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; assigned < configs; ++i, ++assigned) ++size[static_cast<std::size_t>(remainders[i].second)];
  for (int& n : size) {
    if (n > 0) continue;
    ++n;
    --*std::max_element(size.begin(), size.end());
  }
  // A seeded shuffle first: grid configurations are ordered by their settings, and a bracket of
  // consecutive ones would hold only some values of the first parameter.
  std::vector<int> order(static_cast<std::size_t>(configs));
  std::iota(order.begin(), order.end(), 0);
  core::Rng rng(core::derive_seed(seed, {kBracketStream}));
  core::shuffle(order, rng);
  std::size_t next = 0;
  for (int b = 0; b < brackets_; ++b) {
    for (int i = 0; i < size[static_cast<std::size_t>(b)]; ++i) bracket_of_config_[static_cast<std::size_t>(order[next++])] = b;
  }
}

int SyncBrackets::first_epochs(int trial) const {
  return ladder_.at(static_cast<std::size_t>(bracket_of_config(config_of_.at(static_cast<std::size_t>(trial)))));
}

std::vector<Promotion> SyncBrackets::decide(int bracket, std::span<const TrialProgress> progress) const {
  if (progress.size() < config_of_.size()) {
    throw core::Error("sha/hyperband: progress of " + std::to_string(progress.size()) + " trials for " +
                      std::to_string(config_of_.size()), core::ExitCode::kInternal);
  }
  std::vector<int> members;
  for (std::size_t c = 0; c < bracket_of_config_.size(); ++c) {
    if (bracket_of_config_[c] == bracket) members.push_back(static_cast<int>(c));
  }
  std::vector<Promotion> due;
  const int last = static_cast<int>(ladder_.size()) - 1;
  for (int k = bracket; k < last && !members.empty(); ++k) {
    const auto epoch = static_cast<std::size_t>(ladder_[static_cast<std::size_t>(k)]);
    // The value at rung k: at that epoch, or the final one of a trial that ended before it.
    auto value_at = [&](int t) -> std::optional<double> {
      const TrialProgress& p = progress[static_cast<std::size_t>(t)];
      if (p.best_so_far.size() >= epoch) return p.best_so_far[epoch - 1];
      if (p.ended) return p.best_so_far.empty() ? 0.0 / 0.0 : p.best_so_far.back();
      return std::nullopt;
    };
    std::vector<std::pair<int, double>> means;
    for (int c : members) {
      double sum = 0.0;
      int finite = 0;
      for (int t : trials_of_config_[static_cast<std::size_t>(c)]) {
        const std::optional<double> v = value_at(t);
        if (!v) return due;  // rung k is not complete: nothing more is due in this bracket
        if (!std::isnan(*v)) {
          sum += *v;
          ++finite;
        }
      }
      means.emplace_back(c, finite > 0 ? sum / finite : 0.0 / 0.0);
    }
    const std::vector<int> ordered = order_best_first(means, minimize_);
    const std::size_t keep = std::max<std::size_t>(1, ordered.size() / static_cast<std::size_t>(spec_.eta));
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      for (int t : trials_of_config_[static_cast<std::size_t>(ordered[i])]) {
        const TrialProgress& p = progress[static_cast<std::size_t>(t)];
        if (!p.paused || p.best_so_far.size() != epoch) continue;
        due.push_back({t, i < keep ? ladder_[static_cast<std::size_t>(k) + 1] : 0, k});
      }
    }
    members.assign(ordered.begin(), ordered.begin() + static_cast<std::ptrdiff_t>(std::min(keep, ordered.size())));
  }
  return due;
}

}  // namespace hpsweep::search
