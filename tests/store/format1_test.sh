#!/usr/bin/env bash
# format1_test.sh HPSWEEP: results files written by the first release (commit 86649e3, format 1,
# in tests/store/format1/) stay readable by every command, and a partial one (killed after 5
# journal appends, its journal in the first release's record format) resumes to completion: the
# 5 journaled trials keep their numbers, and the other trials equal a whole run by this hpsweep.
# legacy.h5's sweep is one this hpsweep refuses to run (momentum with Adam, a maximized loss):
# reading it must not be refused. (The fixtures' numbers come from another build on another CPU,
# so nothing here asks this build to reproduce them bit for bit.)
set -euo pipefail
hpsweep=$1
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/format1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$fixtures/legacy.h5" "$fixtures/partial.h5" "$fixtures/.partial.h5.journal" "$dir/"

"$hpsweep" info "$dir/legacy.h5" | grep -q "complete:      yes"
"$hpsweep" info "$dir/legacy.h5" --format json >/dev/null
"$hpsweep" rank "$dir/legacy.h5" --format csv | grep -q "^1,"
"$hpsweep" curves "$dir/legacy.h5" --trial 1 --format csv | grep -q "^3,"
"$hpsweep" report "$dir/legacy.h5" -o "$dir/legacy.html" >/dev/null
"$hpsweep" compare "$dir/legacy.h5" "$dir/legacy.h5" >/dev/null
"$hpsweep" train --from "$dir/legacy.h5" --trial 1 | grep -Eq "(reproduces|differs from) the stored curve of trial 1"
"$hpsweep" split "$dir/legacy.h5" -o "$dir/splits" 2>/dev/null
echo "legacy.h5 (format 1): info, rank, curves, report, compare, train --from and split read it"

"$hpsweep" info "$dir/partial.h5" | grep -q "5 record(s) not yet in the file"
curves() { for t in $(seq 0 11); do echo "trial $t"; "$hpsweep" curves "$1" --trial "$t" --format csv; done; }
curves "$dir/partial.h5" >"$dir/before.txt"  # the journaled trials' curves, as the first release recorded them
fingerprint() { "$hpsweep" info "$1" | sed -n 's/^data: *fingerprint \([0-9a-z:]*\).*/\1/p'; }
legacy=$(fingerprint "$dir/partial.h5")
"$hpsweep" run "$fixtures/partial_sweep.yaml" -o "$dir/partial.h5" --quiet 2>"$dir/resume.log"
grep -q "recovered 5 finished trial(s) from the journal" "$dir/resume.log" || { cat "$dir/resume.log"; exit 1; }
# The first release's fingerprint (FNV-1a) is kept by the resumed file, not replaced by XXH3's:
# it is the file's identity, which its journal records carry too.
[ -n "$legacy" ] && [ "$(fingerprint "$dir/partial.h5")" = "$legacy" ] || { echo "fingerprint $legacy not kept"; exit 1; }
"$hpsweep" info "$dir/partial.h5" | grep -q "complete:      yes"
"$hpsweep" run "$fixtures/partial_sweep.yaml" -o "$dir/whole.h5" --quiet 2>/dev/null
case $(fingerprint "$dir/whole.h5") in xxh3:*) ;; *) echo "a new file does not get an XXH3 fingerprint"; exit 1 ;; esac
curves "$dir/partial.h5" >"$dir/after.txt"
curves "$dir/whole.h5" >"$dir/whole.txt"
/usr/bin/python3 - "$dir/before.txt" "$dir/after.txt" "$dir/whole.txt" <<'PY'
import sys
def trials(path):
    out, current = {}, None
    for line in open(path):
        if line.startswith("trial "):
            current = int(line.split()[1]); out[current] = []
        else:
            out[current].append(line)
    return out
before, after, whole = (trials(p) for p in sys.argv[1:])
kept = [t for t, rows in before.items() if len(rows) > 1]  # a header and epochs: journaled
assert len(kept) == 5, kept
for t in range(12):
    expected = before[t] if t in kept else whole[t]
    assert after[t] == expected, f"trial {t} differs from {'the journal' if t in kept else 'a whole run'}"
print(f"trials {kept} kept from the first release's journal; the other 7 equal a whole run")
PY
/usr/bin/python3 - "$dir/partial.h5" "$dir/legacy.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    assert int(f.attrs["format_version"]) == 2, f.attrs["format_version"]
    assert "best_test_loss" in f["trials"].dtype.names
with h5py.File(sys.argv[2], "r") as f:
    assert int(f.attrs["format_version"]) == 1, "a command that only reads changed a format-1 file"
print("the resumed file is rewritten as format 2; the read-only commands left legacy.h5 at format 1")
PY
echo "partial.h5 (format 1) with its journal resumed to completion"
