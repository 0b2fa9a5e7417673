#include "hpsweep/runtime/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"

namespace hpsweep::runtime {
namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr std::size_t kChunkBytes = std::size_t{1} << 16;
constexpr std::chrono::milliseconds kPollPeriod{50};
constexpr std::chrono::milliseconds kIdlePeriod{10};  // both pipes closed: only the exit is awaited
constexpr std::chrono::seconds kPipeGrace{1};         // after the child's exit, for descendants holding its pipes
constexpr std::chrono::milliseconds kLastDrain{100};  // after they were killed, for their pipe ends to close
constexpr int kMaxDrainChunks = 64;                   // an escaped writer cannot keep the last drain going
constexpr double kLongestWait = 1e9;                  // seconds; longer waits are "none" (and fit in a time_point)

/// A descriptor closed on destruction. close() is not retried on EINTR: on Linux the descriptor
/// is gone either way, and a retry could close one another thread just opened.
/// The process groups of the children running now, so that a process ending abruptly (a second
/// signal, an error with trials running: std::_Exit, MPI_Abort) can kill them first: they lead
/// groups of their own, which no launcher's kill reaches. Process-wide by nature, like the
/// children themselves. A group leaves the registry before its leader is reaped, so its id is
/// never signalled after the kernel may have reused it.
struct RunningGroups {
  std::mutex mutex;
  std::vector<pid_t> groups;
};

RunningGroups& running_groups() {
  static RunningGroups registry;
  return registry;
}

void register_group(pid_t group) {
  RunningGroups& r = running_groups();
  const std::lock_guard lock(r.mutex);
  r.groups.push_back(group);
}

void unregister_group(pid_t group) noexcept {
  RunningGroups& r = running_groups();
  const std::lock_guard lock(r.mutex);
  std::erase(r.groups, group);
}

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool open() const noexcept { return fd_ >= 0; }
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

/// A pipe whose ends are close-on-exec from birth, so a child that another thread spawns never
/// inherits them (it would hold our write end open and we would never see EOF). The write end is
/// moved above 0, 1 and 2 so that the child's dup2s cannot overwrite one another.
bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  if (write_end.get() > STDERR_FILENO) return true;
  const int moved = ::fcntl(write_end.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0) return false;
  write_end.reset(moved);
  return true;
}

/// posix_spawnp's attributes and file actions, destroyed on every path.
class SpawnSetup {
 public:
  SpawnSetup() {
    attr_ok_ = ::posix_spawnattr_init(&attr_) == 0;
    actions_ok_ = ::posix_spawn_file_actions_init(&actions_) == 0;
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  ~SpawnSetup() {
    if (actions_ok_) ::posix_spawn_file_actions_destroy(&actions_);
    if (attr_ok_) ::posix_spawnattr_destroy(&attr_);
  }

  /// A new process group led by the child, an empty signal mask, the stop signals at their
  /// defaults (the parent may ignore or handle them), the pipes on 1 and 2, /dev/null on 0.
  /// Returns 0 or the error number.
  int prepare(int out_write, int err_write, const std::string& working_directory) {
    if (!attr_ok_ || !actions_ok_) return ENOMEM;
    sigset_t empty;
    sigset_t defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    for (const int sig : {SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
    int rc = ::posix_spawnattr_setflags(&attr_, static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                                                   POSIX_SPAWN_SETSIGDEF));
    if (rc == 0) rc = ::posix_spawnattr_setpgroup(&attr_, 0);
    if (rc == 0) rc = ::posix_spawnattr_setsigmask(&attr_, &empty);
    if (rc == 0) rc = ::posix_spawnattr_setsigdefault(&attr_, &defaults);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&actions_, out_write, STDOUT_FILENO);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&actions_, err_write, STDERR_FILENO);
    if (rc == 0) rc = ::posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    // Nothing else of ours: libraries (HDF5's file driver, MPI) open descriptors without
    // close-on-exec, and a program must not hold the results file or MPI's sockets.
    if (rc == 0) rc = ::posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
    if (rc == 0 && !working_directory.empty()) {
      rc = ::posix_spawn_file_actions_addchdir_np(&actions_, working_directory.c_str());
    }
    return rc;
  }

  [[nodiscard]] const posix_spawnattr_t* attr() const { return &attr_; }
  [[nodiscard]] const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attr_{};
  posix_spawn_file_actions_t actions_{};
  bool attr_ok_ = false;
  bool actions_ok_ = false;
};

