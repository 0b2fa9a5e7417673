#pragma once
/// A thin, checked wrapper of the HDF5 C API: every id lives in an RAII handle whose destructor
/// never throws, and every failing call throws with HDF5's own message. Private to hpsweep.

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
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
/// Throws H5Failure(message): a file that holds something invalid fails like a failing HDF5 call.
[[noreturn]] void fail(const std::string& message);

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
/// A 32-bit integer (h5py reads int32): the results file's format 1 stores its counts so.
void write_attribute(hid_t location, const std::string& name, std::int32_t value);
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

/// Small checked steps, for the callers that shape their own datasets and types (the /trials
/// table, the data reader). Each throws H5Failure("<what>: <HDF5's message>") when HDF5 fails.
namespace hpsweep::h5 {

// Types of numbers.

/// The HDF5 memory type of the number type T (std::int32_t: H5T_NATIVE_INT32, double: H5T_NATIVE_DOUBLE).
template <typename T>
[[nodiscard]] hid_t native() {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, "native<T>() is for number types");
  if constexpr (std::is_floating_point_v<T>) {
    static_assert(sizeof(T) == sizeof(double) || sizeof(T) == sizeof(float), "no HDF5 native type");
    if constexpr (sizeof(T) == sizeof(double)) return H5T_NATIVE_DOUBLE;
    else return H5T_NATIVE_FLOAT;
  } else if constexpr (std::is_signed_v<T>) {
    if constexpr (sizeof(T) == 1) return H5T_NATIVE_INT8;
    else if constexpr (sizeof(T) == 2) return H5T_NATIVE_INT16;
    else if constexpr (sizeof(T) == 4) return H5T_NATIVE_INT32;
    else return H5T_NATIVE_INT64;
  } else {
    if constexpr (sizeof(T) == 1) return H5T_NATIVE_UINT8;
    else if constexpr (sizeof(T) == 2) return H5T_NATIVE_UINT16;
    else if constexpr (sizeof(T) == 4) return H5T_NATIVE_UINT32;
    else return H5T_NATIVE_UINT64;
  }
}

/// File types that read the same on every machine: IEEE little-endian doubles and floats.
[[nodiscard]] inline hid_t file_f64() { return H5T_IEEE_F64LE; }
[[nodiscard]] inline hid_t file_f32() { return H5T_IEEE_F32LE; }

// Files.

/// Creates the HDF5 file `path`, truncating one that exists.
[[nodiscard]] Handle create_file(const std::string& path);
/// Writes what HDF5 still caches to the file: a full disk shows here, where it can be reported,
/// rather than in a close that cannot throw.
void flush(hid_t file);

// Dataspaces.

/// A simple dataspace of shape `dims` (fixed size).
[[nodiscard]] Handle create_space(const std::vector<hsize_t>& dims, const std::string& what);

// Datasets.

/// The dataset `name` of type `file_type` and shape `space`; `creation` holds its creation
/// properties (chunks, fill value).
[[nodiscard]] Handle create_dataset(hid_t location, const std::string& name, hid_t file_type, hid_t space,
                                    const std::string& what, hid_t creation = H5P_DEFAULT);
/// Creation properties of a dataset stored in chunks of `chunk`, whose values never written read
/// as `fill` (NaN: a curve cut short).
[[nodiscard]] Handle chunked_properties(const std::vector<hsize_t>& chunk, double fill, const std::string& what);
/// Writes the whole dataset from `data`, laid out as `memory_type`.
void write_dataset(hid_t dataset, hid_t memory_type, const void* data, const std::string& what);
/// Reads the whole dataset into `data` as `memory_type`: the caller has checked the shape and
/// sized `data` for it. Throws H5Failure, before reading, when the file's type has an impossible
/// number layout (see impossible_number_layout).
void read_dataset(hid_t dataset, hid_t memory_type, void* data, const std::string& what);
[[nodiscard]] Handle dataset_type(hid_t dataset, const std::string& what);
/// The dataset's shape (empty for a scalar). HDF5 allows at most 32 dimensions, so asking is
/// safe on any file; the caller checks the rank and the sizes before allocating from them.
[[nodiscard]] std::vector<hsize_t> dataset_dims(hid_t dataset, const std::string& what);
/// Bytes the file holds of the dataset's values: 0 for values never written (a crafted file can
/// declare any shape and store nothing). Throws H5Failure when the claim exceeds the file's size.
[[nodiscard]] hsize_t storage_size(hid_t dataset, const std::string& what);
/// True when the dataset's values pass through filters (compression), so they may take far fewer
/// bytes than they hold.
[[nodiscard]] bool is_filtered(hid_t dataset, const std::string& what);

// Types: classes, sizes, strings, enums, compounds.

[[nodiscard]] H5T_class_t type_class(hid_t type, const std::string& what);
/// Bytes of one value of `type` (never 0).
[[nodiscard]] std::size_t type_size(hid_t type, const std::string& what);
[[nodiscard]] bool is_variable_string(hid_t type, const std::string& what);
/// Why `type`, as a file declares it, cannot be converted to a native number, or empty when it
/// can: an integer or float of 0 bits, with bits outside its size or of more than 16 bytes,
/// itself or as a member of a compound or the base of an array or enum. libhdf5 1.10 converts
/// whatever a file declares: an integer of precision 0 sends H5T__conv_i_f reading at a wild
/// address (SIGBUS; found by fuzzing). Every read here checks it (read_dataset, read_attribute,
/// read_array, read_*_attribute); a reader may call it first for its own message.
[[nodiscard]] std::optional<std::string> impossible_number_layout(hid_t type);
/// A fixed-length string type of `width` bytes (at least 1), ended or padded as `padding` says.
[[nodiscard]] Handle string_type(std::size_t width, H5T_str_t padding);
/// An enum stored as int8 whose values have these names, so that h5dump and h5py show the names.
[[nodiscard]] Handle int8_enum(const std::vector<std::pair<std::string, std::int8_t>>& members);
/// An empty compound (a table row) of `size` bytes; insert_member lays out its columns.
[[nodiscard]] Handle create_compound(std::size_t size, const std::string& what);
void insert_member(hid_t compound, const std::string& name, std::size_t offset, hid_t member_type,
                   const std::string& what);
/// The members of a compound (or enum) type.
[[nodiscard]] int member_count(hid_t type, const std::string& what);
[[nodiscard]] std::string member_name(hid_t type, unsigned index, const std::string& what);
[[nodiscard]] H5T_class_t member_class(hid_t type, unsigned index, const std::string& what);
/// Whether every member of a compound type lies inside it (offset + size <= the type's size): a
/// crafted type whose member points past its element makes HDF5's conversion read out of bounds.
[[nodiscard]] bool members_inside(hid_t type, const std::string& what);
/// True when the compound `type` has a member `name`.
[[nodiscard]] bool has_member(hid_t type, const std::string& name, const std::string& what);

// Attributes (write_attribute and read_*_attribute above cover the common cases).

[[nodiscard]] bool has_attribute(hid_t location, const std::string& name);
[[nodiscard]] Handle open_attribute(hid_t location, const std::string& name);
[[nodiscard]] Handle attribute_type(hid_t attribute, const std::string& what);
/// How many values the attribute holds (1 for a scalar): read_attribute writes all of them.
[[nodiscard]] hsize_t attribute_values(hid_t attribute, const std::string& what);
/// Reads the attribute into `data` as `memory_type`; `data` must have room for every value.
/// Throws H5Failure, before reading, when its type has an impossible number layout.
void read_attribute(hid_t attribute, hid_t memory_type, void* data, const std::string& what);

}  // namespace hpsweep::h5
