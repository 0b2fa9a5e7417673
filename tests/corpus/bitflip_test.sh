#!/usr/bin/env bash
# bitflip_test.sh HPSWEEP SWEEP: a single flipped bit anywhere in a results file (seeded, 150
# positions) never crashes, hangs or makes `info`, `rank` or `curves` report an internal error:
# each exits 0 (the bit was in data), 3 (in the stored sweep text) or 5 (not a valid results
# file), within 10 s. And a crafted name full of terminal escape sequences reaches the terminal
# as '?', never raw.
set -uo pipefail
hpsweep=$1 sweep=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$hpsweep" run "$sweep" -o "$dir/valid.h5" --quiet 2>/dev/null || { echo "setup failed"; exit 1; }
/usr/bin/python3 - "$dir/valid.h5" "$dir" <<'PY'
import random, sys
data = bytearray(open(sys.argv[1], "rb").read())
rng = random.Random(20261205)
for i in range(150):
    copy = bytearray(data)
    bit = rng.randrange(len(copy) * 8)
    copy[bit // 8] ^= 1 << (bit % 8)
    open(f"{sys.argv[2]}/flip{i:03d}.h5", "wb").write(copy)
PY
declare -A seen=()
bad=0
for f in "$dir"/flip*.h5; do
  for command in info rank "curves --trial 1"; do
    timeout 10 "$hpsweep" $command "$f" >/dev/null 2>"$dir/err"
    code=$?
    seen[$code]=$((${seen[$code]:-0} + 1))
    case $code in
      0 | 3 | 5) ;;
      *) echo "FAIL: $command $(basename "$f") exited $code: $(head -c 300 "$dir/err")"; bad=$((bad + 1)) ;;
    esac
  done
done
summary=""
for code in "${!seen[@]}"; do summary+="exit $code: ${seen[$code]}; "; done
echo "450 reads of 150 single-bit flips: $summary"

mkdir "$dir/escape"
/usr/bin/python3 "$here/craft_results.py" "$dir/valid.h5" "$dir/escape" >/dev/null
for command in info rank; do
  if "$hpsweep" $command "$dir/escape/sweep_escape_sequences.h5" 2>&1 | grep -q $'\x1b'; then
    echo "FAIL: $command printed an escape sequence from the file"; bad=$((bad + 1))
  fi
done
[ "$bad" -eq 0 ]
