#include "hpsweep/report/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace hpsweep::report {
namespace {

constexpr int kWidth = 480;
constexpr int kHeight = 300;
constexpr int kLeft = 60;
constexpr int kRight = 20;
constexpr int kTop = 30;
constexpr int kBottom = 45;
constexpr std::size_t kMaxPoints = 400;

std::string fmt(double v, const char* format = "%.4g") {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

/// A linear map from [lo, hi] onto [a, b] (hi == lo maps to the middle).
struct Scale {
  double lo, hi, a, b;
  [[nodiscard]] double operator()(double v) const { return hi > lo ? a + (v - lo) / (hi - lo) * (b - a) : (a + b) / 2; }
};

std::string open_svg(int width, int height, const std::string& title) {
  std::ostringstream s;
  s << "<svg width=\"" << width << "\" height=\"" << height
    << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"sans-serif\" font-size=\"11\">"
    << "<text x=\"" << width / 2 << "\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">" << xml_escape(title)
    << "</text>";
  return s.str();
}

/// The frame, four y ticks with labels, and the axis titles.
std::string axes(const Scale& y, const std::string& x_label, const std::string& y_label) {
  std::ostringstream s;
  s << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << kWidth - kLeft - kRight << "\" height=\""
    << kHeight - kTop - kBottom << "\" fill=\"none\" stroke=\"#888\"/>";
  for (int i = 0; i <= 4; ++i) {
    const double v = y.lo + (y.hi - y.lo) * i / 4;
    s << "<text x=\"" << kLeft - 4 << "\" y=\"" << fmt(y(v) + 4, "%.1f") << "\" text-anchor=\"end\">" << fmt(v, "%.3g")
      << "</text>";
  }
  s << "<text x=\"" << (kLeft + kWidth - kRight) / 2 << "\" y=\"" << kHeight - 6 << "\" text-anchor=\"middle\">"
    << xml_escape(x_label) << "</text><text x=\"12\" y=\"" << (kTop + kHeight - kBottom) / 2
    << "\" text-anchor=\"middle\" transform=\"rotate(-90 12 " << (kTop + kHeight - kBottom) / 2 << ")\">"
    << xml_escape(y_label) << "</text>";
  return s.str();
}

/// Smallest and largest finite values over all series; (0, 1) when there are none.
}  // namespace

std::pair<double, double> value_range(const std::vector<Series>& series) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const auto& s : series) {
    for (double v : s.y) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  if (lo > hi) return {0.0, 1.0};
  const double pad = hi > lo ? 0.05 * (hi - lo) : 0.5 * std::max(std::abs(lo), 1e-3);
  return {lo - pad, hi + pad};
}

namespace {

std::string polyline(const Series& s, const Scale& x, const Scale& y) {
  const std::size_t step = std::max<std::size_t>(1, (s.y.size() + kMaxPoints - 1) / kMaxPoints);
  std::ostringstream out;
  std::string points;
  auto flush = [&] {
    if (!points.empty()) {
      out << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" << s.color << '"'
          << (s.dashed ? " stroke-dasharray=\"5,3\"" : "") << " points=\"" << points << "\"/>";
    }
    points.clear();
  };
  for (std::size_t e = 0; e < s.y.size(); e += step) {
    if (!std::isfinite(s.y[e])) {
      flush();
      continue;
    }
    points += fmt(x(static_cast<double>(e + 1)), "%.1f") + "," + fmt(y(s.y[e]), "%.1f") + " ";
  }
  flush();
  const auto m = static_cast<std::size_t>(s.marked_epoch);
  if (m >= 1 && m <= s.y.size() && std::isfinite(s.y[m - 1])) {
    out << "<circle r=\"4\" fill=\"" << s.color << "\" cx=\"" << fmt(x(static_cast<double>(m)), "%.1f") << "\" cy=\""
        << fmt(y(s.y[m - 1]), "%.1f") << "\"><title>" << xml_escape(s.label) << ": minimum at epoch " << m
        << "</title></circle>";
  }
  return out.str();
}

std::string legend(const std::vector<Series>& series) {
  std::ostringstream s;
  if (!series.empty()) {  // a translucent box keeps the legend readable over the curves
    s << "<rect x=\"" << kWidth - kRight - 154 << "\" y=\"" << kTop + 2 << "\" width=\"150\" height=\""
      << 13 * series.size() + 4 << "\" fill=\"#fff\" fill-opacity=\"0.8\"/>";
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    const int y = kTop + 12 + static_cast<int>(i) * 13;
    s << "<line x1=\"" << kWidth - kRight - 150 << "\" x2=\"" << kWidth - kRight - 132 << "\" y1=\"" << y - 4
      << "\" y2=\"" << y - 4 << "\" stroke=\"" << series[i].color << '"'
      << (series[i].dashed ? " stroke-dasharray=\"5,3\"" : "") << "/><text x=\"" << kWidth - kRight - 128
      << "\" y=\"" << y << "\">" << xml_escape(series[i].label) << "</text>";
  }
  return s.str();
}

/// Colour for t in [0, 1]: dark blue (best) through teal to yellow.
std::string heat_colour(double t) {
  static constexpr std::array<std::array<double, 3>, 3> kStops = {{{68, 1, 84}, {33, 145, 140}, {253, 231, 37}}};
  t = std::clamp(t, 0.0, 1.0) * 2.0;
  const auto i = static_cast<std::size_t>(std::min(t, 1.999));
  const double f = t - static_cast<double>(i);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", static_cast<int>(kStops[i][0] + f * (kStops[i + 1][0] - kStops[i][0])),
                static_cast<int>(kStops[i][1] + f * (kStops[i + 1][1] - kStops[i][1])),
                static_cast<int>(kStops[i][2] + f * (kStops[i + 1][2] - kStops[i][2])));
  return buffer;
}

