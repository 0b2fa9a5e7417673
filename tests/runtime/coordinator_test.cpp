// The coordinator and workers over the in-process transport: several ranks as threads.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include "hpsweep/data/split.hpp"
#include "hpsweep/data/synthetic.hpp"
#include "hpsweep/core/wire.hpp"
#include "hpsweep/runtime/coordinator.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::runtime {
namespace {

/// Fake trials running right now, and the most that ever ran at once.
std::atomic<int> g_running{0};
std::atomic<int> g_most_running{0};

/// A fake trial: its record carries the trial index and the worker that ran it.
std::vector<std::byte> fake_result(int trial, int worker, std::chrono::milliseconds duration) {
  const int now = ++g_running;
  for (int most = g_most_running; now > most && !g_most_running.compare_exchange_weak(most, now);) {
  }
  std::this_thread::sleep_for(duration);
  --g_running;
  store::TrialRecord r;
  r.trial = trial;
  r.rank = worker;
  r.status = search::TrialStatus::kOk;
  r.best_val_loss = trial * 0.5;
  r.curve.val_loss = {1.0, 0.5 * trial};
  return store::encode_record(r);
}

struct Outcome {
  std::map<int, store::TrialRecord> results;
  std::map<int, int> trials_per_worker;
  std::deque<Job> never_assigned;
};

/// Runs `trials` trials on `durations.size()` workers of `slots` slots each; worker w sleeps
/// durations[w] per trial.
Outcome run_job(int trials, const std::vector<std::chrono::milliseconds>& durations,
                std::function<bool(const Outcome&)> stop = {}, int slots = 1) {
  const int workers = static_cast<int>(durations.size());
  auto ranks = make_in_process_ranks(workers + 1);
  tbb::task_arena pool(std::max(slots, 2), 0);
  const Submit submit = slots == 1 ? Submit([](std::function<void()> task) { task(); })
                                   : Submit([&](std::function<void()> task) { pool.enqueue(std::move(task)); });
  std::vector<std::thread> threads;
  for (int w = 1; w <= workers; ++w) {
    threads.emplace_back([&, w] {
      work(*ranks[w], 0, slots,
           [&, w](const Job& job, const AskRung&) { return fake_result(job.trial, w, durations[w - 1]); }, submit);
    });
  }
  Outcome job;
  std::deque<Job> pending;
  for (int t = 0; t < trials; ++t) pending.push_back({t, 0});
  CoordinatorEvents events;
  events.finished = [&](store::TrialRecord&& r) {
    EXPECT_EQ(job.results.count(r.trial), 0u) << "trial " << r.trial << " came back twice";
    ++job.trials_per_worker[r.rank];
    job.results[r.trial] = std::move(r);
    return std::vector<Job>{};
  };
  if (stop) events.stop_requested = [&] { return stop(job); };
  std::vector<int> worker_ranks;
  for (int w = 1; w <= workers; ++w) worker_ranks.push_back(w);
  job.never_assigned = coordinate(*ranks[0], worker_ranks, pending, events);
  for (auto& t : threads) t.join();
  return job;
}

TEST(Coordinator, EveryTrialRunsExactlyOnce) {
  const Outcome job = run_job(50, {std::chrono::milliseconds(1), std::chrono::milliseconds(0), std::chrono::milliseconds(2)});
  ASSERT_EQ(job.results.size(), 50u);
  for (const auto& [trial, record] : job.results) {
    EXPECT_EQ(record.best_val_loss, trial * 0.5);
    EXPECT_EQ(record.curve.val_loss.size(), 2u);
  }
  EXPECT_TRUE(job.never_assigned.empty());
}

TEST(Coordinator, AWorkerThatStopsAnsweringIsLostAndItsTrialsRunElsewhere) {
  // Rank 2 registers, takes a trial and then says nothing more (a SIGSTOPped or hung rank).
  // Rank 1 trains for 400 ms per trial, longer than the 300 ms timeout, but sends heartbeats.
  auto ranks = make_in_process_ranks(3);
  tbb::task_arena pool(2, 0);
  std::atomic<bool> done{false};
  std::thread healthy([&] {
    work(*ranks[1], 0, 1,
         [](const Job& job, const AskRung&) { return fake_result(job.trial, 1, std::chrono::milliseconds(400)); },
         [&](std::function<void()> task) { pool.enqueue(std::move(task)); }, std::chrono::milliseconds(25));
  });
  int stuck_trial = -1;
  std::thread stuck([&] {
    ranks[2]->send(0, Tag::kReady, core::wire::Writer().put<std::int32_t>(1).put(std::string("stuck-host")).take());
    while (!done) {
      const auto message = ranks[2]->receive_for(10);
      if (message && message->tag == Tag::kAssign && stuck_trial < 0) stuck_trial = core::wire::Reader(message->payload).get<std::int32_t>();
    }
  });
  std::deque<Job> pending;
  for (int t = 0; t < 4; ++t) pending.push_back({t, 0});
  std::map<int, int> came_back;
  CoordinatorEvents events;
  events.finished = [&](store::TrialRecord&& r) {
    ++came_back[r.trial];
    return std::vector<Job>{};
  };
  events.worker_timeout = 0.3;
  std::vector<std::string> lost;
  events.worker_lost = [&](int rank, const std::string& host, const std::vector<int>& trials) {
    lost.push_back(std::to_string(rank) + "@" + host + ":" + std::to_string(trials.size()));
  };
  const std::deque<Job> left = coordinate(*ranks[0], {1, 2}, pending, events);
  done = true;
  healthy.join();
  stuck.join();
  EXPECT_EQ(lost, (std::vector<std::string>{"2@stuck-host:1"})) << "only the silent rank is lost, not the slow one";
  EXPECT_TRUE(left.empty());
  ASSERT_EQ(came_back.size(), 4u) << "the lost rank's trial ran on the healthy one";
  for (const auto& [trial, count] : came_back) EXPECT_EQ(count, 1) << "trial " << trial;
  EXPECT_GE(stuck_trial, 0);
}

TEST(Coordinator, IdleWorkersTakeMoreTrialsThanSlowOnes) {
  const Outcome job = run_job(40, {std::chrono::milliseconds(20), std::chrono::milliseconds(1)});
  ASSERT_EQ(job.results.size(), 40u);
  EXPECT_GT(job.trials_per_worker.at(2), 3 * job.trials_per_worker.at(1));
}

TEST(Coordinator, AWorkerRunsTrialsSideBySideInItsSlots) {
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 8);
  g_most_running = 0;
  const Outcome job = run_job(24, {std::chrono::milliseconds(20)}, {}, 4);
  ASSERT_EQ(job.results.size(), 24u);
  EXPECT_EQ(g_most_running, 4) << "a worker with 4 slots should run 4 trials at once, and never more";
}

