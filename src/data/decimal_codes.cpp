#include "hpsweep/data/decimal_codes.hpp"

#include <fast_float/fast_float.h>

#include <bit>

namespace hpsweep::data {
namespace {

/// Side-table values allowed before the one-in-16 rule applies (a few odd cells in a short file).
constexpr std::size_t kFreeSideTable = 4096;

bool same_bits(double a, double b) noexcept { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace

bool DecimalCodes::short_decimal_code(const char* first, const char* last, const char*& end,
                                      std::uint32_t& code) noexcept {
  if (first == last) return false;
  // fast_float's own first step: the text's decimal digits (up to 19) and exponent.
  const fast_float::parsed_number_string number = fast_float::parse_number_string(first, last, fast_float::parse_options{});
  if (!number.valid || number.too_many_digits) return false;
  std::uint64_t digits = number.mantissa;
  // Zero first: its exponent can be anything up to fast_float's cap of 2^28 ("0e99999999").
  std::int64_t exponent = digits == 0 ? 0 : number.exponent;
  while (exponent < 0 && digits % 10 == 0) {  // "1.50" is 15 / 10
    digits /= 10;
    ++exponent;
  }
  while (exponent > 0 && digits <= kDigitsMask / 10) {  // "1.5e3" is 1500: at most 9 steps
    digits *= 10;
    --exponent;
  }
  if (exponent > 0 || -exponent >= static_cast<std::int64_t>(kSideTable) || digits > kDigitsMask) return false;
  // digits < 2^53 and 10^places <= 10^22 are exact float64 values, so decode's one division is
  // correctly rounded: the value a correctly rounding parser gives for the text (Clinger's fast path).
  code = (number.negative ? kSignBit : 0u) | static_cast<std::uint32_t>(-exponent) << kPlacesShift |
         static_cast<std::uint32_t>(digits);
  end = number.lastmatch;
  return true;
}

const char* DecimalCodes::encode_prefix(const char* first, const char* last, char separator,
                                        std::uint32_t& code) noexcept {
  const char* end = nullptr;
  if (!short_decimal_code(first, last, end, code) || (end != last && *end != separator)) return nullptr;
  ++encoded_;
  return end;
}

void DecimalCodes::decode(const CodeBlock& block, Eigen::MatrixXd& values) const {
  values.resize(block.rows(), block.cols());
  // Side-table codes first decode as short decimals (index / 10^15), then are replaced: the loop
  // over a column then has no branch, and vectorizes.
  const Eigen::Index rows = block.rows();
  for (Eigen::Index j = 0; j < block.cols(); ++j) {
    const std::uint32_t* codes = block.col(j).data();
    double* out = values.col(j).data();
    std::uint32_t side_table_codes = 0;
    for (Eigen::Index i = 0; i < rows; ++i) {
      out[i] = short_decimal_value(codes[i]);
      side_table_codes |= in_side_table(codes[i]) ? 1u : 0u;
    }
    if (side_table_codes == 0) continue;
    for (Eigen::Index i = 0; i < rows; ++i) {
      if (in_side_table(codes[i])) out[i] = side_table_[codes[i] & kDigitsMask];
    }
  }
}

std::uint32_t DecimalCodes::encode(std::string_view text, double value) {
  ++encoded_;
  const char* const last = text.data() + text.size();
  const char* end = nullptr;
  std::uint32_t code = 0;
  // The check is for safety only: short_decimal_code's codes decode to the correctly rounded value.
  if (short_decimal_code(text.data(), last, end, code) && end == last && same_bits(decode(code), value)) return code;
  if (side_table_.size() >= kFreeSideTable + encoded_ / 16 || side_table_.size() > kDigitsMask) throw NotCompact{};
  side_table_.push_back(value);
  return kSideTable << kPlacesShift | static_cast<std::uint32_t>(side_table_.size() - 1);
}

}  // namespace hpsweep::data
