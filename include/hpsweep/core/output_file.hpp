#pragma once
/// Files hpsweep's commands create (models, predictions, data splits): never over an input of
/// the command, never through a link planted in a shared directory, and never half-written.

#include <string>
#include <string_view>
#include <vector>

namespace hpsweep::core {

/// Throws core::Error (exit 2, usage) when `output` names the same file as one of `inputs`
/// (by path or by device and inode, so `./a.h5`, links and hard links count); `option` names the
/// option in the message ("-o"). Inputs that do not exist are skipped.
void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs, const std::string& option);

/// A new file that will replace `target` as a whole: created in `target`'s directory under a
/// fresh name with O_CREAT | O_EXCL | O_NOFOLLOW (so a planted symlink or file is never opened),
/// filled, then published by an atomic rename (fsync first). Removed unless published, so a failed
/// write leaves `target` as it was. Throws core::StoreError naming `target` when the directory is
/// missing or not writable, and when `target` is a directory.
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
  std::string path_;
  int fd_ = -1;
  bool published_ = false;
};

}  // namespace hpsweep::core
