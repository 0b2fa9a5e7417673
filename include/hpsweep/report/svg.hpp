#pragma once
/// Inline SVG charts written by hand: line charts (learning curves, with bands), grouped bars
/// with error bars, heat maps, parallel coordinates and the optimization history, each with round
/// ticks and a legend or colour bar outside the plot area. Each function returns one
/// self-contained <svg> element with no external reference (no ids, scripts or classes), sized so
/// that two 640 px charts sit side by side on a 1280 px page (the parallel chart fills a row alone).

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "hpsweep/report/analysis.hpp"
#include "hpsweep/search/spec.hpp"

namespace hpsweep::report {

/// `text` with &, <, >, " and ' escaped, for element content and attribute values.
[[nodiscard]] std::string xml_escape(const std::string& text);

/// Round axis ticks: steps of 1, 2 or 5 x 10^k, about `target` of them, covering [lo, hi]
/// (lo and hi expanded outwards to multiples of the step). lo == hi gives a small range around it.
struct Ticks {
  double lo = 0;
  double hi = 1;
  double step = 1;
  std::vector<double> values;  ///< lo, lo + step, ..., hi (at least two)
};
[[nodiscard]] Ticks nice_ticks(double lo, double hi, int target = 5);

/// A tick text: shortest of %g-style forms that shows the step's precision (0.02, 0.04, not
/// 0.0200001; 1e-4 style for tiny/huge).
[[nodiscard]] std::string tick_text(double value, double step);

/// One line: y[e] is the value at epoch (or report) e + 1; NaN entries are gaps.
struct Series {
  std::string label;           ///< legend text (names the settings, e.g. "dropout=0.5 l2=0.01")
  std::vector<double> y;       ///< y[e] is the value at epoch e + 1; NaN entries are gaps
  std::vector<double> spread;  ///< empty, or same size as y: a translucent band y ± spread where both are finite
  std::string color;
  bool dashed = false;
  int marked_epoch = 0;   ///< 1-based epoch marked with a dot (minimum val loss); 0: none
  bool in_legend = true;  ///< false: drawn but not listed (e.g. the dashed training twin of a listed series)
};

struct LineChart {
  std::string title;
  std::string y_label = "loss";
  std::string x_label = "epoch";  ///< what x counts: "epoch", or "report" for a program's reports
  std::vector<Series> series;
  /// Both finite: this y range (before rounding to ticks; to compare charts), else fitted to the data incl. bands.
  double y_min = std::numeric_limits<double>::quiet_NaN();
  double y_max = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> legend_notes;  ///< extra legend lines in grey, e.g. "solid: validation, dashed: training"
};

/// The y range a line chart fits to its series: their finite values, padded by 5%; (0, 1) when none.
[[nodiscard]] std::pair<double, double> value_range(const std::vector<Series>& series);

/// Epochs on x, values on y (linear, never below 0 when no value is negative), the legend in a
/// column right of the plot; at most ~400 points per series are drawn. About 640 x 300 px.
[[nodiscard]] std::string line_chart_svg(const LineChart& chart);

/// Grouped bars with error bars: for each category, one bar per group (mean) with a whisker ± spread.
struct ErrorBarChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<std::string> labels;       ///< categories (axis labels under the bar groups)
  std::vector<std::string> edge_labels;  ///< when not empty (binned axis): labels.size() + 1 texts drawn at the slot boundaries instead of labels
  struct Group {
    std::string name;
    std::string color;
    std::vector<double> mean;    ///< per category; NaN: no bar
    std::vector<double> spread;  ///< per category; NaN (or missing): no whisker
  };
  std::vector<Group> groups;  ///< e.g. {"rise", ...}, {"gap", ...}; a small legend outside the plot area
};

/// Bars from 0 (the axis includes 0 and any negative values), round ticks, whiskers with caps,
/// each bar with a <title> "label name: mean ± spread". About 640 x 300 px.
[[nodiscard]] std::string error_bar_chart_svg(const ErrorBarChart& chart);

/// The texts under a binned axis's bin boundaries (its edges, short), or empty for categories.
[[nodiscard]] std::vector<std::string> edge_labels(const Axis& axis);

/// Heat map with a colour scale: cells coloured from the best value (dark purple of viridis) to
/// the worst (yellow). lower_is_better: whether low values are best (loss) or high values
/// (accuracy). value_label names what the colours mean ("mean best val loss"). Each cell is
/// labelled with its value when there are <= 100 cells; empty (NaN) cells light grey. A vertical
/// colour bar right of the map, its min, middle and max labelled, value_label its title. Axis
/// titles say "(log scale)" when the axis is log (Axis::log). Each non-empty cell <rect> carries
/// data-v, data-xi, data-yi (and data-x / data-y on category axes) at full precision, for scripts.
[[nodiscard]] std::string heat_map_svg(const HeatMap& map, const std::string& title, const std::string& value_label,
                                       bool lower_is_better);

/// Parallel coordinates: one polyline per line across the axes, coloured by `score` (viridis,
/// best dark) with a colour bar.
struct ParallelChart {
  std::string title;
  /// From make_axis(): categories (not binned) are evenly spaced along the vertical axis in
  /// ascending order, their labels as ticks; binned axes are continuous between points.front()
  /// and points.back() (log10 space when axis.log), ticks at a few edges.
  std::vector<Axis> axes;
  std::vector<std::vector<double>> values;  ///< per line, one raw setting value per axis (NaN: the line skips that axis)
  std::vector<double> score;                ///< per line; drawn as the last vertical axis (continuous, nice ticks) and used for colour
  std::string score_label;                  ///< title of the last axis and of the colour bar
  bool lower_is_better = true;
};

/// Best lines drawn last (on top), each with a <title> of its score; NaN scores grey. About 1000 x 320 px.
[[nodiscard]] std::string parallel_chart_svg(const ParallelChart& chart);

/// The optimization history: every configuration's score in the order the sweep decided it, and
/// the best score so far.
struct HistoryChart {
  std::string title;
  std::string y_label = "score";
  /// score[c] is configuration c's score (configurations are numbered from 0 in the order the
  /// sweep decided them); NaN or infinite when it has none (no finished repeat): not drawn.
  std::vector<double> score;
  search::Goal goal = search::Goal::kMinimize;
  /// > 0: a dashed vertical line before this configuration, where a model starts deciding (bayes'
  /// startup configurations are drawn at random); ignored when no configuration is past it.
  int model_from = 0;
  std::vector<std::string> legend_notes;  ///< extra legend lines in grey
};

/// At most this many dots (plus every improvement) on a history chart, so 10,000 configurations stay small.
inline constexpr std::size_t kMaxHistoryDots = 2000;

/// Configuration number (from 0) on x, score on y (linear, never below 0 when no score is
/// negative): a dot per scored configuration and a step line of the best so far, which steps only
/// where a score is strictly better() under `goal` (a tie does not). When more than
/// kMaxHistoryDots configurations are scored, only every k-th of them (k the smallest that fits)
/// is drawn plus every one that improved the best, and the legend says so; the line is always
/// exact. The line carries data-config (the configurations that improved on every earlier one,
/// space-separated) and data-v (their scores at full precision, the same order), for scripts and
/// tests. The legend right of the plot. About 640 x 300 px.
[[nodiscard]] std::string history_chart_svg(const HistoryChart& chart);

/// A colour of the fixed palette, cycling.
[[nodiscard]] const char* palette(std::size_t index) noexcept;

}  // namespace hpsweep::report
