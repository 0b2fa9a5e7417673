#!/usr/bin/env bash
# faults_test.sh HPSWEEP SWEEP: a trial whose loss turns NaN (HPSWEEP_TEST_FAULT, src/cli/test_faults.cpp,
# which wraps the trial function; nothing below the command line knows of it) is marked diverged at
# that epoch with its curve up to there; a trial that throws std::bad_alloc is marked failed with
# the reason; every other trial is unchanged; a sweep where every trial diverges completes with
# exit code 6.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/reference.h5" --quiet
HPSWEEP_TEST_FAULT=nan:3:4 "$hpsweep" run "$sweep" -o "$dir/nan.h5" --quiet
HPSWEEP_TEST_FAULT=bad_alloc:5 "$hpsweep" run "$sweep" -o "$dir/alloc.h5" --quiet
/usr/bin/python3 - "$dir" <<'PY'
import sys, h5py, numpy as np
d = sys.argv[1]
ref = h5py.File(f"{d}/reference.h5")
def check(name, bad, expect_status, expect_epochs, expect_message):
    f = h5py.File(f"{d}/{name}.h5")
    t, r = f["trials"][()], ref["trials"][()]
    assert t["status"][bad] == expect_status, (name, t["status"][bad])
    assert t["epochs_run"][bad] == expect_epochs, (name, t["epochs_run"][bad])
    assert expect_message in t["message"][bad].decode(), (name, t["message"][bad])
    val = f["curves/val_loss"][bad]
    if expect_epochs:
        assert np.array_equal(val[:3], ref["curves/val_loss"][bad][:3]), "curve before the NaN changed"
        assert np.isnan(val[3]), "epoch 4 should hold the NaN"
    others = [i for i in range(len(t)) if i != bad]
    for column in ("status", "best_val_loss", "best_epoch", "final_val_loss"):
        assert np.array_equal(t[column][others], r[column][others]), (name, column)
    assert np.array_equal(f["curves/val_loss"][others], ref["curves/val_loss"][others], equal_nan=True)
    print(name, "ok")
check("nan", 3, 2, 4, "NaN at epoch 4")
check("alloc", 5, 3, 0, "bad_alloc")
PY
cat > "$dir/all_diverge.yaml" <<'YAML'
name: all_diverge
method: grid
data: {source: synthetic, train: 200, val: 100}
fixed: {epochs: 5, optimizer: sgd}
parameters:
  lr: {values: [1.0e+6, 1.0e+9]}
YAML
set +e
"$hpsweep" run "$dir/all_diverge.yaml" -o "$dir/all.h5" --quiet 2>"$dir/all.log"
code=$?
set -e
[ "$code" -eq 6 ] || { echo "all-diverged sweep exited $code, expected 6"; exit 1; }
grep -q "every trial diverged or failed" "$dir/all.log"
"$hpsweep" info "$dir/all.h5" | grep -q "2 diverged, 0 failed, 0 pending"
"$hpsweep" rank "$dir/all.h5" | grep -q "all diverged/failed"
echo "all-diverged sweep: exit 6, reported"
