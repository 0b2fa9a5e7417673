#!/usr/bin/env bash
# run_log_test.sh HPSWEEP SWEEP: a batch log (stderr not a terminal) has a header, one line per
# trial and a summary naming the best configuration; --quiet keeps only the summary; running a
# complete sweep again says so, shows the summary and trains nothing.
set -euo pipefail
hpsweep=$1 sweep=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; echo "--- log:"; cat "$3"; exit 1; }
"$hpsweep" run "$sweep" -o "$dir/r.h5" 2>"$dir/log"
trials=$("$hpsweep" info "$dir/r.h5" --format json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['trials']['planned'])")
head -1 "$dir/log" | grep -Eq "^hpsweep: sweep tiny \(.*tiny_sweep.yaml\): $trials of $trials trials to run on 1 rank\(s\) \(1 training\) x [0-9]+ thread\(s\), [0-9]+ trial\(s\) side by side per rank; results: .*r.h5$" ||
  fail "no header" x "$dir/log"
[ "$(grep -c '^\[[0-9]*/'"$trials"'\] trial ' "$dir/log")" -eq "$trials" ] || fail "not one line per trial" x "$dir/log"
best=$("$hpsweep" rank "$dir/r.h5" --format json | /usr/bin/python3 -c "import json,sys; r=json.load(sys.stdin)[0]; print(r['config'])")
tail -1 "$dir/log" | grep -Eq "^hpsweep: .*r.h5 holds $trials trials: $trials ok, 0 stopped, 0 diverged, 0 failed, 0 pending; best: config $best, best val_loss [0-9.]+ \(mean of 2\), .*dropout=" ||
  fail "no summary naming config $best" x "$dir/log"
"$hpsweep" run "$sweep" -o "$dir/r.h5" 2>"$dir/again"
grep -q "^hpsweep: sweep tiny is already complete in .*r.h5; nothing to run" "$dir/again" || fail "rerun not said complete" x "$dir/again"
tail -1 "$dir/again" | grep -q "best: config $best" || fail "rerun shows no best configuration" x "$dir/again"
! grep -q "^\[" "$dir/again" || fail "rerun trained" x "$dir/again"
"$hpsweep" run "$sweep" -o "$dir/q.h5" --quiet 2>"$dir/quiet"
[ "$(wc -l <"$dir/quiet")" -eq 1 ] && grep -q "q.h5 holds $trials trials" "$dir/quiet" || fail "--quiet is not the summary alone" x "$dir/quiet"
echo "header, $trials trial lines, summary (best config $best); rerun complete; --quiet: summary only"
