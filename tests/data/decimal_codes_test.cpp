#include "hpsweep/data/decimal_codes.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace hpsweep::data {
namespace {

std::uint64_t bits(double value) { return std::bit_cast<std::uint64_t>(value); }

/// glibc's strtod: an independent, correctly rounding parser.
double parsed(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

/// Texts as programs print numbers: printf's %g, %f and %e at 1 to 9 significant digits, and
/// integers, over magnitudes from 1e-16 to 1e12, both signs.
std::vector<std::string> printed_numbers(std::uint64_t seed, int count) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  const char* const formats[] = {"%.*g", "%.*f", "%.*e"};
  std::vector<std::string> texts;
  char text[64];
  for (int i = 0; i < count; ++i) {
    const int exponent = static_cast<int>(rng() % 29) - 16;
    const double value = (rng() % 2 ? -1.0 : 1.0) * mantissa(rng) * std::pow(10.0, exponent);
    const int precision = static_cast<int>(rng() % 9) + (i % 3 == 0 ? 1 : 0);
    if (i % 7 == 0) {
      std::snprintf(text, sizeof text, "%lld", static_cast<long long>(value / 1e4));
    } else {
      std::snprintf(text, sizeof text, formats[i % 3], precision, value);
    }
    texts.emplace_back(text);
  }
  return texts;
}

/// Significant digits of a decimal text, leading and trailing zeros not counted; its places after
/// the point once trailing zeros go (negative for trailing zeros before it).
void digits_and_places(const std::string& text, int& digits, int& places) {
  std::string mantissa = text.substr(0, text.find_first_of("eE"));
  const int exponent = mantissa.size() < text.size() ? std::atoi(text.c_str() + mantissa.size() + 1) : 0;
  const std::size_t point = mantissa.find('.');
  const int after_point = point == std::string::npos ? 0 : static_cast<int>(mantissa.size() - point - 1);
  std::string all;
  for (const char c : mantissa) {
    if (c >= '0' && c <= '9') all += c;
  }
  const std::size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) {
    digits = 0;
    places = 0;
    return;
  }
  const std::size_t last = all.find_last_not_of('0');
  digits = static_cast<int>(last - first + 1);
  places = after_point - exponent - static_cast<int>(all.size() - 1 - last);
}

// Every code gives back, to the bit, the value a correctly rounding parser reads from the text; a
// short decimal (at most 8 significant digits, 14 places and below 2^27) never needs the side table.
TEST(DecimalCodes, CodesDecodeToTheParsedValue) {
  const std::vector<std::string> texts = printed_numbers(20261206, 200000);
  std::size_t short_ones = 0;
  std::size_t side_values = 0;
  DecimalCodes codes;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i % 4000 == 0) {  // a third of these texts need the side table: too many for one DecimalCodes
      side_values += codes.side_table_size();
      codes = DecimalCodes{};
    }
    const std::string& text = texts[i];
    const double value = parsed(text);
    const std::size_t side_before = codes.side_table_size();
    const std::uint32_t code = codes.encode(text, value);
    ASSERT_EQ(bits(codes.decode(code)), bits(value)) << text;
    int digits = 0;
    int places = 0;
    digits_and_places(text, digits, places);
    if (digits <= 8 && places <= 14 && std::abs(value) < 134217728.0) {
      ++short_ones;
      ASSERT_EQ(codes.side_table_size(), side_before) << text << " is a short decimal";
    }
  }
  side_values += codes.side_table_size();
  EXPECT_GT(short_ones, 100000u);
  EXPECT_GT(side_values, 10000u) << "the test covers few other values";
}

