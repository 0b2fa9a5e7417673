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
