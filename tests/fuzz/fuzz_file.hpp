#pragma once
// The HDF5 readers take a path: the fuzz input goes to a file of this process's own first.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

/// A file made once per process by mkstemp (O_EXCL: never a file or link someone planted under a
/// name they could guess) in $TMPDIR or /tmp, and removed when the process exits normally
/// (run_fuzz.sh points TMPDIR into its work directory, so a crash leaves nothing in /tmp).
class FuzzFile {
 public:
  FuzzFile() {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/hpsweep_fuzz_XXXXXX";
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) {
      std::perror(("fuzz_file: mkstemp " + path_).c_str());
      std::abort();
    }
  }
  ~FuzzFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  FuzzFile(const FuzzFile&) = delete;
  FuzzFile& operator=(const FuzzFile&) = delete;

  /// The file, holding exactly `data`.
  const std::string& holding(const std::uint8_t* data, std::size_t size) {
    std::size_t written = 0;
    bool ok = ::ftruncate(fd_, 0) == 0;
    while (ok && written < size) {
      const ssize_t n = ::pwrite(fd_, data + written, size - written, static_cast<off_t>(written));
      ok = n > 0;
      if (ok) written += static_cast<std::size_t>(n);
    }
    if (!ok) {
      std::perror(("fuzz_file: writing " + path_).c_str());
      std::abort();
    }
    return path_;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

inline const std::string& fuzz_file(const std::uint8_t* data, std::size_t size) {
  static FuzzFile file;
  return file.holding(data, size);
}
