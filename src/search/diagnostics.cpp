#include "diagnostics.hpp"

#include <algorithm>

#include "hpsweep/core/error.hpp"

namespace hpsweep::search::detail {

void Diagnostics::add(const YAML::Mark& mark, std::string message) {
  const std::string where = mark.is_null() ? file_ : place(mark);
  problems_.push_back({mark.line, mark.column, where + ": " + message});
}

std::string Diagnostics::place(const YAML::Mark& mark) const {
  return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

void Diagnostics::throw_if_any() const {
  if (problems_.empty()) return;
  std::vector<Problem> sorted = problems_;
  // Null marks (-1) sort first: they concern the whole file.
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  std::string message;
  for (const Problem& p : sorted) {
    if (!message.empty()) message += '\n';
    message += p.text;
  }
  throw core::ConfigError(message);
}

}  // namespace hpsweep::search::detail