/// Tick texts along a band from `start` of `length` split in `n` slots: under the slots, or at
/// their boundaries when `edges` is not empty. `at(position, text)` draws one.
template <typename Draw>
void slot_ticks(const std::vector<std::string>& labels, const std::vector<std::string>& edges, double start,
                double length, Draw at) {
  const double n = static_cast<double>(std::max<std::size_t>(1, labels.size()));
  if (!edges.empty()) {
    for (std::size_t i = 0; i < edges.size(); ++i) at(start + length * static_cast<double>(i) / n, edges[i]);
    return;
  }
  for (std::size_t i = 0; i < labels.size(); ++i) at(start + length * (static_cast<double>(i) + 0.5) / n, labels[i]);
}

/// The cell's value and place at full precision, for scripts and tests (data-x/data-y: the
/// setting values of a category axis; data-xi/data-yi: the indices).
std::string cell_data(const HeatMap& map, int xi, int yi) {
  const double v = map.at(xi, yi);
  if (!std::isfinite(v)) return "";
  std::string data = " data-v=\"" + fmt(v, "%.17g") + "\" data-xi=\"" + std::to_string(xi) + "\" data-yi=\"" +
                     std::to_string(yi) + "\"";
  if (!map.x.binned) data += " data-x=\"" + fmt(map.x.points[static_cast<std::size_t>(xi)], "%.17g") + "\"";
  if (!map.y.binned) data += " data-y=\"" + fmt(map.y.points[static_cast<std::size_t>(yi)], "%.17g") + "\"";
  return data;
}

std::string axis_title(const Axis& axis) { return axis.setting + (axis.log ? " (log scale)" : ""); }

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<std::string> edge_labels(const Axis& axis) {
  std::vector<std::string> out;
  if (!axis.binned) return out;
  for (double edge : axis.points) out.push_back(fmt(edge, "%.2g"));
  return out;
}

const char* palette(std::size_t index) noexcept {
  static constexpr std::array<const char*, 8> kColours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                                          "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  return kColours[index % kColours.size()];
}

std::string line_chart_svg(const LineChart& chart) {
  std::size_t epochs = 1;
  for (const auto& s : chart.series) epochs = std::max(epochs, s.y.size());
  auto [lo, hi] = value_range(chart.series);
  if (std::isfinite(chart.y_min) && std::isfinite(chart.y_max) && chart.y_max > chart.y_min) {
    lo = chart.y_min;
    hi = chart.y_max;
  }
  const Scale x{1.0, static_cast<double>(epochs), kLeft, kWidth - kRight};
  const Scale y{lo, hi, kHeight - kBottom, kTop};
  std::ostringstream s;
  s << open_svg(kWidth, kHeight, chart.title) << axes(y, "epoch", chart.y_label);
  for (int i = 0; i <= 4; ++i) {
    const double e = 1.0 + (static_cast<double>(epochs) - 1.0) * i / 4;
    s << "<text x=\"" << fmt(x(e), "%.1f") << "\" y=\"" << kHeight - kBottom + 14 << "\" text-anchor=\"middle\">"
      << fmt(std::round(e), "%.0f") << "</text>";
  }
  for (const auto& series : chart.series) s << polyline(series, x, y);
  s << legend(chart.series) << "</svg>";
  return s.str();
}

