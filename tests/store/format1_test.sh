#!/usr/bin/env bash
# format1_test.sh HPSWEEP: results files written by the first release (commit 86649e3, format 1,
# in tests/store/format1/) stay readable by every command, and a partial one (killed after 5
# journal appends, its journal in the first release's record format) resumes to completion and
# equals a whole run by this hpsweep. legacy.h5's sweep is one this hpsweep refuses to run
# (momentum with Adam, a maximized loss): reading it must not be refused.
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
"$hpsweep" train --from "$dir/legacy.h5" --trial 1 | grep -q "reproduces the stored curve of trial 1 exactly"
"$hpsweep" split "$dir/legacy.h5" -o "$dir/splits" 2>/dev/null
echo "legacy.h5 (format 1): info, rank, curves, report, compare, train --from and split read it"

"$hpsweep" info "$dir/partial.h5" | grep -q "5 record(s) not yet in the file"
"$hpsweep" run "$fixtures/partial_sweep.yaml" -o "$dir/partial.h5" --quiet 2>"$dir/resume.log"
grep -q "recovered 5 finished trial(s) from the journal" "$dir/resume.log" || { cat "$dir/resume.log"; exit 1; }
"$hpsweep" info "$dir/partial.h5" | grep -q "complete:      yes"
"$hpsweep" run "$fixtures/partial_sweep.yaml" -o "$dir/whole.h5" --quiet 2>/dev/null
/usr/bin/python3 "$here/../runtime/compare_results.py" "$dir/whole.h5" "$dir/partial.h5"
echo "partial.h5 (format 1) with its journal resumed to completion, equal to a whole run"
