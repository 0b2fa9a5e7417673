#!/usr/bin/env bash
# Worker utilization of method bayes under `mpirun -np 9` (8 worker ranks), trials of about 1 s:
#   1. stand-in trials that sleep exactly 1 s (bench/coordinator_scale.cpp: the whole run path,
#      no CPU contention on this 2-core machine), for bayes (batches of 8 and 16) and random;
#   2. real trials (hpsweep run --stats) of sweep bayes_1s.yaml, 9 ranks oversubscribed on the
#      machine's cores, so each trial takes longer than 1 s of wall time; their lengths differ.
# Prints the slots' busy share ("trial slots busy" of --stats) and the wall time of each.
#   bench/bayes_utilization.sh [build/release]
set -euo pipefail
build=$(realpath "${1:-build/release}")
here=$(cd "$(dirname "$0")" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
busy() { grep -o 'busy [0-9.]*%' | head -1; }
wall() { grep -o 'of [0-9.]* ms wall' | head -1; }
sed 's/batch_size: 8}/batch_size: 16}/' "$here/bayes_1s.yaml" >"$dir/bayes16.yaml"
sed -e 's/^method: bayes/method: random/' -e '/^bayes:/d' "$here/bayes_1s.yaml" >"$dir/random.yaml"
for sweep in "$here/bayes_1s.yaml" "$dir/bayes16.yaml" "$dir/random.yaml"; do
  out=$(mpirun -np 9 --oversubscribe "$build/bench/coordinator_scale" "$sweep" --trial-ms 1000 -o "$dir/u.h5" 2>&1)
  echo "stand-in 1 s trials, $(basename "$sweep"): $(echo "$out" | busy), $(echo "$out" | wall)"
done
for sweep in "$here/bayes_1s.yaml" "$dir/bayes16.yaml" "$dir/random.yaml"; do
  out=$(mpirun -np 9 --oversubscribe --bind-to none "$build/hpsweep" run "$sweep" -o "$dir/real.h5" \
        --quiet --stats --threads 1 --restart 2>&1)
  echo "real trials, $(basename "$sweep"): $(echo "$out" | busy), $(echo "$out" | wall)"
done
