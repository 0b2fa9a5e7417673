#include "hpsweep/search/tpe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
#include "hpsweep/search/plan.hpp"

namespace hpsweep::search {
namespace {

constexpr std::uint64_t kTpeStream = 0x747065ULL;  // "tpe": apart from random's and trials' streams
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // log(sqrt(2 pi))
constexpr int kFlatWeights = 25;                         // the most recent configurations weigh 1
constexpr int kMaxGood = 25;

/// A configuration in the model's coordinates: numeric parameters as quantiles u in [0, 1],
/// categorical ones as the index of their value.
struct Point {
  std::vector<double> u;
  std::vector<int> choice;
};

/// Where each swept parameter goes in a Point (and a row of Points).
struct Layout {
  std::vector<const Parameter*> numeric;
  std::vector<const Parameter*> categorical;
};

bool is_categorical(const Parameter& p) noexcept { return p.distribution == Distribution::kCategorical; }

/// Configurations in the model's coordinates, flat (one allocation per group, not per point).
struct Points {
  std::size_t numeric = 0, categorical = 0;
  std::vector<double> u;    // [point * numeric + j]
  std::vector<int> choice;  // [point * categorical + j]
  std::size_t count = 0;    // points
  [[nodiscard]] std::size_t size() const noexcept { return count; }
};

/// Appends the point of `settings` to `points`; false (and nothing appended) when a swept
/// setting is missing or not one of its values (a row the model cannot place says nothing).
bool place(const Layout& layout, const Assignment& settings, Points& points) {
  const std::size_t u_size = points.u.size(), choice_size = points.choice.size();
  const auto undo = [&] {
    points.u.resize(u_size);
    points.choice.resize(choice_size);
    return false;
  };
  for (const Parameter* p : layout.numeric) {
    const Value* v = find_value(settings, p->name);
    if (v == nullptr) return undo();
    points.u.push_back(std::clamp(to_unit(*p, *v), 0.0, 1.0));
  }
  for (const Parameter* p : layout.categorical) {
    const Value* v = find_value(settings, p->name);
    if (v == nullptr) return undo();
    const auto it = std::find(p->values.begin(), p->values.end(), *v);
    if (it == p->values.end()) return undo();
    points.choice.push_back(static_cast<int>(it - p->values.begin()));
  }
  ++points.count;
  return true;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

/// The prior probabilities of a categorical parameter's values.
std::vector<double> prior_of(const Parameter& p) {
  if (p.probabilities.empty()) return std::vector<double>(p.values.size(), 1.0 / static_cast<double>(p.values.size()));
  // The file's may sum to 1 within 1e-6 only: normalized, so a draw never falls past the last value.
  std::vector<double> prior = p.probabilities;
  double sum = 0.0;
  for (double q : prior) sum += q;
  for (double& q : prior) q /= sum;
  return prior;
}

/// Optuna's default weights: equal up to 25 points, else a ramp from 1/n for the oldest up to 1,
/// and 1 for the 25 most recent.
std::vector<double> recency_weights(std::size_t n) {
  std::vector<double> w(n, 1.0);
  if (n <= static_cast<std::size_t>(kFlatWeights)) return w;
  const std::size_t ramp = n - kFlatWeights;
  for (std::size_t i = 0; i < ramp; ++i) {
    const double lo = 1.0 / static_cast<double>(n);
    w[i] = ramp == 1 ? lo : lo + (1.0 - lo) * static_cast<double>(i) / static_cast<double>(ramp - 1);
  }
  return w;
}

/// A Parzen estimator: a weighted mixture with one component per point plus the prior. Refitted
/// in place, so its buffers are reused from one fit (and one batch) to the next.
class Mixture {
 public:
  void fit(const Layout& layout, const Points& points, double prior_weight) {
    layout_ = &layout;
    log_weight_.clear();
    cumulative_.clear();
    const std::size_t n = points.size();
    const std::size_t k = n + 1;  // the prior last
    // Optuna's "magic clip": no kernel narrower than 1/min(100, k) of the range.
    const double min_sigma = 1.0 / std::min(100.0, 1.0 + static_cast<double>(k));
    std::vector<double>& weights = cumulative_;  // the weights first, then their running sum
    weights = recency_weights(n);
    weights.push_back(prior_weight);
    double total = 0.0;
    for (double w : weights) total += w;
    double running = 0.0;
    for (double& w : weights) {
      log_weight_.push_back(std::log(w / total));
      running += w / total;
      w = running;
    }
    const std::size_t nn = layout.numeric.size();
    mu_.resize(k * nn);
    sigma_.resize(k * nn);
    log_norm_.resize(k * nn);
    for (std::size_t c = 0; c < k; ++c) {
      for (std::size_t j = 0; j < nn; ++j) mu_[c * nn + j] = c == n ? 0.5 : points.u[c * nn + j];
    }
    for (std::size_t j = 0; j < nn; ++j) {
      // Each kernel as wide as the larger gap to its neighbours along this parameter, the prior's
      // centre among them (the rule of Optuna's default TPE, here per dimension of a multivariate
      // kernel): narrow where good points crowd, so the search closes in on a region once it found
      // one, and wide where they are sparse. (The fixed Scott-like width of Optuna's multivariate
      // mode, 0.2 n^(-1/(d+4)), found 0.114 against 0.107 at 100 trials on digits: bench/.)
      order_.resize(k);
      for (std::size_t c = 0; c < k; ++c) order_[c] = c;
      std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
        const double ma = mu_[a * nn + j], mb = mu_[b * nn + j];
        return ma != mb ? ma < mb : a < b;
      });
      for (std::size_t i = 0; i < k; ++i) {
        const std::size_t c = order_[i];
        double gap = 0.0;
        if (i > 0) gap = std::max(gap, mu_[c * nn + j] - mu_[order_[i - 1] * nn + j]);
        if (i + 1 < k) gap = std::max(gap, mu_[order_[i + 1] * nn + j] - mu_[c * nn + j]);
        sigma_[c * nn + j] = c == n ? 1.0 : std::clamp(gap, min_sigma, 1.0);
      }
    }
    for (std::size_t c = 0; c < k; ++c) {
      for (std::size_t j = 0; j < nn; ++j) {
        const double mu = mu_[c * nn + j], sigma = sigma_[c * nn + j];
        // The mass of the normal inside [0, 1]: the kernel is truncated there.
        const double mass = normal_cdf((1.0 - mu) / sigma) - normal_cdf(-mu / sigma);
        log_norm_[c * nn + j] = std::log(sigma) + kLogSqrt2Pi + std::log(std::max(mass, 1e-300));
      }
    }
    // A categorical kernel is the prior spread over the values plus 1 at the observed one, made a
    // distribution: so per parameter two logs per value cover every component.
    const std::size_t nc = layout.categorical.size();
    choice_.assign(k * nc, -1);
    categorical_.resize(nc);
    for (std::size_t j = 0; j < nc; ++j) {
      const std::vector<double> prior = prior_of(*layout.categorical[j]);
      const double spread = prior_weight / static_cast<double>(k) * static_cast<double>(prior.size());
      const double sum = spread + 1.0;  // the prior sums to 1
      Categorical& cat = categorical_[j];
      cat = Categorical{};
      cat.extra = 1.0 / sum;
      for (double p : prior) {
        cat.prior.push_back(p);
        cat.log_prior.push_back(std::log(p));
        cat.log_other.push_back(std::log(p * spread / sum));
        cat.log_chosen.push_back(std::log((p * spread + 1.0) / sum));
        cat.other.push_back(p * spread / sum);
      }
      for (std::size_t c = 0; c < n; ++c) choice_[c * nc + j] = points.choice[c * nc + j];
    }
  }

