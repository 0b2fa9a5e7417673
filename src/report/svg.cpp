#include "hpsweep/report/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <numeric>
#include <sstream>

namespace hpsweep::report {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxPoints = 400;
/// Average glyph width of a sans-serif font in ems (digits are 0.56): to estimate how much text fits.
constexpr double kCharWidth = 0.6;
constexpr double kFont = 11;      // the <svg>'s font-size: axis titles, legends
constexpr double kTickFont = 10;  // tick texts, cell values
constexpr const char* kGrid = "#e4e4e4";
constexpr const char* kInk = "#333";
constexpr const char* kEmpty = "#e8e8e8";  // heat-map cells without a value
constexpr const char* kNoScore = "#bbb";   // parallel lines without a score

std::string fmt(double v, const char* format = "%.4g") {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

/// A coordinate: one decimal is finer than a pixel and keeps the text short.
std::string px(double v) { return fmt(v, "%.1f"); }

/// A linear map from [lo, hi] onto [a, b] (hi == lo maps to the middle).
struct Scale {
  double lo, hi, a, b;
  [[nodiscard]] double operator()(double v) const { return hi > lo ? a + (v - lo) / (hi - lo) * (b - a) : (a + b) / 2; }
};

/// The plot area of a chart, in px; axes, ticks and legends go around it.
struct Box {
  double left, top, right, bottom;
  [[nodiscard]] double width() const { return right - left; }
  [[nodiscard]] double height() const { return bottom - top; }
};

/// Characters (UTF-8 code points) in `text`: the labels may hold "±" or names in any script.
std::size_t length(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// `text` cut to at most `max_chars` characters, the last of them "…" when cut (never inside a
/// UTF-8 sequence; escaping comes after, so no entity is cut either).
std::string shorten(const std::string& text, std::size_t max_chars) {
  if (length(text) <= max_chars) return text;
  if (max_chars == 0) return "";
  std::size_t kept = 0;
  std::size_t end = 0;
  while (end < text.size()) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && kept++ == max_chars - 1) break;
    ++end;
  }
  return text.substr(0, end) + "\xE2\x80\xA6";
}

/// How many characters of `font_size` fit in `width` px (at least 1).
std::size_t chars_in(double width, double font_size) {
  return static_cast<std::size_t>(std::max(1.0, std::floor(width / (font_size * kCharWidth))));
}

/// A <text> at (x, y) that fits in `width` px: cut with "…" when longer, the full text then in a
/// <title> (a tooltip). `attributes` (with a leading space) adds anchor, fill, transform...
std::string text(double x, double y, const std::string& content, double width, const std::string& attributes = "",
                 double font_size = kFont) {
  const std::string shown = shorten(content, chars_in(width, font_size));
  std::string out = "<text x=\"" + px(x) + "\" y=\"" + px(y) + '"' + attributes;
  if (font_size != kFont) out += " font-size=\"" + fmt(font_size, "%g") + '"';
  out += '>' + xml_escape(shown);
  if (shown != content) out += "<title>" + xml_escape(content) + "</title>";
  return out + "</text>";
}

/// `text` split at spaces into lines of at most `max_chars` (a longer word is cut).
std::vector<std::string> wrap(const std::string& text, std::size_t max_chars) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word;
  std::string line;
  while (words >> word) {
    if (!line.empty() && length(line) + 1 + length(word) > max_chars) lines.push_back(line), line.clear();
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  for (auto& l : lines) l = shorten(l, max_chars);
  return lines;
}

std::string open_svg(int width, int height, const std::string& title) {
  std::ostringstream s;
  s << "<svg width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << ' ' << height
    << "\" font-family=\"sans-serif\" font-size=\"" << kFont << "\">"
    << text(width / 2.0, 18, title, width - 20, " text-anchor=\"middle\" font-weight=\"bold\"", 13);
  return s.str();
}

/// A line in `colour`: a grid line, a tick mark, an axis.
std::string line(double x1, double y1, double x2, double y2, const char* colour) {
  return "<line x1=\"" + px(x1) + "\" y1=\"" + px(y1) + "\" x2=\"" + px(x2) + "\" y2=\"" + px(y2) + "\" stroke=\"" +
         colour + "\"/>";
}

/// An axis title turned to read upwards, centred beside the plot at x.
std::string vertical_title(double x, const Box& plot, const std::string& title) {
  const double mid = (plot.top + plot.bottom) / 2;
  return text(x, mid, title, plot.height(),
              " text-anchor=\"middle\" transform=\"rotate(-90 " + px(x) + ' ' + px(mid) + ")\"");
}

/// Light grid lines and labels at the y ticks, the y axis line and its title, the x axis line.
/// Drawn before the data, so the grid stays under it.
std::string y_axis(const Ticks& ticks, const Scale& y, const Box& plot, const std::string& title) {
  std::string s;
  for (double v : ticks.values) {
    const double at = y(v);
    s += line(plot.left, at, plot.right, at, kGrid) + line(plot.left - 4, at, plot.left, at, kInk);
    // Never cut (a cut number would lie): the margin fits 7 characters, more only spill leftwards.
    s += text(plot.left - 6, at + 3.5, tick_text(v, ticks.step), 100, " text-anchor=\"end\"", kTickFont);
  }
  s += line(plot.left, plot.top, plot.left, plot.bottom, kInk) + line(plot.left, plot.bottom, plot.right, plot.bottom, kInk);
  return s + vertical_title(14, plot, title);
}

/// The y ticks of a plot: round ticks over [lo, hi], cut at 0 when `non_negative` (a loss, a
/// spread or a bar of positive values never gets a negative axis just from rounding or padding).
Ticks y_ticks(double lo, double hi, bool non_negative) {
  Ticks t = nice_ticks(lo, hi, 5);
  if (non_negative && t.lo < 0) {
    std::erase_if(t.values, [](double v) { return v < 0; });
    t.lo = 0;
    if (t.values.empty() || t.values.front() != 0) t.values.insert(t.values.begin(), 0.0);
    if (t.values.size() < 2) t.values.push_back(t.hi = t.step);  // only reachable when hi <= 0
  }
  return t;
}

/// Viridis (matplotlib's map at 9 stops, linear between them): perceptually even, readable in
/// grey and by most colour-blind readers. t = 0 dark purple (best), 1 yellow (worst).
std::string viridis(double t) {
  static constexpr std::array<std::array<double, 3>, 9> kStops = {{{68, 1, 84},
                                                                   {71, 45, 123},
                                                                   {59, 82, 139},
                                                                   {44, 114, 142},
                                                                   {33, 145, 140},
                                                                   {40, 174, 128},
                                                                   {94, 201, 98},
                                                                   {173, 220, 48},
                                                                   {253, 231, 37}}};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kStops.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(t), kStops.size() - 2);
  const double f = t - static_cast<double>(i);
  char buffer[16];
  auto channel = [&](int c) { return static_cast<int>(std::lround(kStops[i][c] + f * (kStops[i + 1][c] - kStops[i][c]))); };
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", channel(0), channel(1), channel(2));
  return buffer;
}

