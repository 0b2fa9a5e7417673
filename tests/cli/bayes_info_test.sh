#!/usr/bin/env bash
# bayes_info_test.sh HPSWEEP SWEEP: `info` on method bayes files. A run stopped with only some of
# its batches decided is incomplete (its budget is run_cap x repeats, not the rows so far) and
# resumes to 30 trials; a run whose trial reached metric.target is complete with fewer rows.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/b.h5" --quiet --threads 1 --grace 0 & pid=$!
journal="$dir/.b.h5.journal"
for _ in $(seq 1000); do
  [ -e "$journal" ] && [ "$(stat -c %s "$journal")" -gt 6000 ] && break
  sleep 0.01
done
kill -TERM "$pid"
wait "$pid" || true
info=$("$hpsweep" info "$dir/b.h5")
echo "$info"
grep -q "budget:        30 trials" <<<"$info"
grep -q "complete:      no" <<<"$info"
"$hpsweep" run "$sweep" -o "$dir/b.h5" --quiet --threads 2
"$hpsweep" info "$dir/b.h5" | grep -q "complete:      yes"
[ "$("$hpsweep" info "$dir/b.h5" --format json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["trials"]["planned"])')" = 30 ]
# metric.target 10: the first finished trial reaches it; nothing more starts.
sed 's/^run_cap: 30/run_cap: 30\nmetric: {name: val_loss, goal: minimize, target: 10}/' "$sweep" >"$dir/target.yaml"
out=$("$hpsweep" run "$dir/target.yaml" -o "$dir/t.h5" --threads 1 2>&1)
grep -q "reached metric.target 10" <<<"$out"
info=$("$hpsweep" info "$dir/t.h5")
grep -q "target:        reached" <<<"$info"
grep -q "complete:      yes" <<<"$info"
echo "ok"
