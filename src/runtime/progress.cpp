#include "hpsweep/runtime/progress.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace hpsweep::runtime {
namespace {

std::string format(const char* pattern, auto... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, pattern, args...);
  return buffer;
}

std::string duration(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  if (seconds < 90) return format("%.1f s", seconds);
  if (seconds < 5400) return format("%.1f min", seconds / 60);
  return format("%.1f h", seconds / 3600);
}

}  // namespace

Progress::Style Progress::choose(bool quiet, bool out_is_terminal) noexcept {
  if (quiet) return Style::kQuiet;
  return out_is_terminal ? Style::kLive : Style::kLines;
}

Progress::Progress(std::ostream& out, Style style, int total, int done, std::vector<std::string> swept,
                   search::Metric metric)
    : out_(out),
      style_(style),
      total_(total),
      done_(done),
      done_at_start_(done),
      swept_(std::move(swept)),
      metric_(std::move(metric)) {}

double Progress::shown_value(const store::TrialRecord& r) const noexcept {
  return metric_.reported ? r.best_metric : r.best_val_loss;
}

bool Progress::beats(double value, double best) const noexcept {
  return metric_.reported && metric_.goal == search::Goal::kMaximize ? value > best : value < best;
}

double Progress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::assigned() {
  ++running_;
  if (style_ == Style::kLive) print_live();
}

void Progress::paused(const store::TrialRecord& r) {
  --running_;
  if (style_ == Style::kLive) {
    print_live();
  } else if (style_ == Style::kLines) {
    if (metric_.reported) {
      out_ << format("[%d/%d] trial %d paused at rung %d after %d reports, best %s %.6f, %.2f s, rank %d\n", done_,
                     total_, r.trial, r.rung, r.epochs_run, metric_.name.c_str(), r.best_metric, r.seconds, r.rank);
    } else {
      out_ << format("[%d/%d] trial %d paused at rung %d after %d epochs, best val_loss %.6f, %.2f s, rank %d\n", done_,
                     total_, r.trial, r.rung, r.epochs_run, r.best_val_loss, r.seconds, r.rank);
    }
    out_ << std::flush;
  }
}

void Progress::finished(const store::TrialRecord& r, bool was_running) {
  if (was_running) --running_;
  ++done_;
  if (r.status == search::TrialStatus::kFailed || r.status == search::TrialStatus::kDiverged) ++failed_;
  const double value = shown_value(r);
  const bool usable = search::is_finished(r.status) && std::isfinite(value);
  const std::string settings = search::format_assignment(r.settings, swept_);
  if (usable && (!has_best_ || beats(value, best_))) {
    has_best_ = true;
    best_ = value;
    best_settings_ = settings;
  }
  if (style_ == Style::kLive) {
    print_live();
  } else if (style_ == Style::kLines) {
    out_ << format("[%d/%d] trial %d %s", done_, total_, r.trial, search::status_name(r.status));
    if (usable && metric_.reported) {
      out_ << format(" best %s %.6f at report %d", metric_.name.c_str(), value, r.best_epoch);
    } else if (usable) {
      out_ << format(" best val_loss %.6f at epoch %d", value, r.best_epoch);
    }
    if (!r.message.empty()) out_ << " (" << r.message << ")";
    out_ << format(", %.2f s, rank %d: ", r.seconds, r.rank) << settings << "\n" << std::flush;
  }
}

void Progress::print_live() {
  const int new_done = done_ - done_at_start_;
  const double left = new_done > 0 ? elapsed() / new_done * (total_ - done_) : std::nan("");
  std::string line = format("\r\033[K[%d/%d] running %d, failed %d", done_, total_, running_, failed_);
  if (has_best_) {
    line += (metric_.reported ? ", best " + metric_.name + format(" %.5f (", best_) : format(", best %.5f (", best_)) +
            best_settings_ + ")";
  }
  line += ", " + duration(elapsed()) + " elapsed, ~" + duration(left) + " left";
  out_ << line << std::flush;
}

void Progress::close() {
  if (style_ == Style::kLive) out_ << "\n" << std::flush;
}

}  // namespace hpsweep::runtime
