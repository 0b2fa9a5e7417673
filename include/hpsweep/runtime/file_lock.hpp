#pragma once
/// One writer per results file: an flock on ".<name>.lock" beside it. The kernel releases the
/// lock when the holder dies, so a lock left by a killed run never blocks the next one.

#include <string>

namespace hpsweep::runtime {

class FileLock {
 public:
  /// Takes the lock of `results_path`; throws core::StoreError when another live process holds it.
  explicit FileLock(const std::string& results_path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace hpsweep::runtime
