#include "h5.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace hpsweep::h5 {
namespace {

herr_t keep_innermost(unsigned n, const H5E_error2_t* error, void* out) {
  if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(out) = error->desc;
  return 0;
}

/// HDF5's system-call failures carry "..., error message = 'No space left on device', ...":
/// that part is what a user needs.
std::string essential(const std::string& message) {
  const std::string marker = "error message = '";
  const std::size_t start = message.find(marker);
  if (start == std::string::npos) return message;
  const std::size_t end = message.find('\'', start + marker.size());
  return message.substr(start + marker.size(), end - start - marker.size());
}

std::string library_message() {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &message);
  H5Eclear2(H5E_DEFAULT);
  return message.empty() ? "unknown HDF5 error" : essential(message);
}

/// For the calls whose failure value is also an answer (0 bytes stored, no such member): HDF5
/// clears its error stack on entering each call, so an error on it says that this one failed.
void check_stack(const std::string& what) {
  if (H5Eget_num(H5E_DEFAULT) > 0) throw H5Failure(what + ": " + library_message());
}

}  // namespace

void silence_library_errors() noexcept {
  // Before the library starts (later calls do nothing): HDF5's exit handler closes the ids still
  // open, and a file whose close failed (a full disk) crashes it there, turning a clean exit 5
  // into SIGSEGV. hpsweep closes every id itself (RAII), so the handler has nothing to do.
  (void)H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

hid_t check(hid_t status, const std::string& what) {
  if (status < 0) throw H5Failure(what + ": " + library_message());
  return status;
}

void fail(const std::string& message) { throw H5Failure(message); }

bool is_hdf5(const std::string& path) {
  // H5Fis_hdf5 opens and reads the path: a FIFO would block it forever (a results file name
  // planted as one hung `run`, `info` and `rank`), a device would never end. Only a regular file
  // can be an HDF5 file.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  silence_library_errors();
  const htri_t result = H5Fis_hdf5(path.c_str());
  H5Eclear2(H5E_DEFAULT);
  return result > 0;
}

Handle open_file(const std::string& path, unsigned flags) {
  silence_library_errors();
  return Handle(check(H5Fopen(path.c_str(), flags, H5P_DEFAULT), "cannot open '" + path + "'"), H5Fclose);
}

bool exists(hid_t location, const std::string& path) {
  // H5Lexists fails on a missing intermediate group, so walk the path one link at a time.
  if (path.empty() || path == "/") return false;
  std::size_t start = path.front() == '/' ? 1 : 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string prefix = path.substr(0, slash);
    if (H5Lexists(location, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

Handle open_dataset(hid_t location, const std::string& path) {
  return Handle(check(H5Dopen2(location, path.c_str(), H5P_DEFAULT), "cannot open dataset '" + path + "'"),
                H5Dclose);
}

}  // namespace hpsweep::h5

namespace hpsweep::h5 {
namespace {

Handle scalar_space() { return Handle(check(H5Screate(H5S_SCALAR), "creating a dataspace"), H5Sclose); }

void write_scalar(hid_t location, const std::string& name, hid_t type, const void* value) {
  const Handle space = scalar_space();
  const Handle attr(check(H5Acreate2(location, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                          "creating attribute " + name),
                    H5Aclose);
  check(H5Awrite(attr.id(), type, value), "writing attribute " + name);
}

/// The open attribute `name` when it exists and is a scalar of class `type_class`.
std::optional<Handle> open_scalar_attribute(hid_t location, const std::string& name, H5T_class_t type_class) {
  if (!has_attribute(location, name)) return std::nullopt;
  Handle attr = open_attribute(location, name);
  const Handle space(check(H5Aget_space(attr.id()), "attribute " + name), H5Sclose);
  const Handle type = attribute_type(attr.id(), "attribute " + name);
  if (H5Sget_simple_extent_type(space.id()) != H5S_SCALAR || H5Tget_class(type.id()) != type_class) {
    throw H5Failure("attribute " + name + " has an unexpected type or shape");
  }
  return attr;
}

template <typename T>
std::optional<T> read_number(hid_t location, const std::string& name, H5T_class_t type_class, hid_t memory_type) {
  const auto attr = open_scalar_attribute(location, name, type_class);
  if (!attr) return std::nullopt;
  T value{};
  read_attribute(attr->id(), memory_type, &value, "reading attribute " + name);
  return value;
}

Handle fixed_string_type(std::size_t width) { return string_type(std::max<std::size_t>(width, 1), H5T_STR_NULLPAD); }

/// The extent of dataset `name`, checked against `dims`.
void check_extent(hid_t dataset, const std::string& name, const std::vector<hsize_t>& dims) {
  const Handle space(check(H5Dget_space(dataset), name), H5Sclose);
  const int rank = check(H5Sget_simple_extent_ndims(space.id()), name);
  std::vector<hsize_t> found(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) check(H5Sget_simple_extent_dims(space.id(), found.data(), nullptr), name);
  if (found != dims) {
    auto text = [](const std::vector<hsize_t>& d) {
      std::string s = "(";
      for (std::size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
      return s + ")";
    };
    throw H5Failure("dataset " + name + " has shape " + text(found) + ", expected " + text(dims));
  }
}

/// A dataset's declared size must be stored in the file: a crafted file can declare a huge shape
/// with nothing behind it (a fill value), and reading it would allocate that much.
void check_stored(hid_t dataset, const std::string& name, hsize_t count, std::size_t element_size) {
  const hsize_t stored = storage_size(dataset, name);
  if (count > 0 && (element_size == 0 || stored / element_size < count)) {
    throw H5Failure("dataset " + name + " declares " + std::to_string(count) + " values but the file holds " +
                    std::to_string(stored) + " bytes of them");
  }
}

}  // namespace

std::optional<hsize_t> list_length(hid_t location, const std::string& name, hsize_t max_count) {
  if (!exists(location, name)) return std::nullopt;
  const Handle ds = open_dataset(location, name);
  const Handle space(check(H5Dget_space(ds.id()), name), H5Sclose);
  if (H5Sget_simple_extent_ndims(space.id()) != 1) throw H5Failure("dataset " + name + " is not 1-D");
  hsize_t count = 0;
  check(H5Sget_simple_extent_dims(space.id(), &count, nullptr), name);
  if (count > max_count) throw H5Failure("dataset " + name + " has " + std::to_string(count) + " entries, more than " +
                                         std::to_string(max_count));
  return count;
}

void describe(hid_t location, const std::string& dataset, const std::string& text, const std::string& unit) {
  const Handle ds = open_dataset(location, dataset);
  write_attribute(ds.id(), "description", text);
  if (!unit.empty()) write_attribute(ds.id(), "unit", unit);
}

std::string format_of(const std::string& path) {
  if (!is_hdf5(path)) return {};
  try {
    const Handle file = open_file(path, H5F_ACC_RDONLY);
    return read_string_attribute(file.id(), "format").value_or("");
  } catch (const H5Failure&) {
    return {};
  }
}

void write_attribute(hid_t location, const std::string& name, const std::string& text) {
  const Handle type = fixed_string_type(text.size());
  write_scalar(location, name, type.id(), text.empty() ? "" : text.data());
}

void write_attribute(hid_t location, const std::string& name, double value) {
  write_scalar(location, name, H5T_NATIVE_DOUBLE, &value);
}

void write_attribute(hid_t location, const std::string& name, long long value) {
  write_scalar(location, name, H5T_NATIVE_LLONG, &value);
}

void write_attribute(hid_t location, const std::string& name, std::int32_t value) {
  write_scalar(location, name, native<std::int32_t>(), &value);
}

std::optional<std::string> read_string_attribute(hid_t location, const std::string& name) {
  const auto attr = open_scalar_attribute(location, name, H5T_STRING);
  if (!attr) return std::nullopt;
  const Handle type(check(H5Aget_type(attr->id()), "attribute " + name), H5Tclose);
  if (H5Tis_variable_str(type.id()) > 0) throw H5Failure("attribute " + name + " is a variable-length string");
  const std::size_t size = H5Tget_size(type.id());
  if (size == 0 || size > (std::size_t{1} << 26)) throw H5Failure("attribute " + name + " has an impossible size");
  std::string text(size, '\0');
  check(H5Aread(attr->id(), type.id(), text.data()), "reading attribute " + name);
  text.resize(strnlen(text.c_str(), text.size()));
  return text;
}

std::optional<double> read_double_attribute(hid_t location, const std::string& name) {
  return read_number<double>(location, name, H5T_FLOAT, H5T_NATIVE_DOUBLE);
}

std::optional<long long> read_integer_attribute(hid_t location, const std::string& name) {
  return read_number<long long>(location, name, H5T_INTEGER, H5T_NATIVE_LLONG);
}

Handle create_group(hid_t location, const std::string& name) {
  return Handle(check(H5Gcreate2(location, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "creating group " + name),
                H5Gclose);
}

void write_array(hid_t location, const std::string& name, const std::vector<double>& values,
                 const std::vector<hsize_t>& dims, hid_t file_type) {
  const Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), name), H5Sclose);
  const Handle ds(check(H5Dcreate2(location, name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        "creating dataset " + name),
                  H5Dclose);
  if (!values.empty()) check(H5Dwrite(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
}

std::vector<double> read_array(hid_t location, const std::string& name, const std::vector<hsize_t>& dims) {
  if (!exists(location, name)) throw H5Failure("dataset " + name + " is missing");
  const Handle ds = open_dataset(location, name);
  check_extent(ds.id(), name, dims);
  const Handle type(check(H5Dget_type(ds.id()), name), H5Tclose);
  const H5T_class_t type_class = H5Tget_class(type.id());
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) throw H5Failure("dataset " + name + " is not numeric");
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  check_stored(ds.id(), name, count, H5Tget_size(type.id()));
  std::vector<double> values(count);
  if (count > 0) read_dataset(ds.id(), H5T_NATIVE_DOUBLE, values.data(), name);
  return values;
}

void write_strings(hid_t location, const std::string& name, const std::vector<std::string>& values) {
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  std::string block(width * values.size(), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) values[i].copy(block.data() + i * width, values[i].size());
  const Handle type = fixed_string_type(width);
  const hsize_t n = values.size();
  const Handle space(check(H5Screate_simple(1, &n, nullptr), name), H5Sclose);
  const Handle ds(check(H5Dcreate2(location, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        "creating dataset " + name),
                  H5Dclose);
  if (n > 0) check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, block.data()), name);
}

std::vector<std::string> read_strings(hid_t location, const std::string& name, hsize_t count, std::size_t max_length) {
  if (!exists(location, name)) throw H5Failure("dataset " + name + " is missing");
  const Handle ds = open_dataset(location, name);
  check_extent(ds.id(), name, {count});
  const Handle type(check(H5Dget_type(ds.id()), name), H5Tclose);
  if (H5Tget_class(type.id()) != H5T_STRING || H5Tis_variable_str(type.id()) > 0) {
    throw H5Failure("dataset " + name + " is not of fixed-length strings");
  }
  const std::size_t width = H5Tget_size(type.id());
  if (width == 0 || width > max_length) throw H5Failure("dataset " + name + " holds strings longer than " + std::to_string(max_length));
  check_stored(ds.id(), name, count, width);
  std::string block(width * count, '\0');
  if (count > 0) check(H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, block.data()), name);
  std::vector<std::string> values;
  for (hsize_t i = 0; i < count; ++i) {
    const char* at = block.data() + i * width;
    values.emplace_back(at, strnlen(at, width));
  }
  return values;
}

}  // namespace hpsweep::h5

namespace hpsweep::h5 {

// Files.

Handle create_file(const std::string& path) {
  silence_library_errors();
  return Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "cannot create"), H5Fclose);
}

void flush(hid_t file) { check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flushing"); }

// Number layouts, checked before every read that converts numbers.
namespace {

std::optional<std::string> impossible_layout_within(hid_t type, int depth) {
  // A crafted file may nest types deeply; no file hpsweep reads nests more than twice.
  if (depth > 8) return "a type nested more than 8 deep";
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
    case H5T_FLOAT: {
      const std::size_t bytes = H5Tget_size(type);
      const std::size_t precision = H5Tget_precision(type);  // 0 is also its failure value
      const int offset = H5Tget_offset(type);                // -1 on failure
      const bool bits_inside = offset >= 0 && static_cast<std::size_t>(offset) + precision <= 8 * bytes;
      if (bytes == 0 || bytes > 16 || precision == 0 || !bits_inside) {
        return "a malformed number type (" + std::to_string(bytes) + " bytes, " + std::to_string(precision) +
               " bits of precision at bit " + std::to_string(offset) + ")";
      }
      return std::nullopt;
    }
    case H5T_COMPOUND: {
      const int members = H5Tget_nmembers(type);
      if (members < 0) return "an unreadable compound type";
      for (int m = 0; m < members; ++m) {
        const hid_t member = H5Tget_member_type(type, static_cast<unsigned>(m));
        if (member < 0) return "an unreadable compound member";
        const Handle owned(member, H5Tclose);
        if (auto problem = impossible_layout_within(member, depth + 1)) return problem;
      }
      return std::nullopt;
    }
    case H5T_ARRAY:
    case H5T_ENUM:
    case H5T_VLEN: {
      const hid_t base = H5Tget_super(type);
      if (base < 0) return "an unreadable base type";
      const Handle owned(base, H5Tclose);
      return impossible_layout_within(base, depth + 1);
    }
    default: return std::nullopt;  // strings, opaque, references: not converted to numbers
  }
}

/// Throws H5Failure when `type` cannot be converted safely (impossible_number_layout).
void check_number_layout(hid_t type, const std::string& what) {
  if (auto problem = impossible_number_layout(type)) throw H5Failure(what + " declares " + *problem);
}

}  // namespace

std::optional<std::string> impossible_number_layout(hid_t type) { return impossible_layout_within(type, 0); }

// Dataspaces.

Handle create_space(const std::vector<hsize_t>& dims, const std::string& what) {
  return Handle(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), what), H5Sclose);
}

