#include "h5.hpp"

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

}  // namespace

void silence_library_errors() noexcept { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

hid_t check(hid_t status, const std::string& what) {
  if (status < 0) throw H5Failure(what + ": " + library_message());
  return status;
}

bool is_hdf5(const std::string& path) {
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
