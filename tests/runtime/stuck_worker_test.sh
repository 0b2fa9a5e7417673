#!/usr/bin/env bash
# stuck_worker_test.sh HPSWEEP MPIEXEC SWEEP: a worker rank stopped with SIGSTOP mid-sweep (as a
# hung file system or a dead node would leave it) cannot hang the sweep: within --worker-timeout
# the coordinator names the rank and host, gives its trials to the other worker, completes the
# sweep, and ends the job (exit 0) without waiting for the stopped rank. The file equals a
# one-process run; no hpsweep process is left behind.
set -uo pipefail
hpsweep=$1 mpiexec=$2 sweep=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
cleanup() { pkill -CONT -f "$dir/stuck.h5" 2>/dev/null; pkill -KILL -f "$dir/stuck.h5" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
cd "$dir"
"$hpsweep" run "$sweep" -o whole.h5 --quiet --threads 1 2>/dev/null || { echo "setup failed"; exit 1; }
start=$SECONDS
timeout 300 "$mpiexec" -np 3 --bind-to none "$hpsweep" run "$sweep" -o "$dir/stuck.h5" --threads 1 --worker-timeout 3 \
  >"$dir/log" 2>&1 &
job=$!
# Rank 2, once it trains: the rank whose environment says so.
victim=""
for _ in $(seq 1 100); do
  for pid in $(pgrep -f "$dir/stuck.h5"); do
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=2" && victim=$pid
  done
  # Once rank 2 has returned a trial it has been given the next one: stopped now, it owes it.
  [ -n "$victim" ] && grep -q ", rank 2: " "$dir/log" && break
  sleep 0.2
done
[ -n "$victim" ] || { echo "FAIL: rank 2 never started"; cat "$dir/log"; exit 1; }
kill -STOP "$victim"
wait "$job"
code=$?
echo "mpirun exited $code after $((SECONDS - start)) s"
grep -v '^\[' "$dir/log"
[ "$code" -eq 0 ] || { echo "FAIL: expected exit 0"; exit 1; }
grep -Eq "rank 2 on host [^ ]+ has sent nothing for 3 s \(--worker-timeout\) while it owed [0-9]+ trial\(s\)" "$dir/log" ||
  { echo "FAIL: the stuck rank was not named"; exit 1; }
"$hpsweep" info "$dir/stuck.h5" | grep -q "complete:      yes" || { echo "FAIL: not complete"; exit 1; }
/usr/bin/python3 "$here/compare_results.py" "$dir/whole.h5" "$dir/stuck.h5" || { echo "FAIL: differs from one process"; exit 1; }
kill -CONT "$victim" 2>/dev/null
sleep 1
if pgrep -f "$dir/stuck.h5" >/dev/null; then echo "FAIL: processes left: $(pgrep -af "$dir/stuck.h5")"; exit 1; fi
echo "the stopped rank's trials ran elsewhere; the file equals a one-process run; nothing left running"
