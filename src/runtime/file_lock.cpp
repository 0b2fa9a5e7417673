#include "hpsweep/runtime/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "hpsweep/core/error.hpp"

namespace hpsweep::runtime {

FileLock::FileLock(const std::string& results_path) {
  const std::filesystem::path p(results_path);
  const std::string lock_path = (p.parent_path() / ("." + p.filename().string() + ".lock")).string();
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw core::StoreError("cannot create lock file '" + lock_path + "': " + std::strerror(errno) +
                           "; check that the output directory exists and is writable");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    throw core::StoreError("another hpsweep run is writing '" + results_path + "' (it holds " + lock_path +
                           "); wait for it to end or choose another -o");
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace hpsweep::runtime
