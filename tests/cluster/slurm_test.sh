#!/usr/bin/env bash
# slurm_test.sh HPSWEEP SWEEP TIMELIMIT_SWEEP: the job scripts of cluster/slurm on a real SLURM
# (slurmctld, slurmd and munge started on this machine by slurm_up.sh, stopped by PID at the end):
#  0. the quick start as written: sweep.sbatch with its defaults (one task, one CPU, no launcher),
#     no HPSWEEP and no hpsweep on PATH (it finds build/release/hpsweep in the submit directory),
#     into a results directory that does not exist yet; and a wrong HPSWEEP: exit 2, named;
#  1. sweep.sbatch with 4 tasks, launched by srun --mpi=pmix and by mpirun: the file equals a
#     one-process run's (all but timing and rank columns);
#  2. sweep.sbatch with a time limit (1 minute) shorter than the sweep needs: SLURM's warning
#     signal stops it cleanly, the job requeues itself and completes, equal to an uninterrupted run;
#  3. sweep-array.sbatch over 3 array tasks plus the dependent merge job, submitted as
#     cluster/README.md says: equal again, and the merge job's log is <name>-<array job>-merge.out
#     (not ..._4294967294.out).
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
# expect_completed ID SECONDS LOG...: the job ended COMPLETED with exit code 0, else prints the logs
# (LOG may be a quoted glob: it is expanded then, once the jobs have written their logs).
expect_completed() {
  local state
  state=$(wait_job "$1" "$2")
  if [ "$state" != COMPLETED ] || [ "$(field "$1" ExitCode)" != 0:0 ]; then
    echo "job $1: $state, exit $(field "$1" ExitCode)"
    # shellcheck disable=SC2068
    cat ${@:3}
    exit 1
  fi
}

cd "$dir" || exit 1
"$hpsweep" run "$sweep" -o reference.h5 --quiet

# The quick start: `sbatch cluster/slurm/sweep.sbatch SWEEP runs/x.h5` in a build tree's root. PATH
# is cut to the system's, so that only the submit directory's build/release/hpsweep can be found.
mkdir -p build/release && ln -s "$hpsweep" build/release/hpsweep
id=$(env -u HPSWEEP PATH=/usr/sbin:/usr/bin:/sbin:/bin sbatch --parsable \
     "$root/cluster/slurm/sweep.sbatch" "$sweep" runs/new/default.h5 --quiet)
expect_completed "$id" 120 "hpsweep-$id.out"
grep -q "starting: $dir/build/release/hpsweep run $sweep -o runs/new/default.h5 --grace 60 --threads 1 --quiet" \
  "hpsweep-$id.out" || { echo "not one process on the job's one CPU with the submit directory's binary"; cat "hpsweep-$id.out"; exit 1; }
compare reference.h5 runs/new/default.h5
echo "sweep.sbatch with its defaults, no HPSWEEP, new results directory: identical to one process"
id=$(HPSWEEP=$dir/no-such-hpsweep sbatch --parsable -o wrong.out "$root/cluster/slurm/sweep.sbatch" "$sweep" wrong.h5)
state=$(wait_job "$id" 60)
{ [ "$state" = FAILED ] && [ "$(field "$id" ExitCode)" = 2:0 ] && grep -q "HPSWEEP='$dir/no-such-hpsweep' is not" wrong.out; } ||
  { echo "a wrong HPSWEEP: job $id $state, exit $(field "$id" ExitCode), expected FAILED 2:0 naming HPSWEEP"; cat wrong.out; exit 1; }
echo "sweep.sbatch with a wrong HPSWEEP: exit 2, named in the log"
for launcher in srun mpirun; do
  id=$(LAUNCHER=$launcher sbatch --parsable --ntasks=4 --cpus-per-task=1 -o "$launcher.out" \
       "$root/cluster/slurm/sweep.sbatch" "$sweep" "$dir/$launcher.h5" --quiet)
  expect_completed "$id" 120 "$launcher.out"
  compare reference.h5 "$launcher.h5"
  echo "sweep.sbatch, 4 tasks, $launcher: identical to one process"
done

# The logs as cluster/README.md names them; the merge job finds the binary as sweep.sbatch does.
id=$(sbatch --parsable --array=0-2 --ntasks=2 --cpus-per-task=1 \
     "$root/cluster/slurm/sweep-array.sbatch" "$sweep" "$dir/array" --quiet)
merge=$(env -u HPSWEEP PATH=/usr/sbin:/usr/bin:/sbin:/bin sbatch --parsable --dependency=afterok:"$id" \
        -o "%x-$id-merge.out" "$root/cluster/slurm/sweep-array.sbatch" --merge "$sweep" "$dir/array")
expect_completed "$merge" 180 "hpsweep-array-$id*.out"
compare reference.h5 array/results.h5
if ! [ -f "hpsweep-array-$id-merge.out" ] || ! [ -f "hpsweep-array-${id}_2.out" ]; then
  echo "no hpsweep-array-$id-merge.out or hpsweep-array-${id}_2.out:"; ls; exit 1
fi
if compgen -G "*4294967294*" >/dev/null; then echo "a log named with NO_VAL (4294967294):"; ls; exit 1; fi
echo "sweep-array.sbatch, 3 tasks, and the merge job: identical to one process; logs hpsweep-array-${id}_I.out and -merge.out"

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