// Datasets.

Handle create_dataset(hid_t location, const std::string& name, hid_t file_type, hid_t space, const std::string& what,
                      hid_t creation) {
  return Handle(check(H5Dcreate2(location, name.c_str(), file_type, space, H5P_DEFAULT, creation, H5P_DEFAULT), what),
                H5Dclose);
}

Handle chunked_properties(const std::vector<hsize_t>& chunk, double fill, const std::string& what) {
  Handle properties(check(H5Pcreate(H5P_DATASET_CREATE), what), H5Pclose);
  check(H5Pset_chunk(properties.id(), static_cast<int>(chunk.size()), chunk.data()), what);
  check(H5Pset_fill_value(properties.id(), H5T_NATIVE_DOUBLE, &fill), what);
  return properties;
}

void write_dataset(hid_t dataset, hid_t memory_type, const void* data, const std::string& what) {
  check(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
}

void read_dataset(hid_t dataset, hid_t memory_type, void* data, const std::string& what) {
  check_number_layout(dataset_type(dataset, what).id(), what);
  check(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
}

Handle dataset_type(hid_t dataset, const std::string& what) {
  return Handle(check(H5Dget_type(dataset), what), H5Tclose);
}

std::vector<hsize_t> dataset_dims(hid_t dataset, const std::string& what) {
  const Handle space(check(H5Dget_space(dataset), what), H5Sclose);
  const auto rank = check(H5Sget_simple_extent_ndims(space.id()), what);
  if (rank > H5S_MAX_RANK) throw H5Failure(what + ": " + std::to_string(rank) + " dimensions");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) check(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), what);
  return dims;
}

