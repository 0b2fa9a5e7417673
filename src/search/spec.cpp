#include "hpsweep/search/spec.hpp"

namespace hpsweep::search {

const char* method_name(Method method) noexcept { return method == Method::kGrid ? "grid" : "random"; }

const char* goal_name(Goal goal) noexcept { return goal == Goal::kMinimize ? "minimize" : "maximize"; }

std::vector<std::string> SweepSpec::swept_names() const {
  std::vector<std::string> names;
  names.reserve(parameters.size());
  for (const Parameter& p : parameters) names.push_back(p.name);
  return names;
}

}  // namespace hpsweep::search
