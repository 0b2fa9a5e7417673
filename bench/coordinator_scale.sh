#!/usr/bin/env bash
# The coordinator's throughput at 2, 8, 32 and 64 ranks (oversubscribed on this machine's cores)
# with stand-in trials of 1, 10 and 100 ms (bench/coordinator_scale.cpp: `hpsweep run`'s whole
# path, trials that sleep instead of training). docs/scaling.md projects from these figures.
#   bench/coordinator_scale.sh [build/release/bench/coordinator_scale] [ranks...]
# Env: MS="1 10 100" trial lengths; SECONDS_PER_RUN=4 ideal seconds per run; MAX_TRIALS=20000.
set -euo pipefail
bench=$(realpath "${1:-build/release/bench/coordinator_scale}")
shift || true
read -r -a ranks <<<"${*:-2 8 32 64}"
here=$(cd "$(dirname "$0")" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%5s %6s %6s %9s %9s %8s %6s %8s %6s %12s %8s %6s\n' ranks trial trials trials/s ideal/s coord_us bytes journal_us seal_us 'rewrites(ms)' longest busy%
for np in "${ranks[@]}"; do
  for ms in ${MS:-1 10 100}; do
    workers=$((np - 1))
    trials=$(awk -v w="$workers" -v ms="$ms" -v s="${SECONDS_PER_RUN:-4}" -v cap="${MAX_TRIALS:-20000}" \
      'BEGIN { n = int(w * s * 1000 / ms); if (n < 50) n = 50; if (n > cap) n = cap; print n }')
    sed "s/^run_cap: .*/run_cap: $trials/" "$here/coordinator_scale.yaml" >"$dir/sweep.yaml"
    out=$(mpirun -np "$np" --oversubscribe "$bench" "$dir/sweep.yaml" --trial-ms "$ms" -o "$dir/scale.h5" 2>&1) || {
      echo "$out"; exit 1; }
    # Pull the figures out of the --stats lines (see print_stats in src/runtime/sweep.cpp).
    echo "$out" | /usr/bin/python3 -c '
import re, sys
np, ms, workers = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[1]) - 1
text = sys.stdin.read()
def num(pattern):
    m = re.search(pattern, text)
    if not m: sys.exit("no match for " + pattern + " in:\n" + text)
    return float(m.group(1))
print("%5d %4gms %6d %9.0f %9.0f %8.1f %6d %8.1f %6.1f %4d x%6.1f %8.1f %6.1f" % (
    np, ms, num(r"coordinator: (\d+) trials"), num(r"\(([\d.]+) trials/s\)"), workers * 1000 / ms,
    num(r"([\d.]+) us of coordinator"), num(r"(\d+) bytes per result"), num(r"journal ([\d.]+) us"),
    num(r"sealing it for rewrites ([\d.]+) us"), num(r"(\d+) rewrites"), num(r"([\d.]+) ms each"),
    num(r"([\d.]+) ms the longest"), num(r"busy ([\d.]+)%")))
' "$np" "$ms"
  done
done
echo "columns: coordinator trials/s against the workers' ideal; coordinator time per trial (all of it, the"
echo "journal included); result message payload; journal append and sealing time per trial on the coordinator's"
echo "thread; background rewrites of the results file x their mean and longest ms; the worker slots' busy share."