hsize_t storage_size(hid_t dataset, const std::string& what) {
  const hsize_t size = H5Dget_storage_size(dataset);
  if (size == 0) check_stack(what);  // 0 is also HDF5's failure value
  // The size comes from the dataset's own layout message or chunk index, which a crafted file
  // sets at will: a few KiB can claim 10 GB, and a reader that trusts it allocates 10 GB. What the
  // file holds of a dataset is within the file.
  const Handle file(check(H5Iget_file_id(dataset), what), H5Fclose);
  hsize_t file_size = 0;
  check(H5Fget_filesize(file.id(), &file_size), what);
  if (size > file_size) {
    throw H5Failure(what + ": the dataset claims " + std::to_string(size) + " bytes of storage in a file of " +
                    std::to_string(file_size) + " bytes");
  }
  return size;
}

bool is_filtered(hid_t dataset, const std::string& what) {
  const Handle properties(check(H5Dget_create_plist(dataset), what), H5Pclose);
  return check(H5Pget_nfilters(properties.id()), what) > 0;
}

// Types.

H5T_class_t type_class(hid_t type, const std::string& what) {
  return static_cast<H5T_class_t>(check(H5Tget_class(type), what));
}

std::size_t type_size(hid_t type, const std::string& what) {
  const std::size_t size = H5Tget_size(type);
  if (size == 0) throw H5Failure(what + ": " + library_message());  // no type has 0 bytes: HDF5 failed
  return size;
}

