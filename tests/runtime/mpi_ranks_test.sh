#!/usr/bin/env bash
# mpi_ranks_test.sh HPSWEEP MPIEXEC SWEEP: the curves and results of a sweep are identical with
# one process (no launcher), and under mpirun with 1, 2 and 4 ranks; only timing and rank differ.
set -euo pipefail
hpsweep=$1 mpiexec=$2 sweep=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/local.h5" --quiet
for n in 1 2 4; do
  "$mpiexec" -np "$n" --oversubscribe "$hpsweep" run "$sweep" -o "$dir/np$n.h5" --quiet --threads 1
  for d in /curves/train_loss /curves/val_loss /curves/val_metric; do
    h5diff "$dir/local.h5" "$dir/np$n.h5" "$d" "$d"
  done
  # The ranking, computed from the table's metrics (seconds and rank are not in it).
  "$hpsweep" rank "$dir/local.h5" --format csv > "$dir/local.csv"
  "$hpsweep" rank "$dir/np$n.h5" --format csv > "$dir/np$n.csv"
  diff "$dir/local.csv" "$dir/np$n.csv"
  echo "np $n: identical"
done
