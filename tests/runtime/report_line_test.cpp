// parse_report_line: which lines of a user's program are reports, and their metrics. A metric
// taken from the wrong place (a string, a nested object) or a report taken for text would
// rank trials on numbers the program never reported.

#include "hpsweep/runtime/report_line.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace hpsweep::runtime {
namespace {

using Metrics = std::vector<std::pair<std::string, double>>;

/// The metrics of `line`, which must be a report.
Metrics metrics_of(std::string_view line) {
  const ParsedLine parsed = parse_report_line(line);
  EXPECT_EQ(parsed.kind, LineKind::kReport) << line;
  return parsed.metrics;
}

TEST(ParseReportLine, NumbersOfAnyKindAreMetricsInLineOrder) {
  EXPECT_EQ(metrics_of(R"({"epoch": 3, "loss": 0.25, "lr": 1e-3, "delta": -2, "big": 18446744073709551615,)"
                       R"( "bigger": 18446744073709551616, "neg": -7.5E+2, "zero": 0})"),
            (Metrics{{"epoch", 3.0},
                     {"loss", 0.25},
                     {"lr", 1e-3},
                     {"delta", -2.0},
                     {"big", 18446744073709551615.0},
                     {"bigger", 18446744073709551616.0},
                     {"neg", -750.0},
                     {"zero", 0.0}}));
  EXPECT_EQ(metrics_of(R"({"b":2,"a":1})"), (Metrics{{"b", 2.0}, {"a", 1.0}}));  // line order, not sorted
  // A number past double's range is refused by nlohmann (documented): the line is text.
  EXPECT_EQ(parse_report_line(R"({"a": 1e400, "b": 1})").kind, LineKind::kText);
}

TEST(ParseReportLine, PythonNonFiniteTokensAreAccepted) {
  const Metrics m = metrics_of(R"({"a": NaN, "b": Infinity, "c": -Infinity, "d": 1})");
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].first, "a");
  EXPECT_TRUE(std::isnan(m[0].second));
  EXPECT_EQ(m[1], (std::pair<std::string, double>{"b", std::numeric_limits<double>::infinity()}));
  EXPECT_EQ(m[2], (std::pair<std::string, double>{"c", -std::numeric_limits<double>::infinity()}));
  EXPECT_EQ(m[3], (std::pair<std::string, double>{"d", 1.0}));
  // As Python writes them (no spaces), and among real nulls: each null stays a null, not a metric.
  const Metrics compact = metrics_of(R"({"n":null,"x":-Infinity,"m":null,"y":NaN,"z":[null,NaN],"w":Infinity})");
  ASSERT_EQ(compact.size(), 3u);
  EXPECT_EQ(compact[0], (std::pair<std::string, double>{"x", -std::numeric_limits<double>::infinity()}));
  EXPECT_EQ(compact[1].first, "y");
  EXPECT_TRUE(std::isnan(compact[1].second));
  EXPECT_EQ(compact[2], (std::pair<std::string, double>{"w", std::numeric_limits<double>::infinity()}));
}

TEST(ParseReportLine, TokensInsideStringsAreLeftAlone) {
  EXPECT_EQ(metrics_of(R"({"note":"NaN","x":1})"), (Metrics{{"x", 1.0}}));
  EXPECT_EQ(metrics_of(R"({"note":"he said \"NaN\" and -Infinity\\","x":2})"), (Metrics{{"x", 2.0}}));
  EXPECT_EQ(metrics_of(R"({"NaN": 1, "Infinity": -Infinity, "null": 3})"),
            (Metrics{{"NaN", 1.0}, {"Infinity", -std::numeric_limits<double>::infinity()}, {"null", 3.0}}));
}

TEST(ParseReportLine, OnlyTopLevelNumbersAreMetrics) {
  EXPECT_EQ(metrics_of(R"({"a": {"b": 1, "c": NaN}, "l": [1, 2], "d": 3, "t": true, "f": false, "s": "4", "n": null})"),
            (Metrics{{"d", 3.0}}));
  EXPECT_EQ(metrics_of(R"({"deep": [{"x": [[1]]}], "after": 5})"), (Metrics{{"after", 5.0}}));
}