/// `environ` with `overrides` put over it: an override replaces a same-named variable, and of two
/// overrides of one name the last counts.
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& overrides) {
  const auto overridden_after = [&](std::string_view name, std::size_t first) {
    return std::any_of(overrides.begin() + static_cast<std::ptrdiff_t>(first), overrides.end(),
                       [&](const auto& o) { return o.first == name; });
  };
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (!overridden_after(text.substr(0, text.find('=')), 0)) env.emplace_back(text);
  }
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    if (!overridden_after(overrides[i].first, i + 1)) env.push_back(overrides[i].first + "=" + overrides[i].second);
  }
  return env;
}

/// The null-terminated pointer array exec wants; `strings` must outlive it.
std::vector<char*> pointers(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));  // exec does not write to them
  out.push_back(nullptr);
  return out;
}

/// Why posix_spawnp failed, naming the program (and the working directory when that is the cause).
std::string spawn_error(const ChildSpec& spec, int error) {
  const std::string& program = spec.argv[0];
  std::string message = "cannot start '" + program + "': " + std::strerror(error);
  if (error == ENOENT && program.find('/') == std::string::npos) message += " (looked up in PATH)";
  const std::string& directory = spec.working_directory;
  struct stat st {};
  if (!directory.empty() && ::stat(directory.c_str(), &st) != 0) {
    message += "; its working directory '" + directory + "': " + std::strerror(errno);
  } else if (!directory.empty() && !S_ISDIR(st.st_mode)) {
    message += "; its working directory '" + directory + "' is not a directory";
  }
  return message;
}

/// A wait in seconds as a clock duration; negative or NaN is 0, beyond kLongestWait is kLongestWait.
Clock::duration wait_of(double seconds) {
  const double clamped = std::isnan(seconds) ? 0.0 : std::clamp(seconds, 0.0, kLongestWait);
  return std::chrono::duration_cast<Clock::duration>(Seconds(clamped));
}

/// One of the child's output streams: our read end of its pipe, and its log.
struct Stream {
  Fd pipe;
  Fd log;
  const char* what;  // "stdout log", "stderr log"
  const std::string* log_path;
};

/// One run of one child, from the spawn to the reaping. The destructor kills and reaps a child
/// still there (an exception unwinds the run), so nothing is left running on any path.
class ChildRun {
 public:
  ChildRun(const ChildSpec& spec, const LineHandler& on_line, const StopRequest& stop)
      : spec_(spec), on_line_(on_line), stop_(stop), buffer_(std::make_unique_for_overwrite<char[]>(kChunkBytes)) {
    out_.what = "stdout log";
    out_.log_path = &spec.stdout_log;
    err_.what = "stderr log";
    err_.log_path = &spec.stderr_log;
    tail_limit_ = std::min(spec.stderr_tail_bytes, std::size_t{1} << 30);
    grace_ = wait_of(spec.kill_grace_seconds);
  }
  ChildRun(const ChildRun&) = delete;
  ChildRun& operator=(const ChildRun&) = delete;
  ~ChildRun() {
    if (pid_ > 0 && !reaped_) {
      signal_group(SIGKILL);
      reap();
    }
  }

  ChildOutcome run() {
    if (!start()) return outcome_;
    watch();
    finish();
    if (handler_error_) std::rethrow_exception(handler_error_);
    return outcome_;
  }

 private:
  enum class Ending { kNone, kTimedOut, kStopped };

  bool not_started(std::string why) {
    outcome_.end = ChildEnd::kNotStarted;
    outcome_.error = std::move(why);
    return false;
  }

  bool start() {
    if (spec_.argv.empty() || spec_.argv[0].empty()) return not_started("no program to run: argv is empty");
    for (const auto& [name, value] : spec_.env) {
      if (name.empty() || name.find('=') != std::string::npos) {
        return not_started("cannot set the environment variable '" + name + "' of '" + spec_.argv[0] +
                           "': a name must be non-empty and without '='");
      }
    }
    if (!open_logs()) return false;
    Fd out_write;
    Fd err_write;
    if (!make_pipe(out_.pipe, out_write) || !make_pipe(err_.pipe, err_write)) {
      return not_started("cannot create a pipe for '" + spec_.argv[0] + "': " + std::strerror(errno));
    }
    SpawnSetup setup;
    int rc = setup.prepare(out_write.get(), err_write.get(), spec_.working_directory);
    if (rc != 0) return not_started("cannot prepare to start '" + spec_.argv[0] + "': " + std::strerror(rc));
    const std::vector<std::string> env = child_environment(spec_.env);
    const std::vector<char*> argv = pointers(spec_.argv);
    const std::vector<char*> envp = pointers(env);
    started_ = Clock::now();
    pid_t pid = -1;
    rc = ::posix_spawnp(&pid, spec_.argv[0].c_str(), setup.actions(), setup.attr(), argv.data(), envp.data());
    if (rc != 0) return not_started(spawn_error(spec_, rc));
    pid_ = pid;
    register_group(pid_);
    // A descriptor that becomes readable when the child exits, so that the poll loop wakes at
    // once instead of polling for the exit (the next trial starts sooner). Linux 5.3+; without it
    // the loop looks every kIdlePeriod.
    exit_fd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    deadline_ = spec_.timeout_seconds > 0.0 ? started_ + wait_of(spec_.timeout_seconds) : Clock::time_point::max();
    return true;  // out_write and err_write close here: the child holds the only write ends
  }

