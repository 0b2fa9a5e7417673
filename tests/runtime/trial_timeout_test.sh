#!/usr/bin/env bash
# trial_timeout_test.sh HPSWEEP SWEEP: trials that train past the sweep's trial_timeout end after
# their epoch, failed, with a message saying so; the sweep goes on and ends with exit 6 (no trial
# usable), and the file records both as failed with the message.
set -uo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/t.h5" --threads 1 2>"$dir/log"
code=$?
cat "$dir/log"
[ "$code" -eq 6 ] || { echo "FAIL: exit $code, expected 6"; exit 1; }
[ "$(grep -c 'failed (timed out: [0-9.e-]* s after [0-9]* of 200 epochs (trial_timeout: 0.02 s))' "$dir/log")" -eq 2 ] ||
  { echo "FAIL: not both trials timed out in the log"; exit 1; }
/usr/bin/python3 - "$dir/t.h5" <<'PY' || exit 1
import sys, h5py
t = h5py.File(sys.argv[1])["trials"][()]
assert list(t["status"]) == [3, 3], t["status"]                     # failed
assert all(b"timed out" in m for m in t["message"]), t["message"]
assert all(0 < e < 200 for e in t["epochs_run"]), t["epochs_run"]    # ended early, curves kept
print("both trials timed out, recorded as failed with their epochs")
PY
