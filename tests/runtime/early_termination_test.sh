#!/usr/bin/env bash
# early_termination_test.sh HPSWEEP MPIEXEC ET_SWEEP: early termination end to end.
# 1. asha, median, sha, hyperband each: only ok and stopped trials, each stopped one at a rung
#    epoch with its rung recorded, fewer epochs than the full sweep, and `rank` puts every
#    configuration trained fully before the stopped ones.
# 2. sha and hyperband give the same file for 1 process, 2 and 4 MPI ranks, 1 and 2 threads.
# 3. Killed (kill -9 at the k-th journal append or asha verdict) and resumed, a sweep ends with
#    the file of an uninterrupted run: paused trials go on, stopped ones are never retrained,
#    asha's verdicts on a trial already judged are the same (one slot, so arrival order is fixed).
set -euo pipefail
hpsweep=$1 mpiexec=$2 base=$3
here=$(cd "$(dirname "$0")" && pwd)
compare="/usr/bin/python3 $here/compare_results.py"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
declare -A section=(
  [asha]="{type: asha, grace_period: 2, reduction_factor: 3}"
  [median]="{type: median, grace_period: 3}"
  [sha]="{type: sha, min_iter: 2, eta: 3}"
  [hyperband]="{type: hyperband, min_iter: 2, eta: 2}"
)
for type in asha median sha hyperband; do
  { cat "$base"; echo "early_terminate: ${section[$type]}"; } > "$dir/$type.yaml"
done
"$hpsweep" run "$base" -o "$dir/full.h5" --quiet

for type in asha median sha hyperband; do
  "$hpsweep" run "$dir/$type.yaml" -o "$dir/$type.h5" --quiet
  "$hpsweep" rank "$dir/$type.h5" --format json > "$dir/$type.rank.json"
  /usr/bin/python3 - "$type" "$dir/$type.h5" "$dir/full.h5" "$dir/$type.rank.json" <<'PY'
import json, sys
import h5py, numpy as np
kind, path, full, rank = sys.argv[1:]
rungs = {"asha": [2, 6], "median": list(range(3, 12)), "sha": [2, 6], "hyperband": [2, 4, 8]}[kind]
with h5py.File(path, "r") as f, h5py.File(full, "r") as g:
    t = f["trials"][()]
    assert set(t["status"]) <= {1, 4}, f"{kind}: statuses {set(t['status'])} (only ok=1 and stopped=4 expected)"
    stopped = t[t["status"] == 4]
    assert len(stopped) > 0, f"{kind}: nothing was stopped"
    for r in stopped:
        assert 0 <= r["rung"] < len(rungs), (kind, r["trial"], r["rung"])
        assert r["epochs_run"] == rungs[r["rung"]], (kind, r["trial"], r["epochs_run"], r["rung"])
        curve = f["curves/val_loss"][r["trial"]]
        assert np.all(np.isnan(curve[r["epochs_run"]:])), f"{kind}: curve of trial {r['trial']} goes on past its rung"
    assert np.all(t[t["status"] == 1]["epochs_run"] == 12)
    used, whole = int(t["epochs_run"].sum()), int(g["trials"]["epochs_run"].sum())
    assert used < whole, (kind, used, whole)
    assert f.attrs["epochs_trained"] == used, (kind, f.attrs["epochs_trained"], used)
    full_best = float(g["trials"]["best_val_loss"].min())
rows = json.load(open(rank))
statuses = [r["status"] for r in rows]
first_stopped = next(i for i, s in enumerate(statuses) if s.startswith("stopped"))
assert all(s.startswith("stopped") for s in statuses[first_stopped:]), statuses
budgets = [int(s.split()[2]) for s in statuses[first_stopped:]]
assert budgets == sorted(budgets, reverse=True), f"{kind}: stopped ones not ordered by the epochs reached: {budgets}"
print(f"{kind}: {len(stopped)} of {len(t)} stopped, {100 * used / whole:.0f}% of the epochs, "
      f"best {rows[0]['best_val_loss']:.4f} (full sweep {full_best:.4f})")
PY
done

for type in sha hyperband; do
  "$hpsweep" run "$dir/$type.yaml" -o "$dir/$type.t1.h5" --quiet --threads 1
  $compare "$dir/$type.h5" "$dir/$type.t1.h5"
  for np in 2 4; do
    "$mpiexec" -np "$np" --bind-to none "$hpsweep" run "$dir/$type.yaml" -o "$dir/$type.np$np.h5" --quiet --threads 1
    $compare "$dir/$type.h5" "$dir/$type.np$np.h5"
  done
  echo "$type: identical for 1 process (1 and 2 threads) and 2 and 4 ranks"
done

# Kill and resume. One thread and one slot: asha's order of arrival, hence its verdicts, is fixed.
resume_case() {  # type crash-point
  local type=$1 point=$2 out="$dir/$1.$2.h5"
  set +e
  HPSWEEP_TEST_CRASH=$point "$hpsweep" run "$dir/$type.yaml" -o "$out" --quiet --threads 1 2> /dev/null
  local code=$?
  set -e
  [ "$code" -eq 137 ] || { echo "FAIL: $type did not die at $point (exit $code)"; exit 1; }
  "$hpsweep" info "$out" | grep -q "complete:      no" || { echo "FAIL: $type killed at $point is complete"; exit 1; }
  "$hpsweep" run "$dir/$type.yaml" -o "$out" --quiet --threads 1
  $compare "$dir/$type.t1.h5" "$out" || { echo "FAIL: $type killed at $point and resumed differs"; exit 1; }
  echo "$type: killed at $point, resumed: identical"
}
"$hpsweep" run "$dir/asha.yaml" -o "$dir/asha.t1.h5" --quiet --threads 1
for point in after-append:4 after-append:20 mid-append:9 mid-append:33; do resume_case sha "$point"; done
for point in after-append:9 after-append:30; do resume_case hyperband "$point"; done
for point in after-decision:5 after-decision:23 after-append:11 mid-append:17; do resume_case asha "$point"; done
echo PASS