bool is_variable_string(hid_t type, const std::string& what) { return check(H5Tis_variable_str(type), what) > 0; }

Handle string_type(std::size_t width, H5T_str_t padding) {
  Handle type(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  check(H5Tset_size(type.id(), width), "string type");
  check(H5Tset_strpad(type.id(), padding), "string type");
  return type;
}

Handle int8_enum(const std::vector<std::pair<std::string, std::int8_t>>& members) {
  Handle type(check(H5Tenum_create(H5T_NATIVE_INT8), "enum type"), H5Tclose);
  for (const auto& [name, value] : members) {
    check(H5Tenum_insert(type.id(), name.c_str(), &value), "enum value " + name);
  }
  return type;
}

Handle create_compound(std::size_t size, const std::string& what) {
  return Handle(check(H5Tcreate(H5T_COMPOUND, size), what), H5Tclose);
}

void insert_member(hid_t compound, const std::string& name, std::size_t offset, hid_t member_type,
                   const std::string& what) {
  check(H5Tinsert(compound, name.c_str(), offset, member_type), what);
}

int member_count(hid_t type, const std::string& what) { return static_cast<int>(check(H5Tget_nmembers(type), what)); }

std::string member_name(hid_t type, unsigned index, const std::string& what) {
  struct Free {
    void operator()(char* name) const noexcept { H5free_memory(name); }  // HDF5 allocated it
  };
  const std::unique_ptr<char, Free> raw(H5Tget_member_name(type, index));
  if (raw == nullptr) throw H5Failure(what + ": " + library_message());
  return raw.get();
}

H5T_class_t member_class(hid_t type, unsigned index, const std::string& what) {
  return static_cast<H5T_class_t>(check(H5Tget_member_class(type, index), what));
}

bool members_inside(hid_t type, const std::string& what) {
  const std::size_t size = type_size(type, what);
  const int members = member_count(type, what);
  for (int m = 0; m < members; ++m) {
    const auto index = static_cast<unsigned>(m);
    const std::size_t offset = H5Tget_member_offset(type, index);  // 0 is also its failure value
    const Handle member(check(H5Tget_member_type(type, index), what), H5Tclose);
    const std::size_t member_size = type_size(member.id(), what);
    if (offset > size || member_size > size - offset) return false;
  }
  return true;
}

bool has_member(hid_t type, const std::string& name, const std::string& what) {
  if (H5Tget_member_index(type, name.c_str()) >= 0) return true;
  check_stack(what);  // -1 is both "no such member" and a failure
  return false;
}

// Attributes.

bool has_attribute(hid_t location, const std::string& name) {
  return check(H5Aexists(location, name.c_str()), "attribute " + name) > 0;
}

Handle open_attribute(hid_t location, const std::string& name) {
  return Handle(check(H5Aopen(location, name.c_str(), H5P_DEFAULT), "attribute " + name), H5Aclose);
}

Handle attribute_type(hid_t attribute, const std::string& what) {
  return Handle(check(H5Aget_type(attribute), what), H5Tclose);
}

hsize_t attribute_values(hid_t attribute, const std::string& what) {
  const Handle space(check(H5Aget_space(attribute), what), H5Sclose);
  return static_cast<hsize_t>(check(H5Sget_simple_extent_npoints(space.id()), what));
}

void read_attribute(hid_t attribute, hid_t memory_type, void* data, const std::string& what) {
  check_number_layout(attribute_type(attribute, what).id(), what);
  check(H5Aread(attribute, memory_type, data), what);
}

}  // namespace hpsweep::h5