  /// Opens the logs as hpsweep opens every file it creates (core::open_regular_file: never
  /// through a planted symbolic link, never a FIFO or device). Two names of one file share one
  /// descriptor, so that their bytes follow each other instead of overwriting each other.
  bool open_logs() {
    try {
      for (Stream* s : {&out_, &err_}) {
        if (!s->log_path->empty())
          s->log.reset(core::open_regular_file(*s->log_path, O_WRONLY | O_CREAT | O_TRUNC, s->what));
      }
    } catch (const core::Error& e) {
      return not_started(e.what());
    }
    struct stat out {};
    struct stat err {};
    if (out_.log.open() && err_.log.open() && ::fstat(out_.log.get(), &out) == 0 &&
        ::fstat(err_.log.get(), &err) == 0 && out.st_dev == err.st_dev && out.st_ino == err.st_ino) {
      const int shared = ::fcntl(out_.log.get(), F_DUPFD_CLOEXEC, 0);
      if (shared < 0) return not_started("cannot open stderr log '" + spec_.stderr_log + "': " + std::strerror(errno));
      err_.log.reset(shared);
    }
    return true;
  }

  /// The poll loop: until the child has exited and its pipes are closed (or given up on).
  void watch() {
    while (true) {
      poll_pipes();
      check_exit();
      enforce_limits();
      if (!exited_) continue;
      if (!out_.pipe.open() && !err_.pipe.open()) return;
      if (Clock::now() < pipes_deadline_) continue;
      if (pipes_killed_) {
        drain_and_close();
        return;
      }
      signal_group(SIGKILL);  // descendants still hold the pipes a second after the child's exit
      pipes_killed_ = true;
      pipes_deadline_ = Clock::now() + kLastDrain;
    }
  }

  void poll_pipes() {
    pollfd fds[3];
    Stream* streams[2];
    nfds_t count = 0;
    for (Stream* s : {&out_, &err_}) {
      if (!s->pipe.open()) continue;
      fds[count] = pollfd{s->pipe.get(), POLLIN, 0};
      streams[count++] = s;
    }
    const nfds_t pipes = count;
    if (exit_fd_.open() && !exited_) fds[count++] = pollfd{exit_fd_.get(), POLLIN, 0};
    if (::poll(fds, count, wait_ms()) <= 0) return;  // nothing yet, or EINTR: the loop comes back
    for (nfds_t i = 0; i < pipes; ++i) {
      if (fds[i].revents != 0) (void)read_once(*streams[i]);
    }
  }

  /// How long poll may wait: at most 50 ms (10 ms with no pipe left), and not past the next deadline.
  [[nodiscard]] int wait_ms() const {
    auto wait = out_.pipe.open() || err_.pipe.open() || (exit_fd_.open() && !exited_) ? kPollPeriod : kIdlePeriod;
    const Clock::time_point next = exited_                    ? pipes_deadline_
                                   : ending_ == Ending::kNone ? deadline_
                                   : killed_                  ? Clock::time_point::max()
                                                              : term_at_ + grace_;
    const Clock::time_point now = Clock::now();
    if (next <= now) return 0;
    if (next - now < wait) wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
    return static_cast<int>(wait.count());
  }