/// Where `v` sits on the colour scale of [lo, hi]: 0 the best end, 1 the worst.
double badness(double v, double lo, double hi, bool lower_is_better) {
  if (!(hi > lo)) return 0.0;
  const double t = (v - lo) / (hi - lo);
  return lower_is_better ? t : 1.0 - t;
}

/// Smallest and largest finite values of `values`; (inf, -inf) when none.
std::pair<double, double> finite_range(const std::vector<double>& values) {
  double lo = kInf;
  double hi = -kInf;
  for (double v : values) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  return {lo, hi};
}

/// [lo, hi] padded by 5% (a single value by half its size); (0, 1) when lo > hi (no value).
std::pair<double, double> padded(double lo, double hi) {
  if (lo > hi) return {0.0, 1.0};
  const double pad = hi > lo ? 0.05 * (hi - lo) : 0.5 * std::max(std::abs(lo), 1e-3);
  return {lo - pad, hi + pad};
}

/// A vertical colour bar at x over [top, bottom]: stacked rects (no gradient: a gradient needs an
/// id, and ids must be unique on the page), high values at the top, min, middle and max labelled
/// right of it, `label` as its title further right. No data-v here: scripts read the cells.
std::string colour_bar(double x, double top, double bottom, double lo, double hi, bool lower_is_better,
                       const std::string& label, double title_x) {
  constexpr int kSteps = 24;
  constexpr double kStrip = 14;  // the bar's width
  std::ostringstream s;
  const double h = (bottom - top) / kSteps;
  s << "<g>";
  for (int i = 0; i < kSteps; ++i) {  // i = 0 at the bottom: the lowest values, best when lower is better
    const double t = (i + 0.5) / kSteps;
    // 0.5 px overlap: no hairline gaps between the rects when anti-aliased.
    s << "<rect x=\"" << px(x) << "\" y=\"" << px(bottom - h * (i + 1)) << "\" width=\"" << px(kStrip)
      << "\" height=\"" << px(h + 0.5) << "\" fill=\"" << viridis(lower_is_better ? t : 1.0 - t) << "\"/>";
  }
  s << "<rect x=\"" << px(x) << "\" y=\"" << px(top) << "\" width=\"" << px(kStrip) << "\" height=\""
    << px(bottom - top) << "\" fill=\"none\" stroke=\"" << kInk << "\"/>";
  if (std::isfinite(lo) && std::isfinite(hi)) {
    const Scale y{lo, hi, bottom, top};
    const std::vector<double> marks = hi > lo ? std::vector<double>{lo, (lo + hi) / 2, hi} : std::vector<double>{lo};
    for (double v : marks) {
      s << line(x + kStrip, y(v), x + kStrip + 3, y(v), kInk)
        << text(x + kStrip + 5, y(v) + 3.5, fmt(v), title_x - x - kStrip - 12, "", kTickFont);
    }
  }
  const Box along{0, top, 0, bottom};
  s << vertical_title(title_x, along, label) << "</g>";
  return s.str();
}

/// Tick texts along a band from `start` of `length` split in `n` slots: under the slots, or at
/// their boundaries when `edges` is not empty. `at(position, text, room)` draws one, `room`
/// being the px it may take.
template <typename Draw>
void slot_ticks(const std::vector<std::string>& labels, const std::vector<std::string>& edges, double start,
                double length, Draw at) {
  const double n = static_cast<double>(std::max<std::size_t>(1, labels.size()));
  if (!edges.empty()) {
    for (std::size_t i = 0; i < edges.size(); ++i) at(start + length * static_cast<double>(i) / n, edges[i], length / n);
    return;
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    at(start + length * (static_cast<double>(i) + 0.5) / n, labels[i], length / n - 2);
  }
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

/// 10^n exactly for the |n| <= 22 of any sane axis (std::pow is not promised to be exact).
double power_of_ten(int n) {
  double p = 1.0;
  for (int i = 0; i < std::abs(n); ++i) p *= 10.0;
  return n < 0 ? 1.0 / p : p;
}

/// m x 10^k computed so that e.g. 3 x 0.1 prints as 0.3: dividing by an exact power of ten
/// rounds once, multiplying by an inexact 0.1 twice.
double scaled(double m, int k) { return k < 0 ? m / power_of_ten(-k) : m * power_of_ten(k); }

}  // namespace

