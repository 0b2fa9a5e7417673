#include "hpsweep/core/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/system.hpp"

namespace hpsweep::core {
namespace {

namespace fs = std::filesystem;

std::string directory_of(const std::string& path) {
  const fs::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

}  // namespace

void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs, const std::string& option) {
  struct stat out {};
  if (::stat(output.c_str(), &out) != 0) return;  // a new file cannot be an input
  for (const std::string& input : inputs) {
    struct stat in {};
    if (input.empty() || ::stat(input.c_str(), &in) != 0) continue;
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
      throw Error(option + " " + output + " is " + (input == output ? "an input" : "the same file as the input " + input) +
                      " of this command; writing it would destroy it: choose another output",
                  ExitCode::kUsage);
    }
  }
}

PendingFile::PendingFile(const std::string& target) : target_(target) {
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    throw StoreError("cannot write '" + target + "': it is a directory; give a file name");
  }
  const std::string name = fs::path(target).filename().string();
  std::string pattern = (fs::path(directory_of(target)) / ("." + name + ".tmp.XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw StoreError("cannot create a file beside '" + target + "': " + std::strerror(errno) +
                     "; check that the directory exists and is writable");
  }
  directory_ = pattern;
  path_ = (fs::path(directory_) / name).string();
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int error = errno;
    ::rmdir(directory_.c_str());
    throw StoreError("cannot create a file beside '" + target + "': " + std::strerror(error));
  }
}

PendingFile::~PendingFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!published_) ::unlink(path_.c_str());
  ::rmdir(directory_.c_str());
}

void PendingFile::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw StoreError("cannot write '" + target_ + "': " + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void PendingFile::publish() {
  const bool synced = ::fsync(fd_) == 0;  // what the rename publishes must be on disk
  const int error = errno;
  ::close(fd_);
  fd_ = -1;
  if (!synced) throw StoreError("cannot write '" + target_ + "': " + std::strerror(error));
  if (std::rename(path_.c_str(), target_.c_str()) != 0) {
    throw StoreError("cannot write '" + target_ + "': " + std::strerror(errno));
  }
  published_ = true;
  (void)fsync_path(directory_of(target_));
}

int open_regular_file(const std::string& path, int flags, const std::string& what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);  // NONBLOCK: a FIFO must not hang us
  if (fd < 0) {
    const int error = errno;
    if (error == ELOOP) {
      throw StoreError(what + " '" + path + "' is a symbolic link; hpsweep never makes one there, so it was planted: "
                                            "remove it");
    }
    throw StoreError("cannot open " + what + " '" + path + "': " + std::strerror(error) +
                     "; check that the directory exists and is writable");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw StoreError(what + " '" + path + "' is not a regular file (a directory, FIFO or device); remove it");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

std::vector<std::byte> read_regular_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) return {};
  const int fd = open_regular_file(path, O_RDONLY, what);
  std::vector<std::byte> bytes;
  std::byte buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw StoreError("cannot read " + what + " '" + path + "': " + std::strerror(error));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  ::close(fd);
  return bytes;
}

}  // namespace hpsweep::core
