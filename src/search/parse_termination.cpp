// The `early_terminate` section: W&B's hyperband form, Ray Tune's ASHA names, sha and median.

#include <array>
#include <string_view>

#include "parse_parts.hpp"
#include "yaml_read.hpp"

namespace hpsweep::search::detail {
namespace {

constexpr std::array<std::string_view, 4> kTypes = {"asha", "sha", "hyperband", "median"};
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
    diag.add(node, "early_terminate needs a type; accepted: " + join(kTypes));
    return;
  }
  const std::optional<std::string> type = read_choice(child(node, "type"), "early_terminate type", kTypes, diag);
  if (!type) return;
  if (*type == "asha") {
    out.type = Termination::kAsha;
    check_map(node, "early_terminate (asha)", kAshaKeys, diag);
    read_int(node, "grace_period", 1, out.min_epochs, diag);
    read_int(node, "reduction_factor", 2, out.eta, diag);
    read_int(node, "max_t", 1, out.max_epochs, diag);
  } else if (*type == "median") {
    out.type = Termination::kMedian;
    check_map(node, "early_terminate (median)", kMedianKeys, diag);
    read_int(node, "grace_period", 1, out.min_epochs, diag);
    read_int(node, "min_samples", 1, out.min_samples, diag);
  } else {
    const bool hyperband = *type == "hyperband";
    out.type = hyperband ? Termination::kHyperband : Termination::kSha;
    if (hyperband) {
      check_map(node, "early_terminate (hyperband)", kHyperbandKeys, diag);
    } else {
      check_map(node, "early_terminate (sha)", kShaKeys, diag);
    }
    read_int(node, "min_iter", 1, out.min_epochs, diag);
    read_int(node, "eta", 2, out.eta, diag);
    read_int(node, "max_iter", 1, out.max_epochs, diag);
    if (hyperband) read_int(node, "s", 1, out.brackets, diag);
  }
  if (out.max_epochs > 0 && out.max_epochs <= out.min_epochs) {
    diag.add(node, "early_terminate: the first rung (" + std::to_string(out.min_epochs) +
                       " epochs) must lie below the last (" + std::to_string(out.max_epochs) +
                       "); lower grace_period/min_iter or leave max_t/max_iter out (it defaults to the epochs)");
  }
}

}  // namespace hpsweep::search::detail
