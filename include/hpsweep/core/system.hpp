#pragma once
/// Facts about the machine the process runs on.

namespace hpsweep::core {

/// CPUs this process may run on (its affinity mask, so SLURM's --cpus-per-task and mpirun's
/// binding are honoured); at least 1.
[[nodiscard]] int available_cpus() noexcept;

/// CPU time (user + system) this process has used so far, in seconds.
[[nodiscard]] double process_cpu_seconds() noexcept;

}  // namespace hpsweep::core