std::string bar_chart_svg(const BarChart& chart) {
  double lo = 0.0;
  double hi = 0.0;
  for (double v : chart.values) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (hi == lo) hi = lo + 1.0;
  const Scale y{lo, hi + 0.05 * (hi - lo), kHeight - kBottom, kTop};
  const double slot = static_cast<double>(kWidth - kLeft - kRight) / std::max<std::size_t>(1, chart.labels.size());
  std::ostringstream s;
  s << open_svg(kWidth, kHeight, chart.title) << axes(y, chart.x_label, chart.y_label);
  slot_ticks(chart.labels, chart.edge_labels, kLeft, kWidth - kLeft - kRight, [&](double x, const std::string& text) {
    s << "<text x=\"" << fmt(x, "%.1f") << "\" y=\"" << kHeight - kBottom + 14 << "\" text-anchor=\"middle\">"
      << xml_escape(text) << "</text>";
  });
  for (std::size_t i = 0; i < chart.labels.size(); ++i) {
    const double centre = kLeft + slot * (static_cast<double>(i) + 0.5);
    const double v = i < chart.values.size() ? chart.values[i] : std::nan("");
    if (!std::isfinite(v)) continue;
    const double top = y(std::max(v, 0.0));
    s << "<rect fill=\"" << palette(0) << "\" x=\"" << fmt(centre - slot * 0.35, "%.1f") << "\" width=\""
      << fmt(slot * 0.7, "%.1f") << "\" y=\"" << fmt(top, "%.1f") << "\" height=\""
      << fmt(std::abs(y(v) - y(0.0)), "%.1f") << "\"><title>" << xml_escape(chart.labels[i]) << ": " << fmt(v)
      << "</title></rect>";
  }
  s << "</svg>";
  return s.str();
}

std::string heat_map_svg(const HeatMap& map, const std::string& title) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (double v : map.cells) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  constexpr int kMapLeft = kLeft + 20;  // room for the y labels beside the rotated axis title
  const int nx = std::max(1, map.x.size());
  const int ny = std::max(1, map.y.size());
  const double cw = static_cast<double>(kWidth - kMapLeft - kRight) / nx;
  const double ch = static_cast<double>(kHeight - kTop - kBottom) / ny;
  std::ostringstream s;
  s << open_svg(kWidth, kHeight, title);
  // y grows upwards: the smallest value at the bottom.
  slot_ticks(map.y.labels, edge_labels(map.y), 0.0, kHeight - kTop - kBottom, [&](double d, const std::string& text) {
    s << "<text x=\"" << kMapLeft - 4 << "\" y=\"" << fmt(kHeight - kBottom - d + 4, "%.1f")
      << "\" text-anchor=\"end\">" << xml_escape(text) << "</text>";
  });
  for (int yi = 0; yi < map.y.size(); ++yi) {
    const double top = kHeight - kBottom - ch * (yi + 1);
    for (int xi = 0; xi < map.x.size(); ++xi) {
      const double v = map.at(xi, yi);
      const bool empty = !std::isfinite(v);
      const double t = hi > lo ? (v - lo) / (hi - lo) : 0.0;
      s << "<rect x=\"" << fmt(kMapLeft + cw * xi, "%.1f") << "\" y=\"" << fmt(top, "%.1f") << "\" width=\""
        << fmt(cw, "%.1f") << "\" height=\"" << fmt(ch, "%.1f") << "\" fill=\"" << (empty ? "#ddd" : heat_colour(t))
        << "\" stroke=\"#fff\"" << cell_data(map, xi, yi) << "/>";
      if (!empty && nx * ny <= 100) {
        s << "<text x=\"" << fmt(kMapLeft + cw * (xi + 0.5), "%.1f") << "\" y=\"" << fmt(top + ch / 2 + 4, "%.1f")
          << "\" text-anchor=\"middle\" fill=\"" << (t > 0.6 ? "#000" : "#fff") << "\">" << fmt(v) << "</text>";
      }
    }
  }
  slot_ticks(map.x.labels, edge_labels(map.x), kMapLeft, kWidth - kMapLeft - kRight,
             [&](double x, const std::string& text) {
               s << "<text x=\"" << fmt(x, "%.1f") << "\" y=\"" << kHeight - kBottom + 14
                 << "\" text-anchor=\"middle\">" << xml_escape(text) << "</text>";
             });
  s << "<text x=\"" << (kMapLeft + kWidth - kRight) / 2 << "\" y=\"" << kHeight - 6 << "\" text-anchor=\"middle\">"
    << xml_escape(axis_title(map.x)) << "</text><text x=\"12\" y=\"" << (kTop + kHeight - kBottom) / 2
    << "\" text-anchor=\"middle\" transform=\"rotate(-90 12 " << (kTop + kHeight - kBottom) / 2 << ")\">"
    << xml_escape(axis_title(map.y)) << "</text></svg>";
  return s.str();
}

}  // namespace hpsweep::report
