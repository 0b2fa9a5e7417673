#!/usr/bin/env bash
# train_from_test.sh HPSWEEP SWEEP: any trial of a results file can be rerun alone, exactly.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet
for trial in 0 5 11; do
  "$hpsweep" train --from "$dir/r.h5" --trial "$trial" | grep -q "reproduces the stored curve of trial $trial exactly"
done
echo "trials 0, 5 and 11 reproduced exactly"
# Mid-sweep (killed right after journaling its 3rd result, before any rewrite of the file): the
# trials that finished are only in the journal, and train --from reads them there (one reader).
rm -f "$dir/r.h5"
(HPSWEEP_TEST_CRASH=after-append:3 exec "$hpsweep" run "$sweep" -o "$dir/r.h5" --quiet --threads 1 --rewrite-every 1000 \
  2>/dev/null) || true
[ -e "$dir/.r.h5.journal" ] || { echo "FAIL: no journal after the crash"; exit 1; }
journaled=$(/usr/bin/python3 -c "
import h5py, sys
t = h5py.File(sys.argv[1])['trials'][()]
print(sum(1 for s in t['status'] if s != 0))" "$dir/r.h5")
[ "$journaled" -eq 0 ] || { echo "FAIL: the file already holds $journaled finished trials; the test needs a stale file"; exit 1; }
"$hpsweep" train --from "$dir/r.h5" --trial 0 | grep -q "reproduces the stored curve of trial 0 exactly" \
  || { echo "FAIL: train --from did not see trial 0 in the journal"; exit 1; }
echo "mid-sweep: trial 0, only in the journal, reproduced exactly"
