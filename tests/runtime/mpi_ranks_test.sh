#!/usr/bin/env bash
# mpi_ranks_test.sh HPSWEEP MPIEXEC SWEEP SLOW_SWEEP: the results file (curves and the whole table but the
# timing and rank columns) is identical for one process without a launcher, for mpirun with 1, 2,
# 3, 4 and 8 ranks at 1 and 2 threads per rank, and for a run interrupted by a signal and resumed.
set -euo pipefail
hpsweep=$1 mpiexec=$2 sweep=$3 slow_sweep=$4
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
compare() { /usr/bin/python3 "$here/compare_results.py" "${2:-$dir/local.h5}" "$1"; }
"$hpsweep" run "$sweep" -o "$dir/local.h5" --quiet
for threads in 1 2; do
  "$hpsweep" run "$sweep" -o "$dir/local_t$threads.h5" --quiet --threads "$threads"
  compare "$dir/local_t$threads.h5"
  for n in 1 2 3 4 8; do
    "$mpiexec" -np "$n" --bind-to none "$hpsweep" run "$sweep" -o "$dir/np${n}_t$threads.h5" --quiet --threads "$threads"
    compare "$dir/np${n}_t$threads.h5"
    echo "np $n, $threads thread(s): identical"
  done
done
# Interrupted (SIGTERM with no grace: running trials are dropped) and resumed with other counts,
# on a sweep whose trials last long enough to be interrupted.
"$hpsweep" run "$slow_sweep" -o "$dir/slow.h5" --quiet
"$hpsweep" run "$slow_sweep" -o "$dir/resumed.h5" --quiet --threads 1 --grace 0 & pid=$!
for _ in $(seq 200); do [ -e "$dir/resumed.h5" ] && break; sleep 0.05; done
sleep 1; kill -TERM "$pid"; wait "$pid" || true
"$hpsweep" info "$dir/resumed.h5" | grep -q "complete:      no"
"$mpiexec" -np 3 --bind-to none "$hpsweep" run "$slow_sweep" -o "$dir/resumed.h5" --quiet --threads 2
compare "$dir/resumed.h5" "$dir/slow.h5"
echo "interrupted and resumed: identical"
