#include "hpsweep/search/trial_codec.hpp"

#include <variant>

namespace hpsweep::search {
namespace {

/// The kind byte of each Value alternative; a switch, so that a new alternative cannot go unencoded.
enum class Kind : std::uint8_t { kReal = 0, kInteger = 1, kFlag = 2, kName = 3 };

[[noreturn]] void malformed(const std::string& why) {
  throw core::Error("malformed trial settings in a message or record: " + why, core::ExitCode::kInternal);
}

}  // namespace

void put_assignment(core::wire::Writer& out, const Assignment& assignment) {
  out.put<std::uint64_t>(assignment.size());
  for (const SettingValue& s : assignment) {
    out.put(s.name);
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, double>) {
            out.put(Kind::kReal).put(v);
          } else if constexpr (std::is_same_v<T, long long>) {
            out.put(Kind::kInteger).put<std::int64_t>(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            out.put(Kind::kFlag).put<std::uint8_t>(v ? 1 : 0);
          } else {
            static_assert(std::is_same_v<T, std::string>);
            out.put(Kind::kName).put(v);
          }
        },
        s.value);
  }
}

Assignment get_assignment(core::wire::Reader& in) {
  const auto count = in.get<std::uint64_t>();
  if (count > kMaxEncodedSettings) malformed(std::to_string(count) + " settings");
  Assignment assignment;
  assignment.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    SettingValue s;
    s.name = in.get_string();
    switch (in.get<Kind>()) {
      case Kind::kReal: s.value = in.get<double>(); break;
      case Kind::kInteger: s.value = static_cast<long long>(in.get<std::int64_t>()); break;
      case Kind::kFlag: s.value = in.get<std::uint8_t>() != 0; break;
      case Kind::kName: s.value = in.get_string(); break;
      default: malformed("setting '" + s.name + "' of an unknown kind");
    }
    assignment.push_back(std::move(s));
  }
  return assignment;
}

core::wire::Bytes encode_trial(const Trial& trial) {
  core::wire::Writer out;
  out.put<std::int32_t>(trial.index).put<std::int32_t>(trial.config).put<std::int32_t>(trial.repeat).put(trial.seed);
  put_assignment(out, trial.settings);
  return out.take();
}

Trial decode_trial(const core::wire::Bytes& bytes) {
  core::wire::Reader in(bytes);
  Trial trial;
  trial.index = in.get<std::int32_t>();
  trial.config = in.get<std::int32_t>();
  trial.repeat = in.get<std::int32_t>();
  trial.seed = in.get<std::uint64_t>();
  trial.settings = get_assignment(in);
  if (!in.at_end()) malformed("bytes left over after the trial");
  return trial;
}

}  // namespace hpsweep::search
