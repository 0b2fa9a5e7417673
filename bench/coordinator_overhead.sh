#!/usr/bin/env bash
# The coordinator's cost and the workers' utilization under real MPI on this machine.
#   bench/coordinator_overhead.sh [build/release/hpsweep]
# 1. 400 trials of a few milliseconds on 8 oversubscribed ranks: trials/s and coordinator
#    microseconds per trial (target <= 100 us).
# 2. Trials of about a second: workers' busy share (target >= 95%).
# 3. -np 2 and -np 3 on 2 cores, with Open MPI's default binding and with --bind-to none:
#    the machine's CPU use (how much of the 2 cores did work).
set -euo pipefail
hpsweep=$(realpath "${1:-build/release/hpsweep}")
here=$(cd "$(dirname "$0")" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
echo "== 400 short trials, mpirun -np 8 --oversubscribe, 1 thread per rank"
mpirun -np 8 --oversubscribe "$hpsweep" run "$here/coordinator_tiny.yaml" -o tiny.h5 --quiet --stats --threads 1
echo "== 1-second trials, mpirun -np 3 (2 workers on 2 cores), 1 thread per rank"
mpirun -np 3 --oversubscribe "$hpsweep" run "$here/coordinator_1s.yaml" -o one.h5 --quiet --stats --threads 1 --restart
for np in 2 3; do
  for bind in "" "--bind-to none"; do
    echo "== -np $np ${bind:-(default binding)}, default threads"
    /usr/bin/time -f "   wall %e s, CPU use %P of one core (200% = both cores busy)" \
      mpirun -np $np --oversubscribe $bind "$hpsweep" run "$here/coordinator_1s.yaml" -o one.h5 --quiet --stats --restart
  done
done
echo "== one process, no mpirun, default threads"
/usr/bin/time -f "   wall %e s, CPU use %P" "$hpsweep" run "$here/coordinator_1s.yaml" -o one.h5 --quiet --stats --restart
