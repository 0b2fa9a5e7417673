#pragma once
// The /trials compound row: its HDF5 type and how each column packs from and unpacks into a
// TrialRecord. Private to the store.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "../h5/h5.hpp"
#include "hpsweep/store/results.hpp"

namespace hpsweep::store {

/// One column of the row.
struct Column {
  std::string name;
  hid_t type = H5I_INVALID_HID;  ///< memory type (owned by the layout or predefined)
  std::size_t offset = 0;
  std::function<void(const TrialRecord&, std::byte*)> pack;
  std::function<void(const std::byte*, TrialRecord&)> unpack;
};

/// The row type of a table whose trials have the settings `prototype` has (names and kinds).
class TableLayout {
 public:
  /// `with_reported_metric`: a program sweep's best_metric and final_metric columns.
  TableLayout(const search::Assignment& prototype, bool with_reported_metric);
  /// The layout matching a file's row type (settings are every column that is not fixed).
  static TableLayout from_file_type(hid_t file_type);

  [[nodiscard]] hid_t type() const noexcept { return compound_.id(); }
  [[nodiscard]] std::size_t row_size() const noexcept { return size_; }
  [[nodiscard]] const std::vector<Column>& columns() const noexcept { return columns_; }

 private:
  TableLayout() = default;
  void add(std::string name, hid_t type, std::size_t size, decltype(Column::pack) pack,
           decltype(Column::unpack) unpack);
  void add_fixed_leading();
  void add_setting(const std::string& name, const search::Value& kind_of);
  void add_fixed_trailing(bool with_rung, bool with_best_test, bool with_reported_metric);
  void build();

  std::vector<Column> columns_;
  std::vector<h5::Handle> owned_types_;
  h5::Handle compound_;
  std::size_t size_ = 0;
};

/// Width of the fixed-length string columns (message; choice settings use kChoiceBytes).
inline constexpr std::size_t kMessageBytes = 256;
inline constexpr std::size_t kChoiceBytes = 16;

/// The HDF5 enum used for status (pending, ok, diverged, failed, stopped), so h5dump shows names.
[[nodiscard]] h5::Handle status_enum_type();
/// The HDF5 enum h5py reads as numpy bool (FALSE = 0, TRUE = 1).
[[nodiscard]] h5::Handle bool_enum_type();

}  // namespace hpsweep::store
