// The `early_terminate` section: W&B's hyperband form, Ray Tune's ASHA names, sha and median.

#include <array>
#include <string_view>

#include "hpsweep/core/error.hpp"
#include "parse_parts.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search::detail {
namespace {

// The types a file may name (termination_name()'s names); kNone is no section at all.
constexpr std::array<Termination, 4> kTypes = {Termination::kAsha, Termination::kSha, Termination::kHyperband,
                                               Termination::kMedian};
constexpr std::array<std::string_view, 4> kAshaKeys = {"type", "grace_period", "reduction_factor", "max_t"};
constexpr std::array<std::string_view, 3> kMedianKeys = {"type", "grace_period", "min_samples"};
constexpr std::array<std::string_view, 4> kShaKeys = {"type", "min_iter", "eta", "max_iter"};
constexpr std::array<std::string_view, 5> kHyperbandKeys = {"type", "min_iter", "eta", "max_iter", "s"};
constexpr double kMaxEpochs = 1e6;

void read_int(const YAML::Node& node, std::string_view key, double min, int& out, Diagnostics& diag) {
  if (!has(node, key)) return;
  const std::string name = "early_terminate " + std::string(key);
  if (auto v = read_integer(child(node, key), name, NumberRange{min, kMaxEpochs}, diag)) out = static_cast<int>(*v);
}

}  // namespace

void read_early_terminate(const YAML::Node& node, EarlyTerminate& out, Diagnostics& diag) {
  out.place = diag.place(node.Mark());
  if (!node.IsMap()) {
    diag.add(node, "early_terminate must be a mapping such as {type: asha, grace_period: 3, reduction_factor: 3}, got " +
                       shown(node));
    return;
  }
  if (!has(node, "type")) {
    diag.add(node, "early_terminate needs a type; accepted: " + join(names_of(kTypes, termination_name)));
    return;
  }
  const std::optional<Termination> type =
      read_enum(child(node, "type"), "early_terminate type", kTypes, termination_name, diag);
  if (!type) return;
  out.type = *type;
  switch (*type) {
    case Termination::kAsha:
      check_map(node, "early_terminate (asha)", kAshaKeys, diag);
      read_int(node, "grace_period", 1, out.min_epochs, diag);
      read_int(node, "reduction_factor", 2, out.eta, diag);
      read_int(node, "max_t", 1, out.max_epochs, diag);
      break;
    case Termination::kMedian:
      check_map(node, "early_terminate (median)", kMedianKeys, diag);
      read_int(node, "grace_period", 1, out.min_epochs, diag);
      read_int(node, "min_samples", 1, out.min_samples, diag);
      break;
    case Termination::kSha:
    case Termination::kHyperband: {
      const bool hyperband = *type == Termination::kHyperband;
      check_map(node, hyperband ? "early_terminate (hyperband)" : "early_terminate (sha)",
                hyperband ? Names(kHyperbandKeys) : Names(kShaKeys), diag);
      read_int(node, "min_iter", 1, out.min_epochs, diag);
      read_int(node, "eta", 2, out.eta, diag);
      read_int(node, "max_iter", 1, out.max_epochs, diag);
      if (hyperband) read_int(node, "s", 1, out.brackets, diag);
      break;
    }
    case Termination::kNone:
      // Not in kTypes, so read_enum never returns it.
      throw core::Error("early_terminate: type none has no reader", core::ExitCode::kInternal);
  }
  if (out.max_epochs > 0 && out.max_epochs <= out.min_epochs) {
    diag.add(node, "early_terminate: the first rung (" + std::to_string(out.min_epochs) +
                       " epochs) must lie below the last (" + std::to_string(out.max_epochs) +
                       "); lower grace_period/min_iter or leave max_t/max_iter out (it defaults to the epochs)");
  }
}

}  // namespace hpsweep::search::detail
