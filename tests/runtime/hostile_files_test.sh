#!/usr/bin/env bash
# hostile_files_test.sh HPSWEEP SWEEP OTHER_SWEEP: (OTHER_SWEEP: SWEEP's plan and seeds on other
# data, so that only the journal records' sweep identity tells them apart) files planted in a shared results directory and
# outputs that name inputs. For each file hpsweep creates beside a results file (its temporary
# file, journal, sealed journal, lock, a report, a model), a planted symlink is never followed: the
# link's target keeps its content. Another sweep's journal beside a file is ignored, never merged.
# `report -o` refuses the results file, the sweep file and data (exit 2, nothing changed). No lock
# file is left behind by a run or a refusal.
set -uo pipefail
hpsweep=$1 sweep=$2 other=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
source "$here/../expect.sh"
victim() { printf 'precious\n' >"$dir/victim"; }
intact() { [ "$(cat "$dir/victim")" = precious ] || fail "$1: the link's target was written"; }

# The first release's fixed temporary name, planted as a link: not used (a regression guard; the
# temporary files are now in private directories with unpredictable names).
victim; ln -s "$dir/victim" .r.h5.tmp
"$hpsweep" run "$sweep" -o r.h5 --quiet 2>/dev/null || fail "run with a planted .r.h5.tmp"
intact ".r.h5.tmp"
rm .r.h5.tmp
[ ! -e .r.h5.lock ] || fail "the run left its lock file"

# A planted journal, sealed journal or lock link: refused, exit 5, the target untouched.
for planted in .r.h5.journal .r.h5.journal.sealed .r.h5.lock; do
  victim; ln -s "$dir/victim" "$planted"
  sum=$(sha256sum <r.h5)
  expect 5 "$planted' is a symbolic link" "$hpsweep" run "$sweep" -o r.h5 --quiet
  intact "$planted"
  [ "$(sha256sum <r.h5)" = "$sum" ] || fail "$planted: the results file changed"
  rm "$planted"
done
mkdir .r.h5.journal
expect 5 "journal '.*\.r\.h5\.journal' is not a regular file" "$hpsweep" info r.h5
rmdir .r.h5.journal
[ ! -e .r.h5.lock ] || fail "a refused run left its lock file"
echo "planted links at the temporary file, journal, sealed journal and lock: never followed"

# Another sweep's journal copied beside the file: ignored with a warning, never merged.
(HPSWEEP_TEST_CRASH=after-append:4 exec "$hpsweep" run "$other" -o o.h5 --quiet --threads 1 2>/dev/null) || true
[ -s .o.h5.journal ] || fail "the killed run of the other sweep left no journal"
rm .o.h5.lock  # a killed run cannot remove its lock (the next run of o.h5 would)
"$hpsweep" run "$sweep" -o p.h5 --quiet 2>/dev/null
(HPSWEEP_TEST_CRASH=after-append:1 exec "$hpsweep" run "$sweep" -o p.h5 --restart --quiet --threads 1 2>/dev/null) || true
cat .o.h5.journal >>.p.h5.journal
"$hpsweep" info p.h5 | grep -Eq "journal: .* [1-9][0-9]* of another sweep \(ignored\)" || fail "info does not report the foreign records"
"$hpsweep" run "$sweep" -o p.h5 --quiet 2>p.log
grep -q "ignored [1-9][0-9]* journal record(s) of another sweep" p.log || { cat p.log; fail "no warning about the foreign records"; }
/usr/bin/python3 "$here/compare_results.py" r.h5 p.h5 || fail "another sweep's records changed the file"
echo "another sweep's journal: ignored with a warning; the file equals an uninterrupted run"

# report -o: never over the results file, the sweep file or data; a link at -o is replaced, not followed.
cp "$sweep" sweep.yaml
printf 'a,b,y\n1,2,0\n' >data.csv
for target in r.h5 sweep.yaml data.csv; do
  sum=$(sha256sum <"$target")
  expect 2 "-o $target (is an input|exists and is not an HTML page)" "$hpsweep" report r.h5 -o "$target"
  [ "$(sha256sum <"$target")" = "$sum" ] || fail "report -o $target changed it"
done
victim; ln -s "$dir/victim" page.html
expect 2 "-o page.html exists and is not an HTML page" "$hpsweep" report r.h5 -o page.html
intact "report -o link to a file"
printf '<!DOCTYPE html>\n<html></html>\n' >old.html
ln -sf "$dir/old.html" page.html
"$hpsweep" report r.h5 -o page.html >/dev/null || fail "report over a link to an earlier report"
[ "$(cat old.html)" = "$(printf '<!DOCTYPE html>\n<html></html>')" ] || fail "the link's target was written"
[ ! -L page.html ] && grep -q "<html" page.html || fail "the report is not where -o said"
"$hpsweep" report r.h5 -o page.html >/dev/null || fail "a report may replace an earlier report"
echo "report -o: inputs and non-HTML files refused; a link at -o is replaced, never followed"
# epochs_trained is the total over every run: a kill and resume adds to it, never restarts it.
# A clean stop (SIGTERM) after two trials: the file then holds what the first run trained.
"$hpsweep" run "$here/stuck_sweep.yaml" -o e.h5 --threads 1 2>e.log &
for _ in $(seq 1 300); do grep -q '^\[2/' e.log && break; sleep 0.05; done
kill -TERM $!
wait $!
held=$("$hpsweep" info e.h5 --format json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['epochs_trained'])")
"$hpsweep" run "$here/stuck_sweep.yaml" -o e.h5 --quiet 2>/dev/null || fail "resume after the stop"
/usr/bin/python3 - e.h5 "$held" <<'PY' || fail "epochs_trained restarted on resume"
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    total, run = int(f.attrs["epochs_trained"]), int(f["trials"]["epochs_run"].sum())
assert total >= run and total >= int(sys.argv[2]) > 0, (total, run, sys.argv[2])
print(f"epochs_trained {total} >= the {run} epochs the file holds (the stopped run had {sys.argv[2]} in its file)")
PY
leftovers=$(find . -name '.*.tmp*' -o -name '.*.lock')
[ -z "$leftovers" ] || fail "left behind: $leftovers"
