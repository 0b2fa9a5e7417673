#pragma once
/// MPI behind the Transport seam. Only mpi_transport.cpp includes <mpi.h>.

#include <memory>

#include "hpsweep/runtime/transport.hpp"

namespace hpsweep::runtime {

class NodeGroup;  // runtime/node_data.hpp

/// True when an MPI launcher started this process (mpirun/mpiexec, or srun --mpi=pmix). Without
/// one, hpsweep skips MPI_Init entirely: a singleton MPI_Init costs ~0.4 s here.
[[nodiscard]] bool launched_by_mpi() noexcept;

/// Initializes MPI with MPI_THREAD_FUNNELED (only the main thread calls MPI; TBB threads never
/// do) and returns the endpoint of this rank in MPI_COMM_WORLD. Call once.
[[nodiscard]] std::unique_ptr<Transport> init_mpi(int& argc, char**& argv);

/// The ranks of this rank's node (MPI_COMM_TYPE_SHARED), for one copy of the data per node.
/// Collective over the job; destroy it before finalize_mpi().
[[nodiscard]] std::unique_ptr<NodeGroup> node_group();

/// MPI_Finalize, called explicitly on the success path only: finalizing from a destructor while
/// another rank failed would hang the job.
void finalize_mpi();

}  // namespace hpsweep::runtime
