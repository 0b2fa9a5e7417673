#pragma once
/// Runs one child process for a trial of the user's own program: its standard output line by
/// line (the lines that are JSON objects are its reports), both streams copied to log files, a
/// timeout and a stop request. The child leads a process group of its own, and the whole group is
/// killed when the trial ends, however it ends, so a trial never hangs the sweep nor leaves
/// processes behind.

#include <functional>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpsweep::runtime {

/// What to run and how to watch it.
struct ChildSpec {
  /// argv[0]: a path with a slash, or a name looked up in PATH (posix_spawnp: the parent's PATH,
  /// not one set in `env`; a relative path is taken from working_directory).
  std::vector<std::string> argv;
  /// Set on top of the parent's environment (overriding; of two overrides of one name, the last).
  std::vector<std::pair<std::string, std::string>> env;
  /// Empty: the parent's.
  std::string working_directory;
  /// File that receives every byte of stdout, as it arrives ("": none). Created or truncated;
  /// never through a symbolic link (a planted one is refused).
  std::string stdout_log;
  /// Same for stderr (the same file as stdout_log is fine: both streams go into it in order).
  std::string stderr_log;
  /// 0: none. Past it: SIGTERM to the process group, SIGKILL after kill_grace_seconds.
  double timeout_seconds = 0.0;
  double kill_grace_seconds = 5.0;
  /// A longer stdout line is cut: on_line gets its first max_line_bytes bytes and truncated = true;
  /// the rest of that line is skipped (still logged), never buffered.
  std::size_t max_line_bytes = std::size_t{1} << 20;
  /// The last bytes of stderr kept for the outcome (whole lines where possible).
  std::size_t stderr_tail_bytes = 4096;
};

/// How a child ended. kTimedOut and kStopped win over how it then died (exit_code and signal
/// still say that).
enum class ChildEnd { kExited, kSignaled, kTimedOut, kStopped, kNotStarted };

struct ChildOutcome {
  ChildEnd end = ChildEnd::kNotStarted;
  /// kExited (also set for kTimedOut and kStopped when the child then exited by itself).
  int exit_code = -1;
  /// kSignaled: the signal that killed it (also set for kTimedOut and kStopped: SIGTERM or SIGKILL).
  int signal = 0;
  std::string stderr_tail;
  /// kNotStarted: why (strerror of posix_spawnp, naming argv[0]); or a log file that could not be
  /// created. After a start: a log write that failed (the trial went on without that log).
  std::string error;
  /// Wall time from spawn to reaping.
  double seconds = 0.0;
};

/// Called for each complete stdout line (without the newline; a final line without newline counts
/// too). Return false to stop the child (SIGTERM to its group, SIGKILL after the grace): the outcome
/// is then kStopped, and the handler is not called again.
using LineHandler = std::function<bool(std::string_view line, bool truncated)>;

/// Whether the child must stop now (a stop signal to hpsweep); polled from run_child's thread.
using StopRequest = std::function<bool()>;

/// Runs the child to its end. `stop` (may be empty) is polled at least every 50 ms; when it becomes
/// true the child is stopped as above (kStopped). Lines printed after a timeout or a stop request
/// (while the child handles SIGTERM) are still delivered, unless the handler itself asked to stop.
///
/// The child: spawned with posix_spawnp in a new process group, an empty signal mask and the stop
/// signals at their defaults, stdin from /dev/null. After it exits, descendants that still hold
/// its pipes get about a second, then the group is killed; the group is killed after every end,
/// so no background process outlives the trial (one that moved to a group of its own escapes
/// this; its pipe ends are then simply closed).
///
/// Never throws but std::bad_alloc and what `on_line` throws; `on_line`'s exception stops the
/// child like a false and is rethrown once the child is reaped. A log file that cannot be created
/// (or a symbolic link planted there) is kNotStarted and nothing is spawned; a log write that fails
/// later (a full disk) is noted in `error` and the trial goes on without that log.
/// Thread-safe: many worker threads run children at once.
[[nodiscard]] ChildOutcome run_child(const ChildSpec& spec, const LineHandler& on_line,
                                     const StopRequest& stop = {});

/// SIGKILL to the process group of every child running now: for a process about to end abruptly
/// (std::_Exit, MPI_Abort), whose children would otherwise outlive it. Async-signal-safe enough for
/// an exit path (a mutex tried, never waited for).
void kill_running_children() noexcept;

}  // namespace hpsweep::runtime
