#pragma once
/// Files hpsweep creates and keeps beside its results (models, predictions, splits, reports,
/// results files, journals, locks): never over an input of the command, never through a link
/// planted in a shared directory, and never half-written.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hpsweep::core {

/// Throws core::Error (exit 2, usage) when `output` names the same file as one of `inputs`
/// (by path or by device and inode, so `./a.h5`, links and hard links count); `option` names the
/// option in the message ("-o"). Inputs that do not exist are skipped.
void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs, const std::string& option);

/// A new file that will replace `target` as a whole. It is made inside a private directory
/// (mkdtemp: mode 0700, an unpredictable name ".<name>.tmp.XXXXXX" beside `target`), where no other
/// user can plant a link or swap the file, even in a shared group-writable directory; so writers
/// that open it again by name (HDF5) are safe too. Filled, then published by an atomic rename to
/// `target` (fsync first). Removed with its directory unless published, so a failed write leaves
/// `target` as it was. Throws core::StoreError naming `target` when the directory is missing or not
/// writable, and when `target` is a directory.
class PendingFile {
 public:
  explicit PendingFile(const std::string& target);
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  /// The temporary file's path, for writers that open it themselves (HDF5).
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// Appends bytes through the descriptor opened at creation.
  void write(std::string_view bytes);
  /// Closes, fsyncs and renames the file over `target` (a symlink at `target` is replaced, not followed).
  void publish();

 private:
  std::string target_;
  std::string directory_;  // the private directory
  std::string path_;       // the file in it
  int fd_ = -1;
  bool published_ = false;
};

/// Opens `path` with `flags` (O_CLOEXEC and O_NOFOLLOW added; O_CREAT with mode 0644) and
/// checks that it is a regular file. A symlink, directory, FIFO or device at `path` throws
/// core::StoreError naming `what` and the path (hpsweep never made it; someone planted it), as
/// does any other failure. Returns the descriptor.
[[nodiscard]] int open_regular_file(const std::string& path, int flags, const std::string& what);

/// The bytes of the regular file `path`, or nothing when it does not exist; refuses what
/// open_regular_file refuses.
[[nodiscard]] std::vector<std::byte> read_regular_file(const std::string& path, const std::string& what);

}  // namespace hpsweep::core
