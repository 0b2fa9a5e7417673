#include "table_layout.hpp"

#include <cstring>
#include <set>

namespace hpsweep::store {
namespace {

template <typename T>
void put(std::byte* at, T value) {
  std::memcpy(at, &value, sizeof(T));
}

template <typename T>
T get(const std::byte* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

void put_string(std::byte* at, const std::string& text, std::size_t width) {
  std::memset(at, 0, width);
  std::memcpy(at, text.data(), std::min(text.size(), width - 1));
}

std::string get_string(const std::byte* at, std::size_t width) {
  const auto* chars = reinterpret_cast<const char*>(at);
  return std::string(chars, strnlen(chars, width));
}

h5::Handle string_type(std::size_t width) { return h5::string_type(width, H5T_STR_NULLTERM); }

const std::set<std::string>& fixed_names() {
  static const std::set<std::string> names = {
      "trial",          "config",         "repeat",     "seed",       "status",      "best_val_loss",
      "best_epoch",     "final_train_loss", "final_val_loss", "best_val_metric", "test_loss",
      "test_metric",    "best_test_loss", "best_test_metric", "best_metric", "final_metric", "epochs_run",     "rung",       "seconds",    "rank",       "message"};
  return names;
}

/// Index of `name` in a record's settings, appending it (with a placeholder) when absent.
std::size_t setting_slot(TrialRecord& record, const std::string& name, search::Value placeholder) {
  for (std::size_t i = 0; i < record.settings.size(); ++i) {
    if (record.settings[i].name == name) return i;
  }
  record.settings.push_back({name, std::move(placeholder)});
  return record.settings.size() - 1;
}

}  // namespace

bool is_fixed_column(const std::string& name) { return fixed_names().count(name) > 0; }

h5::Handle status_enum_type() {
  std::vector<std::pair<std::string, std::int8_t>> members;
  for (auto status : {search::TrialStatus::kPending, search::TrialStatus::kOk, search::TrialStatus::kDiverged,
                      search::TrialStatus::kFailed, search::TrialStatus::kStopped, search::TrialStatus::kPaused}) {
    members.emplace_back(search::status_name(status), static_cast<std::int8_t>(status));
  }
  return h5::int8_enum(members);
}

h5::Handle bool_enum_type() { return h5::int8_enum({{"FALSE", 0}, {"TRUE", 1}}); }

void TableLayout::add(std::string name, hid_t type, std::size_t size, decltype(Column::pack) pack,
                      decltype(Column::unpack) unpack) {
  columns_.push_back(Column{std::move(name), type, size_, std::move(pack), std::move(unpack)});
  size_ += size;
}

void TableLayout::add_fixed_leading() {
  add("trial", h5::native<std::int32_t>(), 4, [](auto& r, auto* at) { put<std::int32_t>(at, r.trial); },
      [](auto* at, auto& r) { r.trial = get<std::int32_t>(at); });
  add("config", h5::native<std::int32_t>(), 4, [](auto& r, auto* at) { put<std::int32_t>(at, r.config); },
      [](auto* at, auto& r) { r.config = get<std::int32_t>(at); });
  add("repeat", h5::native<std::int32_t>(), 4, [](auto& r, auto* at) { put<std::int32_t>(at, r.repeat); },
      [](auto* at, auto& r) { r.repeat = get<std::int32_t>(at); });
  add("seed", h5::native<std::uint64_t>(), 8, [](auto& r, auto* at) { put<std::uint64_t>(at, r.seed); },
      [](auto* at, auto& r) { r.seed = get<std::uint64_t>(at); });
  owned_types_.push_back(status_enum_type());
  add("status", owned_types_.back().id(), 1,
      [](auto& r, auto* at) { put<std::int8_t>(at, static_cast<std::int8_t>(r.status)); },
      [](auto* at, auto& r) { r.status = static_cast<search::TrialStatus>(get<std::int8_t>(at)); });
}

void TableLayout::add_setting(const std::string& name, const search::Value& kind_of) {
  auto pack_value = [name](const TrialRecord& r) -> const search::Value& {
    const search::Value* v = search::find_value(r.settings, name);
    static const search::Value missing{0.0 / 0.0};
    return v != nullptr ? *v : missing;
  };
  if (std::holds_alternative<double>(kind_of)) {
    add(name, h5::native<double>(), 8, [=](auto& r, auto* at) { put<double>(at, std::get<double>(pack_value(r))); },
        [=](auto* at, auto& r) { r.settings[setting_slot(r, name, 0.0)].value = get<double>(at); });
  } else if (std::holds_alternative<long long>(kind_of)) {
    add(name, h5::native<std::int64_t>(), 8, [=](auto& r, auto* at) { put<std::int64_t>(at, std::get<long long>(pack_value(r))); },
        [=](auto* at, auto& r) { r.settings[setting_slot(r, name, 0LL)].value = static_cast<long long>(get<std::int64_t>(at)); });
  } else if (std::holds_alternative<bool>(kind_of)) {
    owned_types_.push_back(bool_enum_type());
    add(name, owned_types_.back().id(), 1,
        [=](auto& r, auto* at) { put<std::int8_t>(at, std::get<bool>(pack_value(r)) ? 1 : 0); },
        [=](auto* at, auto& r) { r.settings[setting_slot(r, name, false)].value = get<std::int8_t>(at) != 0; });
  } else {
    owned_types_.push_back(string_type(kChoiceBytes));
    add(name, owned_types_.back().id(), kChoiceBytes,
        [=](auto& r, auto* at) { put_string(at, std::get<std::string>(pack_value(r)), kChoiceBytes); },
        [=](auto* at, auto& r) {
          r.settings[setting_slot(r, name, std::string())].value = get_string(at, kChoiceBytes);
        });
  }
}

void TableLayout::add_fixed_trailing(bool with_rung, bool with_best_test, bool with_reported_metric) {
  auto real = [this](const char* name, double TrialRecord::*field) {
    add(name, h5::native<double>(), 8, [field](auto& r, auto* at) { put<double>(at, r.*field); },
        [field](auto* at, auto& r) { r.*field = get<double>(at); });
  };
  auto integer = [this](const char* name, int TrialRecord::*field) {
    add(name, h5::native<std::int32_t>(), 4, [field](auto& r, auto* at) { put<std::int32_t>(at, r.*field); },
        [field](auto* at, auto& r) { r.*field = get<std::int32_t>(at); });
  };
  real("best_val_loss", &TrialRecord::best_val_loss);
  integer("best_epoch", &TrialRecord::best_epoch);
  real("final_train_loss", &TrialRecord::final_train_loss);
  real("final_val_loss", &TrialRecord::final_val_loss);
  real("best_val_metric", &TrialRecord::best_val_metric);
  real("test_loss", &TrialRecord::test_loss);
  real("test_metric", &TrialRecord::test_metric);
  if (with_best_test) {
    real("best_test_loss", &TrialRecord::best_test_loss);
    real("best_test_metric", &TrialRecord::best_test_metric);
  }
  if (with_reported_metric) {
    real("best_metric", &TrialRecord::best_metric);
    real("final_metric", &TrialRecord::final_metric);
  }
  integer("epochs_run", &TrialRecord::epochs_run);
  if (with_rung) integer("rung", &TrialRecord::rung);
  real("seconds", &TrialRecord::seconds);
  integer("rank", &TrialRecord::rank);
  owned_types_.push_back(string_type(kMessageBytes));
  add("message", owned_types_.back().id(), kMessageBytes,
      [](auto& r, auto* at) { put_string(at, r.message, kMessageBytes); },
      [](auto* at, auto& r) { r.message = get_string(at, kMessageBytes); });
}

void TableLayout::build() {
  compound_ = h5::create_compound(size_, "creating the trials row type");
  for (const Column& c : columns_) {
    h5::insert_member(compound_.id(), c.name, c.offset, c.type, "adding column '" + c.name + "'");
  }
}

TableLayout::TableLayout(const search::Assignment& prototype, bool with_reported_metric) {
  add_fixed_leading();
  for (const auto& setting : prototype) add_setting(setting.name, setting.value);
  add_fixed_trailing(true, true, with_reported_metric);
  build();
}

TableLayout TableLayout::from_file_type(hid_t file_type) {
  TableLayout layout;
  layout.add_fixed_leading();
  const int members = h5::member_count(file_type, "/trials");
  for (int m = 0; m < members; ++m) {
    const std::string name = h5::member_name(file_type, static_cast<unsigned>(m), "/trials: a column without a name");
    if (fixed_names().count(name) > 0) continue;
    switch (h5::member_class(file_type, static_cast<unsigned>(m), "/trials: column " + name)) {
      case H5T_FLOAT: layout.add_setting(name, 0.0); break;
      case H5T_INTEGER: layout.add_setting(name, 0LL); break;
      case H5T_ENUM: layout.add_setting(name, false); break;
      default: layout.add_setting(name, std::string()); break;
    }
  }
  // Files written before early termination have no rung column; before the test split was scored
  // at best_epoch, no best_test_* columns; only program sweeps have best_metric and final_metric.
  layout.add_fixed_trailing(h5::has_member(file_type, "rung", "/trials"),
                            h5::has_member(file_type, "best_test_loss", "/trials"),
                            h5::has_member(file_type, "best_metric", "/trials"));
  layout.build();
  return layout;
}

}  // namespace hpsweep::store
