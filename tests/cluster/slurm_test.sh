#!/usr/bin/env bash
# slurm_test.sh HPSWEEP SWEEP TIMELIMIT_SWEEP: the job scripts of cluster/slurm on a real SLURM
# (slurmctld, slurmd and munge started on this machine by slurm_up.sh, stopped by PID at the end):
#  1. sweep.sbatch with 4 tasks, launched by srun --mpi=pmix and by mpirun: the file equals a
#     one-process run's (all but timing and rank columns);
#  2. sweep.sbatch with a time limit (1 minute) shorter than the sweep needs: SLURM's warning
#     signal stops it cleanly, the job requeues itself and completes, equal to an uninterrupted run;
#  3. sweep-array.sbatch over 3 array tasks plus the dependent merge job: equal again.
# Exit 77 (skipped) when the SLURM packages are missing or this is not root.
set -uo pipefail
hpsweep=$1 sweep=$2 timelimit_sweep=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
slurm_dir=/run/hpsweep-slurm-test
"$here/slurm_up.sh" "$slurm_dir" >/dev/null; up=$?
[ "$up" -eq 77 ] && { echo "SKIP: SLURM not available"; exit 77; }
[ "$up" -eq 0 ] || { echo "SLURM did not start"; "$here/slurm_up.sh" "$slurm_dir"; exit 1; }
dir=$(mktemp -d)
trap '"$here/slurm_down.sh" "$slurm_dir" >/dev/null; rm -rf "$dir"' EXIT
export SLURM_CONF=$slurm_dir/slurm.conf PATH=$PATH:/usr/sbin HPSWEEP=$hpsweep
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
compare() { /usr/bin/python3 "$root/tests/runtime/compare_results.py" "$1" "$2" || { echo "$2 differs from $1"; exit 1; }; }
field() { scontrol show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }

# wait_job ID SECONDS: until the job (and its requeued runs) has ended; prints its state.
wait_job() {
  local id=$1 state
  for _ in $(seq 1 "$2"); do
    state=$(field "$id" JobState)
    case "$state" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) echo "$state"; return;; esac
    [ "$(field "$id" Reason)" = DependencyNeverSatisfied ] && { echo "$state (a job it depends on failed)"; return; }
    sleep 1
  done
  echo "STILL-$state"
}
# expect_completed ID SECONDS LOG...: the job ended COMPLETED with exit code 0, else prints the logs.
expect_completed() {
  local state
  state=$(wait_job "$1" "$2")
  if [ "$state" != COMPLETED ] || [ "$(field "$1" ExitCode)" != 0:0 ]; then
    echo "job $1: $state, exit $(field "$1" ExitCode)"; cat "${@:3}"; exit 1
  fi
}

cd "$dir"
"$hpsweep" run "$sweep" -o reference.h5 --quiet
for launcher in srun mpirun; do
  id=$(LAUNCHER=$launcher sbatch --parsable --ntasks=4 --cpus-per-task=1 -o "$launcher.out" \
       "$root/cluster/slurm/sweep.sbatch" "$sweep" "$dir/$launcher.h5" --quiet)
  expect_completed "$id" 120 "$launcher.out"
  compare reference.h5 "$launcher.h5"
  echo "sweep.sbatch, 4 tasks, $launcher: identical to one process"
done

id=$(sbatch --parsable --array=0-2 --ntasks=2 --cpus-per-task=1 -o "array_%a.out" \
     "$root/cluster/slurm/sweep-array.sbatch" "$sweep" "$dir/array" --quiet)
merge=$(sbatch --parsable --dependency=afterok:"$id" --ntasks=1 -o merge.out \
        "$root/cluster/slurm/sweep-array.sbatch" --merge "$sweep" "$dir/array")
expect_completed "$merge" 180 merge.out array_*.out
compare reference.h5 array/results.h5
echo "sweep-array.sbatch, 3 tasks, and the merge job: identical to one process"

# The time limit: a 1-minute job for a sweep of about 60 CPU-seconds on 2 ranks (1 worker); the
# warning comes 10 s (or more) before the limit, GRACE 5 s lets the running trial finish.
"$hpsweep" run "$timelimit_sweep" -o timelimit_reference.h5 --quiet &
ref=$!
id=$(GRACE=5 sbatch --parsable --ntasks=2 --cpus-per-task=1 --time=1 --signal=B:USR1@10 -o timelimit.out \
     "$root/cluster/slurm/sweep.sbatch" "$timelimit_sweep" "$dir/timelimit.h5" --quiet)
wait "$ref"
expect_completed "$id" 600 timelimit.out
restarts=$(field "$id" Restarts)
[ "${restarts:-0}" -ge 1 ] || { echo "the job was never requeued (Restarts=$restarts)"; cat timelimit.out; exit 1; }
grep -q "hpsweep exited with code 75" timelimit.out || { echo "no clean stop in the log"; cat timelimit.out; exit 1; }
compare timelimit_reference.h5 timelimit.h5
echo "time limit: stopped cleanly and requeued $restarts time(s); identical to an uninterrupted run"
