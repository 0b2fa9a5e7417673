#!/usr/bin/env bash
# compare_command_test.sh HPSWEEP TINY_SWEEP: `hpsweep compare` on two real sweeps that differ in one
# fixed setting names that setting, matches every configuration, and its JSON numbers equal the
# files' own (checked with h5py); files over other settings and missing files fail cleanly.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed 's/width: 32/width: 16/' "$sweep" > "$dir/narrow.yaml"
sed 's/batch_size: {values: \[16, 64, 256\]}/lr: {values: [0.001, 0.01]}/' "$sweep" > "$dir/other.yaml"
"$hpsweep" run "$sweep" -o "$dir/a.h5" --quiet
"$hpsweep" run "$dir/narrow.yaml" -o "$dir/b.h5" --quiet
"$hpsweep" run "$dir/other.yaml" -o "$dir/c.h5" --quiet

"$hpsweep" compare "$dir/a.h5" "$dir/b.h5" > "$dir/table.txt"
grep -q '^differs: width = 32 | 16$' "$dir/table.txt" || { cat "$dir/table.txt"; echo "FAIL: width not named"; exit 1; }
grep -q 'matched on: dropout, batch_size; 6 of 6 configurations in both' "$dir/table.txt" \
  || { cat "$dir/table.txt"; echo "FAIL: matching"; exit 1; }

"$hpsweep" compare "$dir/a.h5" "$dir/b.h5" --format json > "$dir/c.json"
/usr/bin/python3 - "$dir/a.h5" "$dir/b.h5" "$dir/c.json" <<'PY'
import json, sys
import h5py, numpy as np
rows = json.load(open(sys.argv[3]))
assert len(rows) == 6, rows
def means(path):
    t = h5py.File(path, "r")["trials"][()]
    out = {}
    for key in {(float(r["dropout"]), int(r["batch_size"])) for r in t}:
        sel = t[(t["dropout"] == key[0]) & (t["batch_size"] == key[1])]
        out[key] = float(np.mean(sel["best_val_loss"]))
    return out
a, b = means(sys.argv[1]), means(sys.argv[2])
for r in rows:
    key = (float(r["dropout"]), int(r["batch_size"]))
    assert abs(r["first_best_val_loss"] - a[key]) < 1e-12, (r, a[key])
    assert abs(r["second_best_val_loss"] - b[key]) < 1e-12, (r, b[key])
    assert abs(r["difference"] - (b[key] - a[key])) < 1e-12
# The first file's order is its ranking: ascending mean.
firsts = [r["first_best_val_loss"] for r in rows]
assert firsts == sorted(firsts), firsts
print("compare numbers equal the files'")
PY

set +e
"$hpsweep" compare "$dir/a.h5" "$dir/c.h5" 2> "$dir/err.txt"; code=$?
set -e
[ "$code" -eq 3 ] || { echo "FAIL: other settings gave exit $code"; exit 1; }
grep -q 'different settings columns (only in .*a.h5: batch_size; only in .*c.h5: lr)' "$dir/err.txt" \
  || { cat "$dir/err.txt"; echo "FAIL: message"; exit 1; }
set +e
"$hpsweep" compare "$dir/a.h5" "$dir/missing.h5" 2> "$dir/err.txt"; code=$?
set -e
[ "$code" -eq 5 ] || { cat "$dir/err.txt"; echo "FAIL: missing file gave exit $code"; exit 1; }
echo PASS
