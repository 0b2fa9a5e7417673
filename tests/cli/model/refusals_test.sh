#!/usr/bin/env bash
# refusals_test.sh HPSWEEP: save, predict and split refuse what would destroy an input or cannot
# fit the model, with the documented exit code, a message naming the file, and no file changed.
set -uo pipefail
hpsweep=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$here/../../expect.sh"
set -e
"$hpsweep" run "$here/regression.yaml" -o "$dir/r.h5" --quiet
"$hpsweep" train --from "$dir/r.h5" --trial 0 --save "$dir/m.h5" >/dev/null
"$hpsweep" split "$dir/r.h5" -o "$dir/s" 2>/dev/null
set +e
sums_before=$(cd "$dir" && sha256sum r.h5 m.h5 s/val.csv)

expect 2 "--save .*r.h5 is an input" "$hpsweep" train --from "$dir/r.h5" --trial 0 --save "$dir/r.h5"
expect 2 "--save .*val.csv: the file exists and is not an hpsweep model" "$hpsweep" train --epochs 1 --save "$dir/s/val.csv"
expect 2 "-o .*m.h5 is an input" "$hpsweep" predict "$dir/m.h5" --data "$dir/s/val.csv" -o "$dir/m.h5"
expect 2 "-o .*val.csv is an input" "$hpsweep" predict "$dir/m.h5" --data "$dir/s/val.csv" -o "$dir/s/val.csv"
ln -s "$dir/s/val.csv" "$dir/link.csv"
expect 2 "the same file as the input" "$hpsweep" predict "$dir/m.h5" --data "$dir/s/val.csv" -o "$dir/link.csv"
expect 5 "r.h5' is not an hpsweep model file" "$hpsweep" predict "$dir/r.h5" --data "$dir/s/val.csv"
expect 5 "val.csv' is not an HDF5 file" "$hpsweep" predict "$dir/s/val.csv" --data "$dir/s/val.csv"
expect 5 "no model file" "$hpsweep" predict "$dir/missing.h5" --data "$dir/s/val.csv"
head -1 "$dir/s/val.csv" | sed 's/^a,//' >"$dir/no_a.csv"
tail -n +2 "$dir/s/val.csv" | cut -d, -f2- >>"$dir/no_a.csv"
expect 4 "no_a.csv:1: .*missing: a" "$hpsweep" predict "$dir/m.h5" --data "$dir/no_a.csv"
printf 'a,b,c,d\n1,2,nan,4\n' >"$dir/nan.csv"
expect 4 "nan.csv:2: column 3 \('c'\): nan is not allowed" "$hpsweep" predict "$dir/m.h5" --data "$dir/nan.csv"
cp "$here/regression.yaml" "$dir/sweep.yaml"
cp "$here/regression.csv" "$dir/regression.csv"
mv "$dir/regression.csv" "$dir/train.csv"
sed -i 's/regression.csv/train.csv/' "$dir/sweep.yaml"
cp "$dir/train.csv" "$dir/train.copy"
expect 2 "-o .*train.csv is an input" "$hpsweep" split "$dir/sweep.yaml" -o "$dir"
cmp "$dir/train.csv" "$dir/train.copy" || fail "split overwrote its input"

sums_after=$(cd "$dir" && sha256sum r.h5 m.h5 s/val.csv)
[ "$sums_before" = "$sums_after" ] || fail "a refused command changed a file"
leftovers=$(find "$dir" -name '.*.tmp*')
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"
echo "every refusal exited with its code and changed nothing"
