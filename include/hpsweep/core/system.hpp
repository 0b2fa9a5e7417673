#pragma once
/// Facts about the machine the process runs on.

#include <cstddef>
#include <string>

namespace hpsweep::core {

/// CPUs this process may run on (its affinity mask, so SLURM's --cpus-per-task and mpirun's
/// binding are honoured); at least 1.
[[nodiscard]] int available_cpus() noexcept;

/// fsyncs a file or a directory (a directory: so that a rename or a new name in it is on disk).
/// Returns false when it cannot be opened or synced.
[[nodiscard]] bool fsync_path(const std::string& path) noexcept;

/// This machine's host name (gethostname), or "?" when it has none.
[[nodiscard]] std::string host_name();

/// CPU time (user + system) this process has used so far, in seconds.
[[nodiscard]] double process_cpu_seconds() noexcept;

/// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with transparent huge
/// pages, when the system leaves that to the program (THP "madvise", a common default). Call it on
/// a large buffer before its first write: on a VM a fresh 4 KiB page costs ~11 µs to fault in, so
/// touching a gigabyte of data took seconds. A hint only; nothing happens below 4 MiB or on failure.
void prefer_huge_pages(void* data, std::size_t bytes) noexcept;

/// Maps the pages of [data, data + bytes) into this process at once (MADV_POPULATE_READ or, to
/// write them, MADV_POPULATE_WRITE; Linux 5.14) instead of one fault per 4 KiB page on first use:
/// for memory shared between processes, which transparent huge pages do not back (shmem THP is
/// off by default), 400 MB took ~0.7 s of faults per rank here. A hint only; nothing on failure.
void populate_pages(void* data, std::size_t bytes, bool for_write) noexcept;

}  // namespace hpsweep::core
