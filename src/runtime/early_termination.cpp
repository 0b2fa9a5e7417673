#include "hpsweep/runtime/early_termination.hpp"

#include <algorithm>
#include <cmath>

#include "hpsweep/core/error.hpp"

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
      by_metric_(spec.metric.name == "val_metric") {
  if (!spec_.enabled()) return;
  std::vector<int> config_of;
  int longest = 0, shortest = 0;
  for (const search::Trial& t : plan) {
    config_of.push_back(t.config);
    epochs_of_.push_back(train_config(t.settings, t.seed).epochs);
    longest = std::max(longest, epochs_of_.back());
    shortest = epochs_of_.size() == 1 ? epochs_of_.back() : std::min(shortest, epochs_of_.back());
  }
  const std::string where = spec_.place + ": early_terminate (" + search::termination_name(spec_.type) + "): ";
  if (spec_.max_epochs > longest) {
    throw core::ConfigError(where + "max_t/max_iter " + std::to_string(spec_.max_epochs) + " is beyond the trials' " +
                            std::to_string(longest) + " epochs; leave it out (it defaults to the epochs)");
  }
  if (search::rung_epochs(spec_, longest).empty()) {
    throw core::ConfigError(where + "no rung lies below the trials' " + std::to_string(longest) +
                            " epochs; lower grace_period/min_iter below the epochs");
  }
  switch (spec_.type) {
    case search::Termination::kSha:
    case search::Termination::kHyperband:
      if (shortest != longest) {
        throw core::ConfigError(where + "every trial must train the same number of epochs (they range from " +
                                std::to_string(shortest) + " to " + std::to_string(longest) +
                                "); fix epochs, or use asha, which judges each trial on its own rungs");
      }
      sync_.emplace(spec_, config_of, longest, spec.seed, minimize_);
      progress_.resize(plan.size());
      handed_out_.assign(plan.size(), 0);
      return;
    case search::Termination::kAsha:
    case search::Termination::kMedian:
      async_.emplace(spec_, config_of, minimize_);
      return;
    case search::Termination::kNone:
      return;  // not reached: returned above
  }
  unknown_termination(spec_.type);
}

TrialBudget EarlyTermination::budget(const Job& job, const search::Trial& trial, const AskRung& ask) const {
  TrialBudget b;
  b.by_metric = by_metric_;
  switch (spec_.type) {
    case search::Termination::kNone:
      return b;
    case search::Termination::kSha:
    case search::Termination::kHyperband: {
      const std::vector<int>& ladder = sync_->ladder();
      if (job.epochs > 0 && job.epochs < ladder.back()) {
        b.epochs = job.epochs;
        b.pause_rung = static_cast<int>(std::find(ladder.begin(), ladder.end(), job.epochs) - ladder.begin());
      }
      return b;
    }
    case search::Termination::kAsha:
    case search::Termination::kMedian:
      b.rungs = search::rung_epochs(spec_, train_config(trial.settings, trial.seed).epochs);  // the trial's own, not a plan's
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

std::vector<Job> EarlyTermination::due_in_bracket(const store::Results& results, int bracket,
                                                  std::vector<store::TrialRecord>& settled) {
  std::vector<Job> jobs;
  for (const search::Promotion& p : sync_->decide(bracket, progress_)) {
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
      const int epochs = sync_ ? sync_->first_epochs(r.trial) : 0;
      if (sync_) handed_out_[static_cast<std::size_t>(r.trial)] = epochs;
      jobs.push_back({r.trial, epochs == (sync_ ? sync_->ladder().back() : 0) ? 0 : epochs, {}});
    } else if (sync_) {
      update_progress(r);
    } else if (async_ && r.rung >= 0) {
      // A settled trial implies its verdicts: on at every rung it passed, stop where it stopped.
      const std::vector<double> values = best_so_far(r.curve, by_metric_);
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
  if (sync_) {
    for (int b = 0; b < sync_->brackets(); ++b) {
      for (const Job& job : due_in_bracket(results, b, settled)) jobs.insert(jobs.begin(), job);
    }
  }
  return jobs;
}

std::vector<Job> EarlyTermination::after_result(const store::Results& results, int trial,
                                                std::vector<store::TrialRecord>& settled) {
  if (!sync_) return {};
  update_progress(results.trials.at(static_cast<std::size_t>(trial)));
  const int config = results.trials.at(static_cast<std::size_t>(trial)).config;
  return due_in_bracket(results, sync_->bracket_of_config(config), settled);
}

bool EarlyTermination::at_rung(int trial, int rung, double value) {
  if (!async_) return true;
  return async_->decide(trial, rung, value) == search::Verdict::kContinue;
}

}  // namespace hpsweep::runtime