TEST(Coordinator, MoreWorkersThanTrialsAllStop) {
  const Outcome job = run_job(2, {std::chrono::milliseconds(0), std::chrono::milliseconds(0), std::chrono::milliseconds(0),
                              std::chrono::milliseconds(0)});
  EXPECT_EQ(job.results.size(), 2u);
}

TEST(Coordinator, AStopHandsOutNothingNewAndKeepsEveryRunningResult) {
  const Outcome job = run_job(100, {std::chrono::milliseconds(2), std::chrono::milliseconds(2), std::chrono::milliseconds(2)},
                          [](const Outcome& j) { return j.results.size() >= 10; });
  // Trials in flight when the stop came still return; nothing is lost or run twice.
  EXPECT_GE(job.results.size(), 10u);
  EXPECT_LE(job.results.size(), 13u);
  EXPECT_EQ(job.results.size() + job.never_assigned.size(), 100u);
  for (const Job& left : job.never_assigned) EXPECT_EQ(job.results.count(left.trial), 0u);
}

/// Early termination's traffic: trials ask at rungs (answered per trial, concurrently, on 3 workers
/// of 2 slots) and a result can make new work due, which runs even after the other slots went idle.
TEST(Coordinator, RungQuestionsReachTheirTrialsAndPromotionsRun) {
  auto ranks = make_in_process_ranks(4);
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 8);
  tbb::task_arena pool(6, 0);
  const Submit submit = [&](std::function<void()> task) { pool.enqueue(std::move(task)); };
  // A fake trial of `epochs` (2 unless the job says more) that asks at epochs 1 and 2 with value
  // trial + epoch / 10; it stops when told to, and records how far it got.
  auto fake = [](const Job& job, const AskRung& ask) {
    store::TrialRecord r;
    r.trial = job.trial;
    r.status = search::TrialStatus::kOk;
    const int epochs = job.epochs > 0 ? job.epochs : 2;
    for (int e = 1; e <= epochs; ++e) {
      r.epochs_run = e;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (e <= 2 && !ask(e - 1, job.trial + e / 10.0)) {
        r.status = search::TrialStatus::kStopped;
        r.rung = e - 1;
        break;
      }
    }
    return store::encode_record(r);
  };
  std::vector<std::thread> threads;
  for (int w = 1; w <= 3; ++w) threads.emplace_back([&, w] { work(*ranks[w], 0, 2, fake, submit); });
  std::map<int, std::vector<store::TrialRecord>> results;
  std::mutex asked_mutex;
  std::map<int, std::vector<double>> asked;
  CoordinatorEvents events;
  // Trials divisible by 3 stop at rung 0, those = 1 mod 3 at rung 1, the rest go on.
  events.rung = [&](int trial, int rung, double value) {
    std::lock_guard lock(asked_mutex);
    asked[trial].push_back(value);
    return !(trial % 3 == 0 && rung == 0) && !(trial % 3 == 1 && rung == 1);
  };
  // Trial 29, the last, is promoted once to 5 epochs when it first comes back.
  events.finished = [&](store::TrialRecord&& r) {
    const int trial = r.trial;
    results[trial].push_back(std::move(r));
    return trial == 29 && results[trial].size() == 1 ? std::vector<Job>{{29, 5}} : std::vector<Job>{};
  };
  std::deque<Job> pending;
  for (int t = 0; t < 30; ++t) pending.push_back({t, 0});
  EXPECT_TRUE(coordinate(*ranks[0], {1, 2, 3}, pending, events).empty());
  for (auto& t : threads) t.join();
  ASSERT_EQ(results.size(), 30u);
  for (int t = 0; t < 30; ++t) {
    const store::TrialRecord& last = results[t].back();
    if (t % 3 == 0) {
      EXPECT_EQ(last.status, search::TrialStatus::kStopped);
      EXPECT_EQ(last.epochs_run, 1);
      EXPECT_EQ(asked[t], (std::vector<double>{t + 0.1})) << t;
    } else if (t % 3 == 1) {
      EXPECT_EQ(last.status, search::TrialStatus::kStopped);
      EXPECT_EQ(last.epochs_run, 2);
      EXPECT_EQ(last.rung, 1);
    } else {
      EXPECT_EQ(last.status, search::TrialStatus::kOk);
    }
  }
  ASSERT_EQ(results[29].size(), 2u) << "the promotion made due by trial 29's result must run";
  EXPECT_EQ(results[29].back().epochs_run, 5);
}

