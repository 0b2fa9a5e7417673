// The floor under bench/node_data.py's "first start": how long N ranks of a program that does
// nothing but start MPI take to be all past MPI_Init, and the CPU time they spend getting there.
// With more ranks than cores this is the start-up no data sharing can remove.
//
//   mpirun -np N build/release/bench/mpi_start
//
// Prints, from rank 0, `mpi_start: <ranks> ranks, <cpu> CPU seconds to start and pass MPI_Init summed
// over ranks, all past it at <wall-clock Unix time>`. The caller subtracts its own launch time.

#include <mpi.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  double total = 0.0;
  MPI_Reduce(&cpu, &total, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);  // also: everyone is past MPI_Init
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (rank == 0) {
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::printf("mpi_start: %d ranks, %.3f CPU seconds to start and pass MPI_Init summed over ranks, "
                "all past it at %.3f\n",
                size, total, now);
    std::fflush(stdout);
  }
  MPI_Finalize();
  return 0;
}
