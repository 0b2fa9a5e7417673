#include "hpsweep/store/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "hpsweep/core/crash_point.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"
#include "hpsweep/core/system.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::store {
namespace {

constexpr std::uint32_t kLegacyMagic = 0x4A535048;  // "HPSJ": the first release's records, no identity
constexpr std::size_t kLegacyHeaderBytes = 12;
constexpr std::uint32_t kMagic = 0x4B535048;  // "HPSK"
constexpr std::size_t kHeaderBytes = 20;
/// A record larger than this is garbage (a trial record is a few kilobytes).
constexpr std::uint32_t kMaxPayload = 64u << 20;

std::uint32_t checksum(const std::byte* data, std::size_t size, std::uint32_t crc = 0) {
  return static_cast<std::uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(size)));
}

std::uint32_t load_u32(const std::byte* at) {
  std::uint32_t value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

/// A valid record's place: its header's size, its whole length (0: no valid record) and the
/// identity of its sweep (0 for a first-release record).
struct Frame {
  std::size_t header = 0;
  std::size_t length = 0;
  std::uint64_t identity = 0;
};

Frame valid_record(const std::byte* at, std::size_t remaining) {
  if (remaining < kLegacyHeaderBytes) return {};
  const std::uint32_t magic = load_u32(at);
  const std::size_t header = magic == kMagic ? kHeaderBytes : magic == kLegacyMagic ? kLegacyHeaderBytes : 0;
  if (header == 0 || remaining < header) return {};
  const std::uint32_t length = load_u32(at + 4);
  if (length > kMaxPayload || length > remaining - header) return {};
  std::uint32_t crc = 0;
  std::uint64_t identity = 0;
  if (magic == kMagic) {
    std::memcpy(&identity, at + 12, sizeof identity);
    crc = checksum(at + 12, sizeof identity);
  }
  if (checksum(at + header, length, crc) != load_u32(at + 8)) return {};
  return {header, header + length, identity};
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw core::StoreError(what + " journal '" + path + "': " + std::strerror(errno) +
                         "; check that the directory is writable and has space");
}

}  // namespace

std::string journal_path(const std::string& results_path) {
  const std::filesystem::path p(results_path);
  return (p.parent_path() / ("." + p.filename().string() + ".journal")).string();
}

std::string sealed_journal_path(const std::string& results_path) { return journal_path(results_path) + ".sealed"; }

JournalContents read_journals(const std::string& results_path, std::uint64_t identity) {
  JournalContents contents = read_journal(sealed_journal_path(results_path), identity);
  JournalContents newer = read_journal(journal_path(results_path), identity);
  contents.records.insert(contents.records.end(), std::make_move_iterator(newer.records.begin()),
                          std::make_move_iterator(newer.records.end()));
  contents.dropped_records += newer.dropped_records;
  contents.dropped_bytes += newer.dropped_bytes;
  contents.foreign_records += newer.foreign_records;
  return contents;
}

JournalContents read_journal(const std::string& path, std::uint64_t identity) {
  return parse_journal(core::read_regular_file(path, "journal"), identity);
}

JournalContents parse_journal(const std::vector<std::byte>& raw, std::uint64_t identity) {
  JournalContents contents;
  const std::byte* bytes = raw.data();
  std::size_t offset = 0;
  bool in_garbage = false;
  while (offset < raw.size()) {
    const Frame frame = valid_record(bytes + offset, raw.size() - offset);
    const std::size_t length = frame.length;
    if (length == 0) {
      // Skip a byte at a time until a valid record starts again; count each stretch once.
      if (!in_garbage) ++contents.dropped_records;
      in_garbage = true;
      ++contents.dropped_bytes;
      ++offset;
      continue;
    }
    in_garbage = false;
    if (identity != 0 && frame.identity != 0 && frame.identity != identity) {
      ++contents.foreign_records;
    } else {
      contents.records.emplace_back(bytes + offset + frame.header, bytes + offset + length);
    }
    offset += length;
  }
  return contents;
}

JournalWriter::JournalWriter(std::string path, std::uint64_t identity) : path_(std::move(path)), identity_(identity) {
  fd_ = core::open_regular_file(path_, O_WRONLY | O_CREAT | O_APPEND, "journal");
  syncer_ = std::thread([this] { sync_loop(); });
}

