#!/usr/bin/env bash
# curves_test.sh HPSWEEP SWEEP: `hpsweep curves --format csv` prints exactly the stored curves
# (checked against the raw datasets read with h5py), and a bad trial index exits 2 (a usage error) naming the range.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet
for trial in 0 7; do
  "$hpsweep" curves "$dir/r.h5" --trial "$trial" --format csv >"$dir/c$trial.csv"
  /usr/bin/python3 - "$dir/r.h5" "$trial" "$dir/c$trial.csv" <<'PY'
import csv, math, sys
import h5py
path, trial, csv_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with h5py.File(path, "r") as f:
    epochs = int(f["trials"][trial]["epochs_run"])
    curves = {k: f["curves/" + k][trial, :] for k in ("train_loss", "val_loss", "val_metric")}
rows = list(csv.DictReader(open(csv_path)))
assert list(rows[0].keys()) == ["epoch", "train_loss", "val_loss", "val_metric"], rows[0].keys()
assert epochs > 0 and len(rows) == epochs, (len(rows), epochs)
for e, row in enumerate(rows):
    assert int(row["epoch"]) == e + 1
    for k, v in curves.items():
        assert math.isclose(float(row[k]), float(v[e]), rel_tol=1e-5), (trial, e, k, row[k], v[e])
print(f"trial {trial}: {epochs} epochs match the file")
PY
done
set +e
err=$("$hpsweep" curves "$dir/r.h5" --trial 12 2>&1 >/dev/null)
code=$?
set -e
[ "$code" -eq 2 ] || { echo "expected exit 2 for a bad trial, got $code: $err"; exit 1; }
grep -q "valid trials are 0..11" <<<"$err" || { echo "message does not name the range: $err"; exit 1; }
echo "bad trial: exit 2, $err"
