#!/usr/bin/env bash
# disk_full_test.sh HPSWEEP SWEEP: on a full disk, resuming a sweep fails with exit code 5 and a
# message saying so, and the last good results file is left byte for byte as it was; with no room
# for even the first write, the same exit 5 (HDF5's exit handler once crashed there). Needs root
# (it mounts a small tmpfs); skipped (exit 77) otherwise.
set -uo pipefail
hpsweep=$(realpath "$1") sweep=$(realpath "$2")
[ "$(id -u)" -eq 0 ] || { echo "needs root to mount a tmpfs; skipped"; exit 77; }
log=$(mktemp)  # outside the full disk
dir=$(mktemp -d)
mount -t tmpfs -o size=256k tmpfs "$dir" 2>/dev/null || { echo "cannot mount a tmpfs here; skipped"; rm -rf "$dir"; exit 77; }
trap 'cd /; umount "$dir"; rm -rf "$dir" "$log"' EXIT
cd "$dir"
# A partial results file: stop the run with a signal after a few trials.
"$hpsweep" run "$sweep" -o r.h5 --quiet --threads 1 --grace 0 & pid=$!
for _ in $(seq 200); do [ -e r.h5 ] && break; sleep 0.05; done
sleep 1; kill -TERM "$pid"; wait "$pid"
"$hpsweep" info r.h5 | grep -q "complete:      no" || { echo "the first run was not interrupted"; exit 1; }
before=$(sha256sum r.h5)
dd if=/dev/zero of=filler bs=4k count=1000 2>/dev/null  # fill the disk
"$hpsweep" run "$sweep" -o r.h5 --quiet 2>"$log"
code=$?
cat "$log"
[ "$code" -eq 5 ] || { echo "exit $code, expected 5"; exit 1; }
grep -q "No space left on device" "$log" || { echo "the message does not say the disk is full"; exit 1; }
[ "$(sha256sum r.h5)" = "$before" ] || { echo "the last good results file changed"; exit 1; }
ls -a | grep -q '\.tmp$\|\.tmp\.' && { echo "a temporary file was left behind"; exit 1; }
rm filler
"$hpsweep" run "$sweep" -o r.h5 --quiet && "$hpsweep" info r.h5 | grep -q "complete:      yes" || exit 1
echo "disk full: exit 5, file intact, resumed once space was back"

# A disk too small for even the first write: exit 5 with the message, not a crash at exit.
rm -f r.h5 .r.h5.*
dd if=/dev/zero of=filler bs=4k count=1000 2>/dev/null
"$hpsweep" run "$sweep" -o first.h5 --quiet 2>"$log"
code=$?
cat "$log"
[ "$code" -eq 5 ] || { echo "exit $code on the first write, expected 5"; exit 1; }
ls -a | grep -q '\.tmp$\|\.tmp\.\|first\.h5' && { echo "a file was left behind"; exit 1; }
echo "no space for the first write: exit 5, nothing left behind"
