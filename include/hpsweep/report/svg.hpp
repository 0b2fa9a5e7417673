#pragma once
/// Inline SVG charts written by hand: line charts (learning curves), bar charts (gap per
/// setting) and heat maps. Each function returns one self-contained <svg> element with no
/// external reference, sized for a page of two charts side by side.

#include <string>
#include <utility>
#include <vector>

#include "hpsweep/report/analysis.hpp"

namespace hpsweep::report {

/// `text` with &, <, >, " and ' escaped, for element content and attribute values.
[[nodiscard]] std::string xml_escape(const std::string& text);

/// One line: y[e] is the value at epoch e + 1; NaN entries are gaps.
struct Series {
  std::string label;
  std::vector<double> y;
  std::string color;
  bool dashed = false;
  int marked_epoch = 0;  ///< 1-based epoch to mark with a dot (the minimum val loss); 0: none
};

struct LineChart {
  std::string title;
  std::string y_label = "loss";
  std::vector<Series> series;
  double y_min = 0.0 / 0.0;  ///< both finite: this y range (to compare charts), else fitted to the data
  double y_max = 0.0 / 0.0;
};

/// The y range a line chart fits to its series: their finite values, padded by 5%; (0, 1) when none.
[[nodiscard]] std::pair<double, double> value_range(const std::vector<Series>& series);

/// Epochs on x, values on y (linear); at most ~400 points per series are drawn.
[[nodiscard]] std::string line_chart_svg(const LineChart& chart);

struct BarChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<std::string> labels;
  std::vector<double> values;  ///< NaN bars are left out
  /// When not empty (a binned axis): labels.size() + 1 texts drawn at the bar boundaries
  /// instead of `labels` under the bars.
  std::vector<std::string> edge_labels;
};

/// The texts under a binned axis's bin boundaries (its edges, short), or empty for categories.
[[nodiscard]] std::vector<std::string> edge_labels(const Axis& axis);

/// Bars from zero (values may be negative).
[[nodiscard]] std::string bar_chart_svg(const BarChart& chart);

/// Cells coloured from low (dark blue, best) to high (yellow), each labelled with its value;
/// empty (NaN) cells grey. The axis titles say "(log scale)" when the axis spans two decades.
[[nodiscard]] std::string heat_map_svg(const HeatMap& map, const std::string& title);

/// A colour of the fixed palette, cycling.
[[nodiscard]] const char* palette(std::size_t index) noexcept;

}  // namespace hpsweep::report
