#pragma once
/// The journal: an append-only file of finished trials beside the results file. Each record
/// carries a checksum and is fsync'd before the trial counts as done, so a kill at any moment
/// loses at most the trials in flight. HDF5 cannot survive a writer killed mid-write; the
/// results file is therefore only ever rewritten whole (write_results) from memory, and the
/// journal holds what finished since the last rewrite.
///
/// Record layout: magic "HPSK" (4 bytes), payload length (uint32), CRC-32 of the identity and the
/// payload (uint32), the identity of the sweep it belongs to (uint64, see sweep_identity), payload
/// (an encoded TrialRecord, record_codec.hpp). Native byte order. Records of the first release
/// ("HPSJ": no identity) are still read; a record of another sweep never joins this one's.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hpsweep::store {

/// ".<name>.journal" beside the results file `results_path`.
[[nodiscard]] std::string journal_path(const std::string& results_path);

/// ".<name>.journal.sealed": the journal's older part, set aside (JournalWriter::seal) while the
/// results file is rewritten in the background to hold it, and removed once the file does. Its
/// records come before the journal's.
[[nodiscard]] std::string sealed_journal_path(const std::string& results_path);

/// What a journal holds, and what was unreadable.
struct JournalContents {
  std::vector<std::vector<std::byte>> records;  ///< valid records, in file order
  int dropped_records = 0;      ///< torn or garbage stretches skipped (each counted once)
  std::size_t dropped_bytes = 0;
  int foreign_records = 0;      ///< valid records of another sweep (another identity, or seed), ignored
};

/// Reads every valid record of `path` (a missing file is an empty journal). A torn tail (a kill
/// mid-append) or garbage is skipped, and counted, never an error. With `identity` non-zero,
/// records of another sweep are counted as foreign and left out. A journal that is a symlink, a
/// directory or a device is refused (core::StoreError): it was planted, not written by hpsweep.
[[nodiscard]] JournalContents read_journal(const std::string& path, std::uint64_t identity = 0);

/// What read_journal makes of a journal's bytes.
[[nodiscard]] JournalContents parse_journal(const std::vector<std::byte>& bytes, std::uint64_t identity = 0);

/// The records of a results file's sealed journal (if any) followed by its journal's.
[[nodiscard]] JournalContents read_journals(const std::string& results_path, std::uint64_t identity = 0);

/// Appends records durably. Each append is written at once (a kill of the process loses nothing
/// written) and synced to disk by a background thread that groups the appends arriving while it
/// syncs (group commit): the coordinator never waits for the disk, and a power loss loses at
/// most the records of the last few milliseconds, which count as in flight. Only one thread
/// (the coordinator) calls append, clear and seal.
class JournalWriter {
 public:
  /// Opens (creating) `path` for appending records of the sweep `identity`; throws
  /// core::StoreError when it cannot, or when `path` is a symlink or not a regular file.
  explicit JournalWriter(std::string path, std::uint64_t identity = 0);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  /// Writes one record and queues its sync; throws core::StoreError (disk full, I/O error, or an
  /// earlier sync that failed).
  void append(const std::vector<std::byte>& payload);
  /// Empties the journal (after the results file took its records) and syncs.
  void clear();
  /// Syncs, renames the journal to `sealed_path` and goes on in a new, empty file at the old
  /// path: the sealed records stay on disk until the results file holds them.
  void seal(const std::string& sealed_path);
  /// Waits until every record appended so far is on disk.
  void sync();

 private:
  void write_all(const std::byte* data, std::size_t size);
  void sync_loop();
  void throw_if_sync_failed();

  std::string path_;
  std::uint64_t identity_ = 0;
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable synced_;
  std::uint64_t appended_ = 0;  // records written
  std::uint64_t durable_ = 0;   // records known to be on disk
  bool stopping_ = false;
  int sync_errno_ = 0;
  std::thread syncer_;
};

}  // namespace hpsweep::store

#include "hpsweep/store/results.hpp"

namespace hpsweep::store {

/// Puts the journal's trial records into `results` (rung decisions are skipped): a record fills
/// its trial's row when that row is still pending or paused at a rung and the record has at least
/// as many epochs (a record already in the file, after a kill between the rewrite and the
/// journal's clearing, is ignored, so each trial counts exactly once). A record whose trial or
/// seed is not the row's (another sweep's, or undecodable) is counted in `journal.foreign_records`
/// and ignored. Returns how many it took.
int merge_journal(Results& results, JournalContents& journal);

/// The one reader of a results file: read_results_file plus the trials that finished since the
/// file was last rewritten (from its sealed journal and its journal), read again when a running
/// sweep replaces a file meanwhile, so a reader mid-sweep never sees a stale file. Every command
/// uses it. Changes nothing on disk.
[[nodiscard]] Results read_results(const std::string& path, JournalContents* journal = nullptr);

}  // namespace hpsweep::store
