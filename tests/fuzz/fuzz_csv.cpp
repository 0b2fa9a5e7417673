// The CSV reader on arbitrary text, with the target last, named, and optional; and, differentially,
// the coded reader (a float32 sweep's), which must give the same error or values that decode to
// the same bits (or refuse the text as not short decimals).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "hpsweep/core/error.hpp"
#include "hpsweep/data/csv_reader.hpp"

namespace {

/// A reader's outcome: its error message, or its data set.
template <typename Dataset>
struct Outcome {
  std::string error;
  std::optional<Dataset> data;
};

template <typename Read>
auto outcome_of(const Read& read) -> Outcome<decltype(read())> {
  try {
    return {{}, read()};
  } catch (const hpsweep::core::Error& e) {
    return {e.what(), std::nullopt};
  }
}

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  hpsweep::data::CsvOptions named;
  named.target = "y";
  hpsweep::data::CsvOptions optional = named;
  optional.target_optional = true;
  for (const auto& options : {hpsweep::data::CsvOptions{}, named, optional}) {
    const auto wide = outcome_of([&] { return hpsweep::data::parse_csv(text, "fuzz.csv", options); });
    hpsweep::data::DecimalCodes codes;
    std::optional<Outcome<hpsweep::data::CodedDataset>> coded;
    try {
      coded = outcome_of([&] { return hpsweep::data::parse_csv_coded(text, "fuzz.csv", options, codes); });
    } catch (const hpsweep::data::DecimalCodes::NotCompact&) {
      continue;  // the float64 reader reads such text
    }
    if (coded->error != wide.error || coded->data.has_value() != wide.data.has_value()) std::abort();
    if (!wide.data) continue;
    Eigen::MatrixXd decoded;
    codes.decode(coded->data->features, decoded);
    if (!same_bits(decoded, wide.data->features) || coded->data->target != wide.data->target ||
        coded->data->feature_names != wide.data->feature_names || coded->data->class_values != wide.data->class_values) {
      std::abort();
    }
  }
  return 0;
}
