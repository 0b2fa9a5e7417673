#!/usr/bin/env bash
# self_describing_test.sh HPSWEEP SWEEP: the results file says what it holds (read with h5py),
# `info --format json` gives numbers as numbers, and JSON seeds keep all 64 bits (as text).
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet
"$hpsweep" info "$dir/r.h5" --format json >"$dir/info.json"
"$hpsweep" plan "$sweep" --format json >"$dir/plan.json"
/usr/bin/python3 - "$dir/r.h5" "$dir/info.json" "$dir/plan.json" <<'PY'
import json, sys
import h5py
path, info_path, plan_path = sys.argv[1:]
text = lambda v: v.decode() if isinstance(v, bytes) else str(v)
with h5py.File(path, "r") as f:
    a = f.attrs
    assert text(a["task"]) == "binary" and text(a["target"]) == "y" and text(a["val_metric"]) == "accuracy", dict(a)
    assert [text(n) for n in f["feature_names"][()]] == [f"x{i}" for i in range(10)]
    assert list(f["class_labels"][()]) == [0.0, 1.0] and int(a["num_classes"]) == 2
    assert (int(a["train_samples"]), int(a["val_samples"]), int(a["test_samples"])) == (300, 200, 0)
    for name in ("trials", "curves/train_loss", "curves/val_loss", "curves/val_metric", "feature_names", "class_labels"):
        assert len(text(f[name].attrs["description"])) > 20, name
    assert "fraction" in text(f["curves/val_metric"].attrs["unit"])
    seeds = [int(s) for s in f["trials"]["seed"]]
    planned = len(seeds)
info = json.load(open(info_path))
assert info["trials"]["planned"] == planned and isinstance(info["trials"]["ok"], int), info["trials"]
assert info["trials"]["ok"] == planned and info["complete"] is True
assert isinstance(info["last_run"]["wall_seconds"], float) and isinstance(info["epochs_trained"], int)
assert info["data"]["train_samples"] == 300 and info["data"]["task"] == "binary"
plan = json.load(open(plan_path))
assert all(isinstance(row["seed"], str) for row in plan)
assert [int(row["seed"]) for row in plan] == seeds, "plan's seeds are the file's, to the last bit"
print(f"{planned} trials: the file describes its data and datasets; info and plan JSON are exact")
PY

# Wide data: 20,000 feature names do not fit in an HDF5 attribute (64 KiB); the file still writes
# and reads, and says all of them.
/usr/bin/python3 - "$dir/wide.csv" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(3)
x = rng.normal(size=(40, 20000)).round(3)
y = (x[:, 0] > 0).astype(int)
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"feature_number_{i}" for i in range(20000)) + ",label\n")
    for row, target in zip(x, y):
        f.write(",".join(map(str, row)) + f",{target}\n")
PY
printf 'name: wide\nmethod: grid\ndata: {source: csv, train: wide.csv, target: label, val_fraction: 0.25}\nfixed: {epochs: 1, width: 2, batch_size: 8}\nparameters:\n  lr: {values: [0.01]}\n' >"$dir/wide.yaml"
"$hpsweep" run "$dir/wide.yaml" -o "$dir/wide.h5" --quiet 2>/dev/null
[ "$("$hpsweep" info "$dir/wide.h5" --format json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['data']['features'])")" = 20000 ]
echo "20,000 feature names written and read back"