JournalWriter::~JournalWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  syncer_.join();
  ::fsync(fd_);
  ::close(fd_);
}

void JournalWriter::sync_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || durable_ < appended_; });
    if (durable_ == appended_ && stopping_) return;
    const std::uint64_t target = appended_;
    lock.unlock();
    const int result = ::fdatasync(fd_);
    const int error = errno;
    lock.lock();
    if (result != 0 && sync_errno_ == 0) sync_errno_ = error;
    durable_ = std::max(durable_, target);
    synced_.notify_all();
  }
}

void JournalWriter::throw_if_sync_failed() {
  std::lock_guard lock(mutex_);
  if (sync_errno_ != 0) {
    errno = sync_errno_;
    fail("cannot sync", path_);
  }
}

void JournalWriter::append(const std::vector<std::byte>& payload) {
  throw_if_sync_failed();
  std::vector<std::byte> record(kHeaderBytes + payload.size());
  const auto* identity = reinterpret_cast<const std::byte*>(&identity_);
  const std::uint32_t header[3] = {kMagic, static_cast<std::uint32_t>(payload.size()),
                                   checksum(payload.data(), payload.size(), checksum(identity, sizeof identity_))};
  std::memcpy(record.data(), header, sizeof header);
  std::memcpy(record.data() + sizeof header, identity, sizeof identity_);
  std::memcpy(record.data() + kHeaderBytes, payload.data(), payload.size());
  // Two writes, so that the crash tests can kill the process between them (a torn record).
  const std::size_t half = record.size() / 2;
  write_all(record.data(), half);
  core::crash_point("mid-append");
  write_all(record.data() + half, record.size() - half);
  {
    std::lock_guard lock(mutex_);
    ++appended_;
  }
  wake_.notify_one();
}

void JournalWriter::write_all(const std::byte* data, std::size_t size) {
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd_, data + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot append to", path_);
    written += static_cast<std::size_t>(n);
  }
}

void JournalWriter::sync() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = appended_;
  synced_.wait(lock, [&] { return durable_ >= target || sync_errno_ != 0; });
  lock.unlock();
  throw_if_sync_failed();
}

void JournalWriter::seal(const std::string& sealed_path) {
  sync();  // every record on disk, so the syncer waits and does not touch fd_ until the next append
  if (std::rename(path_.c_str(), sealed_path.c_str()) != 0) fail("cannot seal", path_);
  // A new name: O_EXCL, so that a file or link planted there meanwhile is refused, not used.
  const int fresh = core::open_regular_file(path_, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, "journal");
  {
    std::lock_guard lock(mutex_);
    ::close(fd_);
    fd_ = fresh;
  }
  // The rename and the new file's name must be on disk before the new file's records count.
  const std::string directory = std::filesystem::path(path_).parent_path().string();
  if (!core::fsync_path(directory.empty() ? "." : directory)) fail("cannot sync the directory of", path_);
}

void JournalWriter::clear() {
  sync();
  if (::ftruncate(fd_, 0) != 0 || ::fsync(fd_) != 0) fail("cannot empty", path_);
}

}  // namespace hpsweep::store

