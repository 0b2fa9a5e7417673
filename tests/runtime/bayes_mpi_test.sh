#!/usr/bin/env bash
# bayes_mpi_test.sh HPSWEEP MPIEXEC SWEEP...: method bayes gives the same results file (every
# trial's settings, status and curves; all but timing and rank) in one process at 1 and 2
# threads, under mpirun with 2, 3 and 5 ranks, and after kill -9 of the whole job mid-sweep and a
# resume under another rank count.
set -euo pipefail
hpsweep=$1 mpiexec=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
compare() { /usr/bin/python3 "$here/compare_results.py" "$1" "$2"; }
for sweep in "$@"; do
  name=$(basename "$sweep" .yaml)
  "$hpsweep" run "$sweep" -o "$dir/$name.h5" --quiet --threads 1
  trials=$(/usr/bin/python3 -c "import h5py,sys; print(len(h5py.File(sys.argv[1])['trials']))" "$dir/$name.h5")
  [ "$trials" = 30 ] || { echo "$name: $trials trials, expected 30"; exit 1; }
  "$hpsweep" run "$sweep" -o "$dir/${name}_t2.h5" --quiet --threads 2
  compare "$dir/$name.h5" "$dir/${name}_t2.h5"
  for n in 2 3 5; do
    "$mpiexec" -np "$n" --bind-to none "$hpsweep" run "$sweep" -o "$dir/${name}_np$n.h5" --quiet --threads 1
    compare "$dir/$name.h5" "$dir/${name}_np$n.h5"
    echo "$name: np $n identical"
  done
  # kill -9 of the whole job once the file holds some but not all batches, then resume elsewhere.
  "$mpiexec" -np 3 --bind-to none "$hpsweep" run "$sweep" -o "$dir/${name}_killed.h5" --quiet --threads 1 & pid=$!
  journal="$dir/.${name}_killed.h5.journal"
  for _ in $(seq 1000); do
    [ -e "$journal" ] && [ "$(stat -c %s "$journal")" -gt 6000 ] && break
    sleep 0.01
  done
  pkill -9 -f "${name}_killed.h5" || true
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$hpsweep" info "$dir/${name}_killed.h5" | grep -q "complete:      no" || { echo "$name: the kill came after the end"; exit 1; }
  "$hpsweep" run "$sweep" -o "$dir/${name}_killed.h5" --quiet --threads 2
  compare "$dir/$name.h5" "$dir/${name}_killed.h5"
  echo "$name: killed and resumed: identical"
done