TEST(ParseReportLine, RepeatedNameTakesTheLastValueAtItsFirstPlace) {
  EXPECT_EQ(metrics_of(R"({"x": 1, "y": 2, "x": 3})"), (Metrics{{"x", 3.0}, {"y", 2.0}}));
  EXPECT_EQ(metrics_of(R"({"x": 1, "x": "no longer a number"})"), Metrics{});
  EXPECT_EQ(metrics_of(R"({"x": "text", "y": 1, "x": 2})"), (Metrics{{"x", 2.0}, {"y", 1.0}}));
  // Past the size where names are found through a hash map.
  std::string line = "{";
  Metrics expected;
  for (int i = 0; i < 100; ++i) {
    line += "\"f" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
    expected.emplace_back("f" + std::to_string(i), i);
  }
  line += R"("f5": -1, "f99": "gone", "g": 7})";
  expected[5].second = -1;
  expected.pop_back();
  expected.emplace_back("g", 7);
  EXPECT_EQ(metrics_of(line), expected);
}

TEST(ParseReportLine, BadJsonIsText) {
  for (const char* line :
       {"{", "{\"a\": 1", "{a: 1}", "{\"a\": nan}", "{\"a\": NaNx}", "{\"a\": - Infinity}", "{\"a\": --Infinity}",
        "{\"a\": 1}}", "{\"a\": 1} trailing", "{\"a\": 'x'}", "{\"a\": 1,}", "{ oops, a log line in braces }",
        "{\"a\": 01}", "{\"a\": \"unterminated}", "{\"a\": Infinity1}", "{\"a\": 1NaN}", "{} {}"}) {
    const ParsedLine parsed = parse_report_line(line);
    EXPECT_EQ(parsed.kind, LineKind::kText) << line;
    EXPECT_TRUE(parsed.metrics.empty()) << line;
  }
}

TEST(ParseReportLine, ArrayIsNotAnObject) {
  for (const char* line : {"[1, 2]", "[]", "[{\"a\": 1}]", "[NaN, -Infinity]", "  [\"x\"]\r"}) {
    const ParsedLine parsed = parse_report_line(line);
    EXPECT_EQ(parsed.kind, LineKind::kNotAnObject) << line;
    EXPECT_TRUE(parsed.metrics.empty()) << line;
  }
  EXPECT_EQ(parse_report_line("[1, 2").kind, LineKind::kText);
  EXPECT_EQ(parse_report_line("[epoch 3] loss 0.5").kind, LineKind::kText);
}

TEST(ParseReportLine, PlainTextAndBareJsonValuesAreText) {
  for (const char* line :
       {"", "   ", "epoch 3 loss 0.25", "42", "\"a string\"", "null", "true", "NaN", "x {\"a\": 1}"}) {
    EXPECT_EQ(parse_report_line(line).kind, LineKind::kText) << line;
  }
}

TEST(ParseReportLine, SurroundingWhitespaceAndCrlfAreIgnored) {
  EXPECT_EQ(metrics_of("  {\"a\": 1}  \r"), (Metrics{{"a", 1.0}}));
  EXPECT_EQ(metrics_of("\t{\"a\":1,\r\n \"b\" :\t2}\r\n"), (Metrics{{"a", 1.0}, {"b", 2.0}}));
  EXPECT_EQ(metrics_of("{\"a\": 1}\f"), (Metrics{{"a", 1.0}}));
}

TEST(ParseReportLine, EmptyObjectAndObjectWithoutNumbersAreReports) {
  EXPECT_EQ(metrics_of("{}"), Metrics{});
  EXPECT_EQ(metrics_of(R"({"phase": "warmup", "done": false})"), Metrics{});
}

TEST(ParseReportLine, DeepNestingDoesNotExhaustTheStack) {
  const std::string line = "{\"a\": " + std::string(200000, '[') + std::string(200000, ']') + ", \"b\": 1}";
  EXPECT_EQ(metrics_of(line), (Metrics{{"b", 1.0}}));
  EXPECT_EQ(parse_report_line("{\"a\": " + std::string(200000, '[')).kind, LineKind::kText);
}

// The target is well under 20 us per line in a release build; the bound here is loose enough for
// Debug and sanitizer builds and still catches a parser gone quadratic or a regex per line.
TEST(ParseReportLine, IsFast) {
  const std::string report = R"({"epoch": 12, "step": 4800, "loss": 0.3141592653589793, "acc": 0.8125, "lr": 0.001})";
  const std::string text = "Epoch 12/100: 100%|##########| 375/375 [00:03<00:00, 112.35it/s, loss=0.314]";
  constexpr int kLines = 20000;
  double sum = 0.0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kLines; ++i) {
    sum += parse_report_line(report).metrics.at(2).second;
    sum += static_cast<double>(parse_report_line(text).metrics.size());
  }
  const double per_line = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / kLines;
  EXPECT_NEAR(sum, kLines * 0.3141592653589793, 1e-6);
  EXPECT_LT(per_line, 200e-6) << per_line * 1e6 << " us per report and text line";
}

}  // namespace
}  // namespace hpsweep::runtime
