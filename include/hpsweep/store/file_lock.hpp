#pragma once
/// One writer per results file: an flock on ".<name>.lock" beside it. The kernel releases the
/// lock when the holder dies, so a lock left by a killed run never blocks the next one. The holder
/// removes the file when it lets go (so refusals and finished runs leave nothing behind); a
/// taker checks, once it holds the lock, that the name still leads to the file it locked, and
/// tries again otherwise. A lock file that is a symlink or not a regular file is refused.

#include <string>

namespace hpsweep::store {

class FileLock {
 public:
  /// Takes the lock of `results_path`; throws core::StoreError when another live process holds it.
  explicit FileLock(const std::string& results_path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace hpsweep::store