  /// Reads once (up to 64 KiB) and hands the bytes on. Returns false when nothing more can be read
  /// now: at EOF (or a read error) the pipe is closed; EAGAIN only happens in the last drain.
  bool read_once(Stream& s) {
    ssize_t n = 0;
    do {
      n = ::read(s.pipe.get(), buffer_.get(), kChunkBytes);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    if (n <= 0) {
      close_stream(s);
      return false;
    }
    const std::string_view bytes(buffer_.get(), static_cast<std::size_t>(n));
    write_log(s, bytes);  // first, so that a crash of ours or a throwing handler loses nothing
    if (&s == &out_) {
      split(bytes);
    } else {
      keep_tail(bytes);
    }
    return true;
  }

  void close_stream(Stream& s) {
    s.pipe.reset();
    if (&s != &out_) return;
    if (!skipping_ && !line_.empty()) emit(line_, false);  // a last line without a newline
    line_.clear();
    skipping_ = false;
  }

  /// After the last grace: whatever is already in the pipes, then close them. A process that left
  /// the group (setsid) may still hold a write end; it gets EPIPE from now on.
  void drain_and_close() {
    for (Stream* s : {&out_, &err_}) {
      if (!s->pipe.open()) continue;
      ::fcntl(s->pipe.get(), F_SETFL, ::fcntl(s->pipe.get(), F_GETFL) | O_NONBLOCK);
      for (int i = 0; i < kMaxDrainChunks && read_once(*s); ++i) {
      }
      if (s->pipe.open()) close_stream(*s);
    }
  }

  void write_log(Stream& s, std::string_view bytes) {
    while (s.log.open() && !bytes.empty()) {
      const ssize_t n = ::write(s.log.get(), bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {  // a full disk ends the log, not the trial
        if (outcome_.error.empty()) {
          outcome_.error =
              std::string("cannot write ") + s.what + " '" + *s.log_path + "': " + std::strerror(n < 0 ? errno : EIO);
        }
        s.log.reset();
        return;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  /// Cuts stdout into lines; only an unfinished line is copied, and never more than max_line_bytes of it.
  void split(std::string_view bytes) {
    while (!bytes.empty()) {
      const std::size_t newline = bytes.find('\n');
      if (newline == std::string_view::npos) {
        take(bytes, false);
        return;
      }
      take(bytes.substr(0, newline), true);
      bytes.remove_prefix(newline + 1);
    }
  }

  /// One piece of a line: up to its newline (`complete`) or to the end of the bytes read.
  void take(std::string_view piece, bool complete) {
    if (skipping_) {  // the rest of a line already cut and delivered
      skipping_ = !complete;
      return;
    }
    const std::size_t max = spec_.max_line_bytes;
    if (piece.size() > max - line_.size()) {  // longer than allowed: deliver its head now, skip the rest
      line_.append(piece.substr(0, max - line_.size()));
      emit(line_, true);
      line_.clear();
      skipping_ = !complete;
    } else if (complete && line_.empty()) {
      emit(piece, false);  // the usual case: straight from the read buffer, no copy
    } else {
      line_.append(piece);
      if (!complete) return;
      emit(line_, false);
      line_.clear();
    }
  }

  void emit(std::string_view line, bool truncated) {
    if (!delivering_ || !on_line_) return;
    bool go_on = false;
    try {
      go_on = on_line_(line, truncated);
    } catch (...) {
      handler_error_ = std::current_exception();  // rethrown once the child is reaped
    }
    if (go_on) return;
    delivering_ = false;
    begin_end(Ending::kStopped);
  }

  /// Keeps the last tail_limit_ + 1 bytes of stderr (the extra byte tells whether the tail starts a line).
  void keep_tail(std::string_view bytes) {
    if (tail_limit_ == 0) return;
    const std::size_t keep = tail_limit_ + 1;
    if (bytes.size() >= keep) {
      tail_.assign(bytes.substr(bytes.size() - keep));
      return;
    }
    tail_.append(bytes);
    if (tail_.size() > 2 * keep) tail_.erase(0, tail_.size() - keep);  // amortized: erase seldom
  }

  [[nodiscard]] std::string stderr_tail() const {
    if (tail_.size() <= tail_limit_) return tail_;
    std::size_t from = tail_.size() - tail_limit_;
    if (tail_[from - 1] != '\n') {  // cut inside a line: start at the next whole one, if there is one
      const std::size_t newline = tail_.find('\n', from);
      if (newline != std::string::npos && newline + 1 < tail_.size()) from = newline + 1;
    }
    return tail_.substr(from);
  }

  /// Notices the child's exit without reaping it (WNOWAIT): the zombie keeps its pid, and so the
  /// process group's id, from being reused, so kill(-pid_) can only reach our own descendants.
  void check_exit() {
    if (exited_) return;
    siginfo_t info{};
    int rc = 0;
    do {
      rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {  // ECHILD: reaped elsewhere (SIGCHLD ignored, or a waitpid(-1) in this process)
      lost_ = true;
      reaped_ = true;  // its pid may be reused already: signal_group must not use it any more
      unregister_group(pid_);
      if (outcome_.error.empty())
        outcome_.error = "the exit status of '" + spec_.argv[0] + "' was lost: " + std::strerror(errno);
    } else if (info.si_pid == 0) {
      return;
    }
    exited_ = true;
    pipes_deadline_ = Clock::now() + kPipeGrace;
  }

  /// The timeout and the stop flag while the child runs; SIGKILL once SIGTERM's grace is over.
  void enforce_limits() {
    if (exited_) return;  // it ended by itself first; what is left is the pipes' short grace
    const Clock::time_point now = Clock::now();
    if (ending_ == Ending::kNone) {
      if (stop_ && stop_()) {
        begin_end(Ending::kStopped);
      } else if (now >= deadline_) {
        begin_end(Ending::kTimedOut);
      }
    } else if (!killed_ && now >= term_at_ + grace_) {
      signal_group(SIGKILL);
      killed_ = true;
    }
  }

  void begin_end(Ending ending) {
    if (ending_ != Ending::kNone) return;
    ending_ = ending;
    term_at_ = Clock::now();
    signal_group(SIGTERM);
    signal_group(SIGCONT);  // a stopped (SIGSTOP) child could not act on SIGTERM before the grace ends
  }

  /// Signals the child's whole group. Only while the child is not reaped: until then no other
  /// process can get its pid as a group id. ESRCH (nobody left) is fine.
  void signal_group(int sig) noexcept {
    if (pid_ > 0 && !reaped_) (void)::kill(-pid_, sig);
  }

  void reap() noexcept {
    if (reaped_) return;
    unregister_group(pid_);
    int rc = 0;
    do {
      rc = ::waitpid(pid_, &status_, 0);
    } while (rc < 0 && errno == EINTR);
    reaped_ = true;
    if (rc < 0) lost_ = true;
  }

  /// Kills what is left of the group (after a normal exit too: no background process outlives its
  /// trial), reaps the child and fills the outcome.
  void finish() {
    signal_group(SIGKILL);
    reap();
    outcome_.seconds = Seconds(Clock::now() - started_).count();
    outcome_.stderr_tail = stderr_tail();
    const bool exited = !lost_ && WIFEXITED(status_);
    const bool signaled = !lost_ && WIFSIGNALED(status_);
    if (exited) outcome_.exit_code = WEXITSTATUS(status_);
    if (signaled) outcome_.signal = WTERMSIG(status_);
    switch (ending_) {
      case Ending::kTimedOut: outcome_.end = ChildEnd::kTimedOut; break;
      case Ending::kStopped: outcome_.end = ChildEnd::kStopped; break;
      case Ending::kNone: outcome_.end = signaled ? ChildEnd::kSignaled : ChildEnd::kExited; break;
    }
  }

  const ChildSpec& spec_;
  const LineHandler& on_line_;
  const StopRequest& stop_;
  std::unique_ptr<char[]> buffer_;
  ChildOutcome outcome_;

  Stream out_;
  Stream err_;
  Fd exit_fd_;  // pidfd of the child, when the kernel has them
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;  // seen by waitid, not reaped yet
  bool reaped_ = false;
  bool lost_ = false;  // its status is gone (reaped elsewhere)

  Clock::time_point started_{};
  Clock::time_point deadline_ = Clock::time_point::max();  // the timeout
  Clock::duration grace_{};
  Ending ending_ = Ending::kNone;
  Clock::time_point term_at_{};  // when SIGTERM went to the group
  bool killed_ = false;          // SIGKILL after the grace
  Clock::time_point pipes_deadline_{};
  bool pipes_killed_ = false;

  std::string line_;       // the unfinished stdout line (at most max_line_bytes)
  bool skipping_ = false;  // inside the rest of a cut line
  bool delivering_ = true;
  std::exception_ptr handler_error_;
  std::string tail_;
  std::size_t tail_limit_ = 0;
};

}  // namespace

void kill_running_children() noexcept {
  RunningGroups& r = running_groups();
  // try_lock: called on the way out of the process, maybe from a thread that holds nothing but
  // where another thread could be mid-update; a missed group is better than a deadlock at exit.
  const std::unique_lock lock(r.mutex, std::try_to_lock);
  if (!lock.owns_lock()) return;
  for (const pid_t group : r.groups) (void)::kill(-group, SIGKILL);
}

ChildOutcome run_child(const ChildSpec& spec, const LineHandler& on_line, const StopRequest& stop) {
  ChildRun run(spec, on_line, stop);
  return run.run();
}

}  // namespace hpsweep::runtime
