#!/usr/bin/env bash
# kill_resume_test.sh HPSWEEP MPIEXEC SWEEP [MOMENTS]: kill -9 a sweep at random moments and at the
# dangerous points (mid-append to the journal, after the append, between writing the temporary
# results file and renaming it, after the rename before the journal is emptied, after sealing the
# journal for a background rewrite), under one process
# and under mpirun (killing mpirun, rank 0 or a worker); after each kill the results file must open
# with h5dump (no h5clear), and after resuming it must equal an uninterrupted run's file.
set -uo pipefail
hpsweep=$1 mpiexec=$2 sweep=$3 moments=${4:-20}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$hpsweep" run "$sweep" -o "$dir/reference.h5" --quiet || { echo "reference run failed"; exit 1; }
start=$(date +%s.%N)
"$hpsweep" run "$sweep" -o "$dir/timing.h5" --quiet --restart
duration=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')

# Resumes until complete (exit 0), then compares with the reference.
finish_and_compare() {
  local out=$1 what=$2
  if [ -e "$out" ] && ! h5dump -H "$out" >/dev/null 2>&1; then fail "$what: results file does not open after the kill"; fi
  for _ in 1 2 3; do
    "$hpsweep" run "$sweep" -o "$out" --quiet 2>>"$dir/log" && break
  done
  /usr/bin/python3 "$here/compare_results.py" "$dir/reference.h5" "$out" || fail "$what: differs from the uninterrupted run"
  rm -f "$out"
}

for i in $(seq 1 "$moments"); do
  out="$dir/random$i.h5"
  delay=$(awk -v seed="$RANDOM" -v d="$duration" 'BEGIN { srand(seed); printf "%.3f", rand() * d }')
  "$hpsweep" run "$sweep" -o "$out" --quiet & pid=$!
  sleep "$delay"; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  finish_and_compare "$out" "kill -9 after ${delay}s"
done

# With --rewrite-every 0 the file is rewritten in the background as often as it can be: kill it
# after the journal was sealed, inside a background rewrite, and after one before the sealed
# journal is removed.
for point in mid-append:1 mid-append:9 mid-append:30 after-append:5 before-rename:1 before-rename:2 after-rewrite:1 \
             rewrite-every-0/after-seal:3 rewrite-every-0/before-rename:4 rewrite-every-0/after-rewrite:3; do
  out="$dir/point.h5"
  flags=()
  case $point in rewrite-every-0/*) flags=(--rewrite-every 0); point=${point#*/} ;; esac
  (HPSWEEP_TEST_CRASH=$point exec "$hpsweep" run "$sweep" -o "$out" --quiet ${flags[@]+"${flags[@]}"} 2>/dev/null)
  code=$?
  [ "$code" -eq 137 ] || fail "crash point $point did not kill the run (exit $code)"
  if [ "$point" = after-seal:3 ]; then
    [ -s "$dir/.point.h5.journal.sealed" ] || fail "$point: no sealed journal left by the kill"
    "$hpsweep" info "$out" | grep -q "journal: *[1-9][0-9]* record(s)" || fail "$point: info does not read the sealed journal"
  fi
  : > "$dir/log"
  finish_and_compare "$out" "crash point $point"
  case $point in
    mid-append:*) grep -q "dropped 1 torn or unreadable journal record" "$dir/log" || fail "$point: no warning about the torn record" ;;
    after-append:*) grep -q "recovered 5 finished trial(s) from the journal" "$dir/log" || fail "$point: journal not replayed" ;;
  esac
done

for victim in mpirun rank0 worker; do
  out="$dir/mpi_$victim.h5"
  "$mpiexec" -np 3 "$hpsweep" run "$sweep" -o "$out" --quiet --threads 1 2>/dev/null & pid=$!
  # Kill once the sweep is under way (its results file exists), a little into the trials.
  for _ in $(seq 100); do [ -e "$out" ] && break; sleep 0.05; done
  sleep "$(awk -v d="$duration" 'BEGIN { printf "%.3f", d / 4 }')"
  case $victim in
    mpirun) pkill -9 -P "$pid"; kill -9 "$pid" ;;  # the whole job at once
    rank0) kill -9 "$(pgrep -P "$pid" | head -1)" ;;
    worker) kill -9 "$(pgrep -P "$pid" | tail -1)" ;;
  esac
  wait "$pid" 2>/dev/null
  sleep 0.5; pkill -9 -f "hpsweep run $sweep -o $out" 2>/dev/null
  "$hpsweep" info "$out" | grep -q "complete:      no" || fail "mpirun, kill -9 of $victim: the kill came after the sweep ended"
  finish_and_compare "$out" "mpirun -np 3, kill -9 of $victim"
done

echo "$((moments + 13)) kills, $failures failures"
[ "$failures" -eq 0 ]