namespace hpsweep::store {

namespace {

/// What the results file's own checks require of a row (store::read_results), and no epoch count
/// beyond the sweep's (or, not knowing it, any sweep's): a record that breaks them is not merged,
/// or the file would be refused by every command afterwards, or widened to a crafted size.
bool plausible(const TrialRecord& r, const SweepInfo& info, const TrialRecord& row) {
  constexpr int kMostEpochs = 1'000'000;
  int most = info.max_epochs > 0 ? info.max_epochs : kMostEpochs;
  // A program's reports are not known in advance: a record may be longer than the file's widest.
  if (!info.reported_metric.empty()) most = kMostEpochs;
  // A trial decided after the file was written may train longer than the file's curves are wide.
  if (const search::Value* epochs = search::find_value(row.settings, "epochs")) {
    if (const auto* n = std::get_if<long long>(epochs); n != nullptr && *n > most && *n <= kMostEpochs) {
      most = static_cast<int>(*n);
    }
  }
  const auto status = static_cast<int>(r.status);
  const auto within = [most](const std::vector<double>& curve) { return curve.size() <= static_cast<std::size_t>(most); };
  return status > static_cast<int>(search::TrialStatus::kPending) && status <= static_cast<int>(search::TrialStatus::kPaused) &&
         r.epochs_run >= 0 && r.epochs_run <= most && r.best_epoch >= 0 && r.best_epoch <= r.epochs_run &&
         within(r.curve.train_loss) && within(r.curve.val_loss) && within(r.curve.val_metric) &&
         std::all_of(r.curve.reported.begin(), r.curve.reported.end(),
                     [&](const ReportedCurve& c) { return within(c.values); });
}

/// A pending record of the trial after the last row, with settings of the same names as the rows':
/// a trial an adaptive sampler decided during the run (ResultsKeeper::add_trials).
bool decided_later(const Results& results, const TrialRecord& record) {
  if (record.trial != static_cast<int>(results.trials.size()) || record.status != search::TrialStatus::kPending ||
      record.settings.empty() || results.trials.empty()) {
    return false;
  }
  const search::Assignment& first = results.trials.front().settings;
  return record.settings.size() == first.size() &&
         std::equal(first.begin(), first.end(), record.settings.begin(),
                    [](const search::SettingValue& a, const search::SettingValue& b) { return a.name == b.name; });
}

}  // namespace

int merge_journal(Results& results, JournalContents& journal) {
  int taken = 0;
  for (const auto& bytes : journal.records) {
    if (is_decision(bytes)) continue;  // verdicts on running trials: for the coordinator, not the table
    TrialRecord record;
    try {
      record = decode_record(bytes);
    } catch (const core::Error&) {
      ++journal.foreign_records;  // a valid checksum over bytes no hpsweep wrote
      continue;
    }
    if (decided_later(results, record)) {  // an adaptive sampler's new trial, journaled when decided
      results.trials.push_back(std::move(record));
      continue;
    }
    // The trial must be one of this sweep's, with its seed and (in records that carry them) its
    // settings: a first-release record carries no identity, and this is what tells another
    // sweep's record apart.
    if (record.trial < 0 || record.trial >= static_cast<int>(results.trials.size()) ||
        record.seed != results.trials[static_cast<std::size_t>(record.trial)].seed) {
      ++journal.foreign_records;
      continue;
    }
    TrialRecord& row = results.trials[static_cast<std::size_t>(record.trial)];
    // A row an adaptive sampler added, already in the file (a kill after the rewrite, before the
    // sealed journal went): nothing to take.
    if (record.status == search::TrialStatus::kPending && search::same_settings(record.settings, row.settings)) continue;
    if (!plausible(record, results.info, row) ||
        (!record.settings.empty() && !search::same_settings(record.settings, row.settings))) {
      ++journal.foreign_records;
      continue;
    }
    // A paused trial's later records replace it; never go back to fewer epochs (a record the
    // file already took, left in the journal by a kill between the rewrite and the clearing).
    if (!search::is_unsettled(row.status) || record.epochs_run < row.epochs_run) continue;
    record.settings = std::move(row.settings);
    row = std::move(record);
    ++taken;
  }
  return taken;
}

namespace {

/// The inodes of a results file and its journals (0: absent). A seal or a rewrite changes one.
std::array<ino_t, 3> file_identities(const std::string& path) {
  std::array<ino_t, 3> ids{};
  const std::string files[] = {path, sealed_journal_path(path), journal_path(path)};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    struct stat st {};
    if (::stat(files[i].c_str(), &st) == 0) ids[i] = st.st_ino;
  }
  return ids;
}

}  // namespace

Results read_results(const std::string& path, JournalContents* journal) {
  // A running sweep may seal its journal or replace the file between the three reads; read again
  // then, or a batch of trials could be in neither what was read of the file nor of the journals.
  for (int attempt = 0;; ++attempt) {
    const auto before = file_identities(path);
    Results results = read_results_file(path);
    JournalContents contents = read_journals(path, sweep_identity(results.info));
    if (file_identities(path) != before && attempt < 10) continue;
    merge_journal(results, contents);
    if (journal != nullptr) *journal = std::move(contents);
    return results;
  }
}

}  // namespace hpsweep::store
