#pragma once
/// Float64 values read from decimal text, held in 4 bytes each and given back to the bit: a CSV of
/// short decimals (up to 8 significant digits, as most are written) then takes the memory of
/// float32 data, not of float64, before it is standardized in float64.

#include <Eigen/Core>
#include <bit>
#include <cstdint>
#include <string_view>
#include <vector>

namespace hpsweep::data {

/// Codes for the float64 values of numbers in decimal text. A number of at most 14 decimal places
/// whose digits (without the point and trailing zeros) make an integer below 2^27 (every number of
/// up to 8 significant digits) is held as its sign, digits and places: decode divides
/// the digits by 10^places, one division of two exact float64 values, so correctly rounded: exactly
/// the value a correctly rounding parser (fast_float) gives for the text. Any other value is held
/// in a side table and its code indexes it. encode also checks that its code decodes to the value
/// it is given; encode_prefix, which has no value, rests on the correct rounding (and the tests
/// compare its codes with encode's over hundreds of thousands of printed numbers).
class DecimalCodes {
 public:
  /// Thrown by encode when more than one value in 16 (after the first 4,096) needs the side table:
  /// the text is not short decimals (17-digit float64 output, say) and float64 holds it as well.
  struct NotCompact {};

  /// The code of `value`, the float64 value of the number `text` (no leading '+').
  [[nodiscard]] std::uint32_t encode(std::string_view text, double value);

  /// When [first, last) starts with a short decimal that ends at `last` or at `separator`: sets
  /// `code` to encode's code of it, without parsing it to float64, and returns where it ends.
  /// Otherwise nullptr, and nothing is counted.
  [[nodiscard]] const char* encode_prefix(const char* first, const char* last, char separator,
                                          std::uint32_t& code) noexcept;

  /// The float64 value a code stands for.
  [[nodiscard]] double decode(std::uint32_t code) const noexcept {
    if (in_side_table(code)) return side_table_[code & kDigitsMask];
    return short_decimal_value(code);
  }

  /// A block of a matrix of codes (whole columns or a panel of rows of each).
  using CodeBlock = Eigen::Ref<const Eigen::Matrix<std::uint32_t, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;

  /// Decodes `block` into `values` (resized to its shape): decode() of each code, in a loop the
  /// compiler vectorizes.
  void decode(const CodeBlock& block, Eigen::MatrixXd& values) const;

  /// How many values are held in the side table.
  [[nodiscard]] std::size_t side_table_size() const noexcept { return side_table_.size(); }

 private:
  /// Whether `code` holds an index into the side table rather than a short decimal.
  static bool in_side_table(std::uint32_t code) noexcept { return (code >> kPlacesShift & kPlacesMask) == kSideTable; }

  /// The value of a code that is not the side table's: its digits / 10^places, with its sign. No
  /// branch and no table (10^places is built from the bits of places: each product is a power of
  /// ten below 2^53, so exact), so that a loop of it vectorizes.
  static double short_decimal_value(std::uint32_t code) noexcept {
    const std::uint32_t places = code >> kPlacesShift & kPlacesMask;
    const double power_of_ten = ((places & 1) != 0 ? 1e1 : 1.0) * ((places & 2) != 0 ? 1e2 : 1.0) *
                                ((places & 4) != 0 ? 1e4 : 1.0) * ((places & 8) != 0 ? 1e8 : 1.0);
    const double magnitude = static_cast<double>(code & kDigitsMask) / power_of_ten;
    return std::bit_cast<double>(std::bit_cast<std::uint64_t>(magnitude) | static_cast<std::uint64_t>(code & kSignBit) << 32);
  }

  /// The code of the short decimal [first, end) at the start of [first, last), if it is one.
  static bool short_decimal_code(const char* first, const char* last, const char*& end, std::uint32_t& code) noexcept;

  // Bit 31 the sign, bits 27-30 the places (15: the side table), bits 0-26 the digits or the index.
  static constexpr std::uint32_t kSignBit = 1u << 31;
  static constexpr int kPlacesShift = 27;
  static constexpr std::uint32_t kPlacesMask = 15;
  static constexpr std::uint32_t kSideTable = 15;
  static constexpr std::uint32_t kDigitsMask = (1u << kPlacesShift) - 1;

  std::vector<double> side_table_;
  std::uint64_t encoded_ = 0;
};

}  // namespace hpsweep::data