Ticks nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = std::isfinite(lo) ? lo : std::isfinite(hi) ? hi : 0.0;
    hi = std::isfinite(hi) ? hi : lo;
  }
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) {  // one value: a range of +-10% around it (+-1 around 0)
    const double d = lo == 0 ? 1.0 : 0.1 * std::abs(lo);
    lo -= d;
    hi += d;
  }
  target = std::max(target, 2);
  const double raw = (hi - lo) / target;
  if (!std::isfinite(raw) || !(raw > 0)) return Ticks{lo, hi, hi - lo, {lo, hi}};  // beyond doubles' range
  const int k0 = static_cast<int>(std::floor(std::log10(raw)));
  // Of the 1-2-5 steps near range / target, the one that best balances a tick count near the
  // target (as a ratio: 8 intervals for 4 is as far off as 2) against the share of the axis
  // wasted beyond [lo, hi] (0.3 .. 0.9 with ticks 0.2 .. 1.0 wastes a third); on a tie the
  // tighter one.
  Ticks best;
  double best_miss = kInf;
  double best_span = kInf;
  long long best_a = 0;
  long long best_b = 1;
  int best_k = 0;
  double best_m = 1;
  for (int k = k0 - 1; k <= k0 + 1; ++k) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double step = scaled(m, k);
      // The tolerance keeps a bound that is already a multiple (0.3 / 0.1 = 2.9999...) in place.
      const double a = std::floor(lo / step + 1e-9);
      const double b = std::ceil(hi / step - 1e-9);
      const double span = (b - a) * step;
      const double miss = std::abs(std::log((b - a) / (target - 1))) + 2.0 * (1.0 - (hi - lo) / span);
      if (miss < best_miss || (miss == best_miss && span < best_span)) {
        best_miss = miss, best_span = span, best_k = k, best_m = m;
        best_a = static_cast<long long>(a), best_b = static_cast<long long>(b);
      }
    }
  }
  best.step = scaled(best_m, best_k);
  for (long long i = best_a; i <= best_b; ++i) best.values.push_back(scaled(static_cast<double>(i) * best_m, best_k) + 0.0);
  best.lo = best.values.front();
  best.hi = best.values.back();
  return best;
}

