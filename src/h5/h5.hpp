#pragma once
/// A thin, checked wrapper of the HDF5 C API: every id lives in an RAII handle whose destructor
/// never throws, and every failing call throws with HDF5's own message. Private to hpsweep.

#include <hdf5.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hpsweep::h5 {

/// Thrown by every failing wrapped call; callers turn it into the error kind of their module.
class H5Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Owns one HDF5 id and closes it with the matching H5?close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) noexcept : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  [[nodiscard]] hid_t id() const noexcept { return id_; }
  void reset() noexcept {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Stops HDF5 from printing its error stack to stderr (our messages carry it instead) and from
/// running its exit handler. Call it before any other HDF5 call (every wrapper here does).
void silence_library_errors() noexcept;

/// Throws H5Failure("<what>: <HDF5's innermost message>") when `status` < 0; returns it otherwise.
hid_t check(hid_t status, const std::string& what);

/// True when `path` names an HDF5 file (by its signature).
[[nodiscard]] bool is_hdf5(const std::string& path);

[[nodiscard]] Handle open_file(const std::string& path, unsigned flags);
[[nodiscard]] bool exists(hid_t location, const std::string& path);
[[nodiscard]] Handle open_dataset(hid_t location, const std::string& path);

}  // namespace hpsweep::h5

namespace hpsweep::h5 {

/// Scalar attributes; the file holds them as HDF5 native types that h5py reads as str, float, int.
void write_attribute(hid_t location, const std::string& name, const std::string& text);
void write_attribute(hid_t location, const std::string& name, double value);
void write_attribute(hid_t location, const std::string& name, long long value);
/// Empty when the attribute is missing; throws H5Failure when it has another type or shape.
[[nodiscard]] std::optional<std::string> read_string_attribute(hid_t location, const std::string& name);
[[nodiscard]] std::optional<double> read_double_attribute(hid_t location, const std::string& name);
[[nodiscard]] std::optional<long long> read_integer_attribute(hid_t location, const std::string& name);

[[nodiscard]] Handle create_group(hid_t location, const std::string& name);

/// A 1-D or 2-D dataset of `values` (row-major), stored as `file_type` (e.g. H5T_IEEE_F32LE for
/// float weights, so that they keep their exact values and size).
void write_array(hid_t location, const std::string& name, const std::vector<double>& values,
                 const std::vector<hsize_t>& dims, hid_t file_type);
/// Reads a numeric dataset whose shape must be `dims` exactly: the shape is checked before
/// anything is allocated, so a crafted file cannot make it allocate or read past a buffer.
[[nodiscard]] std::vector<double> read_array(hid_t location, const std::string& name, const std::vector<hsize_t>& dims);

/// A 1-D dataset of fixed-length strings (h5py reads them as bytes).
void write_strings(hid_t location, const std::string& name, const std::vector<std::string>& values);
/// Reads one; its length must be `count` and no string longer than `max_length`.
[[nodiscard]] std::vector<std::string> read_strings(hid_t location, const std::string& name, hsize_t count,
                                                    std::size_t max_length);

/// The length of the 1-D dataset `name`, empty when it does not exist; throws H5Failure when it
/// is not 1-D or longer than `max_count`.
[[nodiscard]] std::optional<hsize_t> list_length(hid_t location, const std::string& name, hsize_t max_count);

/// Writes `text` as the `description` attribute of the dataset `dataset` (and `unit` when not empty).
void describe(hid_t location, const std::string& dataset, const std::string& text, const std::string& unit = "");

/// The `format` attribute of the HDF5 file `path` ("hpsweep-results", "hpsweep-model"); empty
/// when it is not an HDF5 file, cannot be opened or has none.
[[nodiscard]] std::string format_of(const std::string& path);

}  // namespace hpsweep::h5