  /// A point drawn from the mixture.
  Point draw(core::Rng& rng) const {
    const double pick = rng.uniform();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), pick);
    const std::size_t c = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
    Point point;
    const std::size_t nn = layout_->numeric.size();
    for (std::size_t j = 0; j < nn; ++j) {
      const double mu = mu_[c * nn + j], sigma = sigma_[c * nn + j];
      double x = mu;
      // Rejection from the normal: the mass inside [0, 1] is at least about a third (mu is
      // inside, sigma <= 1), so 64 tries fail with probability < 1e-11; then the mean.
      for (int attempt = 0; attempt < 64; ++attempt) {
        const double y = mu + sigma * rng.normal();
        if (y >= 0.0 && y <= 1.0) {
          x = y;
          break;
        }
      }
      point.u.push_back(x);
    }
    const std::size_t nc = layout_->categorical.size();
    for (std::size_t j = 0; j < nc; ++j) {
      const Categorical& cat = categorical_[j];
      const int observed = choice_[c * nc + j];
      const double u = rng.uniform();
      double running = 0.0;
      std::size_t chosen = cat.prior.size();
      for (std::size_t v = 0; v < cat.prior.size(); ++v) {
        const double mass = observed < 0 ? cat.prior[v] : cat.other[v] + (static_cast<int>(v) == observed ? cat.extra : 0.0);
        if (mass <= 0.0) continue;  // a value of probability 0 is never drawn
        chosen = v;                 // the last value with mass, should rounding leave u past them all
        running += mass;
        if (u < running) break;
      }
      if (chosen == cat.prior.size()) chosen = 0;  // not reached: the prior has mass somewhere
      point.choice.push_back(static_cast<int>(chosen));
    }
    return point;
  }

  /// log density at `point` (log-sum-exp over the components).
  [[nodiscard]] double log_density(const Point& point) const {
    const std::size_t nn = layout_->numeric.size(), nc = layout_->categorical.size();
    terms_.resize(log_weight_.size());
    double top = -kInf;
    for (std::size_t c = 0; c < log_weight_.size(); ++c) {
      double t = log_weight_[c];
      for (std::size_t j = 0; j < nn; ++j) {
        const double z = (point.u[j] - mu_[c * nn + j]) / sigma_[c * nn + j];
        t -= 0.5 * z * z + log_norm_[c * nn + j];
      }
      for (std::size_t j = 0; j < nc; ++j) {
        const Categorical& cat = categorical_[j];
        const int observed = choice_[c * nc + j];
        const auto v = static_cast<std::size_t>(point.choice[j]);
        t += observed < 0 ? cat.log_prior[v] : point.choice[j] == observed ? cat.log_chosen[v] : cat.log_other[v];
      }
      terms_[c] = t;
      top = std::max(top, t);
    }
    if (top == -kInf) return -kInf;
    // Components more than 40 below the top add less than 1e-17 each: the exp is skipped (with
    // a thousand kernels in a few dimensions, most are that far from any one point).
    double sum = 0.0;
    for (double t : terms_) {
      if (t > top - 40.0) sum += std::exp(t - top);
    }
    return top + std::log(sum);
  }

 private:
  const Layout* layout_ = nullptr;
  std::vector<std::size_t> order_;
  std::vector<double> log_weight_, cumulative_;
  std::vector<double> mu_, sigma_, log_norm_;          // [component * numeric + j]
  /// A categorical parameter's kernels: the prior's component, and an observed value's.
  struct Categorical {
    std::vector<double> prior, log_prior;
    std::vector<double> other, log_other;  // an observation's kernel at a value it did not take
    std::vector<double> log_chosen;        // ... and at the value it took
    double extra = 0.0;                    // the observed value's mass beyond `other`
  };
  std::vector<Categorical> categorical_;
  std::vector<int> choice_;  // [component * categorical + j]: the observed value, -1 for the prior
  mutable std::vector<double> terms_;
};

