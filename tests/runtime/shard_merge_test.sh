#!/usr/bin/env bash
# shard_merge_test.sh HPSWEEP MPIEXEC SWEEP ET_SWEEP: a sweep run as 3 shards (one of them under
# mpirun, one killed and resumed) and merged equals the same sweep run as one job (all but timing
# and rank); a merge with a shard missing writes what there is, exits 75, and `run` on the merged
# file completes it identically; wrong shards, bad --shard text, --shard with early termination,
# a merge of another sweep's file and a merge over an input are refused with nothing changed.
set -euo pipefail
hpsweep=$1 mpiexec=$2 sweep=$3 et_sweep=$4
here=$(cd "$(dirname "$0")" && pwd)
fail="$here/../expect_failure.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
compare() { /usr/bin/python3 "$here/compare_results.py" "$dir/whole.h5" "$1"; }
cd "$dir"

"$hpsweep" run "$sweep" -o whole.h5 --quiet
"$hpsweep" run "$sweep" -o s0.h5 --quiet --shard 0/3
"$mpiexec" -np 3 --bind-to none "$hpsweep" run "$sweep" -o s1.h5 --quiet --shard 1/3 --threads 1
# Shard 2 is killed after a few trials (its journal holds what the file may not), then resumed.
(HPSWEEP_TEST_CRASH=after-append:5 exec "$hpsweep" run "$sweep" -o s2.h5 --quiet --shard 2/3 --threads 1 2>/dev/null) || true
"$hpsweep" info s2.h5 | grep -q "complete:      no: run \`hpsweep run --shard 2/3\`"
cp s2.h5 s2-killed.h5
cp .s2.h5.journal .s2-killed.h5.journal   # the trials finished since the last rewrite
if [ -e .s2.h5.journal.sealed ]; then cp .s2.h5.journal.sealed .s2-killed.h5.journal.sealed; fi
"$hpsweep" run "$sweep" -o s2.h5 --quiet --shard 2/3
"$hpsweep" info s2.h5 | grep -q "complete:      this shard, yes"

"$hpsweep" merge -o merged.h5 s2.h5 s0.h5 s1.h5
compare merged.h5
"$hpsweep" info merged.h5 | grep -q "complete:      yes"
# What each shard ran with, not the ranks added up (shard 1 ran under mpirun -np 3).
"$hpsweep" info merged.h5 | grep -q "^merged from:   shard 2/3: 1 rank(s) x"
"$hpsweep" info merged.h5 | grep -q "^               shard 1/3: 3 rank(s) x 1 thread(s)"
! "$hpsweep" info merged.h5 | grep -q "^last run:"
echo "3 shards merged: identical to one job"

# Shard 1 missing, shard 2 as it was when killed: the merge writes what there is and exits 75.
sums=$(sha256sum s0.h5 s2-killed.h5)
"$fail" 75 "trial\(s\) 1, .* \(of shard 1/3 2/3\) are in no input" "$hpsweep" merge -o partial.h5 s0.h5 s2-killed.h5
# Shard 0's trials and the killed shard's, those in its journal included (4 finished before the kill).
ok=$("$hpsweep" info partial.h5 | sed -n 's/^trials: .* planned: \([0-9]*\) ok.*/\1/p')
[ "$ok" -ge $(($("$hpsweep" info s0.h5 | sed -n 's/^trials: .* planned: \([0-9]*\) ok.*/\1/p') + 4)) ] ||
  { echo "the merge lost the killed shard's journaled trials ($ok ok)"; exit 1; }
[ "$(sha256sum s0.h5 s2-killed.h5)" = "$sums" ] || { echo "merge changed an input"; exit 1; }
"$hpsweep" info partial.h5 | grep -q "complete:      no"
"$hpsweep" run "$sweep" -o partial.h5 --quiet
compare partial.h5
echo "partial merge completed by run: identical to one job"
# Merging again into that file keeps what was run into it: nothing is lost.
"$hpsweep" merge -o partial.h5 s0.h5
compare partial.h5
echo "merge into an existing merged file: nothing lost"

# Refusals, each leaving the files as they were.
sums=$(sha256sum s0.h5 s1.h5 merged.h5)
"$fail" 5 "s1.h5 holds shard 1/3, not shard 0/3; nothing was changed" "$hpsweep" run "$sweep" -o s1.h5 --shard 0/3
"$fail" 5 "s1.h5 holds shard 1/3, not the whole sweep.*--shard 1/3" "$hpsweep" run "$sweep" -o s1.h5
"$fail" 5 "merged.h5 holds the whole sweep, not shard 1/3" "$hpsweep" run "$sweep" -o merged.h5 --shard 1/3
"$fail" 2 "--shard '3/3': I must be between 0 and N-1 = 2" "$hpsweep" run "$sweep" -o x.h5 --shard 3/3
"$fail" 2 "--shard '1-3': expected I/N" "$hpsweep" run "$sweep" -o x.h5 --shard 1-3
{ cat "$et_sweep"; echo "early_terminate: {type: asha, grace_period: 3}"; } > et.yaml
"$fail" 3 "et.yaml:[0-9]+:[0-9]+: early_terminate \(asha\) cannot run in shards" "$hpsweep" run et.yaml -o x.h5 --shard 0/2
"$hpsweep" run "$et_sweep" -o other.h5 --quiet --shard 0/3
"$fail" 5 "other.h5 is not a shard of the same sweep as s0.h5: its sweep file text differs; nothing was written" \
  "$hpsweep" merge -o x.h5 s0.h5 other.h5
"$fail" 5 "-o s0.h5 is one of the inputs" "$hpsweep" merge -o s0.h5 s0.h5 s1.h5
"$fail" 5 "s1.h5 exists and holds shard 1/3; nothing was written" "$hpsweep" merge -o s1.h5 s0.h5 s2.h5
"$hpsweep" run "$et_sweep" -o other_whole.h5 --quiet
other_sum=$(sha256sum other_whole.h5)
"$fail" 5 "other_whole.h5 is not a shard of the same sweep as s0.h5: its sweep file text differs" \
  "$hpsweep" merge -o other_whole.h5 s0.h5
[ "$(sha256sum other_whole.h5)" = "$other_sum" ] || { echo "merge changed another sweep's file"; exit 1; }
[ "$(sha256sum s0.h5 s1.h5 merged.h5)" = "$sums" ] || { echo "a refused command changed a file"; exit 1; }
[ ! -e x.h5 ] || { echo "a refused command wrote x.h5"; exit 1; }
echo "refusals: ok"
