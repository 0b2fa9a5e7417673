#!/usr/bin/env bash
# program_sweep_test.sh HPSWEEP MPIEXEC TOY_CPP: sweeps of a user's own program.
# - toy_train.py: ok, failing, crashing, hanging, never-reporting, flooding and diverging trials
#   in one process and under mpirun -np 3; statuses, messages, curves equal to what it printed,
#   logs beside the results; the two files identical.
# - the C++ toy (built as a test fixture) through `command: [path, "${args}"]`.
# - kill -9 of the whole job mid-sweep and a rerun give the uninterrupted run's file.
# - SIGTERM mid-sweep: no program left running, the rerun completes the same file.
set -euo pipefail
hpsweep=$1 mpiexec=$2 toy_cpp=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
compare() { /usr/bin/python3 "$here/../runtime/compare_results.py" "$1" "$2"; }
cp "$here/toy_train.py" "$here/python_sweep.yaml" "$here/slow_sweep.yaml" "$here/asha_sweep.yaml" "$dir/"
cd "$dir"

# Every way a trial ends, one process then three ranks.
"$hpsweep" run python_sweep.yaml -o one.h5 --quiet --threads 2
/usr/bin/python3 "$here/check_program_sweep.py" one.h5 one.trials
"$mpiexec" -np 3 --bind-to none "$hpsweep" run python_sweep.yaml -o np3.h5 --quiet --threads 2
/usr/bin/python3 "$here/check_program_sweep.py" np3.h5 np3.trials
compare one.h5 np3.h5
echo "python toy: every end recorded; one process and mpirun -np 3 identical"
"$hpsweep" rank one.h5 | grep -q "loss" || { echo "rank does not show the metric"; exit 1; }

# asha stops the worse programs at a rung (2 or 4 reports of 8); their reports so far are kept.
"$hpsweep" run asha_sweep.yaml -o asha.h5 --quiet --threads 1
/usr/bin/python3 - asha.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = {v: k for k, v in h5py.check_enum_dtype(f["trials"].dtype["status"]).items()}
rows = f["trials"][()]
stopped = [r for r in rows if names[r["status"]] == "stopped"]
ok = [r for r in rows if names[r["status"]] == "ok"]
assert stopped and ok, [(names[r["status"]], r["message"]) for r in rows]
for r in stopped:
    reports = [2, 4][r["rung"]]
    assert r["epochs_run"] == reports, (r["epochs_run"], r["rung"])
    assert not np.isnan(f["curves"]["loss"][r["trial"]][:reports]).any()
for r in ok:
    assert r["epochs_run"] == 8
# The first trial (lowest lr: the lowest loss) is never stopped.
assert names[rows[0]["status"]] == "ok"
print(f"asha: {len(stopped)} stopped at rungs, {len(ok)} ran to the end")
PY

# The C++ toy through an explicit command.
cat > cpp_sweep.yaml <<YAML
name: toy-cpp
command:
  - $toy_cpp
  - \${args}
method: grid
metric: {name: loss}
parameters:
  lr: {values: [0.01, 0.02]}
  mode: {values: [ok, fail, crash, nan]}
YAML
"$hpsweep" run cpp_sweep.yaml -o cpp.h5 --quiet
/usr/bin/python3 - cpp.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = {v: k for k, v in h5py.check_enum_dtype(f["trials"].dtype["status"]).items()}
want = {"ok": "ok", "fail": "failed", "crash": "failed", "nan": "diverged"}
for row in f["trials"][()]:
    mode = row["mode"].decode()
    assert names[row["status"]] == want[mode], (mode, names[row["status"]], row["message"])
    if mode == "ok":
        loss = [float(row["lr"]) * 10 / s + (int(row["seed"]) % 1000) / 1e6 for s in range(1, 5)]
        assert np.array_equal(f["curves"]["loss"][row["trial"]][:4], loss), (f["curves"]["loss"][row["trial"]], loss)
        assert np.array_equal(f["curves"]["step"][row["trial"]][:4], [1, 2, 3, 4])
print("C++ toy: statuses and curves as printed")
PY

# kill -9 of the whole job mid-sweep, then a rerun: the uninterrupted run's file.
"$hpsweep" run slow_sweep.yaml -o whole.h5 --quiet --threads 2
"$hpsweep" run slow_sweep.yaml -o killed.h5 --quiet --threads 2 & pid=$!
for _ in $(seq 600); do
  [ "$(ls killed.trials 2>/dev/null | wc -l)" -ge 4 ] && break
  sleep 0.02
done
sleep 0.5
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
pkill -9 -f "$dir/toy_train.py" 2>/dev/null || true  # kill -9 cannot pass itself on: the job's children go with the job
"$hpsweep" info killed.h5 | grep -q "complete:      no" || { echo "the kill came after the end"; exit 1; }
"$hpsweep" run slow_sweep.yaml -o killed.h5 --quiet --threads 2
compare whole.h5 killed.h5
echo "killed and rerun: identical"

# SIGTERM mid-sweep: passed on to the programs, none left running; the rerun completes the file.
"$hpsweep" run slow_sweep.yaml -o termed.h5 --quiet --threads 2 --grace 10 & pid=$!
for _ in $(seq 600); do
  pgrep -f "$dir/toy_train.py" >/dev/null && break
  sleep 0.02
done
sleep 0.3
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
[ "$code" -ne 0 ] || { echo "a stopped sweep exited 0"; exit 1; }
if pgrep -af "$dir/toy_train.py"; then echo "programs left running after SIGTERM"; exit 1; fi
"$hpsweep" run slow_sweep.yaml -o termed.h5 --quiet --threads 2
compare whole.h5 termed.h5
echo "SIGTERM: nothing left running; rerun identical"

# SIGTERM to the whole process group, as SLURM and scancel send it: the programs get it directly
# and die of it before hpsweep passes it on; they were interrupted, not failed, and run again.
setsid "$hpsweep" run slow_sweep.yaml -o group.h5 --quiet --threads 2 --grace 10 & pid=$!
for _ in $(seq 600); do
  pgrep -f "$dir/toy_train.py" >/dev/null && break
  sleep 0.02
done
sleep 0.3
kill -TERM -- "-$pid"
wait "$pid" || true
"$hpsweep" info group.h5 | grep -q " 0 failed" || { "$hpsweep" info group.h5; echo "programs killed by the job's signal were recorded as failed"; exit 1; }
"$hpsweep" run slow_sweep.yaml -o group.h5 --quiet --threads 2
compare whole.h5 group.h5
echo "SIGTERM to the process group: interrupted trials ran again; identical"

# A fresh start (--restart) moves an earlier sweep's trial directories aside.
"$hpsweep" run cpp_sweep.yaml -o cpp.h5 --quiet --restart 2> restart.log
grep -q "moved aside to .*cpp.trials.old-1" restart.log || { cat restart.log; exit 1; }
[ -d cpp.trials.old-1 ] && [ -d cpp.trials/trial-0 ] || { echo "the earlier trial directories were not set aside"; exit 1; }
echo "--restart: the earlier trial directories set aside"