std::string tick_text(double value, double step) {
  step = std::abs(step);
  if (!std::isfinite(value) || !std::isfinite(step) || step == 0) return fmt(value, "%g");
  if (std::abs(value) < step * 1e-6) return "0";  // 1e-17 from rounding is a zero tick
  // e: the exponent of the step's last significant digit (0.02 -> -2, 0.25 -> -2, 500 -> 2).
  const int top = static_cast<int>(std::floor(std::log10(step)));
  int e = top;
  for (; e > top - 15; --e) {
    const double digits = step / power_of_ten(e);
    if (std::abs(digits - std::round(digits)) <= 1e-6 * digits) break;
  }
  // Tiny steps near 0 and huge steps read better as 2.5e-4 and 3e6; the choice depends on the
  // step (not on each value alone), so an axis's ticks share one style.
  const bool exponent = (step < 1e-3 && std::abs(value) < 1e-2) || step >= 1e5;
  char buffer[64];
  std::string s;
  if (!exponent) {
    std::snprintf(buffer, sizeof buffer, "%.*f", std::max(0, -e), value);
    s = buffer;
    if (s.find('.') != std::string::npos) {  // 0.40 -> 0.4: the shortest text of the same number
      s.erase(s.find_last_not_of('0') + 1);
      if (s.back() == '.') s.pop_back();
    }
    return s == "-0" ? "0" : s;
  }
  int ev = static_cast<int>(std::floor(std::log10(std::abs(value))));
  for (int attempt = 0; attempt < 2; ++attempt) {  // again when rounding moved the exponent (9.99e-5 -> 1.0e-4)
    std::snprintf(buffer, sizeof buffer, "%.*e", std::max(0, ev - e), value);
    s = buffer;
    const int printed = std::atoi(s.c_str() + s.find('e') + 1);
    if (printed == ev) break;
    ev = printed;
  }
  std::string mantissa = s.substr(0, s.find('e'));
  if (mantissa.find('.') != std::string::npos) {
    mantissa.erase(mantissa.find_last_not_of('0') + 1);
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  return mantissa + "e" + std::to_string(std::atoi(s.c_str() + s.find('e') + 1));
}

std::pair<double, double> value_range(const std::vector<Series>& series) {
  double lo = kInf;
  double hi = -lo;
  for (const auto& s : series) {
    for (double v : s.y) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  return padded(lo, hi);
}

namespace {

constexpr int kLineWidth = 640;
constexpr int kLineHeight = 300;
/// Room left for y tick texts and the y title, right for a legend column of ~27 characters a line.
constexpr Box kLinePlot{64, 34, 430, 256};

/// Every `step`-th epoch of a series: at most ~kMaxPoints drawn, enough for a 400 px wide plot.
std::size_t point_step(const Series& s) { return std::max<std::size_t>(1, (s.y.size() + kMaxPoints - 1) / kMaxPoints); }

/// The translucent band y ± spread, one polygon per run of epochs where both are finite.
std::string band(const Series& s, const Scale& x, const Scale& y, const Box& plot) {
  if (s.spread.size() != s.y.size()) return "";
  std::string out;
  std::vector<std::pair<double, double>> upper;
  std::vector<std::pair<double, double>> lower;
  auto flush = [&] {
    if (upper.size() >= 2) {
      std::string points;
      for (const auto& [px_x, px_y] : upper) points += px(px_x) + "," + px(px_y) + " ";
      for (auto it = lower.rbegin(); it != lower.rend(); ++it) points += px(it->first) + "," + px(it->second) + " ";
      points.pop_back();
      out += "<polygon fill=\"" + s.color + "\" fill-opacity=\"0.18\" stroke=\"none\" points=\"" + points + "\"/>";
    }
    upper.clear();
    lower.clear();
  };
  for (std::size_t e = 0; e < s.y.size(); e += point_step(s)) {
    if (!std::isfinite(s.y[e]) || !std::isfinite(s.spread[e])) {
      flush();
      continue;
    }
    const double d = std::abs(s.spread[e]);
    const double at = x(static_cast<double>(e + 1));
    // Clamped to the plot: a fixed y range (to compare charts) may be narrower than a band.
    upper.emplace_back(at, std::clamp(y(s.y[e] + d), plot.top, plot.bottom));
    lower.emplace_back(at, std::clamp(y(s.y[e] - d), plot.top, plot.bottom));
  }
  flush();
  return out;
}

/// The series' line, split at NaN gaps.
std::string polyline(const Series& s, const Scale& x, const Scale& y, const Box& plot) {
  std::ostringstream out;
  std::string points;
  auto flush = [&] {
    if (!points.empty()) {
      points.pop_back();
      out << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke=\"" << s.color << '"'
          << (s.dashed ? " stroke-dasharray=\"5,3\"" : "") << " points=\"" << points << "\"/>";
    }
    points.clear();
  };
  for (std::size_t e = 0; e < s.y.size(); e += point_step(s)) {
    if (!std::isfinite(s.y[e])) {
      flush();
      continue;
    }
    points += px(x(static_cast<double>(e + 1))) + "," + px(std::clamp(y(s.y[e]), plot.top, plot.bottom)) + " ";
  }
  flush();
  return out.str();
}

/// The dot at the marked epoch (drawn after every line, so no line hides it).
std::string marker(const Series& s, const Scale& x, const Scale& y, const Box& plot, const std::string& x_label) {
  const auto m = static_cast<std::size_t>(std::max(0, s.marked_epoch));
  if (m < 1 || m > s.y.size() || !std::isfinite(s.y[m - 1])) return "";
  return "<circle r=\"3.5\" fill=\"" + s.color + "\" stroke=\"#fff\" cx=\"" + px(x(static_cast<double>(m))) +
         "\" cy=\"" + px(std::clamp(y(s.y[m - 1]), plot.top, plot.bottom)) + "\"><title>" + xml_escape(s.label) +
         ": minimum at " + x_label + " " + std::to_string(m) + ", " + fmt(s.y[m - 1]) + "</title></circle>";
}

/// The legend in a column right of the plot, so it never covers a curve: a swatch and the
/// label of each listed series (cut to fit), then the notes in grey, wrapped.
std::string line_legend(const LineChart& chart, const Box& plot) {
  constexpr double kRow = 15;
  const double x0 = plot.right + 14;
  const double text_x = x0 + 26;
  const auto rows = static_cast<std::size_t>((kLineHeight - 8 - plot.top) / kRow);
  std::vector<const Series*> listed;
  for (const auto& s : chart.series) {
    if (s.in_legend) listed.push_back(&s);
  }
  std::vector<std::string> notes;
  for (const auto& n : chart.legend_notes) {
    for (auto& l : wrap(n, chars_in(kLineWidth - 6 - x0, kFont))) notes.push_back(std::move(l));
  }
  // A label wraps onto a second line (settings are long); the rest is cut with an ellipsis.
  const std::size_t width = chars_in(kLineWidth - 6 - text_x, kFont);
  std::vector<std::vector<std::string>> labels;
  for (const Series* e : listed) {
    std::vector<std::string> lines = wrap(e->label, width);
    if (lines.empty()) lines.emplace_back();
    if (lines.size() > 2) {
      std::string rest;
      for (std::size_t i = 1; i < lines.size(); ++i) rest += (i > 1 ? " " : "") + lines[i];
      lines = {lines[0], rest};
    }
    labels.push_back(std::move(lines));
  }
  // Entries first; the notes take what is left; past the bottom, "+N more" on the last row.
  const std::size_t note_rows = std::min(notes.size(), rows / 2);
  const std::size_t entry_rows = rows - note_rows - (notes.empty() ? 0 : 1);
  std::size_t shown = 0;
  for (std::size_t used = 0; shown < listed.size() && used + labels[shown].size() <= entry_rows; ++shown) {
    used += labels[shown].size();
  }
  if (shown < listed.size() && shown > 0) --shown;  // room for "+N more"
  std::ostringstream s;
  double y = plot.top + 8;
  for (std::size_t i = 0; i < shown; ++i) {
    const Series& e = *listed[i];
    if (!e.spread.empty()) {
      s << "<rect x=\"" << px(x0) << "\" y=\"" << px(y - 9) << "\" width=\"20\" height=\"11\" fill=\"" << e.color
        << "\" fill-opacity=\"0.18\"/>";
    }
    s << "<line x1=\"" << px(x0) << "\" x2=\"" << px(x0 + 20) << "\" y1=\"" << px(y - 3.5) << "\" y2=\"" << px(y - 3.5)
      << "\" stroke-width=\"1.5\" stroke=\"" << e.color << '"' << (e.dashed ? " stroke-dasharray=\"5,3\"" : "") << "/>";
    s << "<g><title>" << xml_escape(e.label) << "</title>";  // the whole label, however it was cut
    for (const std::string& line : labels[i]) {
      s << text(text_x, y, line, kLineWidth - 6 - text_x);
      y += kRow - 2;
    }
    s << "</g>";
    y += 2;
  }
  if (shown < listed.size()) {
    s << text(text_x, y, "+" + std::to_string(listed.size() - shown) + " more", kLineWidth - 6 - text_x,
              " fill=\"#666\"");
    y += kRow;
  }
  if (!notes.empty()) y += kRow / 2;
  for (std::size_t i = 0; i < note_rows; ++i, y += kRow - 2) {
    s << text(x0, y, notes[i], kLineWidth - 6 - x0, " fill=\"#666\"");
  }
  return s.str();
}

}  // namespace

std::string line_chart_svg(const LineChart& chart) {
  const Box& plot = kLinePlot;
  std::size_t epochs = 1;
  double lo = kInf;
  double hi = -kInf;
  // Some finite value below 0. Band edges do not count: a spread wider than a small loss is cut
  // at 0 (by the plot's edge) rather than give a loss axis negative values.
  bool negative = false;
  auto take = [&](double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  };
  for (const auto& s : chart.series) {
    epochs = std::max(epochs, s.y.size());
    const bool banded = s.spread.size() == s.y.size();
    for (std::size_t e = 0; e < s.y.size(); ++e) {
      take(s.y[e]);
      negative = negative || s.y[e] < 0;
      if (banded && std::isfinite(s.y[e]) && std::isfinite(s.spread[e])) {
        take(s.y[e] - std::abs(s.spread[e]));
        take(s.y[e] + std::abs(s.spread[e]));
      }
    }
  }
  if (std::isfinite(chart.y_min) && std::isfinite(chart.y_max) && chart.y_max > chart.y_min) {
    lo = chart.y_min;
    hi = chart.y_max;
  } else if (lo > hi) {
    lo = 0.0, hi = 1.0;
  }
  const Ticks yt = y_ticks(lo, hi, !negative);
  const Scale y{yt.lo, yt.hi, plot.bottom, plot.top};
  const Scale x{1.0, static_cast<double>(epochs), plot.left, plot.right};

  std::ostringstream s;
  s << open_svg(kLineWidth, kLineHeight, chart.title) << y_axis(yt, y, plot, chart.y_label);
  // Epoch ticks: round integers inside [1, epochs] (the plot starts at epoch 1, not at 0).
  const Ticks xt = nice_ticks(1.0, static_cast<double>(epochs), 6);
  const double step = std::max(1.0, std::round(xt.step));
  for (double e = std::ceil(1.0 / step) * step; e <= static_cast<double>(epochs) + 1e-9; e += step) {
    s << line(x(e), plot.bottom, x(e), plot.bottom + 4, kInk)
      << text(x(e), plot.bottom + 15, fmt(e, "%.0f"), 60, " text-anchor=\"middle\"", kTickFont);
  }
  s << text((plot.left + plot.right) / 2, plot.bottom + 33, chart.x_label, plot.width(), " text-anchor=\"middle\"");
  // Bands under every line, lines, then dots on top.
  for (const auto& series : chart.series) s << band(series, x, y, plot);
  for (const auto& series : chart.series) s << polyline(series, x, y, plot);
  for (const auto& series : chart.series) s << marker(series, x, y, plot, chart.x_label);
  s << line_legend(chart, plot) << "</svg>";
  return s.str();
}

std::vector<std::string> edge_labels(const Axis& axis) {
  std::vector<std::string> out;
  if (!axis.binned) return out;
  for (double edge : axis.points) out.push_back(fmt(edge, "%.2g"));
  return out;
}

namespace {

constexpr int kBarWidth = 640;
constexpr int kBarHeight = 300;
constexpr Box kBarPlot{64, 34, 536, 250};  // the group legend right of it

/// x of a slot's bar for `group` of `groups`: the groups share 80% of the slot side by side.
double bar_left(const Box& plot, std::size_t slots, std::size_t slot, std::size_t group, std::size_t groups) {
  const double w = plot.width() / static_cast<double>(slots);
  return plot.left + w * (static_cast<double>(slot) + 0.1) + 0.8 * w / static_cast<double>(groups) * static_cast<double>(group);
}

}  // namespace

std::string error_bar_chart_svg(const ErrorBarChart& chart) {
  const Box& plot = kBarPlot;
  const std::size_t slots = std::max<std::size_t>(1, chart.labels.size());
  const std::size_t groups = std::max<std::size_t>(1, chart.groups.size());
  auto at = [](const std::vector<double>& v, std::size_t i) { return i < v.size() ? v[i] : std::nan(""); };
  // Bars start at 0, so 0 is always in the range; whiskers too, except that when no bar is negative
  // a whisker reaching below 0 is cut there (a spread wider than a small positive mean would
  // otherwise stretch the axis down for nothing).
  bool negative_bar = false;
  for (const auto& g : chart.groups) {
    for (std::size_t i = 0; i < chart.labels.size(); ++i) negative_bar = negative_bar || at(g.mean, i) < 0;
  }
  double lo = 0.0;
  double hi = 0.0;
  for (const auto& g : chart.groups) {
    for (std::size_t i = 0; i < chart.labels.size(); ++i) {
      const double m = at(g.mean, i);
      if (!std::isfinite(m)) continue;
      const double d = std::isfinite(at(g.spread, i)) ? std::abs(at(g.spread, i)) : 0.0;
      if (negative_bar) lo = std::min(lo, m - d);
      hi = std::max(hi, m + d);
    }
  }
  if (hi == lo) hi = lo + 1.0;
  const Ticks yt = y_ticks(lo, hi, lo >= 0);
  const Scale y{yt.lo, yt.hi, plot.bottom, plot.top};

  std::ostringstream s;
  s << open_svg(kBarWidth, kBarHeight, chart.title) << y_axis(yt, y, plot, chart.y_label);
  slot_ticks(chart.labels, chart.edge_labels, plot.left, plot.width(), [&](double x, const std::string& t, double room) {
    s << line(x, plot.bottom, x, plot.bottom + 4, kInk)
      << text(x, plot.bottom + 15, t, std::max(room, 24.0), " text-anchor=\"middle\"", kTickFont);
  });
  s << text((plot.left + plot.right) / 2, plot.bottom + 36, chart.x_label, plot.width(), " text-anchor=\"middle\"");
  const double w = 0.8 * plot.width() / static_cast<double>(slots) / static_cast<double>(groups);
  const double cap = std::min(8.0, w * 0.6) / 2;
  std::ostringstream whiskers;  // after all bars, so a neighbour's bar never covers one
  for (std::size_t gi = 0; gi < chart.groups.size(); ++gi) {
    const auto& g = chart.groups[gi];
    for (std::size_t i = 0; i < chart.labels.size(); ++i) {
      const double m = at(g.mean, i);
      if (!std::isfinite(m)) continue;
      const double d = at(g.spread, i);
      const double left = bar_left(plot, slots, i, gi, groups);
      const double top = y(std::max(m, 0.0));
      s << "<rect x=\"" << px(left) << "\" y=\"" << px(top) << "\" width=\"" << px(std::max(w - 1, 1.0))
        << "\" height=\"" << px(std::abs(y(m) - y(0.0))) << "\" fill=\"" << g.color << '"'
        // The bar's numbers at full precision, for scripts and tests.
        << " data-group=\"" << xml_escape(g.name) << "\" data-label=\"" << xml_escape(chart.labels[i])
        << "\" data-mean=\"" << fmt(m, "%.17g") << "\" data-sd=\"" << fmt(d, "%.17g") << "\"><title>"
        << xml_escape(chart.labels[i] + " " + g.name + ": " + fmt(m) +
                      (std::isfinite(d) ? " \xC2\xB1 " + fmt(std::abs(d)) : ""))
        << "</title></rect>";
      if (!std::isfinite(d)) continue;
      const double cx = left + (w - 1) / 2;
      const double y1 = y(std::max(m - std::abs(d), yt.lo));
      const double y2 = y(m + std::abs(d));
      whiskers << "<path fill=\"none\" stroke=\"" << kInk << "\" d=\"M" << px(cx) << ',' << px(y1) << "V" << px(y2)
               << "M" << px(cx - cap) << ',' << px(y1) << "H" << px(cx + cap) << "M" << px(cx - cap) << ','
               << px(y2) << "H" << px(cx + cap) << "\"/>";
    }
  }
  s << whiskers.str();
  if (lo < 0) s << line(plot.left, y(0.0), plot.right, y(0.0), kInk);  // the bars' base inside the plot
  // Legend right of the plot.
  const double x0 = plot.right + 12;
  for (std::size_t gi = 0; gi < chart.groups.size(); ++gi) {
    const double row = plot.top + 8 + 15 * static_cast<double>(gi);
    s << "<rect x=\"" << px(x0) << "\" y=\"" << px(row - 9) << "\" width=\"12\" height=\"10\" fill=\""
      << chart.groups[gi].color << "\"/>" << text(x0 + 17, row, chart.groups[gi].name, kBarWidth - 6 - x0 - 17);
  }
  s << "</svg>";
  return s.str();
}

namespace {

constexpr int kHeatWidth = 640;
constexpr int kHeatHeight = 300;
constexpr Box kHeatPlot{84, 34, 530, 250};  // room for y labels beside the rotated title; the colour bar right

}  // namespace

std::string heat_map_svg(const HeatMap& map, const std::string& title, const std::string& value_label,
                         bool lower_is_better) {
  const Box& plot = kHeatPlot;
  const auto [lo, hi] = finite_range(map.cells);
  const int nx = std::max(1, map.x.size());
  const int ny = std::max(1, map.y.size());
  const double cw = plot.width() / nx;
  const double ch = plot.height() / ny;
  const bool labelled = nx * ny <= 100;
  std::ostringstream s;
  s << open_svg(kHeatWidth, kHeatHeight, title);
  // y grows upwards: the smallest value at the bottom.
  slot_ticks(map.y.labels, edge_labels(map.y), 0.0, plot.height(), [&](double d, const std::string& t, double) {
    s << text(plot.left - 5, plot.bottom - d + 3.5, t, plot.left - 30, " text-anchor=\"end\"", kTickFont);
  });
  for (int yi = 0; yi < map.y.size(); ++yi) {
    const double top = plot.bottom - ch * (yi + 1);
    for (int xi = 0; xi < map.x.size(); ++xi) {
      const double v = map.at(xi, yi);
      const bool empty = !std::isfinite(v);
      const double t = badness(v, lo, hi, lower_is_better);
      s << "<rect x=\"" << px(plot.left + cw * xi) << "\" y=\"" << px(top) << "\" width=\"" << px(cw)
        << "\" height=\"" << px(ch) << "\" fill=\"" << (empty ? kEmpty : viridis(t)) << "\" stroke=\"#fff\""
        << cell_data(map, xi, yi) << "><title>"
        << xml_escape(map.x.setting + " " + map.x.labels[static_cast<std::size_t>(xi)] + ", " + map.y.setting + " " +
                      map.y.labels[static_cast<std::size_t>(yi)] + ": " + (empty ? "no trial" : fmt(v, "%.6g")))
        << "</title></rect>";
      if (!empty && labelled) {  // dark text on the light (yellow-green) half of the scale
        s << text(plot.left + cw * (xi + 0.5), top + ch / 2 + 3.5, fmt(v, cw >= 44 ? "%.4g" : "%.3g"), cw,
                  std::string(" text-anchor=\"middle\" fill=\"") + (t > 0.55 ? "#000" : "#fff") + '"', kTickFont);
      }
    }
  }
  slot_ticks(map.x.labels, edge_labels(map.x), plot.left, plot.width(), [&](double x, const std::string& t, double room) {
    s << text(x, plot.bottom + 14, t, std::max(room, 24.0), " text-anchor=\"middle\"", kTickFont);
  });
  s << text((plot.left + plot.right) / 2, plot.bottom + 36, axis_title(map.x), plot.width(), " text-anchor=\"middle\"")
    << vertical_title(14, plot, axis_title(map.y))
    << colour_bar(plot.right + 18, plot.top, plot.bottom, lo, hi, lower_is_better, value_label, kHeatWidth - 12)
    << "</svg>";
  return s.str();
}

namespace {

constexpr int kParallelWidth = 1000;
constexpr int kParallelHeight = 320;
constexpr Box kParallelPlot{70, 56, 850, 300};  // axis names above; the colour bar right

/// Where a raw value sits on an axis, 0 (bottom) to 1 (top); NaN when it is not on the axis.
double axis_position(const Axis& axis, double value) {
  if (axis.points.empty() || std::isnan(value)) return std::nan("");
  if (!axis.binned) {  // categories evenly spaced, whatever their values
    const int i = axis.index(value);
    if (i < 0) return std::nan("");
    return axis.points.size() > 1 ? static_cast<double>(i) / static_cast<double>(axis.points.size() - 1) : 0.5;
  }
  auto f = [&](double v) { return axis.log ? std::log10(v) : v; };
  if (axis.log && value <= 0) return std::nan("");
  const double a = f(axis.points.front());
  const double b = f(axis.points.back());
  return b > a ? std::clamp((f(value) - a) / (b - a), 0.0, 1.0) : 0.5;
}

}  // namespace

std::string parallel_chart_svg(const ParallelChart& chart) {
  const Box& plot = kParallelPlot;
  const std::size_t n_axes = chart.axes.size() + 1;  // the score is the last axis
  const double gap = n_axes > 1 ? plot.width() / static_cast<double>(n_axes - 1) : plot.width();
  auto axis_x = [&](std::size_t i) { return n_axes > 1 ? plot.left + gap * static_cast<double>(i) : (plot.left + plot.right) / 2; };
  auto height = [&](double t) { return plot.bottom - t * plot.height(); };
  const std::size_t lines = std::min(chart.values.size(), chart.score.size());
  const std::vector<double> scores(chart.score.begin(), chart.score.begin() + static_cast<std::ptrdiff_t>(lines));
  const auto [lo, hi] = finite_range(scores);
  const Ticks st = lo <= hi ? nice_ticks(lo, hi, 5) : nice_ticks(0, 1, 5);

  // Worst first, best last (on top); lines without a score first of all, under everything.
  std::vector<std::size_t> order(lines);
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto rank = [&](std::size_t i) {
    const double v = scores[i];
    if (!std::isfinite(v)) return -kInf;
    return chart.lower_is_better ? -v : v;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });

  std::ostringstream s;
  s << open_svg(kParallelWidth, kParallelHeight, chart.title);
  // Many lines overlap: fainter when there are more, so density still shows.
  const char* opacity = lines <= 50 ? "0.85" : lines <= 500 ? "0.5" : "0.25";
  s << "<g fill=\"none\" stroke-width=\"1.3\" stroke-linejoin=\"round\" stroke-opacity=\"" << opacity << "\">";
  for (std::size_t i : order) {
    std::string points;
    for (std::size_t a = 0; a < chart.axes.size(); ++a) {
      const double v = a < chart.values[i].size() ? chart.values[i][a] : std::nan("");
      const double t = axis_position(chart.axes[a], v);
      if (std::isfinite(t)) points += px(axis_x(a)) + "," + px(height(t)) + " ";
    }
    const double score = scores[i];
    if (std::isfinite(score)) {
      points += px(axis_x(n_axes - 1)) + "," + px(height((score - st.lo) / (st.hi - st.lo))) + " ";
    }
    if (points.empty()) continue;  // nothing of this line is on any axis
    points.pop_back();
    s << "<polyline stroke=\"" << (std::isfinite(score) ? viridis(badness(score, lo, hi, chart.lower_is_better)) : kNoScore)
      << "\" points=\"" << points << "\"><title>" << xml_escape(chart.score_label) << ": "
      << (std::isfinite(score) ? fmt(score, "%.6g") : "none") << "</title></polyline>";
  }
  s << "</g>";
  // Axes over the lines; tick texts with a white halo, so they stay readable over them.
  const std::string halo = " text-anchor=\"end\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"";
  for (std::size_t a = 0; a < n_axes; ++a) {
    const double x = axis_x(a);
    const bool score_axis = a + 1 == n_axes;
    const std::string name = score_axis ? chart.score_label
                                        : chart.axes[a].setting + (chart.axes[a].binned && chart.axes[a].log ? " (log)" : "");
    s << line(x, plot.top, x, plot.bottom, kInk)
      << text(x, plot.top - 12, name, std::min(gap - 8, 200.0), " text-anchor=\"middle\" font-weight=\"bold\"");
    auto tick = [&](double t, const std::string& label) {
      s << line(x - 4, height(t), x, height(t), kInk) << text(x - 6, height(t) + 3.5, label, 60, halo, kTickFont);
    };
    if (score_axis) {
      for (double v : st.values) tick((v - st.lo) / (st.hi - st.lo), tick_text(v, st.step));
      continue;
    }
    const Axis& axis = chart.axes[a];
    if (!axis.binned) {
      for (std::size_t i = 0; i < axis.points.size() && i < axis.labels.size(); ++i) {
        tick(axis_position(axis, axis.points[i]), axis.labels[i]);
      }
    } else {  // every other edge: 5 of the 9, round enough to read
      const std::vector<std::string> edges = edge_labels(axis);
      for (std::size_t i = 0; i < edges.size(); i += 2) tick(axis_position(axis, axis.points[i]), edges[i]);
    }
  }
  s << colour_bar(plot.right + 50, plot.top, plot.bottom, lo <= hi ? lo : kInf, lo <= hi ? hi : -kInf,
                  chart.lower_is_better, chart.score_label, kParallelWidth - 12)
    << "</svg>";
  return s.str();
}

namespace {

/// The configurations whose score is better than every earlier score: the corners of the
/// best-so-far line, in configuration order.
std::vector<std::size_t> improvements(const std::vector<double>& score, search::Goal goal) {
  std::vector<std::size_t> corners;
  for (std::size_t c = 0; c < score.size(); ++c) {
    if (std::isfinite(score[c]) && (corners.empty() || better(score[c], score[corners.back()], goal))) {
      corners.push_back(c);
    }
  }
  return corners;
}

/// The configurations a history chart draws as dots, in configuration order.
struct Dots {
  std::vector<std::size_t> configs;
  std::size_t stride = 1;  ///< every stride-th scored configuration (and every corner)
  std::size_t scored = 0;  ///< configurations with a finite score
};

/// Every scored configuration when at most kMaxHistoryDots, else every k-th of them (k the
/// smallest that fits) and every corner of the best-so-far line: chosen by position alone, so
/// the same file always gives the same dots.
Dots dotted(const std::vector<double>& score, const std::vector<std::size_t>& corners) {
  Dots dots;
  std::vector<std::size_t> scored;
  for (std::size_t c = 0; c < score.size(); ++c) {
    if (std::isfinite(score[c])) scored.push_back(c);
  }
  dots.scored = scored.size();
  dots.stride = std::max<std::size_t>(1, (scored.size() + kMaxHistoryDots - 1) / kMaxHistoryDots);
  if (dots.stride == 1) {
    dots.configs = std::move(scored);
    return dots;
  }
  std::vector<std::size_t> every;
  for (std::size_t i = 0; i < scored.size(); i += dots.stride) every.push_back(scored[i]);
  std::set_union(every.begin(), every.end(), corners.begin(), corners.end(), std::back_inserter(dots.configs));
  return dots;
}

/// Round integer ticks along [0, last] and the x axis title, under the plot.
std::string config_axis(double last, const Scale& x, const Box& plot) {
  std::string s;
  const double step = std::max(1.0, std::round(nice_ticks(0.0, last, 6).step));
  for (double c = 0; c <= last + 1e-9; c += step) {
    s += line(x(c), plot.bottom, x(c), plot.bottom + 4, kInk) +
         text(x(c), plot.bottom + 15, fmt(c, "%.0f"), 60, " text-anchor=\"middle\"", kTickFont);
  }
  return s + text((plot.left + plot.right) / 2, plot.bottom + 33, "configuration, numbered from 0 in the order decided",
                  plot.width(), " text-anchor=\"middle\"");
}

/// The best-so-far step line (its corners' configurations and scores in data attributes) through
/// the plot's last configuration, and a dot on the best of all.
std::string best_line(const std::vector<double>& score, const std::vector<std::size_t>& corners, double last,
                      const Scale& x, const Scale& y) {
  if (corners.empty()) return "";
  std::string d;
  std::string configs;
  std::string values;
  for (std::size_t i = 0; i < corners.size(); ++i) {
    const std::size_t c = corners[i];
    const std::string at = px(y(score[c]));
    d += i == 0 ? "M" + px(x(static_cast<double>(c))) + "," + at : "H" + px(x(static_cast<double>(c))) + "V" + at;
    configs += (i == 0 ? "" : " ") + std::to_string(c);
    values += (i == 0 ? "" : " ") + fmt(score[c], "%.17g");
  }
  const std::size_t best = corners.back();
  if (static_cast<double>(best) < last) d += "H" + px(x(last));
  const std::string words = "configuration " + std::to_string(best) + ": " + fmt(score[best], "%.6g");
  return std::string("<path fill=\"none\" stroke-width=\"1.5\" stroke=\"") + palette(1) + "\" d=\"" + d +
         "\" data-config=\"" + configs + "\" data-v=\"" + values + "\"><title>best so far, last improved by " + words +
         "</title></path><circle r=\"4\" fill=\"" + palette(1) + "\" stroke=\"#fff\" cx=\"" +
         px(x(static_cast<double>(best))) + "\" cy=\"" + px(y(score[best])) + "\"><title>the best: " + words +
         "</title></circle>";
}

/// The legend right of the plot: a dot and the line, then what the chart leaves out, in grey.
std::string history_legend(const HistoryChart& chart, const Dots& dots, bool model_line, const Box& plot) {
  constexpr double kRow = 15;
  const double x0 = plot.right + 14;
  const double text_x = x0 + 26;
  double y = plot.top + 8;
  std::ostringstream s;
  s << "<circle cx=\"" << px(x0 + 10) << "\" cy=\"" << px(y - 3.5) << "\" r=\"2.5\" fill=\"" << palette(0) << "\"/>"
    << text(text_x, y, "a configuration's score", kLineWidth - 6 - text_x);
  y += kRow;
  s << "<line x1=\"" << px(x0) << "\" x2=\"" << px(x0 + 20) << "\" y1=\"" << px(y - 3.5) << "\" y2=\"" << px(y - 3.5)
    << "\" stroke-width=\"1.5\" stroke=\"" << palette(1) << "\"/>"
    << text(text_x, y, "best so far", kLineWidth - 6 - text_x);
  y += kRow * 1.5;
  std::vector<std::string> notes;
  if (dots.stride > 1) {
    notes.push_back("dots: 1 in " + std::to_string(dots.stride) + " scored configurations and each new best (" +
                    std::to_string(dots.configs.size()) + " of " + std::to_string(dots.scored) + ")");
  }
  if (model_line) notes.push_back("dashed: the model decides from configuration " + std::to_string(chart.model_from));
  notes.insert(notes.end(), chart.legend_notes.begin(), chart.legend_notes.end());
  for (const auto& note : notes) {
    for (const auto& l : wrap(note, chars_in(kLineWidth - 6 - x0, kFont))) {
      if (y > kLineHeight - 6) return s.str();  // out of room: the rest is left out
      s << text(x0, y, l, kLineWidth - 6 - x0, " fill=\"#666\"");
      y += kRow - 2;
    }
  }
  return s.str();
}

}  // namespace

std::string history_chart_svg(const HistoryChart& chart) {
  const Box& plot = kLinePlot;
  const std::vector<double>& score = chart.score;
  const double last = static_cast<double>(std::max<std::size_t>(score.size(), 1) - 1);
  const auto [low, high] = finite_range(score);
  const auto [lo, hi] = padded(low, high);
  const Ticks yt = y_ticks(lo, hi, !(low < 0));
  const Scale y{yt.lo, yt.hi, plot.bottom, plot.top};
  const Scale x{-0.5, last + 0.5, plot.left, plot.right};  // half a configuration of room at each end
  const std::vector<std::size_t> corners = improvements(score, chart.goal);
  const Dots dots = dotted(score, corners);
  const bool model_line = chart.model_from > 0 && static_cast<std::size_t>(chart.model_from) < score.size();

  std::ostringstream s;
  s << open_svg(kLineWidth, kLineHeight, chart.title) << y_axis(yt, y, plot, chart.y_label)
    << config_axis(last, x, plot);
  if (model_line) {
    const double at = x(chart.model_from - 0.5);
    s << "<line x1=\"" << px(at) << "\" y1=\"" << px(plot.top) << "\" x2=\"" << px(at) << "\" y2=\"" << px(plot.bottom)
      << "\" stroke=\"#999\" stroke-dasharray=\"4,3\"/>";
  }
  // The dots as zero-length segments with round caps in one path: a third of the bytes of <circle>s.
  // Smaller when there are many, so a crowd still shows its density.
  if (!dots.configs.empty()) {
    s << "<path fill=\"none\" stroke=\"" << palette(0) << "\" stroke-opacity=\"0.6\" stroke-width=\""
      << (dots.configs.size() > 200 ? "3.5" : "5") << "\" stroke-linecap=\"round\" d=\"";
    for (std::size_t c : dots.configs) s << 'M' << px(x(static_cast<double>(c))) << ',' << px(y(score[c])) << "h0";
    s << "\"/>";
  }
  s << best_line(score, corners, last, x, y) << history_legend(chart, dots, model_line, plot) << "</svg>";
  return s.str();
}

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

const char* palette(std::size_t index) noexcept {
  static constexpr std::array<const char*, 8> kColours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                                          "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  return kColours[index % kColours.size()];
}

}  // namespace hpsweep::report
