// run_child with real processes (/bin/sh and python3): lines as printed, logs that hold every
// byte, every way a child can end, and nothing left running afterwards. A user's trial must never
// hang the sweep nor leave processes behind, so each test that ends a child also looks in /proc
// for what it started.

#include "hpsweep/runtime/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../common/test_util.hpp"

namespace hpsweep::runtime {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kPython = "/usr/bin/python3";

ChildSpec shell(const std::string& script) {
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  return spec;
}

ChildSpec python(const std::string& code) {
  ChildSpec spec;
  spec.argv = {kPython, "-c", code};
  return spec;
}

/// The lines a child printed, as the handler got them.
struct Lines {
  std::vector<std::string> text;
  std::vector<bool> truncated;

  LineHandler handler() {
    return [this](std::string_view line, bool cut) {
      text.emplace_back(line);
      truncated.push_back(cut);
      return true;
    };
  }
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A number of seconds for `sleep` that no other process on the machine has in its command line
/// (the test's pid after the point), so /proc can tell whether our sleep survived.
std::string unique_seconds(int whole) { return std::to_string(whole) + "." + std::to_string(::getpid()); }

/// Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, ...
std::vector<std::string> stat_fields(const fs::path& process) {
  const std::string stat = read_file((process / "stat").string());
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(stat.substr(close + 1));
  return {std::istream_iterator<std::string>(rest), std::istream_iterator<std::string>()};
}

/// Processes still running (zombies do not count: they hold no pipe and run nothing) that have
/// `argument` as one whole argument, or, with `group` > 0, that are in process group `group`.
int live_processes(const std::string& argument, pid_t group = 0) {
  int count = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::vector<std::string> fields = stat_fields(entry.path());
    if (fields.size() < 3 || fields[0] == "Z" || fields[0] == "X") continue;
    if (group > 0 && fields[2] == std::to_string(group)) {
      ++count;
      continue;
    }
    const std::string cmdline = read_file((entry.path() / "cmdline").string());
    std::size_t start = 0;
    for (std::size_t end = cmdline.find('\0'); end != std::string::npos; end = cmdline.find('\0', start)) {
      if (std::string_view(cmdline).substr(start, end - start) == argument) ++count;
      start = end + 1;
    }
  }
  return count;
}

/// True once no live process matches (SIGKILL is delivered asynchronously: allow it 2 s).
bool all_gone(const std::string& argument, pid_t group = 0) {
  const auto start = Clock::now();
  while (live_processes(argument, group) > 0) {
    if (seconds_since(start) > 2.0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

TEST(RunChild, LinesArriveInOrderAsPrintedAndTheLogsHoldEveryByte) {
  hpsweep::testing::TempDir dir;
  ChildSpec spec = shell("printf 'one\\ntwo\\n\\n  three  \\nfour'; printf 'to stderr\\n' >&2");
  spec.stdout_log = dir.file("out.log");
  spec.stderr_log = dir.file("err.log");
  Lines lines;
  const ChildOutcome outcome = run_child(spec, lines.handler());
  EXPECT_EQ(outcome.end, ChildEnd::kExited);
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_TRUE(outcome.error.empty()) << outcome.error;
  // The empty line and the spaces are kept; the last line has no newline and still counts.
  EXPECT_EQ(lines.text, (std::vector<std::string>{"one", "two", "", "  three  ", "four"}));
  EXPECT_EQ(lines.truncated, std::vector<bool>(5, false));
  EXPECT_EQ(read_file(spec.stdout_log), "one\ntwo\n\n  three  \nfour");
  EXPECT_EQ(read_file(spec.stderr_log), "to stderr\n");
  EXPECT_EQ(outcome.stderr_tail, "to stderr\n");
  EXPECT_GT(outcome.seconds, 0.0);
}

TEST(RunChild, LinesSplitAcrossReadsAreJoined) {
  const ChildSpec spec = python("import sys, time\n"
                                "for piece in ['ab', 'cd\\nef', 'gh\\n', 'ij']:\n"
                                "    sys.stdout.write(piece); sys.stdout.flush(); time.sleep(0.03)\n");
  Lines lines;
  const ChildOutcome outcome = run_child(spec, lines.handler());
  EXPECT_EQ(outcome.end, ChildEnd::kExited);
  EXPECT_EQ(lines.text, (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

TEST(RunChild, ExitCodeAndStderrTail) {
  Lines lines;
  const ChildOutcome outcome = run_child(shell("echo out; echo 'something went wrong' >&2; exit 3"), lines.handler());
  EXPECT_EQ(outcome.end, ChildEnd::kExited);
  EXPECT_EQ(outcome.exit_code, 3);
  EXPECT_EQ(outcome.signal, 0);
  EXPECT_NE(outcome.stderr_tail.find("something went wrong"), std::string::npos) << outcome.stderr_tail;
  EXPECT_EQ(lines.text, std::vector<std::string>{"out"});
}

TEST(RunChild, StderrTailKeepsWholeLinesWherePossible) {
  ChildSpec spec = shell("for i in 1 2 3 4 5 6 7 8 9; do echo line-$i >&2; done");
  spec.stderr_tail_bytes = 16;  // the last 16 bytes are "7\nline-8\nline-9\n": the cut "7\n" goes
  EXPECT_EQ(run_child(spec, nullptr).stderr_tail, "line-8\nline-9\n");

  spec = shell("printf '0123456789abcdefghijklmnopqrstuvwxyz' >&2");  // one line: its end is all there is
  spec.stderr_tail_bytes = 10;
  EXPECT_EQ(run_child(spec, nullptr).stderr_tail, "qrstuvwxyz");

  spec = shell("printf 'aaaa\\nbbbbbbb\\n' >&2");  // the cut falls just after a newline: keep the whole line
  spec.stderr_tail_bytes = 8;
  EXPECT_EQ(run_child(spec, nullptr).stderr_tail, "bbbbbbb\n");
}

TEST(RunChild, KilledBySignal) {
  hpsweep::testing::TempDir dir;  // where a core file would go, were it not for ulimit
  ChildSpec spec = shell("ulimit -c 0; kill -SEGV $$");
  spec.working_directory = dir.path().string();
  const ChildOutcome outcome = run_child(spec, nullptr);
  EXPECT_EQ(outcome.end, ChildEnd::kSignaled);
  EXPECT_EQ(outcome.signal, SIGSEGV);
}

TEST(RunChild, TimeoutStopsTheChildWithTerm) {
  ChildSpec spec = shell("sleep 30");
  spec.timeout_seconds = 0.3;
  const auto start = Clock::now();
  const ChildOutcome outcome = run_child(spec, nullptr);
  const double elapsed = seconds_since(start);
  EXPECT_EQ(outcome.end, ChildEnd::kTimedOut);
  EXPECT_EQ(outcome.signal, SIGTERM);
  EXPECT_GE(elapsed, 0.29);
  EXPECT_LT(elapsed, 1.3);
  EXPECT_GE(outcome.seconds, 0.29);
}

// hpsweep itself handles SIGTERM and its threads may block signals; the child must start with
// SIGTERM at its default action and nothing blocked, or a timeout would always wait for SIGKILL.
TEST(RunChild, TheChildDoesNotInheritIgnoredOrBlockedSignals) {
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ASSERT_EQ(::sigaction(SIGTERM, &ignore, &previous), 0);
  sigset_t term;
  sigset_t old_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &term, &old_mask), 0);

  ChildSpec spec = shell("sleep 30");
  spec.timeout_seconds = 0.2;
  spec.kill_grace_seconds = 5.0;
  const auto start = Clock::now();
  const ChildOutcome outcome = run_child(spec, nullptr);
  const double elapsed = seconds_since(start);
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGTERM, &previous, nullptr);

  EXPECT_EQ(outcome.end, ChildEnd::kTimedOut);
  EXPECT_EQ(outcome.signal, SIGTERM);  // not SIGKILL after the 5 s grace
  EXPECT_LT(elapsed, 2.0);
}

TEST(RunChild, TermIgnoredGetsKillAfterTheGrace) {
  ChildSpec spec = shell("trap '' TERM; echo ready; sleep 30");
  spec.timeout_seconds = 0.2;
  spec.kill_grace_seconds = 0.4;
  Lines lines;
  const auto start = Clock::now();
  const ChildOutcome outcome = run_child(spec, lines.handler());
  const double elapsed = seconds_since(start);
  EXPECT_EQ(outcome.end, ChildEnd::kTimedOut);
  EXPECT_EQ(outcome.signal, SIGKILL);
  EXPECT_GE(elapsed, 0.55);
  EXPECT_LT(elapsed, 1.6);
  EXPECT_EQ(lines.text, std::vector<std::string>{"ready"});
}

// The child exits while a background process it started still holds its stdout: run_child gives
// the pipes about a second, then kills the group, and returns.
TEST(RunChild, BackgroundDescendantHoldingThePipesIsKilled) {
  const std::string seconds = unique_seconds(301);
  Lines lines;
  const auto start = Clock::now();
  const ChildOutcome outcome = run_child(shell("sleep " + seconds + " & echo $$"), lines.handler());
  const double elapsed = seconds_since(start);
  EXPECT_EQ(outcome.end, ChildEnd::kExited);
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_LT(elapsed, 3.0);
  ASSERT_EQ(lines.text.size(), 1u);
  const pid_t group = std::stoi(lines.text[0]);  // the shell led the group
  EXPECT_TRUE(all_gone(seconds, group)) << "sleep " << seconds << " or another process of group " << group
                                        << " survived its trial";
}

// Same, but the background process does not hold the pipes: the trial ends at once, and the
// process is killed anyway (after a normal exit too, nothing of the group survives).
TEST(RunChild, BackgroundDescendantIsKilledAfterANormalExit) {
  const std::string seconds = unique_seconds(302);
  Lines lines;
  const auto start = Clock::now();
  const ChildOutcome outcome = run_child(shell("sleep " + seconds + " >/dev/null 2>&1 & echo $$"), lines.handler());
  EXPECT_LT(seconds_since(start), 0.9);
  EXPECT_EQ(outcome.end, ChildEnd::kExited);
  ASSERT_EQ(lines.text.size(), 1u);
  EXPECT_TRUE(all_gone(seconds, std::stoi(lines.text[0])));
}

TEST(RunChild, HandlerReturningFalseStopsTheChild) {
  int calls = 0;
  const auto start = Clock::now();
  const ChildOutcome outcome =
      run_child(shell("i=0; while :; do echo $i; i=$((i+1)); done"), [&](std::string_view line, bool) {
        EXPECT_EQ(line, std::to_string(calls));
        return ++calls < 5;
      });
  EXPECT_EQ(outcome.end, ChildEnd::kStopped);
  EXPECT_EQ(calls, 5);  // never called again after it said stop
  EXPECT_LT(seconds_since(start), 2.0);
}

TEST(RunChild, StopFlagFromAnotherThreadStopsTheChild) {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  const auto start = Clock::now();
  const ChildOutcome outcome = run_child(shell("sleep 30"), nullptr, [&stop] { return stop.load(); });
  const double elapsed = seconds_since(start);
  stopper.join();
  EXPECT_EQ(outcome.end, ChildEnd::kStopped);
  EXPECT_GE(elapsed, 0.19);
  EXPECT_LT(elapsed, 1.2);
}

TEST(RunChild, HandlerExceptionIsRethrownOnceNothingRuns) {
  const std::string seconds = unique_seconds(303);
  pid_t group = 0;
  const auto handler = [&](std::string_view line, bool) -> bool {
    if (group == 0) {
      group = std::stoi(std::string(line));
      return true;
    }
    throw std::runtime_error("handler failed");
  };
  EXPECT_THROW((void)run_child(shell("echo $$; echo boom; exec sleep " + seconds), handler), std::runtime_error);
  ASSERT_GT(group, 0);
  EXPECT_TRUE(all_gone(seconds, group));
}

TEST(RunChild, LongLineIsCutAndTheNextLineIsIntact) {
  hpsweep::testing::TempDir dir;
  ChildSpec spec = python("import sys; sys.stdout.write('a' * 3000000 + '\\nnext\\n')");
  spec.stdout_log = dir.file("out.log");
  Lines lines;
  const ChildOutcome outcome = run_child(spec, lines.handler());
  EXPECT_EQ(outcome.end, ChildEnd::kExited);
  ASSERT_EQ(lines.text.size(), 2u);
  EXPECT_EQ(lines.text[0], std::string(spec.max_line_bytes, 'a'));
  EXPECT_TRUE(lines.truncated[0]);
  EXPECT_EQ(lines.text[1], "next");
  EXPECT_FALSE(lines.truncated[1]);
  EXPECT_EQ(fs::file_size(spec.stdout_log), 3000000u + 6u);  // the log has the whole line
}

TEST(RunChild, LineOfExactlyTheLimitIsWhole) {
  ChildSpec spec = shell("printf '12345678\\n123456789\\nabc\\n1234567890'");
  spec.max_line_bytes = 8;
  Lines lines;
  (void)run_child(spec, lines.handler());
  EXPECT_EQ(lines.text, (std::vector<std::string>{"12345678", "12345678", "abc", "12345678"}));
  EXPECT_EQ(lines.truncated, (std::vector<bool>{false, true, false, true}));
}

// 8 MB on stdout and 1 MB on stderr at once: both pipes are read (a child blocked on a full
// stderr pipe would stop writing stdout), and every line arrives.
TEST(RunChild, ManyMegabytesOfOutputArriveComplete) {
  constexpr int kLines = 100000;
  ChildSpec spec = python("import sys\n"
                          "for i in range(100000):\n"
                          "    sys.stdout.write('%06d ' % i + 'x' * 73 + '\\n')\n"
                          "    if i % 10 == 0: sys.stderr.write('e' * 99 + '\\n')\n");
  spec.timeout_seconds = 30;  // a deadlock fails the test instead of hanging it
  int count = 0;
  bool in_order = true;
  const ChildOutcome outcome = run_child(spec, [&](std::string_view line, bool truncated) {
    char expected[8];
    std::snprintf(expected, sizeof expected, "%06d ", count);
    in_order = in_order && !truncated && line.size() == 80 && line.substr(0, 7) == expected;
    ++count;
    return true;
  });
  EXPECT_EQ(outcome.end, ChildEnd::kExited);
  EXPECT_EQ(count, kLines);
  EXPECT_TRUE(in_order);
  EXPECT_EQ(outcome.stderr_tail.size(), 4000u);  // 40 whole lines of 100 bytes in the last 4096
}

TEST(RunChild, EnvironmentOverridesAreVisible) {
  ChildSpec spec = shell("echo \"$HOME\"; echo \"$HPSWEEP_CHILD_TEST\"; echo \"$PATH\"; env | grep -c '^HOME='");
  spec.env = {{"HOME", "/override/home"}, {"HPSWEEP_CHILD_TEST", "first"}, {"HPSWEEP_CHILD_TEST", "a b=c"}};
  Lines lines;
  (void)run_child(spec, lines.handler());
  const char* path = std::getenv("PATH");
  EXPECT_EQ(lines.text, (std::vector<std::string>{"/override/home", "a b=c", path == nullptr ? "" : path, "1"}));
}

TEST(RunChild, WorkingDirectoryIsHonoured) {
  hpsweep::testing::TempDir dir;
  ChildSpec spec = shell("pwd -P; echo x > made_here");
  spec.working_directory = dir.path().string();
  Lines lines;
  EXPECT_EQ(run_child(spec, lines.handler()).end, ChildEnd::kExited);
  EXPECT_EQ(lines.text, std::vector<std::string>{fs::canonical(dir.path()).string()});
  EXPECT_TRUE(fs::exists(dir.path() / "made_here"));
}

TEST(RunChild, MissingProgramOrDirectoryIsNotStarted) {
  ChildSpec spec;
  spec.argv = {"hpsweep-no-such-program-4711", "--flag"};
  ChildOutcome outcome = run_child(spec, nullptr);
  EXPECT_EQ(outcome.end, ChildEnd::kNotStarted);
  EXPECT_NE(outcome.error.find("hpsweep-no-such-program-4711"), std::string::npos) << outcome.error;

  spec.argv = {"/nonexistent/dir/program"};
  outcome = run_child(spec, nullptr);
  EXPECT_EQ(outcome.end, ChildEnd::kNotStarted);
  EXPECT_NE(outcome.error.find("/nonexistent/dir/program"), std::string::npos) << outcome.error;

  spec = shell("true");
  spec.working_directory = "/nonexistent/working/dir";
  outcome = run_child(spec, nullptr);
  EXPECT_EQ(outcome.end, ChildEnd::kNotStarted);
  EXPECT_NE(outcome.error.find("/nonexistent/working/dir"), std::string::npos) << outcome.error;

  spec.argv.clear();
  EXPECT_EQ(run_child(spec, nullptr).end, ChildEnd::kNotStarted);
}

TEST(RunChild, PlantedSymlinkAtALogIsRefusedAndNothingRuns) {
  hpsweep::testing::TempDir dir;
  const std::string target = dir.write("precious.txt", "precious");
  const std::string marker = dir.file("spawned");
  for (const bool at_stdout : {true, false}) {
    const std::string link = dir.file(at_stdout ? "out.log" : "err.log");
    fs::create_symlink(target, link);
    ChildSpec spec = shell("touch '" + marker + "'");
    (at_stdout ? spec.stdout_log : spec.stderr_log) = link;
    const ChildOutcome outcome = run_child(spec, nullptr);
    EXPECT_EQ(outcome.end, ChildEnd::kNotStarted);
    EXPECT_NE(outcome.error.find(link), std::string::npos) << outcome.error;
    EXPECT_EQ(read_file(target), "precious");
    EXPECT_FALSE(fs::exists(marker));
  }
}

TEST(RunChild, BothStreamsCanShareOneLog) {
  hpsweep::testing::TempDir dir;
  ChildSpec spec = shell("echo aaa; echo bbb >&2; echo ccc");
  spec.stdout_log = dir.file("all.log");
  spec.stderr_log = spec.stdout_log;
  EXPECT_EQ(run_child(spec, nullptr).end, ChildEnd::kExited);
  const std::string log = read_file(spec.stdout_log);
  EXPECT_EQ(log.size(), 12u) << log;  // nothing overwritten
  for (const char* line : {"aaa\n", "bbb\n", "ccc\n"}) EXPECT_NE(log.find(line), std::string::npos) << log;
}

// Four children from four threads. The short ones start first and still run while the long one
// is spawned: had it inherited their pipe ends, they would see EOF only after the 1 s grace.
TEST(RunChild, ConcurrentChildrenAllFinish) {
  std::vector<int> counts(4, 0);
  std::vector<double> elapsed(4, 0.0);
  std::vector<ChildEnd> ends(4, ChildEnd::kNotStarted);
  std::vector<std::thread> threads;
  const auto run = [&](int i, const ChildSpec& spec) {
    const auto start = Clock::now();
    ends[i] = run_child(spec, [&counts, i](std::string_view, bool) {
                ++counts[i];
                return true;
              }).end;
    elapsed[i] = seconds_since(start);
  };
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back(run, i, python("import time, sys\ntime.sleep(0.4)\nfor i in range(2000): print(i)\n"));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  threads.emplace_back(run, 3, shell("echo long; sleep 1.5"));
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(ends[i], ChildEnd::kExited) << "child " << i;
    EXPECT_EQ(counts[i], i < 3 ? 2000 : 1) << "child " << i;
  }
  for (int i = 0; i < 3; ++i) EXPECT_LT(elapsed[i], 1.2) << "child " << i << " waited for another child's exit";
}

}  // namespace
}  // namespace hpsweep::runtime