TEST(TrialRunner, RecordsRoundTripOverTheWire) {
  store::TrialRecord r;
  r.trial = 17;
  r.config = 5;
  r.repeat = 2;
  r.seed = 123456789012345ULL;
  r.status = search::TrialStatus::kDiverged;
  r.message = "loss became NaN at epoch 3";
  r.curve = {{0.7, 0.6, 0.5}, {0.8, 0.7, std::nan("")}, {0.5, 0.6, 0.7}, {}};
  r.epochs_run = 3;
  r.rung = 1;
  const store::TrialRecord back = store::decode_record(store::encode_record(r));
  EXPECT_EQ(back.rung, 1);
  EXPECT_EQ(back.trial, 17);
  EXPECT_EQ(back.seed, r.seed);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.message, r.message);
  EXPECT_EQ(back.curve.train_loss, r.curve.train_loss);
  EXPECT_TRUE(std::isnan(back.curve.val_loss[2]));
}

data::Splits small_splits() {
  data::Splits s = data::make_synthetic({.features = 10, .train = 200, .val = 100, .test = 0, .label_noise = 0.2, .seed = 1});
  data::standardize(s);
  return s;
}

search::Trial trial_with(search::Assignment settings) {
  search::Trial t;
  t.index = 4;
  t.seed = 9;
  t.settings = std::move(settings);
  return t;
}

TEST(TrialRunner, MapsSettingsToTheTrainingConfig) {
  const nn::TrainConfig c = train_config({{"lr", 0.01}, {"batch_size", 64LL}, {"activation", std::string("tanh")},
                                          {"nesterov", true}, {"patience", 4LL}},
                                         42);
  EXPECT_EQ(c.lr, 0.01);
  EXPECT_EQ(c.batch_size, 64);
  EXPECT_EQ(c.activation, nn::Activation::kTanh);
  EXPECT_TRUE(c.nesterov);
  EXPECT_TRUE(c.early_stopping.enabled);
  EXPECT_EQ(c.early_stopping.patience, 4);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_EQ(c.width, nn::TrainConfig{}.width);  // unmentioned settings keep the defaults
}

TEST(TrialRunner, DivergenceAndFailureAreRecordsNotExceptions) {
  const data::Splits splits = small_splits();
  const nn::TrainingData data(splits);
  const store::TrialRecord diverged =
      run_trial(trial_with({{"lr", 1e30}, {"optimizer", std::string("sgd")}, {"epochs", 10LL}}), data, 3);
  EXPECT_EQ(diverged.status, search::TrialStatus::kDiverged);
  EXPECT_NE(diverged.message.find("epoch"), std::string::npos);
  EXPECT_EQ(diverged.rank, 3);
  const store::TrialRecord failed = run_trial(trial_with({{"dropout", 1.5}}), data, 1);
  EXPECT_EQ(failed.status, search::TrialStatus::kFailed);
  EXPECT_NE(failed.message.find("dropout"), std::string::npos);
  const store::TrialRecord ok = run_trial(trial_with({{"epochs", 3LL}}), data, 1);
  EXPECT_EQ(ok.status, search::TrialStatus::kOk);
  EXPECT_EQ(ok.epochs_run, 3);
  EXPECT_EQ(ok.curve.val_loss.size(), 3u);
  EXPECT_EQ(ok.best_val_loss, *std::min_element(ok.curve.val_loss.begin(), ok.curve.val_loss.end()));
}

}  // namespace
}  // namespace hpsweep::runtime