/// A settled configuration, ranked: class 0 finished, 1 stopped at a rung, 2 diverged.
struct Ranked {
  int config = 0;
  int klass = 0;
  int epochs = 0;
  double loss = 0.0;  ///< the metric, negated when maximizing: lower is better
  const Assignment* settings = nullptr;
};

bool ranks_before(const Ranked& a, const Ranked& b) {
  if (a.klass != b.klass) return a.klass < b.klass;
  if (a.klass == 1 && a.epochs != b.epochs) return a.epochs > b.epochs;  // a later rung first
  if (a.loss != b.loss) return a.loss < b.loss;
  return a.config < b.config;
}

/// The settled configurations of `history`, one per configuration in configuration order, each
/// scored over its repeats; failed-only configurations are left out.
std::vector<Ranked> rank_history(std::span<const Observation> history, Goal goal) {
  struct Sum {
    const Assignment* settings = nullptr;
    double finished = 0.0, stopped = 0.0;
    int n_finished = 0, n_stopped = 0, n_diverged = 0, epochs = 0;
  };
  int configs = 0;
  for (const Observation& o : history) configs = std::max(configs, o.config + 1);
  std::vector<Sum> by_config(static_cast<std::size_t>(configs));
  const double sign = goal == Goal::kMaximize ? -1.0 : 1.0;
  for (const Observation& o : history) {
    if (o.settings == nullptr || o.config < 0) continue;
    Sum& s = by_config[static_cast<std::size_t>(o.config)];
    s.settings = o.settings;
    const bool finite = std::isfinite(o.value);
    switch (o.status) {
      case TrialStatus::kOk:
        if (finite) {
          s.finished += sign * o.value;
          ++s.n_finished;
        } else {
          ++s.n_diverged;
        }
        break;
      case TrialStatus::kStopped:
        if (finite) {
          s.stopped += sign * o.value;
          ++s.n_stopped;
          s.epochs = std::max(s.epochs, o.epochs);
        }
        break;
      case TrialStatus::kDiverged: ++s.n_diverged; break;
      case TrialStatus::kFailed:
      case TrialStatus::kPending:
      case TrialStatus::kPaused: break;  // says nothing about the settings (or is not settled)
    }
  }
  std::vector<Ranked> ranked;
  for (int config = 0; config < configs; ++config) {
    const Sum& s = by_config[static_cast<std::size_t>(config)];
    Ranked r;
    r.config = config;
    r.settings = s.settings;
    if (s.n_finished > 0) {
      r.loss = s.finished / s.n_finished;
    } else if (s.n_stopped > 0) {
      r.klass = 1;
      r.epochs = s.epochs;
      r.loss = s.stopped / s.n_stopped;
    } else if (s.n_diverged > 0) {
      r.klass = 2;
      r.loss = kInf;
    } else {
      continue;
    }
    ranked.push_back(r);
  }
  return ranked;
}

