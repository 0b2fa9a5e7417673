#include "hpsweep/store/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"

namespace hpsweep::store {

namespace {

/// True when `path` names the file open as `fd` (the holder before us may have removed it).
bool still_named(const std::string& path, int fd) {
  struct stat named {}, held {};
  return ::lstat(path.c_str(), &named) == 0 && ::fstat(fd, &held) == 0 && named.st_dev == held.st_dev &&
         named.st_ino == held.st_ino;
}

}  // namespace

FileLock::FileLock(const std::string& results_path) {
  const std::filesystem::path p(results_path);
  path_ = (p.parent_path() / ("." + p.filename().string() + ".lock")).string();
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd_ = core::open_regular_file(path_, O_RDWR | O_CREAT, "lock file");
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
      throw core::StoreError("another hpsweep run is writing '" + results_path + "' (it holds " + path_ +
                             "); wait for it to end or choose another -o");
    }
    if (still_named(path_, fd_)) return;
    ::close(fd_);  // locked a file its holder removed meanwhile: take the new one
    fd_ = -1;
  }
  throw core::StoreError("cannot take the lock " + path_ + ": it keeps being replaced");
}

FileLock::~FileLock() {
  if (fd_ < 0) return;
  // While still holding it (a waiting taker then sees the name is gone), and only if the name is
  // still this lock's: never another run's, should someone have removed ours by hand.
  if (still_named(path_, fd_)) ::unlink(path_.c_str());
  ::close(fd_);             // closing releases the flock
}

}  // namespace hpsweep::store
