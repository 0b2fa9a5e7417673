#include "hpsweep/runtime/early_termination.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"

namespace hpsweep::runtime {

std::vector<double> best_so_far(const store::Curve& curve, bool by_metric) {
  std::vector<double> values;
  values.reserve(curve.val_loss.size());
  double best_loss = 0.0, at_best = 0.0;
  for (std::size_t e = 0; e < curve.val_loss.size(); ++e) {
    const double loss = curve.val_loss[e];
    // The trainer's rule: the first epoch counts, then a strictly lower loss replaces it.
    if (e == 0 || loss < best_loss) {
      best_loss = loss;
      at_best = e < curve.val_metric.size() ? curve.val_metric[e] : 0.0 / 0.0;
    }
    values.push_back(by_metric ? at_best : best_loss);
  }
  return values;
}

std::vector<double> reported_best_so_far(const store::Curve& curve, const std::string& metric, bool minimize) {
  const std::vector<double>* values = metric == "train_loss" ? &curve.train_loss
                                      : metric == "val_loss" ? &curve.val_loss
                                      : metric == "val_metric" ? &curve.val_metric
                                                               : nullptr;
  for (const store::ReportedCurve& c : curve.reported) {
    if (c.name == metric) values = &c.values;
  }
  std::vector<double> best;
  if (values == nullptr) return best;
  double so_far = std::nan("");
  for (const double v : *values) {
    if (std::isnan(v)) continue;  // a report without the metric: rungs count the metric's reports
    if (std::isfinite(v) && (std::isnan(so_far) || (minimize ? v < so_far : v > so_far))) so_far = v;
    best.push_back(so_far);
  }
  return best;
}

namespace {

bool minimizes(search::Goal goal) {
  switch (goal) {
    case search::Goal::kMinimize: return true;
    case search::Goal::kMaximize: return false;
  }
  throw core::Error("unknown metric goal " + std::to_string(static_cast<int>(goal)), core::ExitCode::kInternal);
}

[[noreturn]] void unknown_termination(search::Termination type) {
  throw core::Error("unknown early termination type " + std::to_string(static_cast<int>(type)),
                    core::ExitCode::kInternal);
}

}  // namespace

EarlyTermination::EarlyTermination(const search::SweepSpec& spec, const std::vector<search::Trial>& plan)
    : spec_(spec.early_terminate),
      minimize_(minimizes(spec.metric.goal)),
      by_metric_(spec.metric.name == "val_metric"),
      program_(spec.runs_program()),
      metric_name_(spec.metric.name),
      seed_(spec.seed) {
  if (!spec_.enabled()) return;
  const std::string where = spec_.place + ": early_terminate (" + search::termination_name(spec_.type) + "): ";
  if (program_ && spec_.max_epochs <= 0) {
    throw core::ConfigError(where + "a program sweep's rungs count reports, and hpsweep cannot know how many a program "
                                    "makes: give max_t (asha) or max_iter, the reports of a whole trial");
  }
  int longest = 0;
  for (const search::Trial& t : plan) longest = std::max(longest, epochs_of(t));
  if (spec_.max_epochs > longest) {
    throw core::ConfigError(where + "max_t/max_iter " + std::to_string(spec_.max_epochs) + " is beyond the trials' " +
                            std::to_string(longest) + " epochs; leave it out (it defaults to the epochs)");
  }
  if (search::rung_epochs(spec_, longest).empty()) {
    throw core::ConfigError(where + "no rung lies below the trials' " + std::to_string(longest) +
                            " epochs; lower grace_period/min_iter below the epochs");
  }
  if (spec_.synchronous() && spec.method == search::Method::kBayes) {
    for (const search::Parameter& p : spec.parameters) {
      if (p.name == "epochs") {
        throw core::ConfigError(where + "every trial must train the same number of epochs, but method bayes sweeps "
                                        "epochs; fix epochs, or use asha, which judges each trial on its own rungs");
      }
    }
  }
  if (spec_.type == search::Termination::kAsha || spec_.type == search::Termination::kMedian) {
    async_.emplace(spec_, std::vector<int>{}, minimize_);
  }
  (void)add_batch(plan);
}

std::vector<Job> EarlyTermination::add_batch(const std::vector<search::Trial>& batch) {
  std::vector<Job> jobs;
  if (!spec_.enabled() || batch.empty()) return jobs;
  const int first_trial = batch.front().index;
  if (first_trial != static_cast<int>(epochs_of_.size())) {
    throw core::Error("early termination: a batch starts at trial " + std::to_string(first_trial) + " after " +
                      std::to_string(epochs_of_.size()) + " trials", core::ExitCode::kInternal);
  }
  std::vector<int> config_of;
  int longest = 0, shortest = 0;
  for (const search::Trial& t : batch) {
    config_of.push_back(t.config - batch.front().config);
    epochs_of_.push_back(epochs_of(t));
    longest = std::max(longest, epochs_of_.back());
    shortest = config_of.size() == 1 ? epochs_of_.back() : std::min(shortest, epochs_of_.back());
  }
  switch (spec_.type) {
    case search::Termination::kSha:
    case search::Termination::kHyperband: {
      if (shortest != longest) {
        throw core::ConfigError(spec_.place + ": early_terminate (" + search::termination_name(spec_.type) +
                                "): every trial must train the same number of epochs (they range from " +
                                std::to_string(shortest) + " to " + std::to_string(longest) +
                                "); fix epochs, or use asha, which judges each trial on its own rungs");
      }
      // The first batch deals hyperband's brackets from the sweep seed, as before batches existed.
      const std::uint64_t seed = segments_.empty()
                                     ? seed_
                                     : core::derive_seed(seed_, {0x62617463ULL, static_cast<std::uint64_t>(batch.front().config)});
      segments_.push_back({first_trial, batch.front().config, static_cast<int>(batch.size()),
                           search::SyncBrackets(spec_, config_of, longest, seed, minimize_)});
      progress_.resize(epochs_of_.size());
      handed_out_.resize(epochs_of_.size(), 0);
      for (const search::Trial& t : batch) jobs.push_back({t.index, first_job_epochs(t.index), {}});
      return jobs;
    }
    case search::Termination::kAsha:
    case search::Termination::kMedian:
      for (int& c : config_of) c += batch.front().config;
      async_->add_trials(config_of);
      for (const search::Trial& t : batch) jobs.push_back({t.index, 0, {}});
      return jobs;
    case search::Termination::kNone:
      return jobs;  // not reached: returned above
  }
  unknown_termination(spec_.type);
}

const EarlyTermination::Segment& EarlyTermination::segment_of(int trial) const {
  const auto after = std::upper_bound(segments_.begin(), segments_.end(), trial,
                                      [](int t, const Segment& s) { return t < s.first_trial; });
  if (after == segments_.begin() || trial >= (after - 1)->first_trial + (after - 1)->trials) {
    throw core::Error("sha/hyperband: trial " + std::to_string(trial) + " is in no batch", core::ExitCode::kInternal);
  }
  return *(after - 1);
}

int EarlyTermination::first_job_epochs(int trial) {
  const Segment& s = segment_of(trial);
  const int epochs = s.brackets.first_epochs(trial - s.first_trial);
  handed_out_.at(static_cast<std::size_t>(trial)) = epochs;
  return epochs == s.brackets.ladder().back() ? 0 : epochs;
}

int EarlyTermination::epochs_of(const search::Trial& trial) const {
  return program_ ? spec_.max_epochs : train_config(trial.settings, trial.seed).epochs;
}

TrialBudget EarlyTermination::budget(const Job& job, const search::Trial& trial, const AskRung& ask) const {
  TrialBudget b;
  b.by_metric = by_metric_;
  switch (spec_.type) {
    case search::Termination::kNone:
      return b;
    case search::Termination::kSha:
    case search::Termination::kHyperband: {
      // The ladder of SyncBrackets, from the trial alone: a worker knows no later batch.
      const int epochs = epochs_of(trial);
      std::vector<int> ladder = search::rung_epochs(spec_, epochs);
      ladder.push_back(epochs);
      if (job.epochs > 0 && job.epochs < ladder.back()) {
        b.epochs = job.epochs;
        b.pause_rung = static_cast<int>(std::find(ladder.begin(), ladder.end(), job.epochs) - ladder.begin());
      }
      return b;
    }
    case search::Termination::kAsha:
    case search::Termination::kMedian:
      b.rungs = search::rung_epochs(spec_, epochs_of(trial));  // the trial's own, not a plan's
      b.ask = ask;
      return b;
  }
  unknown_termination(spec_.type);
}

void EarlyTermination::update_progress(const store::TrialRecord& r) {
  search::TrialProgress& p = progress_.at(static_cast<std::size_t>(r.trial));
  p.best_so_far = best_so_far(r.curve, by_metric_);
  p.paused = r.status == search::TrialStatus::kPaused;
  p.ended = !search::is_unsettled(r.status);
}

std::vector<Job> EarlyTermination::due_in_bracket(const store::Results& results, const Segment& segment, int bracket,
                                                  std::vector<store::TrialRecord>& settled) {
  std::vector<Job> jobs;
  const std::span<const search::TrialProgress> progress(progress_.data() + segment.first_trial,
                                                        static_cast<std::size_t>(segment.trials));
  for (search::Promotion p : segment.brackets.decide(bracket, progress)) {
    p.trial += segment.first_trial;
    if (p.epochs == 0) {
      store::TrialRecord stopped = results.trials.at(static_cast<std::size_t>(p.trial));
      stopped.status = search::TrialStatus::kStopped;
      stopped.rung = p.rung;
      update_progress(stopped);
      settled.push_back(std::move(stopped));
    } else if (handed_out_.at(static_cast<std::size_t>(p.trial)) < p.epochs) {
      handed_out_[static_cast<std::size_t>(p.trial)] = p.epochs;
      jobs.push_back({p.trial, p.epochs, {}});
    }
  }
  return jobs;
}

std::vector<Job> EarlyTermination::start(const store::Results& results,
                                         const std::vector<store::RungDecision>& journaled,
                                         std::vector<store::TrialRecord>& settled) {
  std::vector<Job> jobs;
  for (const store::TrialRecord& r : results.trials) {
    if (r.status == search::TrialStatus::kPending) {
      jobs.push_back({r.trial, segments_.empty() ? 0 : first_job_epochs(r.trial), {}});
    } else if (!segments_.empty()) {
      update_progress(r);
    } else if (async_ && r.rung >= 0) {
      // A settled trial implies its verdicts: on at every rung it passed, stop where it stopped.
      const std::vector<double> values =
          program_ ? reported_best_so_far(r.curve, metric_name_, minimize_) : best_so_far(r.curve, by_metric_);
      const std::vector<int> rungs = search::rung_epochs(spec_, epochs_of_.at(static_cast<std::size_t>(r.trial)));
      for (int k = 0; k <= r.rung && k < static_cast<int>(rungs.size()); ++k) {
        const auto epoch = static_cast<std::size_t>(rungs[static_cast<std::size_t>(k)]);
        if (epoch > values.size()) break;
        const bool stop = r.status == search::TrialStatus::kStopped && k == r.rung;
        async_->restore(r.trial, k, values[epoch - 1], stop ? search::Verdict::kStop : search::Verdict::kContinue);
      }
    }
  }
  if (async_) {
    for (const store::RungDecision& d : journaled) {
      async_->restore(d.trial, d.rung, d.value, d.stop ? search::Verdict::kStop : search::Verdict::kContinue);
    }
  }
  for (const Segment& segment : segments_) {
    for (int b = 0; b < segment.brackets.brackets(); ++b) {
      for (const Job& job : due_in_bracket(results, segment, b, settled)) jobs.insert(jobs.begin(), job);
    }
  }
  return jobs;
}

std::vector<Job> EarlyTermination::after_result(const store::Results& results, int trial,
                                                std::vector<store::TrialRecord>& settled) {
  if (segments_.empty()) return {};
  update_progress(results.trials.at(static_cast<std::size_t>(trial)));
  const Segment& segment = segment_of(trial);
  const int config = results.trials.at(static_cast<std::size_t>(trial)).config - segment.first_config;
  return due_in_bracket(results, segment, segment.brackets.bracket_of_config(config), settled);
}

bool EarlyTermination::at_rung(int trial, int rung, double value) {
  if (!async_) return true;
  return async_->decide(trial, rung, value) == search::Verdict::kContinue;
}

}  // namespace hpsweep::runtime
