// The charts of the report page: round ticks and their texts, the line chart's axis and legend
// placement and bands, the heat map's data attributes and colour bar, the error bars, the
// parallel coordinates and the optimization history. Coordinates are read back out of the SVG text.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "hpsweep/report/svg.hpp"

namespace hpsweep::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// Every match of `pattern`'s first group in `text`, as numbers.
std::vector<double> numbers(const std::string& text, const std::string& pattern) {
  std::vector<double> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back(std::stod((*it)[1].str()));
  }
  return out;
}

/// The x of the <text> whose content starts with `prefix`; NaN when there is none.
double text_x(const std::string& svg, const std::string& prefix) {
  const std::regex re("<text x=\"([-0-9.]+)\"[^>]*>" + prefix);
  std::smatch m;
  return std::regex_search(svg, m, re) ? std::stod(m[1].str()) : kNaN;
}

/// The contents of the <text> elements, in order.
std::vector<std::string> texts(const std::string& svg) {
  std::vector<std::string> out;
  const std::regex re("<text [^>]*>([^<]*)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

/// True when `v` is m x 10^k for m in {1, 2, 5}.
bool one_two_five(double v) {
  const double k = std::floor(std::log10(v));
  const double m = v / std::pow(10.0, k);
  return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9 || std::abs(m - 10) < 1e-9;
}

void expect_nice(double lo, double hi, int target = 5) {
  SCOPED_TRACE(std::to_string(lo) + " .. " + std::to_string(hi));
  const Ticks t = nice_ticks(lo, hi, target);
  EXPECT_TRUE(one_two_five(t.step)) << t.step;
  ASSERT_GE(t.values.size(), 2u);
  EXPECT_LE(t.values.size(), static_cast<std::size_t>(2 * target + 1));
  EXPECT_LE(t.lo, std::min(lo, hi));
  EXPECT_GE(t.hi, std::max(lo, hi));
  EXPECT_EQ(t.lo, t.values.front());
  EXPECT_EQ(t.hi, t.values.back());
  EXPECT_LT(t.lo, t.hi);
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    const double multiple = t.values[i] / t.step;
    EXPECT_NEAR(multiple, std::round(multiple), 1e-6) << t.values[i];  // on multiples of the step
    if (i > 0) {
      EXPECT_NEAR(t.values[i] - t.values[i - 1], t.step, 1e-9 * std::abs(t.step));
    }
  }
  // Expanded by less than a step on each side: the axis wastes little room.
  EXPECT_GT(t.lo, std::min(lo, hi) - t.step);
  EXPECT_LT(t.hi, std::max(lo, hi) + t.step);
}

TEST(SvgTicks, NiceTicksAreOneTwoFiveStepsCoveringTheRange) {
  expect_nice(0.434, 0.503);
  expect_nice(0.0, 1.0);
  expect_nice(1e-4, 3e-4);
  expect_nice(-3.2, -0.7);
  expect_nice(-0.05, 0.12);
  expect_nice(1.0, 37.0, 6);
  expect_nice(16.0, 512.0);
  expect_nice(3.0, 1.0);  // reversed

  Ticks t = nice_ticks(0.434, 0.503);
  EXPECT_DOUBLE_EQ(t.step, 0.02);
  EXPECT_DOUBLE_EQ(t.lo, 0.42);
  EXPECT_DOUBLE_EQ(t.hi, 0.52);
  t = nice_ticks(0.0, 1.0);
  EXPECT_DOUBLE_EQ(t.step, 0.2);
  EXPECT_EQ(t.values, (std::vector<double>{0.0, 0.2, 0.4, 0.6, 0.8, 1.0}));  // 3 x 0.2 is 0.6, not 0.6000000000000001
  t = nice_ticks(1e-4, 3e-4);
  EXPECT_DOUBLE_EQ(t.step, 5e-5);
  EXPECT_DOUBLE_EQ(t.lo, 1e-4);
  EXPECT_DOUBLE_EQ(t.hi, 3e-4);
  t = nice_ticks(-3.2, -0.7);
  EXPECT_EQ(t.values, (std::vector<double>{-3.5, -3, -2.5, -2, -1.5, -1, -0.5}));
  t = nice_ticks(0.3705, 0.8981);  // 0.3 .. 0.9, not 0.2 .. 1.0 (a third of the axis empty)
  EXPECT_DOUBLE_EQ(t.step, 0.1);
  EXPECT_DOUBLE_EQ(t.lo, 0.3);
  EXPECT_DOUBLE_EQ(t.hi, 0.9);
  t = nice_ticks(-0.05, 0.12);
  EXPECT_DOUBLE_EQ(t.step, 0.05);
  EXPECT_DOUBLE_EQ(t.lo, -0.05);
  EXPECT_DOUBLE_EQ(t.hi, 0.15);
}

TEST(SvgTicks, EqualEndsGiveASmallRangeAroundTheValue) {
  for (double v : {0.5, 0.0, -2.0, 1e-6, 3e5}) {
    SCOPED_TRACE(v);
    const Ticks t = nice_ticks(v, v);
    EXPECT_LT(t.lo, v);
    EXPECT_GT(t.hi, v);
    EXPECT_LE(t.hi - t.lo, v == 0 ? 2.5 : 0.5 * std::abs(v));
    EXPECT_TRUE(one_two_five(t.step));
  }
}

TEST(SvgTicks, TickTextShowsTheStepsPrecisionAndNoMore) {
  EXPECT_EQ(tick_text(0.0200000001, 0.02), "0.02");
  EXPECT_EQ(tick_text(0.04, 0.02), "0.04");
  EXPECT_EQ(tick_text(0.1 + 0.2, 0.1), "0.3");
  EXPECT_EQ(tick_text(0.42, 0.02), "0.42");
  EXPECT_EQ(tick_text(0.5, 0.02), "0.5");
  EXPECT_EQ(tick_text(1e-17, 0.02), "0");
  EXPECT_EQ(tick_text(-0.04, 0.02), "-0.04");
  EXPECT_EQ(tick_text(1000, 200), "1000");
  EXPECT_EQ(tick_text(37, 1), "37");
  EXPECT_EQ(tick_text(1e-4, 5e-5), "1e-4");
  EXPECT_EQ(tick_text(1.5e-4, 5e-5), "1.5e-4");
  EXPECT_EQ(tick_text(2e6, 1e6), "2e6");
  // Every tick of an axis prints distinct and short.
  for (const auto& [lo, hi] : {std::pair{0.434, 0.503}, {1e-4, 3e-4}, {-3.2, -0.7}, {0.0, 1.0}}) {
    const Ticks t = nice_ticks(lo, hi);
    std::vector<std::string> shown;
    for (double v : t.values) shown.push_back(tick_text(v, t.step));
    for (const auto& s : shown) EXPECT_LE(s.size(), 6u) << s;
    std::sort(shown.begin(), shown.end());
    EXPECT_EQ(std::unique(shown.begin(), shown.end()), shown.end());
  }
}

/// The plot area's right edge: where the horizontal grid lines end.
double plot_right(const std::string& svg) {
  const auto ends = numbers(svg, "<line x1=\"[-0-9.]+\" y1=\"[-0-9.]+\" x2=\"([-0-9.]+)\" y2=\"[-0-9.]+\" stroke=\"#e4e4e4\"");
  return ends.empty() ? kNaN : *std::max_element(ends.begin(), ends.end());
}

/// The plot area's bottom: the lowest horizontal grid line (larger y is lower).
double plot_bottom(const std::string& svg) {
  const auto ys = numbers(svg, "<line x1=\"[-0-9.]+\" y1=\"([-0-9.]+)\" x2=\"[-0-9.]+\" y2=\"[-0-9.]+\" stroke=\"#e4e4e4\"");
  return ys.empty() ? kNaN : *std::max_element(ys.begin(), ys.end());
}

LineChart two_curves() {
  LineChart c;
  c.title = "curves";
  c.series.push_back({"dropout=0.5 l2=0.01 width=128 batch_size=64 lr=0.001", {0.9, 0.6, 0.45, 0.5}, {}, "#1f77b4",
                      false, 3, true});
  c.series.push_back({"dropout=0.5 l2=0.01 train", {0.8, 0.5, 0.3, 0.2}, {}, "#1f77b4", true, 0, false});
  c.series.push_back({"baseline", {1.0, 0.7, 0.5, 0.55}, {}, "#d62728", false, 3, true});
  c.legend_notes = {"solid: validation, dashed: training"};
  return c;
}

TEST(SvgLineChart, LegendSitsRightOfThePlotAndLongLabelsAreCut) {
  const std::string svg = line_chart_svg(two_curves());
  const double right = plot_right(svg);
  ASSERT_TRUE(std::isfinite(right));
  // Every data point inside the plot, every legend text right of it.
  for (double x : numbers(svg, "points=\"([-0-9.]+),")) EXPECT_LE(x, right);
  for (double x : numbers(svg, "([-0-9.]+),[-0-9.]+ ")) EXPECT_LE(x, right);
  const double baseline_x = text_x(svg, "baseline");
  const double long_x = text_x(svg, "dropout=0.5");
  const double note_x = text_x(svg, "solid:");
  EXPECT_GT(baseline_x, right);
  EXPECT_GT(long_x, right);
  EXPECT_GT(note_x, right);
  // The long label wrapped onto two lines, the second cut with "…", the full text in a tooltip;
  // the unlisted training twin not listed.
  EXPECT_NE(svg.find("<g><title>dropout=0.5 l2=0.01 width=128 batch_size=64 lr=0.001</title>"), std::string::npos);
  EXPECT_NE(svg.find(">dropout=0.5 l2=0.01</text>"), std::string::npos);
  EXPECT_NE(svg.find("\xE2\x80\xA6"), std::string::npos);
  EXPECT_EQ(svg.find(">dropout=0.5 l2=0.01 train"), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline"), 3u);  // the twin is still drawn
  EXPECT_EQ(count(svg, "<circle"), 2u);
  EXPECT_NE(svg.find("minimum at epoch 3"), std::string::npos);
  // Legend swatches (two listed series) right of the plot too.
  const auto swatches = numbers(svg, "<line x1=\"([-0-9.]+)\" x2=");
  EXPECT_EQ(swatches.size(), 2u);
  for (double x : swatches) EXPECT_GT(x, right);
  EXPECT_NE(svg.find("viewBox=\"0 0 "), std::string::npos);
  EXPECT_NE(svg.find("width=\""), std::string::npos);
}

TEST(SvgLineChart, NonNegativeDataNeverGetsANegativeAxis) {
  LineChart c;
  c.series.push_back({"val", {1.0, 0.3, 0.01}, {}, "#000"});
  // A fixed range that reaches below 0, as value_range's padding gives for data near 0.
  const auto [lo, hi] = value_range(c.series);
  ASSERT_LT(lo, 0.0);
  c.y_min = lo;
  c.y_max = hi;
  LineChart fitted = c;
  fitted.y_min = fitted.y_max = kNaN;
  for (const LineChart& chart : {c, fitted}) {
    const std::string svg = line_chart_svg(chart);
    const auto shown = texts(svg);
    for (const auto& t : shown) EXPECT_NE(t.rfind('-', 0), 0u) << t;  // no negative tick
    EXPECT_NE(std::find(shown.begin(), shown.end(), std::string("0")), shown.end());
  }
  // A band reaching below 0 (a spread wider than a small loss) is cut at 0, not a negative axis.
  c.series[0].spread = {0.1, 0.2, 0.3};
  c.y_min = c.y_max = kNaN;
  const std::string banded = line_chart_svg(c);
  for (const auto& t : texts(banded)) EXPECT_NE(t.rfind('-', 0), 0u) << t;
  EXPECT_NE(banded.find("<polygon"), std::string::npos);
  // Negative values themselves do bring negative ticks.
  c.series[0].y = {0.5, -0.2, 0.1};
  const auto shown = texts(line_chart_svg(c));
  EXPECT_TRUE(std::any_of(shown.begin(), shown.end(), [](const std::string& t) { return t.rfind('-', 0) == 0; }));
}

TEST(SvgLineChart, YTicksAreRound) {
  LineChart c;
  c.series.push_back({"val", {0.503, 0.47, 0.434}, {}, "#000"});
  const std::string svg = line_chart_svg(c);
  const auto shown = texts(svg);
  for (const char* tick : {"0.42", "0.44", "0.46", "0.48", "0.5", "0.52"}) {
    EXPECT_NE(std::find(shown.begin(), shown.end(), std::string(tick)), shown.end()) << tick;
  }
  EXPECT_EQ(std::find(shown.begin(), shown.end(), std::string("0.4")), shown.end());  // not below the data's tick
}

TEST(SvgLineChart, BandIsDrawnUnderTheLineWhereSpreadIsGiven) {
  LineChart c;
  c.series.push_back({"mean of 5", {0.9, 0.6, kNaN, 0.5, 0.45, 0.5}, {0.1, 0.05, 0.05, 0.04, kNaN, 0.02}, "#2ca02c"});
  std::string svg = line_chart_svg(c);
  // Runs of finite value and spread: epochs 1-2 and 4 (one point: no area) and 6 alone: one polygon.
  EXPECT_EQ(count(svg, "<polygon"), 1u);
  EXPECT_NE(svg.find("fill-opacity=\"0.18\""), std::string::npos);
  EXPECT_LT(svg.find("<polygon"), svg.find("<polyline"));  // under the line
  c.series[0].spread = {0.1, 0.05, 0.05, 0.04, 0.03, 0.02};
  svg = line_chart_svg(c);
  EXPECT_EQ(count(svg, "<polygon"), 2u);  // split at the NaN value
  c.series[0].spread.clear();
  EXPECT_EQ(count(line_chart_svg(c), "<polygon"), 0u);
}

TEST(SvgLineChart, LongCurvesAreSubsampled) {
  LineChart c;
  std::vector<double> y;
  for (int e = 1; e <= 5000; ++e) y.push_back(1.0 / e);
  c.series.push_back({"long", y, {}, "#000"});
  const std::string svg = line_chart_svg(c);
  const std::size_t points = count(svg, ",") - count(svg, "5,3");
  EXPECT_LE(points, 450u);
  EXPECT_GE(points, 300u);
}

HeatMap two_by_three() {
  HeatMap m;
  const std::vector<double> xs = {0.0, 0.25, 0.5};
  const std::vector<double> ys = {1e-5, 1e-3};
  m.x = make_axis("dropout", xs);
  m.y = make_axis("l2", ys);
  m.cells = {0.61, kNaN, 0.47, 0.52, 0.44, 0.58};
  return m;
}

TEST(SvgHeatMap, OneDataAttributePerCellAndAColourBarWithItsRange) {
  const HeatMap m = two_by_three();
  const std::string svg = heat_map_svg(m, "best val loss: dropout x l2", "mean best val loss", true);
  EXPECT_EQ(count(svg, "data-v="), 5u);  // not on the empty cell, nor on the colour bar
  // Full precision, as today: value, indices, and the setting values of category axes.
  EXPECT_NE(svg.find("data-v=\"0.44\" data-xi=\"1\" data-yi=\"1\" data-x=\"0.25\" data-y=\"0.001\""),
            std::string::npos);
  EXPECT_NE(svg.find("data-v=\"0.46999999999999997\" data-xi=\"2\" data-yi=\"0\" data-x=\"0.5\" data-y=\"1.0000000000000001e-05\""),
            std::string::npos);
  EXPECT_GE(count(svg, "<rect"), 6u + 10u);  // 6 cells + a colour bar of at least 10 steps, without data-v
  EXPECT_NE(svg.find("mean best val loss"), std::string::npos);
  EXPECT_NE(svg.find("l2 (log scale)"), std::string::npos);
  EXPECT_EQ(svg.find("dropout (log scale)"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#e8e8e8\""), std::string::npos);  // the empty cell
}

TEST(SvgHeatMap, ColourBarLabelsShowTheMinimumAndMaximum) {
  // 11 x 11 = 121 cells: no cell text, so the numbers found are the colour bar's.
  HeatMap m;
  std::vector<double> v;
  for (int i = 0; i < 11; ++i) v.push_back(i);
  m.x = make_axis("a", v);
  m.y = make_axis("b", v);
  ASSERT_EQ(m.x.size(), 8);  // binned
  m.cells.assign(64, 0.5);
  m.cells[3] = 0.125;
  m.cells[60] = 0.875;
  m.cells[10] = kNaN;
  const std::string svg = heat_map_svg(m, "t", "accuracy", false);
  const auto shown = texts(svg);
  for (const char* label : {"0.125", "0.5", "0.875"}) {
    EXPECT_NE(std::find(shown.begin(), shown.end(), std::string(label)), shown.end()) << label;
  }
  EXPECT_EQ(count(svg, "data-v="), 63u);
  // Higher is better: the best (dark purple) is the maximum's cell.
  EXPECT_NE(svg.find("fill=\"#440154\" stroke=\"#fff\" data-v=\"0.875\""), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#fde725\" stroke=\"#fff\" data-v=\"0.125\""), std::string::npos);
  // Lower is better: the other way round.
  const std::string loss = heat_map_svg(m, "t", "loss", true);
  EXPECT_NE(loss.find("fill=\"#440154\" stroke=\"#fff\" data-v=\"0.125\""), std::string::npos);
}

TEST(SvgErrorBars, OneWhiskerPerFiniteSpreadAndNegativeBarsBelowZero) {
  ErrorBarChart c;
  c.title = "rise and gap by dropout";
  c.x_label = "dropout";
  c.y_label = "loss";
  c.labels = {"0", "0.25", "0.5"};
  c.groups = {{"rise", "#1f77b4", {0.02, 0.01, kNaN}, {0.005, kNaN, 0.01}},
              {"gap", "#d62728", {0.1, -0.03, 0.05}, {0.02, 0.01, 0.015}}};
  const std::string svg = error_bar_chart_svg(c);
  EXPECT_EQ(count(svg, "<path"), 4u);  // rise 0 (rise 1: NaN spread; rise 2: no bar), gap 0, 1, 2
  EXPECT_NE(svg.find("<title>0.25 gap: -0.03 \xC2\xB1 0.01</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>0.25 rise: 0.01</title>"), std::string::npos);
  EXPECT_EQ(count(svg, " rise: "), 2u);  // no bar for the NaN mean
  const auto shown = texts(svg);
  EXPECT_TRUE(std::any_of(shown.begin(), shown.end(), [](const std::string& t) { return t.rfind('-', 0) == 0; }));
  EXPECT_NE(std::find(shown.begin(), shown.end(), std::string("0")), shown.end());
  // The legend right of the plot.
  const double right = plot_right(svg);
  EXPECT_GT(text_x(svg, "rise<"), right);
  EXPECT_GT(text_x(svg, "gap<"), right);
}

TEST(SvgErrorBars, PositiveBarsStartAtZero) {
  ErrorBarChart c;
  c.labels = {"a", "b"};
  c.edge_labels = {"0", "1", "2"};
  c.groups = {{"gap", "#000", {0.4, 0.45}, {0.01, 0.02}}};
  const std::string svg = error_bar_chart_svg(c);
  const auto shown = texts(svg);
  EXPECT_NE(std::find(shown.begin(), shown.end(), std::string("0")), shown.end());
  for (const auto& t : shown) EXPECT_NE(t.rfind('-', 0), 0u) << t;
  EXPECT_EQ(count(svg, "<path"), 2u);
  // The bars stand on the lowest grid line, the tick 0.
  const std::regex bar("<rect x=\"[-0-9.]+\" y=\"([-0-9.]+)\" width=\"[-0-9.]+\" height=\"([-0-9.]+)\" fill=\"#000\" data-group=\"gap\"[^>]*><title>");
  std::size_t bars = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it, ++bars) {
    EXPECT_NEAR(std::stod((*it)[1].str()) + std::stod((*it)[2].str()), plot_bottom(svg), 0.11);
  }
  EXPECT_EQ(bars, 2u);
  EXPECT_EQ(std::find(shown.begin(), shown.end(), std::string("a")), shown.end());  // edges drawn instead
}

TEST(SvgParallel, OnePolylinePerLineBestOnTopAndNaNsHandled) {
  ParallelChart c;
  c.title = "settings of every trial";
  const std::vector<double> dropout = {0.0, 0.5, 0.5, kNaN};
  std::vector<double> lr;
  for (int i = 0; i < 20; ++i) lr.push_back(std::pow(10.0, -4 + 0.15 * i));
  c.axes = {make_axis("dropout", dropout), make_axis("lr", lr)};
  ASSERT_TRUE(c.axes[1].binned);
  ASSERT_TRUE(c.axes[1].log);
  c.values = {{0.0, 1e-4}, {0.5, 1e-2}, {0.5, kNaN}, {kNaN, 3e-3}};
  c.score = {0.6, 0.4, kNaN, 0.5};
  c.score_label = "best val loss";
  const std::string svg = parallel_chart_svg(c);
  EXPECT_EQ(count(svg, "<polyline"), 4u);
  EXPECT_NE(svg.find("<title>best val loss: none</title>"), std::string::npos);
  // Drawn worst first: the unscored line, 0.6, 0.5, then the best 0.4 on top.
  const std::size_t none = svg.find("best val loss: none");
  const std::size_t worst = svg.find("best val loss: 0.6<");
  const std::size_t middle = svg.find("best val loss: 0.5<");
  const std::size_t best = svg.find("best val loss: 0.4<");
  ASSERT_NE(best, std::string::npos);
  EXPECT_LT(none, worst);
  EXPECT_LT(worst, middle);
  EXPECT_LT(middle, best);
  EXPECT_NE(svg.find("stroke=\"#bbb\""), std::string::npos);      // the unscored line grey
  EXPECT_NE(svg.find("stroke=\"#440154\" points"), std::string::npos);  // the best dark purple
  // Points per line: 3 axes, fewer where a value is missing.
  const std::regex re("<polyline stroke=\"#[0-9a-f]+\" points=\"([^\"]*)\"");
  std::vector<std::size_t> per_line;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) {
    per_line.push_back(count((*it)[1].str(), ","));
  }
  EXPECT_EQ(per_line, (std::vector<std::size_t>{1, 3, 2, 3}));  // none (dropout only), 0.6, 0.5 (no dropout), 0.4
  for (const char* name : {">dropout<", ">lr (log)<", ">best val loss<"}) EXPECT_NE(svg.find(name), std::string::npos) << name;

  // Lower is not better: 0.6 is the best, drawn last.
  c.lower_is_better = false;
  const std::string high = parallel_chart_svg(c);
  EXPECT_GT(high.find("best val loss: 0.6<"), high.find("best val loss: 0.4<"));
}

TEST(SvgParallel, DegenerateInputsStillGiveAChart) {
  ParallelChart c;
  c.score_label = "loss";
  std::string svg = parallel_chart_svg(c);  // no axes, no lines
  EXPECT_EQ(count(svg, "<polyline"), 0u);
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  const std::vector<double> one = {3.0};
  c.axes = {make_axis("width", one)};
  c.values = {{3.0}, {3.0}};
  c.score = {0.5, 0.5};  // one value: a small range around it
  svg = parallel_chart_svg(c);
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(SvgText, AllTextIsEscaped) {
  LineChart c;
  c.title = "<b>&";
  c.y_label = "\"y\"";
  c.series.push_back({"a<b", {1, 2}, {}, "#000"});
  c.legend_notes = {"x & y"};
  const std::string svg = line_chart_svg(c);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;&amp;"), std::string::npos);
  EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
  EXPECT_NE(svg.find("x &amp; y"), std::string::npos);
  HeatMap m = two_by_three();
  m.x.setting = "a&b";
  EXPECT_NE(heat_map_svg(m, "t<", "v>", true).find("a&amp;b"), std::string::npos);
}

TEST(SvgErrorBars, AWhiskerWiderThanAPositiveMeanIsCutAtZero) {
  ErrorBarChart c;
  c.labels = {"a", "b"};
  c.groups = {{"rise", "#000", {0.004, 0.2}, {0.009, 0.01}}};  // 0.004 - 0.009 < 0: not a reason for a negative axis
  const std::string svg = error_bar_chart_svg(c);
  for (const auto& t : texts(svg)) EXPECT_NE(t.rfind('-', 0), 0u) << "negative tick " << t;
  for (double y : numbers(svg, "<path fill=\"none\" stroke=\"[#0-9a-f]+\" d=\"M[-0-9.]+,([-0-9.]+)V")) {
    EXPECT_LE(y, plot_bottom(svg) + 0.11) << "a whisker below the axis";
  }
}

/// The first group of `pattern` in `text`, split at spaces into numbers; empty when it does not match.
std::vector<double> number_list(const std::string& text, const std::string& pattern) {
  std::smatch m;
  std::vector<double> out;
  if (!std::regex_search(text, m, std::regex(pattern))) return out;
  std::istringstream in(m[1].str());
  for (std::string word; in >> word;) out.push_back(std::stod(word));
  return out;
}

/// The texts of an SVG joined by spaces: a legend note wrapped over several lines reads whole again.
std::string joined_text(const std::string& svg) {
  std::string out;
  for (const auto& t : texts(svg)) out += t + " ";
  return out;
}

/// The best-so-far line's corners: (configuration, score) from its data attributes.
std::vector<double> corner_configs(const std::string& svg) { return number_list(svg, "data-config=\"([^\"]*)\""); }
std::vector<double> corner_scores(const std::string& svg) {
  return number_list(svg, "data-config=\"[^\"]*\" data-v=\"([^\"]*)\"");
}

/// The dots of a history chart: (x, y) of each zero-length segment of the round-capped path.
std::vector<std::pair<double, double>> dots(const std::string& svg) {
  std::vector<std::pair<double, double>> out;
  // Found with find, not std::regex: libstdc++'s regex recurses per character and overflows the
  // stack on the path of thousands of dots.
  const std::string start = "stroke-linecap=\"round\" d=\"";
  const std::size_t from = svg.find(start);
  if (from == std::string::npos) return out;
  const std::size_t begin = from + start.size();
  const std::string d = svg.substr(begin, svg.find('"', begin) - begin);
  for (std::size_t at = d.find('M'); at != std::string::npos; at = d.find('M', at + 1)) {
    const std::size_t comma = d.find(',', at);
    const std::size_t end = d.find("h0", comma);
    out.emplace_back(std::stod(d.substr(at + 1, comma - at - 1)), std::stod(d.substr(comma + 1, end - comma - 1)));
  }
  EXPECT_EQ(out.size(), count(d, "M")) << "every segment of the dots' path is a dot";
  return out;
}

/// Independently of the chart: the configurations where the running best (skipping non-finite
/// scores) strictly improves, and the running best there.
std::pair<std::vector<double>, std::vector<double>> running_best(const std::vector<double>& score, bool minimize) {
  std::vector<double> configs;
  std::vector<double> best;
  for (std::size_t c = 0; c < score.size(); ++c) {
    if (!std::isfinite(score[c])) continue;
    if (best.empty() || (minimize ? score[c] < best.back() : score[c] > best.back())) {
      configs.push_back(static_cast<double>(c));
      best.push_back(score[c]);
    }
  }
  return {configs, best};
}

TEST(SvgHistory, TheLineIsTheRunningBestAndScorelessConfigurationsAreSkipped) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  HistoryChart c;
  c.title = "history";
  c.score = {0.8, kNaN, 0.9, 0.6, 0.6, kInf, 0.7, 0.3, kNaN};
  const std::string svg = history_chart_svg(c);
  // Minimize: steps at 0 (0.8), 3 (0.6) and 7 (0.3); the tie at 4 and the worse ones do not step.
  EXPECT_EQ(corner_configs(svg), (std::vector<double>{0, 3, 7}));
  EXPECT_EQ(corner_scores(svg), (std::vector<double>{0.8, 0.6, 0.3}));  // full precision: exactly equal
  EXPECT_EQ(corner_configs(svg), running_best(c.score, true).first);
  EXPECT_EQ(corner_scores(svg), running_best(c.score, true).second);
  // One dot per finite score (6), inside the plot; nothing of NaN or inf is drawn or written.
  const auto points = dots(svg);
  EXPECT_EQ(points.size(), 6u);
  for (const auto& [x, y] : points) {
    EXPECT_LE(x, plot_right(svg));
    EXPECT_LE(y, plot_bottom(svg));
  }
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  // The line goes down the page as the loss falls, and on to the last configuration (8, unscored).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("d=\"(M[^\"]*)\" data-config")));
  const std::string d = m[1].str();
  const auto heights = numbers(d, "V([-0-9.]+)");
  ASSERT_EQ(heights.size(), 2u);
  EXPECT_LT(numbers(d, "^M[-0-9.]+,([-0-9.]+)").at(0), heights[0]);
  EXPECT_LT(heights[0], heights[1]);
  const auto xs = numbers(d, "H([-0-9.]+)");
  ASSERT_EQ(xs.size(), 3u);  // to 3, to 7, then on to 8
  for (const auto& p : points) EXPECT_LT(p.first, xs.back());
  // The x axis is numbered from 0 and says so; the best of all has a tooltip.
  const auto shown = texts(svg);
  EXPECT_NE(std::find(shown.begin(), shown.end(), std::string("0")), shown.end());
  EXPECT_NE(svg.find("numbered from 0"), std::string::npos);
  EXPECT_NE(svg.find("<title>the best: configuration 7: 0.3</title>"), std::string::npos);

  // Maximize: steps at 0 (0.8) and 2 (0.9) only.
  c.goal = search::Goal::kMaximize;
  const std::string high = history_chart_svg(c);
  EXPECT_EQ(corner_configs(high), (std::vector<double>{0, 2}));
  EXPECT_EQ(corner_scores(high), running_best(c.score, false).second);
  EXPECT_EQ(dots(high).size(), 6u);
}

TEST(SvgHistory, TenThousandConfigurationsAreThinnedButEveryImprovementIsKept) {
  const std::uint32_t seed = 7;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  HistoryChart c;
  for (int i = 0; i < 10000; ++i) c.score.push_back(i % 37 == 5 ? kNaN : 0.2 + 0.8 * u(rng) * u(rng) + 1e-5 * i);
  for (bool minimize : {true, false}) {
    c.goal = minimize ? search::Goal::kMinimize : search::Goal::kMaximize;
    const std::string svg = history_chart_svg(c);
    const auto [configs, best] = running_best(c.score, minimize);
    EXPECT_EQ(corner_configs(svg), configs);  // the line stays exact
    EXPECT_EQ(corner_scores(svg), best);
    // Dots: every 5th of the 9,729 scored configurations and every improvement, deterministically.
    std::vector<std::size_t> scored;
    for (std::size_t i = 0; i < c.score.size(); ++i) {
      if (std::isfinite(c.score[i])) scored.push_back(i);
    }
    ASSERT_EQ(scored.size(), 9729u);
    std::set<double> expected(configs.begin(), configs.end());
    for (std::size_t k = 0; k < scored.size(); k += 5) expected.insert(static_cast<double>(scored[k]));
    EXPECT_EQ(dots(svg).size(), expected.size());
    EXPECT_LE(dots(svg).size(), kMaxHistoryDots + configs.size());
    EXPECT_NE(joined_text(svg).find("dots: 1 in 5 scored configurations and each new best (" +
                                    std::to_string(expected.size()) + " of 9729)"),
              std::string::npos);
    EXPECT_LT(svg.size(), 40u * 1024);
    EXPECT_EQ(svg, history_chart_svg(c));
  }
}

TEST(SvgHistory, TheModelsStartIsDashedAndDegenerateInputsStillGiveAChart) {
  HistoryChart c;
  c.score = {0.5, 0.4, 0.45, 0.3, 0.35};
  c.model_from = 3;
  c.legend_notes = {"2 configuration(s) without a score"};
  std::string svg = history_chart_svg(c);
  EXPECT_EQ(count(svg, "stroke-dasharray=\"4,3\""), 1u);
  EXPECT_NE(joined_text(svg).find("dashed: the model decides from configuration 3 "), std::string::npos);
  EXPECT_NE(joined_text(svg).find("2 configuration(s) without a score "), std::string::npos);
  EXPECT_EQ(svg.find("1 in "), std::string::npos);  // not thinned
  c.model_from = 5;                                 // no configuration past it
  EXPECT_EQ(count(history_chart_svg(c), "stroke-dasharray"), 0u);
  for (const std::vector<double>& score :
       {std::vector<double>{}, std::vector<double>{kNaN, kNaN}, std::vector<double>{2.0}}) {
    c.score = score;
    svg = history_chart_svg(c);
    EXPECT_EQ(count(svg, "<svg"), 1u);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_EQ(svg.find("nan"), std::string::npos);
    EXPECT_EQ(svg.find("inf"), std::string::npos);
    EXPECT_EQ(dots(svg).size(), score.size() == 1 ? 1u : 0u);
    EXPECT_EQ(corner_configs(svg), score.size() == 1 ? std::vector<double>{0} : std::vector<double>{});
  }
}

}  // namespace
}  // namespace hpsweep::report
