#include "hpsweep/core/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "hpsweep/core/error.hpp"
#include "hpsweep/core/random.hpp"
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
  const fs::path name = fs::path(target).filename();
  // A name nobody can predict, opened only if it does not exist yet and is not a link.
  Rng rng(derive_seed(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()),
                      {static_cast<std::uint64_t>(::getpid())}));
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(rng.next()));
    path_ = (fs::path(directory_of(target)) / ("." + name.string() + "." + suffix + ".tmp")).string();
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd_ < 0 && errno != EEXIST) break;
  }
  if (fd_ < 0) {
    throw StoreError("cannot create a file beside '" + target + "': " + std::strerror(errno) +
                     "; check that the directory exists and is writable");
  }
}

PendingFile::~PendingFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!published_) ::unlink(path_.c_str());
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

}  // namespace hpsweep::core
