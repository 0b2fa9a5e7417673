// The page as a whole: a 10,000-trial, 100-epoch sweep stays under 2 MB and is written quickly,
// a partial file says so, and text from the file is escaped.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "hpsweep/report/html.hpp"
#include "hpsweep/report/svg.hpp"

namespace hpsweep::report {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// `trials` random configurations over lr, l2, dropout, width, batch_size, each with `epochs`
/// epochs of a made-up curve; every 40th trial diverged, the last `pending` ones pending.
store::Results big_sweep(int trials, int epochs, int pending, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  store::Results r;
  r.info.name = "big<&>";
  for (int i = 0; i < trials; ++i) {
    store::TrialRecord t;
    t.trial = t.config = i;
    t.settings = {{"lr", std::pow(10.0, -4 + 2 * u(rng))}, {"l2", std::pow(10.0, -6 + 4 * u(rng))},
                  {"dropout", 0.6 * u(rng)}, {"batch_size", 16LL << (i % 4)}, {"width", 32LL << (i % 3)}};
    if (i >= trials - pending) {
      r.trials.push_back(std::move(t));
      continue;
    }
    t.status = i % 40 == 7 ? search::TrialStatus::kDiverged : search::TrialStatus::kOk;
    t.message = t.status == search::TrialStatus::kDiverged ? "loss became NaN at epoch 3 <oops>" : "";
    const double floor = 0.5 + 0.2 * u(rng);
    for (int e = 1; e <= epochs; ++e) {
      t.curve.train_loss.push_back(floor * (1.0 + 1.0 / e) - 0.001 * e);
      t.curve.val_loss.push_back(floor * (1.0 + 1.0 / e) + 0.0005 * e);
      t.curve.val_metric.push_back(0.8);
    }
    const auto best = std::min_element(t.curve.val_loss.begin(), t.curve.val_loss.end());
    t.best_val_loss = *best;
    t.best_epoch = static_cast<int>(best - t.curve.val_loss.begin()) + 1;
    t.final_train_loss = t.curve.train_loss.back();
    t.final_val_loss = t.curve.val_loss.back();
    t.epochs_run = epochs;
    t.seconds = 1.0;
    r.trials.push_back(std::move(t));
  }
  return r;
}

// Speed is measured by bench/report_speed.sh, not here.
TEST(ReportPage, TenThousandTrialsStayUnderTwoMegabytes) {
  const store::Results r = big_sweep(10000, 100, 0, 1);
  std::ostringstream out;
  write_report(out, r, search::SweepSpec{}, "big.h5");
  const std::string page = out.str();
  EXPECT_LT(page.size(), 2u * 1024 * 1024);
  // The optimization history; baseline and cures, rise, top 5; 5 rise-and-gap charts (lr, l2,
  // dropout, batch_size, width); 3 heat maps (of 10 pairs); one parallel-coordinates chart. No
  // baseline (l2 > 0 everywhere).
  EXPECT_EQ(count(page, "<svg"), 13u);
  // The history right after the ranking, its 9,750 scored configurations thinned to 1 in 5 dots,
  // the 250 diverged ones counted in its legend.
  EXPECT_LT(page.find("<h2>Ranking</h2>"), page.find("<h2>Optimization history</h2>"));
  EXPECT_LT(page.find("<h2>Optimization history</h2>"), page.find("<h2>Overfitting and its cure</h2>"));
  EXPECT_NE(page.find(">dots: 1 in 5 scored</text>"), std::string::npos);
  EXPECT_NE(page.find(">250 configuration(s) without"), std::string::npos);
  EXPECT_EQ(count(page, "data-config=\""), 1u);
  EXPECT_NE(page.find("no unregularized baseline"), std::string::npos);
  EXPECT_NE(page.find("Shown: the 3 of 10 pairs"), std::string::npos);
  EXPECT_EQ(count(page, "<svg"), count(page, "</svg>"));
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("PARTIAL"), std::string::npos);
  EXPECT_NE(page.find("big&lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<oops>"), std::string::npos);
  EXPECT_NE(page.find("&lt;oops&gt;"), std::string::npos);
  EXPECT_NE(page.find("the first 200 are listed"), std::string::npos);  // 250 diverged
}

TEST(ReportPage, PendingTrialsMarkThePagePartial) {
  const store::Results r = big_sweep(40, 10, 15, 2);
  std::ostringstream out;
  write_report(out, r, search::SweepSpec{}, "partial.h5");
  EXPECT_NE(out.str().find("<b>PARTIAL</b>: 15 trial(s) still pending"), std::string::npos);
}

TEST(ReportPage, AFileWithNoFinishedTrialStillWritesAPage) {
  const store::Results r = big_sweep(10, 10, 10, 3);
  std::ostringstream out;
  write_report(out, r, search::SweepSpec{}, "empty.h5");
  EXPECT_NE(out.str().find("</html>"), std::string::npos);
  EXPECT_EQ(count(out.str(), "<svg"), 0u);
}

TEST(ReportSvg, XmlEscapeAndLineChartMarksTheMinimum) {
  EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  Series val;
  val.label = "val";
  val.y = {0.9, 0.5, std::nan(""), 0.7};
  val.color = "#000";
  val.marked_epoch = 2;
  LineChart chart;
  chart.title = "t";
  chart.series = {val};
  const std::string svg = line_chart_svg(chart);
  EXPECT_EQ(count(svg, "<circle"), 1u);
  EXPECT_EQ(count(svg, "<polyline"), 2u);  // the NaN splits the line
  EXPECT_NE(svg.find("minimum at epoch 2"), std::string::npos);
}

}  // namespace
}  // namespace hpsweep::report