TEST(DecimalCodes, EdgesOfTheShortForm) {
  const std::vector<std::string> texts = {
      "0", "-0", "0.000", "-0e5", "0e-999", "0e99999999999999999999", "-0.0e268435455", "1", "-1", "134217727", "134217728", "-134217727", "99999999",
      "999999999", "1e-14", "1e-15", "1.5e-13", "12345678e-14", "0.00000000000001", "1e8", "1.5e3", "-2.5E+2",
      "1.2345678", "0.12345678", "007.50", "1.500000000000000000", "1.50000000000000000000", "4.9406564584124654e-324", "1e-320",
      "1.7976931348623157e308", "0.30000000000000004", "123456789012345678901234567890",
      "1.000000000000000111022302462515654042363166809082031"};
  DecimalCodes codes;
  for (const std::string& text : texts) {
    const double value = parsed(text);
    EXPECT_EQ(bits(codes.decode(codes.encode(text, value))), bits(value)) << text;
  }
  // The short ones among them: zeros, the integers below 2^27 and the values of 14 places or fewer
  // (19 digits at most: fast_float's mantissa, trailing zeros included).
  DecimalCodes short_only;
  for (const char* text : {"0", "-0", "0e-999", "0e99999999999999999999", "134217727", "-134217727", "99999999", "1e-14", "1e8", "1.5e-13",
                           "12345678e-14", "007.50", "1.500000000000000000", "0.12345678"}) {
    (void)short_only.encode(text, parsed(text));
  }
  EXPECT_EQ(short_only.side_table_size(), 0u);
  for (const char* text : {"134217728", "999999999", "1e-15", "1.5e-14", "1e-320", "1.50000000000000000000"}) {
    const std::size_t before = short_only.side_table_size();
    (void)short_only.encode(text, parsed(text));
    EXPECT_EQ(short_only.side_table_size(), before + 1) << text;
  }
  EXPECT_EQ(bits(short_only.decode(short_only.encode("-0", -0.0))), bits(-0.0));
}

// encode_prefix reads the number straight from the text, without the float64 value: it must give
// encode's code, count it, and end exactly where the number ends at the separator or the end.
TEST(DecimalCodes, EncodePrefixIsEncodeWithoutTheValue) {
  DecimalCodes by_text;
  for (const std::string& text : printed_numbers(7, 20000)) {
    DecimalCodes by_value;  // fresh: its first 4,096 side-table values are free
    const std::uint32_t expected = by_value.encode(text, parsed(text));
    const bool short_decimal = by_value.side_table_size() == 0;
    for (const std::string& tail : {std::string(), std::string(",1,2"), std::string(";"), std::string(" ,")}) {
      const std::string cell = text + tail;
      std::uint32_t code = 0;
      const char* end = by_text.encode_prefix(cell.data(), cell.data() + cell.size(), ',', code);
      if (!short_decimal || tail == ";" || tail == " ,") {
        EXPECT_EQ(end, nullptr) << cell;
        continue;
      }
      ASSERT_NE(end, nullptr) << cell;
      EXPECT_EQ(end, cell.data() + text.size()) << cell;
      EXPECT_EQ(code, expected) << cell;
    }
  }
  std::uint32_t code = 0;
  for (const std::string cell : {"", "+1", "-", ".", "inf", "nan", "1e400", "1.5x", "1e", "0x10", " 1"}) {
    EXPECT_EQ(by_text.encode_prefix(cell.data(), cell.data() + cell.size(), ',', code), nullptr) << cell;
  }
}

// Text that is not short decimals (17-digit float64 output) is refused once it is clear; a few
// long values among short ones are not.
TEST(DecimalCodes, LongValuesAreNotCompact) {
  DecimalCodes mixed;
  char text[64];
  for (int i = 0; i < 100000; ++i) {
    const double value = 1.0 / (i + 3.0);
    std::snprintf(text, sizeof text, i % 20 == 0 ? "%.17g" : "%.6g", value);
    ASSERT_NO_THROW((void)mixed.encode(text, parsed(text))) << i;
  }
  EXPECT_EQ(mixed.side_table_size(), 5000u);
  DecimalCodes long_only;
  int encoded = 0;
  EXPECT_THROW(
      {
        for (; encoded < 100000; ++encoded) {
          std::snprintf(text, sizeof text, "%.17g", 1.0 / (encoded + 3.0));
          (void)long_only.encode(text, parsed(text));
        }
      },
      DecimalCodes::NotCompact);
  EXPECT_GE(encoded, 4096);
  EXPECT_LT(encoded, 4400);
}

}  // namespace
}  // namespace hpsweep::data