Assignment settings_of(const SweepSpec& spec, const Point& point) {
  std::vector<Value> swept;
  std::size_t numeric = 0, categorical = 0;
  for (const Parameter& p : spec.parameters) {
    if (is_categorical(p)) {
      swept.push_back(p.values.at(static_cast<std::size_t>(point.choice.at(categorical++))));
    } else {
      swept.push_back(from_unit(p, point.u.at(numeric++)));
    }
  }
  return assemble_settings(spec, std::move(swept));
}

}  // namespace

/// What propose() reuses from one batch to the next: the mixtures' buffers.
struct TpeSampler::Workspace {
  Points good_points, bad_points;
  Mixture good, bad;
};

TpeSampler::TpeSampler(SweepSpec spec) : spec_(std::move(spec)), work_(std::make_unique<Workspace>()) {}

TpeSampler::~TpeSampler() = default;

int TpeSampler::batch_start(int config) const noexcept {
  const int startup = spec_.bayes.startup_trials;
  if (config < startup) return 0;
  const int size = std::max(spec_.bayes.batch_size, 1);
  return startup + (config - startup) / size * size;
}

std::vector<Proposal> TpeSampler::propose(int decided, std::span<const Observation> history) {
  const int cap = spec_.run_cap.value_or(0);
  if (decided >= cap) return {};
  std::vector<Proposal> batch;
  const BayesSpec& bayes = spec_.bayes;
  if (decided < bayes.startup_trials) {
    for (int c = decided; c < std::min(bayes.startup_trials, cap); ++c) batch.push_back({c, random_settings(spec_, c)});
    return batch;
  }
  const int size = std::min(bayes.batch_size, cap - decided);
  Layout layout;
  for (const Parameter& p : spec_.parameters) (is_categorical(p) ? layout.categorical : layout.numeric).push_back(&p);
  const std::vector<Ranked> ranked = rank_history(history, spec_.metric.goal);
  const bool learned = std::any_of(ranked.begin(), ranked.end(), [](const Ranked& r) { return r.klass < 2; });
  if (!learned) {  // nothing finished or reached a rung yet (all failed or diverged): draw as random does
    for (int c = decided; c < decided + size; ++c) batch.push_back({c, random_settings(spec_, c)});
    return batch;
  }
  std::vector<std::size_t> order(ranked.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ranks_before(ranked[a], ranked[b]); });
  const auto n = static_cast<double>(ranked.size());
  const auto n_good = static_cast<std::size_t>(std::clamp(std::ceil(bayes.gamma * n), 1.0, static_cast<double>(kMaxGood)));
  std::vector<bool> is_good(ranked.size(), false);
  for (std::size_t i = 0; i < n_good && i < order.size(); ++i) is_good[order[i]] = true;
  Points& good = work_->good_points;  // each in configuration order (the recency weights need it)
  Points& bad = work_->bad_points;
  for (Points* points : {&good, &bad}) {
    points->numeric = layout.numeric.size();
    points->categorical = layout.categorical.size();
    points->u.clear();
    points->choice.clear();
    points->count = 0;
  }
  for (std::size_t i = 0; i < ranked.size(); ++i) (void)place(layout, *ranked[i].settings, is_good[i] ? good : bad);
  Mixture& good_density = work_->good;
  Mixture& bad_density = work_->bad;
  good_density.fit(layout, good, bayes.prior_weight);
  core::Rng rng(core::derive_seed(spec_.seed, {kTpeStream, static_cast<std::uint64_t>(decided)}));
  for (int c = decided; c < decided + size; ++c) {
    bad_density.fit(layout, bad, bayes.prior_weight);
    Point best;
    double best_score = -kInf;
    for (int i = 0; i < bayes.candidates; ++i) {
      Point candidate = good_density.draw(rng);
      double score = good_density.log_density(candidate) - bad_density.log_density(candidate);
      if (std::isnan(score)) score = -kInf;  // never preferred (both densities zero)
      if (i == 0 || score > best_score) {
        best_score = score;
        best = std::move(candidate);
      }
    }
    batch.push_back({c, settings_of(spec_, best)});
    // The constant liar: the proposal counts as bad for the rest of the batch, so the next one
    // looks elsewhere. Placed as it will be trained (rounded, quantized).
    (void)place(layout, batch.back().settings, bad);
  }
  return batch;
}

}  // namespace hpsweep::search
