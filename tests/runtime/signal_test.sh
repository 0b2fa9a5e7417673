#!/usr/bin/env bash
# signal_test.sh HPSWEEP MPIEXEC SWEEP: SIGTERM, SIGINT and SIGUSR1 stop a sweep cleanly with exit
# code 75 (resumable) within the grace period, a second signal stops it at once, and under mpirun
# a forwarded SIGUSR1 does the same; resuming then gives the uninterrupted run's file.
set -uo pipefail
hpsweep=$1 mpiexec=$2 sweep=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

"$hpsweep" run "$sweep" -o "$dir/reference.h5" --quiet || exit 1

# stop_and_resume NAME SIGNALS GRACE MAX_SECONDS LAUNCHER...: starts a run with one thread per rank
# (so its length does not shrink with the machine's cores), sends the signals (space-separated) once
# its results file exists (the signal handlers are installed before it is created) and a trial or
# so has run, expects exit 75 within MAX_SECONDS, then resumes and compares.
stop_and_resume() {
  local name=$1 signals=$2 grace=$3 max=$4
  shift 4
  local out="$dir/$name.h5"
  "$@" "$hpsweep" run "$sweep" -o "$out" --quiet --threads 1 --grace "$grace" 2>"$dir/$name.log" & local pid=$!
  for _ in $(seq 200); do [ -e "$out" ] && break; sleep 0.05; done
  sleep 0.5
  local sent
  sent=$(now)
  for s in $signals; do kill -"$s" "$pid"; sleep 0.05; done
  wait "$pid"
  local code=$? took
  took=$(elapsed "$sent")
  [ "$code" -eq 75 ] || fail "$name: exit code $code, expected 75; $(cat "$dir/$name.log")"
  awk -v t="$took" -v m="$max" 'BEGIN { exit !(t <= m) }' || fail "$name: took ${took}s to stop (limit ${max}s)"
  "$hpsweep" info "$out" | grep -q "complete:      no" || fail "$name: info does not say incomplete"
  "$hpsweep" run "$sweep" -o "$out" --quiet || fail "$name: resume failed"
  "$hpsweep" info "$out" | grep -q "complete:      yes" || fail "$name: not complete after resume"
  /usr/bin/python3 "$here/compare_results.py" "$dir/reference.h5" "$out" || fail "$name: differs after resume"
  echo "$name: exit $code after ${took}s"
}

stop_and_resume sigterm TERM 20 5 env
stop_and_resume sigint INT 20 5 env
stop_and_resume sigusr1 USR1 20 5 env
stop_and_resume second_signal_stops_at_once "TERM INT" 60 1.0 env
stop_and_resume grace_expires TERM 0.1 1.0 env
stop_and_resume mpirun_usr1 USR1 20 6 "$mpiexec" -np 3 --bind-to none

echo "$failures failures"
[ "$failures" -eq 0 ]
